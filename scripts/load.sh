#!/usr/bin/env bash
# Load test of the built server on loopback with wrk (Debian package): /health, /api/near at
# varying points, and bbox item queries, each for DURATION seconds at full rate with
# CONNECTIONS connections, in ROUNDS rounds that alternate the routes; prints requests/s, p99
# and errors of each run, near's share of the health rate per round, the medians, and the
# server's RSS before and after. Alternating rounds matter on a shared 2-core VM, whose speed
# drifts by ±20% over minutes: a ratio from two runs minutes apart measures the drift.
# Usage: scripts/load.sh [DURATION=10] [CONNECTIONS=32] [ROUNDS=3]
# Exits non-zero if any request failed or got a non-2xx answer.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-32}
rounds=${3:-3}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
[ -x target/release/planmap ] || cargo build --release --quiet
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
work=$(mktemp -d)
./target/release/planmap serve --addr "127.0.0.1:$port" 2>"$work/server.log" &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fsS "$url/health" >/dev/null 2>&1 && break; sleep 0.1; done
rss() { awk '/VmRSS/ {printf "%.1f MiB", $2/1024}' "/proc/$server/status"; }
# The server's CPU time so far, in clock ticks (user + system): per request, it is a cost that
# does not drift with what else the VM runs.
ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
hz=$(getconf CLK_TCK)

# Points and boxes walk over the district deterministically, so every request differs; the
# near walk is `planmap::bench::district_walk`, which the criterion bench measures in-process.
cat >"$work/near.lua" <<'LUA'
local n = 0
request = function()
  n = n + 1
  local lon = 106.49 + ((n * 37) % 1000) / 1000 * 0.09
  local lat = 29.535 + ((n * 11) % 1000) / 1000 * 0.035
  return wrk.format("GET", string.format("/api/near?lon=%.5f&lat=%.5f&radius_m=500&limit=50", lon, lat))
end
LUA
cat >"$work/items.lua" <<'LUA'
local n = 0
local layers = {"zones", "streets", "projects"}
request = function()
  n = n + 1
  local lon = 106.49 + ((n * 37) % 1000) / 1000 * 0.08
  local lat = 29.535 + ((n * 11) % 1000) / 1000 * 0.03
  return wrk.format("GET", string.format("/api/collections/%s/items?bbox=%.5f,%.5f,%.5f,%.5f&limit=100",
    layers[(n % 3) + 1], lon, lat, lon + 0.01, lat + 0.01))
end
LUA

echo "machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); wrk -t2 -c$connections -d${duration}s, $rounds rounds"
echo "server RSS before: $(rss)"
status=0
# run NAME ARGS...: one wrk run; prints its line and leaves requests/s in $rps.
run() {
  local name=$1; shift
  local before after requests cpu p99 errors non2xx
  before=$(ticks)
  wrk -t2 -c"$connections" -d"${duration}s" --latency "$@" >"$work/$name.txt" 2>&1 || status=1
  after=$(ticks)
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$name.txt")
  requests=$(awk '/requests in/ {print $1}' "$work/$name.txt")
  cpu=$(awk -v a="$before" -v b="$after" -v n="$requests" -v hz="$hz" 'BEGIN {printf "%.1f", (b - a) / hz * 1e6 / n}')
  p99=$(awk '$1=="99%" {print $2}' "$work/$name.txt")
  errors=$(awk '/Socket errors/ {print}' "$work/$name.txt")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/$name.txt")
  printf '  %-8s requests/s=%-10s p99=%-9s server_cpu_us_per_request=%-6s non2xx=%s %s\n' \
    "$name" "$rps" "$p99" "$cpu" "${non2xx:-0}" "$errors"
  echo "$rps $p99 $cpu" >>"$work/$name.all"
  if [ -n "$errors" ] || [ -n "$non2xx" ]; then status=1; fi
}
for round in $(seq 1 "$rounds"); do
  echo "round $round"
  run health "$url/health"; health=$rps
  run near -s "$work/near.lua" "$url"; near=$rps
  run items -s "$work/items.lua" "$url"
  awk -v n="$near" -v h="$health" 'BEGIN {printf "  near/health = %.0f%%\n", 100 * n / h}' | tee -a "$work/ratio.all"
done
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
echo "medians over $rounds rounds"
for name in health near items; do
  printf '  %-8s requests/s=%-10s p99=%-9s server_cpu_us_per_request=%s\n' "$name" \
    "$(awk '{print $1}' "$work/$name.all" | median)" \
    "$(awk '{print $2}' "$work/$name.all" | sed 's/us$/e-3ms/; s/ms$//; s/s$/e3/' | awk '{printf "%.2f\n", $1 + 0}' | median)ms" \
    "$(awk '{print $3}' "$work/$name.all" | median)"
done
echo "  near/health = $(sed 's/.*= //; s/%//' "$work/ratio.all" | median)%"
echo "server RSS after: $(rss)"
exit $status

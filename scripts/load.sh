#!/usr/bin/env bash
# Load test of the built server on loopback with wrk (Debian package): /health, /api/near at
# varying points, and bbox item queries, each for DURATION seconds at full rate with
# CONNECTIONS connections; prints requests/s, p99 and errors of each, and the server's RSS
# before and after. Usage: scripts/load.sh [DURATION=10] [CONNECTIONS=32]
# Exits non-zero if any request failed or got a non-2xx answer.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-32}
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

# Points and boxes walk over the district deterministically, so every request differs.
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

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m); wrk -t2 -c$connections -d${duration}s"
echo "server RSS before: $(rss)"
status=0
run() {
  local name=$1; shift
  wrk -t2 -c"$connections" -d"${duration}s" --latency "$@" >"$work/$name.txt" 2>&1 || status=1
  local rps p99 errors non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$name.txt")
  p99=$(awk '$1=="99%" {print $2}' "$work/$name.txt")
  errors=$(awk '/Socket errors/ {print}' "$work/$name.txt")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/$name.txt")
  printf '%-8s requests/s=%-10s p99=%-9s non2xx=%s %s\n' "$name" "$rps" "$p99" "${non2xx:-0}" "$errors"
  if [ -n "$errors" ] || [ -n "$non2xx" ]; then status=1; fi
}
run health "$url/health"
run near -s "$work/near.lua" "$url"
run items -s "$work/items.lua" "$url"
echo "server RSS after: $(rss)"
exit $status

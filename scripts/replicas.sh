#!/usr/bin/env bash
# Two replicas on one PostgreSQL + PostGIS against one GeoPackage server (issue #22), with the
# release binary on loopback:
#   1. read load as scripts/load.sh's near walk, with 1 write (a PUT of a correction) per 100
#      requests mixed in: requests/s, p99, non-2xx and socket errors, for one GeoPackage
#      server, then for replica A and replica B loaded at once (one wrk each, half the
#      connections each; on one machine they share its cores);
#   2. lost writes: every PUT answered 200 is a version in the store (each load writes its own
#      feature, so its versions must be at least the writes answered 200);
#   3. visibility: WRITES sequential PUTs on A, each followed by polling B every 2 ms until B
#      serves the new geometry: the time from A's 200 to B serving it, p50 and p99.
# Usage: scripts/replicas.sh [DURATION=10] [CONNECTIONS=32] [WRITES=100]
# Needs wrk, curl, python3 and Debian's PostgreSQL + PostGIS (.ci/postgres installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-32}
writes=${3:-100}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
# PLANMAP_BIN runs another build (a debug one, to check the script, not to measure).
bin=${PLANMAP_BIN:-}
if [ -z "$bin" ]; then
  [ -x target/release/planmap ] || cargo build --release --quiet
  bin=$PWD/target/release/planmap
fi
work=$(mktemp -d)
eval "$(bash .ci/postgres start)"
db=$PLANMAP_TEST_DATABASE_URL
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  bash .ci/postgres stop
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
serve() { # NAME PORT ARGS…
  local name=$1 port=$2; shift 2
  "$bin" serve --addr "127.0.0.1:$port" "$@" >"$work/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 600); do curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return; sleep 0.1; done
  echo "$name did not come up" >&2; cat "$work/$name.log" >&2; exit 1
}

gpkg_token=$("$bin" token add load --data "$work/data" 2>/dev/null | head -n 1)
pg_token=$("$bin" token add load --database "$db" 2>/dev/null | head -n 1)
g_port=$(free_port); serve gpkg "$g_port" --data "$work/data"
a_port=$(free_port); serve a "$a_port" --database "$db"
b_port=$(free_port); serve b "$b_port" --database "$db"

# Three streets to write: one per load, and one for the visibility walk.
mapfile -t ids < <(curl -fsS "http://127.0.0.1:$g_port/api/collections/streets/items?limit=3" |
  python3 -c 'import json,sys; [print(f["id"]) for f in json.load(sys.stdin)["features"]]')
quote() { python3 -c 'import sys, urllib.parse; print("/api/collections/streets/items/" + urllib.parse.quote(sys.argv[1], safe="/"))' "$1"; }

# mix.lua TOKEN PATH: the near walk, every 100th request a PUT of a correction of PATH; counts
# the PUTs answered with a placement ETag ("v<N>"), which only a stored write gets.
mix() {
  cat <<LUA
local n = 0
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) acked = 0 end
request = function()
  n = n + 1
  if n % 100 == 0 then
    local body = string.format('{"geometry":{"type":"Point","coordinates":[%.5f,29.5580]},"uncertainty_m":10,"source":"load test","note":"load %d"}', 106.57 + (n % 1000) / 100000, n)
    return wrk.format("PUT", "$2/placement", {["Authorization"] = "Bearer $1", ["Content-Type"] = "application/json"}, body)
  end
  local lon = 106.49 + ((n * 37) % 1000) / 1000 * 0.09
  local lat = 29.535 + ((n * 11) % 1000) / 1000 * 0.035
  return wrk.format("GET", string.format("/api/near?lon=%.5f&lat=%.5f&radius_m=500&limit=50", lon, lat))
end
response = function(status, headers, body)
  local tag = headers["ETag"] or headers["etag"]
  if status == 200 and tag and tag:sub(1, 2) == '"v' then acked = acked + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("acked") end
  io.write(string.format("acked_writes %d\n", total))
end
LUA
}
mix "$gpkg_token" "$(quote "${ids[0]}")" >"$work/gpkg.lua"
mix "$pg_token" "$(quote "${ids[0]}")" >"$work/a.lua"
mix "$pg_token" "$(quote "${ids[1]}")" >"$work/b.lua"

status=0
report() { # NAME FILE
  local rps p99 non2xx errors acked
  rps=$(awk '/Requests\/sec/ {print $2}' "$2")
  p99=$(awk '$1=="99%" {print $2}' "$2")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$2")
  errors=$(awk '/Socket errors/ {print}' "$2")
  acked=$(awk '/acked_writes/ {print $2}' "$2")
  printf '  %-22s requests/s=%-9s p99=%-9s writes_200=%-5s non2xx=%s %s\n' "$1" "$rps" "$p99" "$acked" "${non2xx:-0}" "$errors"
  if [ -n "$errors" ] || [ -n "$non2xx" ]; then status=1; fi
}
versions() { # BASE ID → the number of versions of the feature's placement
  curl -fsS "$1$(quote "$2")/placements" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["versions"]))'
}
# Every PUT answered 200 must be stored; a few more may be stored than answered, the writes
# in flight when wrk closed its connections at the end.
lost() { # NAME ACKED VERSIONS
  if [ "$3" -ge "$2" ]; then
    echo "  $1: $2 writes answered 200, $3 versions stored ($(($3 - $2)) in flight at the end): 0 lost"
  else
    echo "  $1: $2 writes answered 200 but only $3 versions stored: $(($2 - $3)) LOST"; status=1
  fi
}

echo "machine: $(nproc) cores; wrk -t2, ${duration}s, near walk with 1 PUT per 100 requests"
echo "--- one GeoPackage server, $connections connections"
wrk -t2 -c"$connections" -d"${duration}s" --latency -s "$work/gpkg.lua" "http://127.0.0.1:$g_port" >"$work/gpkg.txt" 2>&1 || status=1
report "GeoPackage" "$work/gpkg.txt"
echo "--- replicas A and B on PostgreSQL at once, $((connections / 2)) connections each"
wrk -t1 -c"$((connections / 2))" -d"${duration}s" --latency -s "$work/a.lua" "http://127.0.0.1:$a_port" >"$work/a.txt" 2>&1 &
wa=$!
wrk -t1 -c"$((connections / 2))" -d"${duration}s" --latency -s "$work/b.lua" "http://127.0.0.1:$b_port" >"$work/b.txt" 2>&1 || status=1
wait "$wa" || status=1
report "replica A" "$work/a.txt"
report "replica B" "$work/b.txt"
awk '/Requests\/sec/ {s += $2} END {printf "  replicas together      requests/s=%.0f\n", s}' "$work/a.txt" "$work/b.txt"
echo "--- lost writes"
lost GeoPackage "$(awk '/acked_writes/ {print $2}' "$work/gpkg.txt")" "$(versions "http://127.0.0.1:$g_port" "${ids[0]}")"
lost "replica A" "$(awk '/acked_writes/ {print $2}' "$work/a.txt")" "$(versions "http://127.0.0.1:$b_port" "${ids[0]}")"
lost "replica B" "$(awk '/acked_writes/ {print $2}' "$work/b.txt")" "$(versions "http://127.0.0.1:$a_port" "${ids[1]}")"

echo "--- visibility: $writes PUTs on A, each polled on B"
python3 - "$a_port" "$b_port" "$(quote "${ids[2]}")" "$pg_token" "$writes" <<'PY'
import http.client, json, sys, time
a_port, b_port, path, token, writes = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
a = http.client.HTTPConnection("127.0.0.1", int(a_port))
b = http.client.HTTPConnection("127.0.0.1", int(b_port))
delays = []
for i in range(writes):
    lon = round(106.56 + i * 0.0001, 4)
    body = json.dumps({"geometry": {"type": "Point", "coordinates": [lon, 29.558]},
                       "uncertainty_m": 10, "source": "visibility test", "note": f"write {i}"})
    a.request("PUT", path + "/placement", body, {"Authorization": "Bearer " + token,
                                                 "Content-Type": "application/json"})
    r = a.getresponse(); r.read()
    if r.status != 200:
        sys.exit(f"PUT {i} answered {r.status}")
    acked = time.monotonic()
    while True:
        b.request("GET", path)
        f = json.loads(b.getresponse().read())
        # A street is served in the line family; a point placed on it is its `placement`.
        g = f.get("placement") or f["geometry"]
        if g and g["type"] == "Point" and abs(g["coordinates"][0] - lon) < 1e-9:
            delays.append((time.monotonic() - acked) * 1000)
            break
        if time.monotonic() - acked > 10:
            sys.exit(f"write {i} not served by B within 10 s")
        time.sleep(0.002)
delays.sort()
pick = lambda q: delays[min(len(delays) - 1, int(q * len(delays)))]
print(f"  A's 200 → served by B: p50 {pick(0.5):.0f} ms, p99 {pick(0.99):.0f} ms, max {delays[-1]:.0f} ms over {len(delays)} writes")
PY
echo "RSS: GeoPackage server $(awk '/VmRSS/ {printf "%.0f MiB", $2/1024}' "/proc/${pids[0]}/status"), replica A $(awk '/VmRSS/ {printf "%.0f MiB", $2/1024}' "/proc/${pids[1]}/status"), replica B $(awk '/VmRSS/ {printf "%.0f MiB", $2/1024}' "/proc/${pids[2]}/status")"
exit $status

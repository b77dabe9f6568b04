#!/usr/bin/env bash
# Case-engine benchmark (issue 3): a million generated incidents with their events,
# then the case page and a filtered list page under load beside the limit probe, and
# the engine's action rate on SQLite with synchronous=FULL.
#
#   bash bench/run-cases.sh          # needs oha (cargo install oha) and curl
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=${COUNT:-1000000}
DURATION=${DURATION:-8s}
OHA=${OHA:-oha}
OUT=bench/out
mkdir -p "$OUT"
cargo build --release --locked --bin phoihop --bin phoihop-bench >/dev/null
BIN=target/release/phoihop
TOOL=target/release/phoihop-bench
DATA=$(mktemp -d /tmp/phoihop-cases-XXXX)
PROBE_DATA=$(mktemp -d /tmp/phoihop-probe-XXXX)
SERVER=""; PROBE=""
trap 'kill $SERVER $PROBE 2>/dev/null || true; rm -rf "$DATA" "$PROBE_DATA"' EXIT
rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$1/status"; }
wait_up() { until curl -sf -o /dev/null "$1"; do sleep 0.01; done; }

$BIN serve --demo --data "$DATA" --listen 127.0.0.1:18090 >"$OUT/cases-server.log" 2>&1 &
SERVER=$!; wait_up http://127.0.0.1:18090/healthz; kill $SERVER; wait $SERVER 2>/dev/null || true

/usr/bin/time -f "generation: %e s, max RSS %M kB" $TOOL cases --data "$DATA" --count "$COUNT"
echo "database size: $(du -h "$DATA/phoihop.db" | cut -f1)"
echo "== engine actions (no server running; synchronous=FULL)"
$TOOL actions --data "$DATA" --seconds 10 --threads 4
TOKEN=$($TOOL seed --data "$DATA" --orgs 0 --people 0 --session-for chuyenvien)

$BIN serve --demo --data "$DATA" --listen 127.0.0.1:18090 >>"$OUT/cases-server.log" 2>&1 &
SERVER=$!; wait_up http://127.0.0.1:18090/healthz
CASE=/cases/VV-2025-0400001
FIELD=$(sqlite3 "$DATA/phoihop.db" "select id from fields order by id limit 1 offset 2")
LIST="/cases?kind=incident&state=acknowledged&field_id=$FIELD"
CASE_BYTES=$(curl -s -H "Cookie: phoihop_session=$TOKEN" "http://127.0.0.1:18090$CASE" | wc -c)
LIST_BYTES=$(curl -s -H "Cookie: phoihop_session=$TOKEN" "http://127.0.0.1:18090$LIST" | wc -c)
$TOOL probe --data "$PROBE_DATA" --bytes "$CASE_BYTES" --listen 127.0.0.1:18091 >"$OUT/cases-probe.log" 2>&1 &
PROBE=$!; wait_up http://127.0.0.1:18091/

summary() {
  python3 - "$1" "$2" <<'PY'
import json, sys
name, path = sys.argv[1], sys.argv[2]
d = json.load(open(path)); s, p = d["summary"], d["latencyPercentiles"]
print(f"{name:<22} {s['requestsPerSec']:>9.0f} req/s  p50 {p['p50']*1000:6.2f} ms  p99 {p['p99']*1000:6.2f} ms  ok {s['successRate']*100:5.1f}%  codes {d.get('statusCodeDistribution', {})}")
PY
}
run() { local name=$1 url=$2; shift 2; $OHA --no-tui --output-format json "$@" "$url" >"$OUT/$name.json"; summary "$name" "$OUT/$name.json"; }
echo "== peak (64 connections, $DURATION)"
run probe-peak http://127.0.0.1:18091/ -z "$DURATION" -c 64
run case-peak "http://127.0.0.1:18090$CASE" -z "$DURATION" -c 64 -H "Cookie: phoihop_session=$TOKEN"
run list-peak "http://127.0.0.1:18090$LIST" -z "$DURATION" -c 64 -H "Cookie: phoihop_session=$TOKEN"
echo "== fixed rate 1000/s ($DURATION, latency-corrected)"
run probe-1000 http://127.0.0.1:18091/ -z "$DURATION" -c 32 -q 1000 --latency-correction
run case-1000 "http://127.0.0.1:18090$CASE" -z "$DURATION" -c 32 -q 1000 --latency-correction -H "Cookie: phoihop_session=$TOKEN"
run list-1000 "http://127.0.0.1:18090$LIST" -z "$DURATION" -c 32 -q 1000 --latency-correction -H "Cookie: phoihop_session=$TOKEN"
echo "== figures"
echo "data: demo province + $COUNT generated incidents ($((COUNT * 3)) events)"
echo "page sizes: case $CASE_BYTES bytes (probe the same), list $LIST_BYTES bytes"
echo "resident memory after the load: $(rss $SERVER)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

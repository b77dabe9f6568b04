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
. bench/common.sh
cargo build --release --locked --bin phoihop --bin phoihop-bench >/dev/null
BIN=target/release/phoihop
TOOL=target/release/phoihop-bench
DATA=$(mktemp -d /tmp/phoihop-cases-XXXX)
PROBE_DATA=$(mktemp -d /tmp/phoihop-probe-XXXX)
SERVER=""; PROBE=""
trap 'kill $SERVER $PROBE 2>/dev/null || true; rm -rf "$DATA" "$PROBE_DATA"' EXIT

$BIN serve --demo --data "$DATA" --listen 127.0.0.1:18090 >"$OUT/cases-server.log" 2>&1 &
SERVER=$!; wait_up http://127.0.0.1:18090/healthz; kill $SERVER; wait $SERVER 2>/dev/null || true

/usr/bin/time -f "generation: %e s, max RSS %M kB" $TOOL cases --data "$DATA" --count "$COUNT"
echo "database size: $(du -h "$DATA/phoihop.db" | cut -f1)"
echo "== engine actions (no server running; synchronous=FULL)"
$TOOL actions --data "$DATA" --seconds 10 --threads 4
TOKEN=$($TOOL seed --data "$DATA" --orgs 0 --people 0 --session-for chuyenvien)
# An agency's liaison sees only the cases of their agency and its units (list.rs).
AGENCY=$($TOOL seed --data "$DATA" --orgs 0 --people 0 --session-for daumoi.syt)

$BIN serve --demo --data "$DATA" --listen 127.0.0.1:18090 >>"$OUT/cases-server.log" 2>&1 &
SERVER=$!; wait_up http://127.0.0.1:18090/healthz
# A case two fifths of the way in (generated numbers: VV-<year>-<7 digits>).
CASE=/cases/VV-2025-$(printf %07d $((COUNT * 2 / 5 + 1)))
FIELD=$(sqlite3 "$DATA/phoihop.db" "select id from fields order by id limit 1 offset 2")
LIST="/cases?kind=incident&state=acknowledged&field_id=$FIELD"
CASE_BYTES=$(curl -s -H "Cookie: phoihop_session=$TOKEN" "http://127.0.0.1:18090$CASE" | wc -c)
LIST_BYTES=$(curl -s -H "Cookie: phoihop_session=$TOKEN" "http://127.0.0.1:18090$LIST" | wc -c)
$TOOL probe --data "$PROBE_DATA" --bytes "$CASE_BYTES" --listen 127.0.0.1:18091 >"$OUT/cases-probe.log" 2>&1 &
PROBE=$!; wait_up http://127.0.0.1:18091/

echo "== peak (64 connections, $DURATION)"
run probe-peak http://127.0.0.1:18091/ -z "$DURATION" -c 64
run case-peak "http://127.0.0.1:18090$CASE" -z "$DURATION" -c 64 -H "Cookie: phoihop_session=$TOKEN"
run list-peak "http://127.0.0.1:18090$LIST" -z "$DURATION" -c 64 -H "Cookie: phoihop_session=$TOKEN"
run list-agency-peak "http://127.0.0.1:18090$LIST" -z "$DURATION" -c 64 -H "Cookie: phoihop_session=$AGENCY"
echo "== fixed rate 1000/s ($DURATION, latency-corrected)"
run probe-1000 http://127.0.0.1:18091/ -z "$DURATION" -c 32 -q 1000 --latency-correction
run case-1000 "http://127.0.0.1:18090$CASE" -z "$DURATION" -c 32 -q 1000 --latency-correction -H "Cookie: phoihop_session=$TOKEN"
run list-1000 "http://127.0.0.1:18090$LIST" -z "$DURATION" -c 32 -q 1000 --latency-correction -H "Cookie: phoihop_session=$TOKEN"
echo "== figures"
echo "data: demo province + $COUNT generated incidents ($((COUNT * 3)) events)"
echo "page sizes: case $CASE_BYTES bytes (probe the same), list $LIST_BYTES bytes"
echo "resident memory after the load: $(rss $SERVER), threads: $(ls /proc/$SERVER/task | wc -l)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

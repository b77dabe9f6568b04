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
SERVER=""; PROBE=""; PROBE_LIST=""; PROBE_LIST_DATA=""
trap 'kill $SERVER $PROBE $PROBE_LIST 2>/dev/null || true; rm -rf "$DATA" "$PROBE_DATA" $PROBE_LIST_DATA' EXIT

$BIN serve --demo --data "$DATA" --listen 127.0.0.1:18090 >"$OUT/cases-server.log" 2>&1 &
SERVER=$!; wait_up http://127.0.0.1:18090/healthz; kill $SERVER; wait $SERVER 2>/dev/null || true

/usr/bin/time -f "generation: %e s, max RSS %M kB" $TOOL cases --data "$DATA" --count "$COUNT"
echo "database size: $(du -h "$DATA/phoihop.db" | cut -f1)"
# The generator writes rows behind the engine's back (no outbox rows): the node builds
# its search index from the tables, as it would after a restore.
rm -rf "$DATA/search"
echo "== engine actions (no server running; synchronous=FULL)"
$TOOL actions --data "$DATA" --seconds 10 --threads 4
TOKEN=$($TOOL seed --data "$DATA" --orgs 0 --people 0 --session-for chuyenvien)
# An agency's liaison sees only the cases of their agency and its units (list.rs).
AGENCY=$($TOOL seed --data "$DATA" --orgs 0 --people 0 --session-for daumoi.syt)

$BIN serve --demo --data "$DATA" --listen 127.0.0.1:18090 >"$OUT/cases-server-2.log" 2>&1 &
SERVER=$!; wait_up http://127.0.0.1:18090/healthz
# The node indexes the generated cases for search in the background at its first start;
# measure once that is done, as a node in service would be.
STARTED=$(date +%s)
until grep -q "search index built" "$OUT/cases-server-2.log"; do sleep 1; done
echo "search index of the generated cases built in $(( $(date +%s) - STARTED )) s; resident memory then: $(rss $SERVER)"
# A case two fifths of the way in (generated numbers: VV-<year>-<7 digits>).
CASE=/cases/VV-2025-$(printf %07d $((COUNT * 2 / 5 + 1)))
FIELD=$(sqlite3 "$DATA/phoihop.db" "select id from fields order by id limit 1 offset 2")
LIST="/cases?kind=incident&state=acknowledged&field_id=$FIELD"
CASE_BYTES=$(curl -s -H "Cookie: phoihop_session=$TOKEN" "http://127.0.0.1:18090$CASE" | wc -c)
LIST_BYTES=$(curl -s -H "Cookie: phoihop_session=$TOKEN" "http://127.0.0.1:18090$LIST" | wc -c)
# Two limit probes, one the size of each page under test: what a page of that many
# bytes costs on this stack with one indexed read.
$TOOL probe --data "$PROBE_DATA" --bytes "$CASE_BYTES" --listen 127.0.0.1:18091 >"$OUT/cases-probe.log" 2>&1 &
PROBE=$!; wait_up http://127.0.0.1:18091/
PROBE_LIST_DATA=$(mktemp -d /tmp/phoihop-probe-XXXX)
$TOOL probe --data "$PROBE_LIST_DATA" --bytes "$LIST_BYTES" --listen 127.0.0.1:18092 >"$OUT/cases-probe-list.log" 2>&1 &
PROBE_LIST=$!; wait_up http://127.0.0.1:18092/

echo "== peak (64 connections, $DURATION)"
run probe-peak http://127.0.0.1:18091/ -z "$DURATION" -c 64
run case-peak "http://127.0.0.1:18090$CASE" -z "$DURATION" -c 64 -H "Cookie: phoihop_session=$TOKEN"
run probe-list-peak http://127.0.0.1:18092/ -z "$DURATION" -c 64
run list-peak "http://127.0.0.1:18090$LIST" -z "$DURATION" -c 64 -H "Cookie: phoihop_session=$TOKEN"
run list-agency-peak "http://127.0.0.1:18090$LIST" -z "$DURATION" -c 64 -H "Cookie: phoihop_session=$AGENCY"
echo "== fixed rate 1000/s ($DURATION, latency-corrected)"
run probe-1000 http://127.0.0.1:18091/ -z "$DURATION" -c 32 -q 1000 --latency-correction
run case-1000 "http://127.0.0.1:18090$CASE" -z "$DURATION" -c 32 -q 1000 --latency-correction -H "Cookie: phoihop_session=$TOKEN"
run list-1000 "http://127.0.0.1:18090$LIST" -z "$DURATION" -c 32 -q 1000 --latency-correction -H "Cookie: phoihop_session=$TOKEN"
echo "== figures"
echo "data: demo province + $COUNT generated incidents ($((COUNT * 3)) events)"
echo "page sizes: case $CASE_BYTES bytes, list $LIST_BYTES bytes (each beside a probe of its size)"
echo "resident memory after the load: $(rss $SERVER), threads: $(ls /proc/$SERVER/task | wc -l)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

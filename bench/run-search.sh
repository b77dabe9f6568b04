#!/usr/bin/env bash
# Search benchmark (issue 4): COUNT generated cases of realistic Vietnamese text in a
# demo data folder and in PostgreSQL (the reference: a stored tsvector over unaccent,
# GIN), then the indexer's rebuild rate, two-syllable queries at a fixed RATE per second
# for DURATION seconds against our index and against PostgreSQL (agency scope, then the lead
# body's), and the recall of each query's spellings in both.
#
#   bash bench/run-search.sh                  # COUNT=1000000 DURATION=60 RATE=50 (seconds)
#   COUNT=50000 DURATION=20 bash bench/run-search.sh
#
# Needs PostgreSQL with the unaccent extension at PG (trust authentication); the
# database phoihop_bench_search is created and dropped.
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=${COUNT:-1000000}
SECONDS_EACH=${DURATION:-60}
RATE=${RATE:-50}
QUERIES=${QUERIES:-500}
# Recall is measured on the first distinct queries (all of them below 500,000 cases:
# PostgreSQL takes about a second per spelling at a million); PostgreSQL's one-at-a-time
# service line runs the first SERVICE_PG queries.
if [ "$COUNT" -ge 500000 ]; then RECALL_DEFAULT=40; else RECALL_DEFAULT=100000; fi
RECALL_QUERIES=${RECALL_QUERIES:-$RECALL_DEFAULT}
SERVICE_PG=${SERVICE_PG:-50}
PG=${PG:-postgres://postgres@127.0.0.1:5432/postgres}
PG_DB=phoihop_bench_search
OUT=bench/out
mkdir -p "$OUT"
. bench/common.sh
cargo build --release --locked --bin phoihop --bin phoihop-bench >/dev/null
BIN=target/release/phoihop
TOOL=target/release/phoihop-bench
DATA=$(mktemp -d /tmp/phoihop-search-XXXX)
SERVER=""
cleanup() {
  kill $SERVER 2>/dev/null || true
  rm -rf "$DATA"
  psql "$PG" -qAtc "DROP DATABASE IF EXISTS $PG_DB" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# The demo province (its agencies own the generated cases), then stop the server.
$BIN serve --demo --data "$DATA" --listen 127.0.0.1:18092 >"$OUT/search-server.log" 2>&1 &
SERVER=$!; wait_up http://127.0.0.1:18092/healthz; kill $SERVER; wait $SERVER 2>/dev/null || true; SERVER=""

echo "== machine before the run"
uptime
# The second sample: CPU over one second (head closing the pipe is not a failure).
top -bn2 -d1 -w 160 | awk '/^top -/{n++} n==2' | head -15 || true
echo "== data: $COUNT cases into SQLite and PostgreSQL"
/usr/bin/time -f "generation and both loads: %e s, max RSS %M kB" \
  $TOOL search-data --data "$DATA" --count "$COUNT" --pg "$PG" --pg-db $PG_DB
echo "SQLite database: $(du -h "$DATA/phoihop.db" | cut -f1)"
# What the generator wrote is still going out to disk (both databases, 4 GB): let it
# finish before the rebuild is timed, so the two do not share the disk and the cores.
sync
psql "$PG" -qAtc "CHECKPOINT" >/dev/null
echo "== index, queries ($RATE/s for ${SECONDS_EACH}s each), recall ($RECALL_QUERIES distinct queries at most)"
/usr/bin/time -f "search-bench: %e s, max RSS %M kB" \
  $TOOL search-bench --data "$DATA" --pg "$PG" --seconds "$SECONDS_EACH" --rate "$RATE" --queries "$QUERIES" \
    --recall-queries "$RECALL_QUERIES" --service-pg "$SERVICE_PG" --phases index,parts,service,ours,pg,recall
echo "index folder: $(du -sh "$DATA/bench-search" | cut -f1)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

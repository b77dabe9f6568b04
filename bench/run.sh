#!/usr/bin/env bash
# Load benchmark for the foundation pages, with the limit probe in the same run.
#
#   bash bench/run.sh            # needs oha (cargo install oha) and curl
#
# It builds release binaries, creates a demo data folder, adds generated data
# (bench: --orgs/--people below), opens a session, then measures with oha:
#   - peak rate (64 connections, 10 s) of the probe, the sign-in page and the home page;
#   - p50/p99 at fixed rates (-q, with latency correction) for each;
#   - resident memory (idle after start, and at the end of the load);
#   - cold start: from process start to the first 200 on /healthz.
# Results go to bench/out/ (raw oha JSON) and a summary on standard output, which is
# what bench/RESULTS.md quotes.
set -euo pipefail
cd "$(dirname "$0")/.."

ORGS=${ORGS:-200}
PEOPLE=${PEOPLE:-5000}
DURATION=${DURATION:-10s}
RATES=${RATES:-"1000 2000"}
OHA=${OHA:-oha}
OUT=bench/out
mkdir -p "$OUT"
. bench/common.sh

cargo build --release --locked --bin phoihop --bin phoihop-bench >/dev/null
BIN=target/release/phoihop
TOOL=target/release/phoihop-bench

DATA=$(mktemp -d /tmp/phoihop-bench-XXXX)
PROBE_DATA=$(mktemp -d /tmp/phoihop-probe-XXXX)
trap 'kill $SERVER $PROBE 2>/dev/null || true; rm -rf "$DATA" "$PROBE_DATA"' EXIT


# Cold start, on an empty folder: create the demo province, then serve.
start=$(date +%s%N)
$BIN serve --demo --data "$DATA" --listen 127.0.0.1:18080 >"$OUT/server.log" 2>&1 &
SERVER=$!
wait_up http://127.0.0.1:18080/healthz
cold_demo_ms=$(( ($(date +%s%N) - start) / 1000000 ))
kill $SERVER; wait $SERVER 2>/dev/null || true

TOKEN=$($TOOL seed --data "$DATA" --orgs "$ORGS" --people "$PEOPLE" --session-for chuyenvien)

start=$(date +%s%N)
$BIN serve --demo --data "$DATA" --listen 127.0.0.1:18080 >>"$OUT/server.log" 2>&1 &
SERVER=$!
wait_up http://127.0.0.1:18080/healthz
cold_ms=$(( ($(date +%s%N) - start) / 1000000 ))
idle_rss=$(rss $SERVER)

HOME_BYTES=$(curl -s -H "Cookie: phoihop_session=$TOKEN" http://127.0.0.1:18080/ | wc -c)
LOGIN_BYTES=$(curl -s http://127.0.0.1:18080/login | wc -c)
$TOOL probe --data "$PROBE_DATA" --bytes "$HOME_BYTES" --listen 127.0.0.1:18081 >"$OUT/probe.log" 2>&1 &
PROBE=$!
wait_up http://127.0.0.1:18081/



echo "== peak (64 connections, $DURATION)"
run probe-peak http://127.0.0.1:18081/ -z "$DURATION" -c 64
run login-peak http://127.0.0.1:18080/login -z "$DURATION" -c 64
run home-peak http://127.0.0.1:18080/ -z "$DURATION" -c 64 -H "Cookie: phoihop_session=$TOKEN"
for rate in $RATES; do
  echo "== fixed rate $rate/s ($DURATION, latency-corrected)"
  run "probe-$rate" http://127.0.0.1:18081/ -z "$DURATION" -c 32 -q "$rate" --latency-correction
  run "login-$rate" http://127.0.0.1:18080/login -z "$DURATION" -c 32 -q "$rate" --latency-correction
  run "home-$rate" http://127.0.0.1:18080/ -z "$DURATION" -c 32 -q "$rate" --latency-correction -H "Cookie: phoihop_session=$TOKEN"
done
load_rss=$(rss $SERVER)

echo "== figures"
echo "data: demo province + $ORGS generated organisations, $PEOPLE generated people"
echo "page sizes: home $HOME_BYTES bytes (probe the same), sign-in $LOGIN_BYTES bytes"
echo "cold start: ${cold_demo_ms} ms creating the demo, ${cold_ms} ms on existing data (process start to first /healthz 200)"
echo "resident memory: ${idle_rss} idle after start, ${load_rss} after the load"
echo "machine: $(nproc) cores; load average before/after: $(cut -d' ' -f1-3 /proc/loadavg)"

#!/usr/bin/env bash
# New-case pages of the kinds (issue 11): each kind's form, as the person who opens it
# sees it, under load beside a limit probe serving a page of the same size from one
# indexed read on the same stack. The figure is the share of the probe's peak.
#
#   bash bench/run-new-case.sh       # needs wrk (apt-get install wrk) and curl
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-8s}
OUT=bench/out
mkdir -p "$OUT"
. bench/common.sh
cargo build --release --locked --bin phoihop --bin phoihop-bench >/dev/null
BIN=target/release/phoihop
TOOL=target/release/phoihop-bench
DATA=$(mktemp -d /tmp/phoihop-new-case-XXXX)
PIDS=""; DIRS="$DATA"
trap 'kill $PIDS 2>/dev/null || true; rm -rf $DIRS' EXIT

$BIN serve --demo --data "$DATA" --listen 127.0.0.1:18190 >"$OUT/new-case-server.log" 2>&1 &
PID=$!; wait_up http://127.0.0.1:18190/healthz; kill $PID; wait $PID 2>/dev/null || true
LEAD=$($TOOL seed --data "$DATA" --orgs 0 --people 0 --session-for chuyenvien)
AGENCY=$($TOOL seed --data "$DATA" --orgs 0 --people 0 --session-for daumoi.syt)
COLLABORATOR=$($TOOL seed --data "$DATA" --orgs 0 --people 0 --session-for congtacvien)
$BIN serve --demo --data "$DATA" --listen 127.0.0.1:18190 >"$OUT/new-case-server-2.log" 2>&1 &
SERVER=$!; PIDS="$SERVER"; wait_up http://127.0.0.1:18190/healthz

# wrk's figures as one line: name, then wrk's own arguments.
measure() {
  local name=$1
  shift
  wrk --latency "$@" >"$OUT/$name.txt"
  python3 - "$name" "$OUT/$name.txt" <<'PY'
import re, sys
name, text = sys.argv[1], open(sys.argv[2]).read()
rate = re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)
def pct(p):
    m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", text)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"{name:<28} {float(rate):>9.0f} req/s  p50 {pct(50):6.2f} ms  p99 {pct(99):6.2f} ms  non-2xx {bad.group(1) if bad else 0}")
PY
}

PORT=18191
for spec in "incident:$AGENCY" "complaint:$LEAD" "opinion_report:$COLLABORATOR"; do
  KIND=${spec%%:*}; TOKEN=${spec#*:}
  URL="http://127.0.0.1:18190/cases/new?kind=$KIND"
  BYTES=$(curl -sf -H "Cookie: phoihop_session=$TOKEN" "$URL" | wc -c)
  PROBE_DATA=$(mktemp -d /tmp/phoihop-probe-XXXX); DIRS="$DIRS $PROBE_DATA"
  $TOOL probe --data "$PROBE_DATA" --bytes "$BYTES" --listen 127.0.0.1:$PORT >"$OUT/new-case-probe-$KIND.log" 2>&1 &
  PROBE=$!; PIDS="$PIDS $PROBE"; wait_up http://127.0.0.1:$PORT/
  echo "== $KIND: new-case page of $BYTES bytes, peak (2 threads, 64 connections, $DURATION)"
  measure "probe-$KIND" -t2 -c64 -d"$DURATION" http://127.0.0.1:$PORT/
  measure "new-$KIND" -t2 -c64 -d"$DURATION" -H "Cookie: phoihop_session=$TOKEN" "$URL"
  kill $PROBE; wait $PROBE 2>/dev/null || true
  PORT=$((PORT + 1))
done
echo "== figures"
echo "resident memory after the load: $(rss $SERVER), threads: $(ls /proc/$SERVER/task | wc -l)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

# Helpers shared by the benchmark scripts (sourced, not run). Expect OUT and OHA set.

# Resident memory of process $1.
rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$1/status"; }

# Waits until URL $1 answers 2xx.
wait_up() { until curl -sf -o /dev/null "$1"; do sleep 0.005; done; }

# One line of figures from an oha JSON report: name, file.
summary() {
  python3 - "$1" "$2" <<'PY'
import json, sys
name, path = sys.argv[1], sys.argv[2]
d = json.load(open(path))
s, p = d["summary"], d["latencyPercentiles"]
codes = d.get("statusCodeDistribution", {})
print(f"{name:<24} {s['requestsPerSec']:>9.0f} req/s  p50 {p['p50']*1000:6.2f} ms  p99 {p['p99']*1000:6.2f} ms  ok {s['successRate']*100:5.1f}%  codes {codes}")
PY
}

# Runs oha on a URL, keeps its JSON in $OUT/NAME.json, prints the summary:
# name, url, extra oha arguments...
run() {
  local name=$1 url=$2
  shift 2
  $OHA --no-tui --output-format json "$@" "$url" >"$OUT/$name.json"
  summary "$name" "$OUT/$name.json"
}

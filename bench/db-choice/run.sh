#!/usr/bin/env bash
# Builds both bench binaries and runs every candidate; raw output goes to results/.
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth). Extra arguments
# are passed to both binaries (e.g. --iters 2000 --reps 1 for a quick try).
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/tmp/dbchoice-target}"
PSQL=(psql -X -q -h 127.0.0.1 -U postgres -d postgres -v ON_ERROR_STOP=1)
mkdir -p results

nice -n 10 cargo build --release --locked
(cd sqlx-sqlite && nice -n 10 cargo build --release --locked)

snapshot() { # load and the busiest processes, so the results say what else ran
  { date -u +%FT%TZ; uptime; echo "others' cargo/rustc/cc1/ld: $(./others.sh)"
    ps -eo pid,ni,pcpu,etime,comm --sort=-pcpu | head -8; } >>"results/machine.log"
}
: >results/machine.log
snapshot
# Every 10 s: load, and how many compiler processes of someone else's build run (others.sh).
(while sleep 10; do echo "$(uptime) | others' cargo/rustc/cc1/ld: $(./others.sh)"; done >results/load-during.log) &
sampler=$!
trap 'kill $sampler 2>/dev/null || true; "${PSQL[@]}" -c "DROP DATABASE IF EXISTS dbchoice"' EXIT

"${PSQL[@]}" -c "DROP DATABASE IF EXISTS dbchoice" -c "CREATE DATABASE dbchoice"
nice -n 10 "$CARGO_TARGET_DIR/release/db-choice" "$@" 2>results/runs-main.log | tee results/table-main.md
snapshot
nice -n 10 "$CARGO_TARGET_DIR/release/db-choice-sqlx-sqlite" "$@" 2>results/runs-sqlx-sqlite.log | tee results/table-sqlx-sqlite.md
snapshot

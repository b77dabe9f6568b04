#!/usr/bin/env bash
# Cold release build time of each candidate's dependency set (tokio + the driver),
# each in an empty target dir, crates already downloaded. Output: results/compile-times.md
set -euo pipefail
cd "$(dirname "$0")"
base="${CARGO_TARGET_DIR:-/tmp/dbchoice-target}/cold"
mkdir -p results
nice -n 10 cargo fetch --locked
(cd sqlx-sqlite && nice -n 10 cargo fetch --locked)
out=results/compile-times.md
echo "| dependency set | crates in graph | cold release build s |" >"$out"
echo "|---|---:|---:|" >>"$out"
cold() { # name, package dir, cargo feature arguments...
  local name=$1 dir=$2; shift 2
  rm -rf "$base/${name//[^a-z]/}"
  local crates t0 t1
  crates=$(cd "$dir" && cargo tree --locked -e normal,build --prefix none "$@" | sed 's/ (\*)$//' | sort -u | wc -l)
  t0=$(date +%s.%N)
  (cd "$dir" && CARGO_TARGET_DIR="$base/${name//[^a-z]/}" nice -n 10 cargo build --release --locked -q "$@")
  t1=$(date +%s.%N)
  printf '| %s | %s | %.0f |\n' "$name" "$crates" "$(echo "$t1 - $t0" | bc)" | tee -a "$out"
  uptime >>results/compile-load.log
  rm -rf "$base/${name//[^a-z]/}"
}
: >results/compile-load.log
cold "tokio only (baseline)" . --no-default-features
cold "rusqlite (a)" . --no-default-features --features rusqlite
cold "sqlx-sqlite (b)" sqlx-sqlite
cold "postgres sync (c)" . --no-default-features --features pg-sync
cold "tokio-postgres + deadpool (d)" . --no-default-features --features pg-tokio
cold "sqlx-postgres (e)" . --no-default-features --features sqlx-pg

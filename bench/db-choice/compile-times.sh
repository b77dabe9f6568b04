#!/usr/bin/env bash
# Cold release build time of each candidate's dependency set (tokio + the driver),
# each in an empty target dir, crates already downloaded, 3 rounds; the table gives
# the median and every round. Output: results/compile-times.md, results/compile-load.log
set -euo pipefail
cd "$(dirname "$0")"
base="${CARGO_TARGET_DIR:-/tmp/dbchoice-target}/cold"
rounds="${ROUNDS:-3}"
mkdir -p results
nice -n 10 cargo fetch --locked -q
(cd sqlx-sqlite && nice -n 10 cargo fetch --locked -q)

sets=( # name | package dir | cargo feature arguments
  "tokio only (baseline)|.|--no-default-features"
  "rusqlite (a)|.|--no-default-features --features rusqlite"
  "sqlx-sqlite (b)|sqlx-sqlite|"
  "postgres sync (c)|.|--no-default-features --features pg-sync"
  "tokio-postgres + deadpool (d)|.|--no-default-features --features pg-tokio"
  "sqlx-postgres (e)|.|--no-default-features --features sqlx-pg"
)
declare -A secs
: >results/compile-load.log
for r in $(seq "$rounds"); do
  for s in "${sets[@]}"; do
    IFS='|' read -r name dir args <<<"$s"
    dir_t="$base/${name//[^a-z]/}"
    rm -rf "$dir_t"
    t0=$(date +%s.%N)
    # shellcheck disable=SC2086 # $args is a list of words
    (cd "$dir" && CARGO_TARGET_DIR="$dir_t" nice -n 10 cargo build --release --locked -q $args)
    t=$(echo "$(date +%s.%N) - $t0" | bc)
    secs[$name]+="$(printf '%.0f' "$t") "
    echo "round $r $name: ${t}s | $(uptime) | others' cargo/rustc/cc1/ld now: $(./others.sh)" | tee -a results/compile-load.log
    rm -rf "$dir_t"
  done
done
out=results/compile-times.md
echo "| dependency set | crates in graph | cold release build s, median | each round |" >"$out"
echo "|---|---:|---:|---|" >>"$out"
for s in "${sets[@]}"; do
  IFS='|' read -r name dir args <<<"$s"
  # shellcheck disable=SC2086
  crates=$(cd "$dir" && cargo tree --locked -e normal,build --prefix none $args | sed 's/ (\*)$//' | sort -u | wc -l)
  med=$(tr ' ' '\n' <<<"${secs[$name]}" | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "| $name | $crates | $med | ${secs[$name]}|" >>"$out"
done
cat "$out"

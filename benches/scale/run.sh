#!/usr/bin/env bash
# How cost grows: the nine-year benchmark dataset (issue 2's shape) at 1, 3
# and 10 times its size, on SQLite and PostgreSQL: the import, the nine-year
# figures from the CSV files and from the store (the snapshot load
# included), each with its wall time and peak memory, and pages under load.
#
#   benches/scale/run.sh [SIGHTLINE] [FACTORS]
#
# SIGHTLINE is the binary (default target/release/sightline), FACTORS the
# sizes (default "1 3 10"). Needs /usr/bin/time, wrk, psql and a PostgreSQL
# server at $SIGHTLINE_BENCH_PG (default postgres://postgres@127.0.0.1:5432);
# the folders and stores go under $SIGHTLINE_BENCH_DIR (default /tmp).
set -euo pipefail
bin=$(realpath "${1:-target/release/sightline}")
factors=${2:-1 3 10}
here=$(dirname "$(realpath "$0")")
pg=${SIGHTLINE_BENCH_PG:-postgres://postgres@127.0.0.1:5432}
base=${SIGHTLINE_BENCH_DIR:-/tmp}
timed() { # prints "seconds s, peak MB" of a command whose output is dropped
  /usr/bin/time -f "%e %M" -o "$base/scale-time" "$@" > /dev/null
  awk '{printf "%.1f s, %d MB", $1, $2 / 1024}' "$base/scale-time"
}
pages="$base/scale-pages.md"
: > "$pages"
echo "| size | people | fact rows | step | SQLite | PostgreSQL |"
echo "|---|---|---|---|---|---|"
for f in $factors; do
  dir="$base/sightline-scale-${f}x"
  if [ ! -d "$dir" ]; then
    "$bin" synth --people $((19500 * f)) --years 2017-2025 --seed 1 --snapshots-per-year 4 --out "$dir" > /dev/null
  fi
  people=$(($(wc -l < "$dir/people.csv") - 1))
  rows=$(cat "$dir"/*.csv | wc -l)
  db="$base/sightline-scale-${f}x.db"
  rm -f "$db" "$db-wal" "$db-shm"
  name="sightline_scale_${f}x"
  psql -q "$pg/postgres" -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" > /dev/null
  row() { echo "| ${f}x | $people | $rows | $1 | $2 | $3 |"; }
  row "nine-year figures from the CSV files" "$(timed "$bin" indicators --data "$dir" --years 2017-2025 --format csv)" "(the same)"
  row "import" "$(timed "$bin" import --db "$db" "$dir" --source bench)" \
    "$(timed "$bin" import --db "$pg/$name" "$dir" --source bench)"
  row "nine-year figures from the store (snapshot load included)" \
    "$(timed "$bin" indicators --db "$db" --years 2017-2025 --format csv)" \
    "$(timed "$bin" indicators --db "$pg/$name" --years 2017-2025 --format csv)"
  for store in "$db" "$pg/$name"; do
    SIGHTLINE_BENCH_SECONDS=${SIGHTLINE_BENCH_SECONDS:-5} \
      SIGHTLINE_BENCH_PATHS=${SIGHTLINE_BENCH_PATHS:-"/ /teams /turnover /absence /people /people/{person} /people/{last} /api/v1/indicators?year=2025"} \
      "$here/../pages/run.sh" "$bin" "$store" | tail -n +3 | sed "s/^/| ${f}x | $(basename "$store") /" >> "$pages"
  done
done
echo
echo "| size | store | path | median | 99th percentile | requests/s | not 200 |"
echo "|---|---|---|---|---|---|---|"
cat "$pages"

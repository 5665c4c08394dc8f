#!/usr/bin/env bash
# Every page and API answer of the dashboard under load: 50 connections for
# 10 seconds each with wrk, as an administrator (who sees every page).
#
#   benches/pages/run.sh [SIGHTLINE] [DB]
#
# SIGHTLINE is the binary (default target/release/sightline). With DB (a
# store URL or SQLite path that holds data) the pages of that store are
# measured; without it, `sightline demo` makes the demo authority's store in
# a temporary folder. Prints a Markdown table: median, 99th percentile and
# requests a second for each path. Needs wrk (Debian's package).
# SIGHTLINE_BENCH_SECONDS sets each path's seconds (10), SIGHTLINE_BENCH_PATHS
# the paths ("{person}" stands for the first person's key, "{last}" for the last's).
set -euo pipefail
bin=${1:-target/release/sightline}
db=${2:-}
port=${SIGHTLINE_BENCH_PORT:-18093}
seconds=${SIGHTLINE_BENCH_SECONDS:-10}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
if [ -z "$db" ]; then
  "$bin" demo --out "$work/demo" --bind "127.0.0.1:$port" > "$work/server.log" 2>&1 &
  db="$work/demo/sightline-demo.db"
else
  printf 'a long bench password\n' | "$bin" user add --db "$db" bench --role admin > /dev/null 2>&1 || true
  "$bin" serve --db "$db" --bind "127.0.0.1:$port" > "$work/server.log" 2>&1 &
fi
for _ in $(seq 600); do
  grep -q "is running at" "$work/server.log" 2>/dev/null && break
  sleep 0.5
done
grep -q "is running at" "$work/server.log" || { cat "$work/server.log" >&2; exit 1; }
user=admin
if [ -n "${2:-}" ]; then user=bench; fi
token=$("$bin" token create --db "$db" --user "$user" --label bench | tail -1)
auth="Authorization: Bearer $token"
base="http://127.0.0.1:$port"
# A person's page: the first and the last person the API lists (finding a
# person late in a long list is its own cost).
ids=$(curl -s -H "$auth" "$base/api/v1/people" | grep -o '"id":"[^"]*"' | cut -d'"' -f4 || true)
person=${ids%%$'\n'*}
last=${ids##*$'\n'}
paths=(/ /teams /agency /turnover /absence /development /leaving /voice /recruitment /capacity
  /agency-rules /benchmark /forecast /glossary /report /people "/people/$person" "/people/$last" /data /audit
  "/api/v1/indicators?year=2025" /api/v1/people /api/v1/staffing /api/v1/agency /api/v1/absence
  /api/v1/development /api/v1/voice /api/v1/recruitment /api/v1/agency-rules /api/v1/leavers
  /api/v1/forecast)
# SIGHTLINE_BENCH_PATHS="/ /people" measures those paths only.
if [ -n "${SIGHTLINE_BENCH_PATHS:-}" ]; then
  chosen=${SIGHTLINE_BENCH_PATHS//\{person\}/$person}
  read -r -a paths <<< "${chosen//\{last\}/$last}"
fi
echo "| path | median | 99th percentile | requests/s | not 200 |"
echo "|---|---|---|---|---|"
for p in "${paths[@]}"; do
  # Once first, so that what is made once per change of the data is made.
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "$auth" "$base$p")
  out=$(wrk -t2 -c50 -d"${seconds}s" --latency -H "$auth" "$base$p")
  median=$(echo "$out" | awk '$1=="50%"{print $2}')
  p99=$(echo "$out" | awk '$1=="99%"{print $2}')
  rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
  bad=$(echo "$out" | awk '/Non-2xx/{print $NF}')
  echo "| \`$p\` ($code) | $median | $p99 | $rps | ${bad:-0} |"
done

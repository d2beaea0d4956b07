#!/usr/bin/env bash
# tools/bench/bench.sh: builds with -c opt, measures this machine's limits, starts the whole
# suite on fresh stores, runs every loadgen scenario, grows order_svc to a backlog, and
# writes docs/BENCHMARKS.md and docs/benchmarks.json. Takes about 10 minutes (more with a
# bigger BENCH_BACKLOG). Run from anywhere; the suite it starts is stopped at the end.
#
#   BENCH_BACKLOG=100000   orders in order_svc for the growth figures (default 100000)
#   BENCH_SECONDS=20       length of the main measurements
#   BENCH_PORT=51050       base port of the suite it starts (apart from ./oms up's)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
BACKLOG="${BENCH_BACKLOG:-100000}"
SECONDS_MAIN="${BENCH_SECONDS:-20}"
PORT="${BENCH_PORT:-51050}"
OUT="$(mktemp -d /tmp/oms-bench.XXXXXX)"
export OMS_VAR="$OUT/var" OMS_BASE_PORT="$PORT" OMS_DASHBOARD_PORT=0
export OMS_BAZEL_FLAGS="-c opt"
# Benchmarks measure the suite, not the per-principal write limit.
export OMS_SERVICE_FLAGS="--write_rate=0"

say() { printf '\n== %s\n' "$*"; }
cleanup() { ./oms down >/dev/null 2>&1 || true; }
trap cleanup EXIT

say "build (-c opt)"
./oms build >/dev/null
bazel build -c opt //tools/loadgen //tools/bench:limits >/dev/null 2>&1
BIN="$(bazel info -c opt bazel-bin 2>/dev/null)"
cp "$BIN/tools/loadgen/loadgen" "$BIN/tools/bench/limits" "$OUT/"

say "limits of this machine"
"$OUT/limits" --duration=5s --json="$OUT/limits.json" 2>/dev/null

say "suite on fresh stores under $OMS_VAR"
./oms up >/dev/null
pids=()
for s in orchestrator_svc order_svc inventory_svc logistics_svc notify_svc analytics_svc; do
  pids+=("$(cat "$OMS_VAR/run/$s.pid")")
done
rss_mb() {  # resident memory of the six services, MB: FIELD is VmRSS (all) or RssAnon
  local field="${1:-VmRSS}" total=0 p
  for p in "${pids[@]}"; do
    total=$((total + $(awk -v f="$field:" '$1 == f {print $2}' "/proc/$p/status")))
  done
  echo $((total / 1024))
}
sleep 5
echo "{\"idle_rss_mb\":$(rss_mb),\"idle_rss_anon_mb\":$(rss_mb RssAnon)}" >"$OUT/idle.json"

LG=("$OUT/loadgen" --key_file="$OMS_VAR/auth/admin.key"
    --orchestrator=127.0.0.1:$PORT --order=127.0.0.1:$((PORT + 1))
    --inventory=127.0.0.1:$((PORT + 2)) --logistics=127.0.0.1:$((PORT + 3))
    --notify=127.0.0.1:$((PORT + 4)) --analytics=127.0.0.1:$((PORT + 5)))
run() {  # run NAME loadgen-args...
  local name="$1"; shift
  say "$name"
  "${LG[@]}" "$@" --json="$OUT/$name.json" | tee "$OUT/$name.txt" || true
}

run place_unloaded --scenario=place --concurrency=1 --duration=10s
run place_saturated --scenario=place --concurrency=16 --duration="${SECONDS_MAIN}s"
rate=$(python3 -c "import json; print(int(json.load(open('$OUT/place_saturated.json'))['ops_per_second'] * 0.7))")
run place_at_70pct --scenario=place --concurrency=32 --rate="$rate" --duration="${SECONDS_MAIN}s"
run allocate_race --scenario=allocate-race --concurrency=16 --duration=10s
run track --scenario=track --concurrency=16 --duration=10s
run mixed --scenario=mixed --concurrency=16 --duration=10s

store_mb() { du -sm "$OMS_VAR"/order_svc.db* | awk '{s += $1} END {print s}'; }
orders_now() { python3 - "$OMS_VAR/order_svc.db" <<'PY'
import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("select count(*) from orders").fetchone()[0])
PY
}
grow_to() {  # grow_to N: CreateOrder straight into order_svc until it holds N orders
  local have need
  have="$(orders_now)"; need=$(( $1 - have ))
  if (( need > 0 )); then
    "${LG[@]}" --scenario=create --concurrency=8 --count="$need" --warmup=0s >/dev/null || true
  fi
}
for size in 10000 "$BACKLOG"; do
  grow_to "$size"
  run "read_at_$size" --scenario=read --concurrency=8 --duration=10s --orders=200
  echo "{\"orders\":$(orders_now),\"order_store_mb\":$(store_mb),\"rss_mb\":$(rss_mb),\"rss_anon_mb\":$(rss_mb RssAnon)}" \
    >"$OUT/growth_$size.json"
done
echo "{\"idle_rss_mb_after\":$(rss_mb)}" >"$OUT/after.json"

say "report"
python3 "$ROOT/tools/bench/report.py" "$OUT" "$ROOT/docs/BENCHMARKS.md" "$ROOT/docs/benchmarks.json"
echo "raw results: $OUT"

#!/usr/bin/env bash
# tools/bench/bench.sh: builds with -c opt, measures this machine's limits, starts the whole
# suite on fresh stores, runs every loadgen scenario, grows order_svc to a backlog, and
# writes docs/BENCHMARKS.md and docs/benchmarks.json. Takes about 20 minutes (more with a
# bigger BENCH_BACKLOG). Run from anywhere; the suite it starts is stopped at the end.
#
#   BENCH_BACKLOG=100000   orders in order_svc for the growth figures (default 100000;
#                          BENCH_GROWTH="10000 100000 1000000" names every size instead)
#   BENCH_SECONDS=20       length of the main measurements
#   BENCH_REPEAT=3         runs of each PlaceOrder measurement (one client, 16 clients, 70%);
#                          the report gives the median and the range (tools/bench/repeats.py)
#   BENCH_PORT=51050       base port of the suite it starts (apart from ./oms up's)
#   BENCH_PEERS=medusa     also install, start and measure Medusa (../shared/peers/medusa;
#                          several minutes, needs npm) and write the side-by-side table
#
# The stores run as shipped: durable (group commit, the WAL fsynced before an answer).
# PlaceOrder is then measured once more on fresh stores with --db_sync=normal, for the
# comparison.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
BACKLOG="${BENCH_BACKLOG:-100000}"
SECONDS_MAIN="${BENCH_SECONDS:-20}"
REPEAT="${BENCH_REPEAT:-3}"
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
bazel build -c opt //tools/loadgen //tools/bench:limits //tools/bench:rpc_styles >/dev/null 2>&1
BIN="$(bazel info -c opt bazel-bin 2>/dev/null)"
cp "$BIN/tools/loadgen/loadgen" "$BIN/tools/bench/limits" "$BIN/tools/bench/rpc_styles" "$OUT/"

say "limits of this machine"
"$OUT/limits" --duration=5s --json="$OUT/limits.json" 2>/dev/null
say "gRPC's server and client styles"
"$OUT/rpc_styles" --duration=3s --json="$OUT/rpc_styles.json" >/dev/null 2>&1

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
pss_mb() {  # proportional set size of the six: shared library pages counted once, not six times
  local total=0 p
  for p in "${pids[@]}"; do
    total=$((total + $(awk '$1 == "Pss:" {print $2}' "/proc/$p/smaps_rollup")))
  done
  echo $((total / 1024))
}
echo "{\"idle_rss_mb\":$(rss_mb),\"idle_rss_anon_mb\":$(rss_mb RssAnon),\"idle_pss_mb\":$(pss_mb)}" >"$OUT/idle.json"

LG=("$OUT/loadgen" --key_file="$OMS_VAR/auth/admin.key"
    --orchestrator=127.0.0.1:$PORT --order=127.0.0.1:$((PORT + 1))
    --inventory=127.0.0.1:$((PORT + 2)) --logistics=127.0.0.1:$((PORT + 3))
    --notify=127.0.0.1:$((PORT + 4)) --analytics=127.0.0.1:$((PORT + 5)))
run() {  # run NAME loadgen-args...
  local name="$1"; shift
  say "$name"
  "${LG[@]}" "$@" --json="$OUT/$name.json" | tee "$OUT/$name.txt" || true
}
# One run lands anywhere in this VM's run-to-run spread: the figures the targets are judged
# by are REPEAT runs in a row, merged into NAME.json as medians.
repeat() {  # repeat NAME loadgen-args...
  local name="$1" i; shift
  for ((i = 1; i <= REPEAT; i++)); do run "$name.r$i" "$@"; done
  python3 "$ROOT/tools/bench/repeats.py" "$OUT" "$name"
}

# Reads at 10/s into a suite whose feeds are quiet (no orders flowing): what an ops engineer
# or an ERP polling at night sees; a server stalled while its feed streams idled (2026-12-04).
run reads_quiet --scenario=read --concurrency=1 --rate=10 --duration=20s --orders=20
unloaded_from=$(date +%s%N)
repeat place_unloaded --scenario=place --concurrency=1 --duration=10s
unloaded_to=$(date +%s%N)
sleep 2  # the tracers flush their spans every second
say "where an unloaded PlaceOrder's time goes (the services' own trace spans)"
python3 "$ROOT/tools/bench/span_breakdown.py" "$OMS_VAR" "$unloaded_from" "$unloaded_to" \
  "$OUT/span_breakdown.json" || true
repeat place_saturated --scenario=place --concurrency=16 --duration="${SECONDS_MAIN}s"
rate=$(python3 -c "import json; print(int(json.load(open('$OUT/place_saturated.json'))['ops_per_second'] * 0.7))")
repeat place_at_70pct --scenario=place --concurrency=32 --rate="$rate" --duration="${SECONDS_MAIN}s"
run allocate_race --scenario=allocate-race --concurrency=16 --duration=10s
run track --scenario=track --concurrency=16 --duration=10s
run mixed --scenario=mixed --concurrency=16 --duration=10s
run place_8_clients --scenario=place --concurrency=8 --duration="${SECONDS_MAIN}s"

say "notifications while orders flow at 70% for 60 s (e-mail and SMS have no provider)"
PYSTUBS="$BIN/clients/python"
env PYTHONPATH="$PYSTUBS" /usr/bin/python3 "$ROOT/tools/bench/notify_latency.py" \
  --notify=127.0.0.1:$((PORT + 4)) --key_file="$OMS_VAR/auth/admin.key" --out="$OUT/notify_latency.json" \
  -- "${LG[@]}" --scenario=place --concurrency=32 --rate="$rate" --duration=60s --json="$OUT/place_with_webhook.json" \
  | tail -20 || true

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
    "${LG[@]}" --scenario=create --concurrency=8 --count="$need" --warmup=0s \
      --json="$OUT/create_to_$1.json" >/dev/null || true
  fi
}
for size in ${BENCH_GROWTH:-10000 $BACKLOG}; do
  grow_to "$size"
  run "read_at_$size" --scenario=read --concurrency=8 --duration=10s --orders=200
  echo "{\"orders\":$(orders_now),\"order_store_mb\":$(store_mb),\"rss_mb\":$(rss_mb),\"rss_anon_mb\":$(rss_mb RssAnon)}" \
    >"$OUT/growth_$size.json"
done
echo "{\"idle_rss_mb_after\":$(rss_mb)}" >"$OUT/after.json"
./oms down >/dev/null 2>&1 || true

say "PlaceOrder again on fresh stores with --db_sync=normal (no fsync per commit)"
export OMS_VAR="$OUT/var-normal" OMS_SERVICE_FLAGS="--write_rate=0 --db_sync=normal"
./oms up >/dev/null
LG[1]="--key_file=$OMS_VAR/auth/admin.key"
repeat normal_place_unloaded --scenario=place --concurrency=1 --duration=10s
repeat normal_place_saturated --scenario=place --concurrency=16 --duration="${SECONDS_MAIN}s"
rate_normal=$(python3 -c "import json; print(int(json.load(open('$OUT/normal_place_saturated.json'))['ops_per_second'] * 0.7))")
repeat normal_place_at_70pct --scenario=place --concurrency=32 --rate="$rate_normal" --duration="${SECONDS_MAIN}s"
./oms down >/dev/null 2>&1 || true

if [[ ",${BENCH_PEERS:-}," == *,medusa,* ]]; then
  say "peer: Medusa 2.21.2 on PostgreSQL (../shared/peers/medusa), on this machine after ours"
  PEER_SCRIPTS="${BENCH_PEER_SCRIPTS:-$ROOT/../shared/peers/medusa}"
  export PEER_DIR="${PEER_DIR:-${TMPDIR:-/tmp}/medusa-peer}"
  bash "$PEER_SCRIPTS/setup.sh" >"$OUT/medusa-setup.log" 2>&1
  sleep 10  # settled after start-up, as our idle figure is taken 5 s after start
  node -e "console.log(JSON.stringify({idle_rss_mib: require('$PEER_SCRIPTS/common.js').medusaRss()}))" \
    >"$OUT/medusa_idle.json"
  SECONDS_PER="$SECONDS_MAIN" bash "$PEER_SCRIPTS/run-all.sh" 1 >"$OUT/medusa.txt" 2>&1 || true
  cp "$(ls -t "$PEER_DIR"/results-*.jsonl | head -1)" "$OUT/medusa.jsonl"
  tail -8 "$OUT/medusa.txt"
  bash "$PEER_SCRIPTS/stop.sh" --postgres >/dev/null 2>&1 || true
fi

say "report"
python3 "$ROOT/tools/bench/report.py" "$OUT" "$ROOT/docs/BENCHMARKS.md" "$ROOT/docs/benchmarks.json"
echo "raw results: $OUT"

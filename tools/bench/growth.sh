#!/usr/bin/env bash
# tools/bench/growth.sh: how the suite holds up as its stores grow, on SQLite and on
# PostgreSQL (docs/BENCHMARKS.md, "Growth"). For each engine, on a fresh suite:
#   1. order_svc's store is filled to each size of GROWTH_SIZES by tools/bench:seed_store
#      (order_svc's own OrderBook, with order_svc stopped), then order_svc alone serves
#      CreateOrder (8 clients, 10 s) and the read scenario: ops/s, p50/p99, order_svc's CPU
#      per call, store size. notify_svc and analytics_svc stay stopped meanwhile.
#   2. With the largest size in order_svc's feed (one OrderCreated per order), analytics_svc
#      starts from an empty cursor: how long it takes to apply every event, at what CPU.
#   3. On another fresh suite, GROWTH_BACKLOG webhook messages are put in notify_svc's store
#      (SendNotification's path, 100 recipients) while it is stopped; then it starts beside a
#      webhook sink answering 200: how long until the sink has every message, at what CPU.
#   4. The same with e-mails, sent to an SMTP sink (tools/bench/smtp_sink.py) that accepts
#      every message: how long, at what CPU, over how many connections.
# Results: docs/benchmarks.json ("store_growth") and the growth section of docs/BENCHMARKS.md;
# an engine left out of GROWTH_ENGINES keeps its last run's figures there, dated.
#
#   GROWTH_ENGINES="sqlite postgres"   GROWTH_SIZES="10000 100000 1000000"
#   GROWTH_BACKLOG=100000              GROWTH_PORT=51250
#   GROWTH_PARTS="orders feed backlog mail" (any of the four, e.g. to measure one again)
# About 20 minutes on SQLite and over an hour on PostgreSQL (seeding 1M orders there runs at
# ~540/s) on a 2-core VM at the default sizes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
ENGINES="${GROWTH_ENGINES:-sqlite postgres}"
SIZES="${GROWTH_SIZES:-10000 100000 1000000}"
BACKLOG="${GROWTH_BACKLOG:-100000}"
PARTS=" ${GROWTH_PARTS:-orders feed backlog mail} "
OUT="${GROWTH_OUT:-$(mktemp -d /tmp/oms-growth.XXXXXX)}"
mkdir -p "$OUT"
export GROWTH_OUT="$OUT"
export OMS_BASE_PORT="${GROWTH_PORT:-51250}" OMS_METRICS_PORT=$((${GROWTH_PORT:-51250} + 20))
export OMS_DASHBOARD_PORT=0 OMS_PG_PORT=56532 OMS_VAR="${OMS_VAR:-$OUT/var}"
export OMS_SERVICE_FLAGS="--write_rate=0"
SINK_PORT=$((OMS_BASE_PORT + 40))
SMTP_SINK_PORT=$((OMS_BASE_PORT + 41))

# shellcheck source=../../oms
source ./oms
cmd_build() { :; }  # built below
step() { printf '\n== %s\n' "$*"; }

fresh_suite() {  # ENGINE LABEL: the whole suite up on empty stores under $OUT/var-LABEL
  cmd_down >/dev/null 2>&1 || true
  VAR="$OUT/var-$2"
  export OMS_VAR="$VAR"
  if [[ $1 == postgres ]]; then cmd_up --postgres >/dev/null; else cmd_up >/dev/null; fi
}
stop_service() {  # NAME...: SIGTERM, then wait until it is gone
  local name pid
  for name in "$@"; do
    pid="$(running_pid "$name")" || continue
    kill -TERM "$pid"
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
    rm -f "$(pid_file "$name")"
  done
}
start_service() {  # NAME: started with the suite's peers, answered once SERVING
  local peers=() name
  for name in "${SERVICES[@]}"; do peers+=("--${name%_svc}_addr=$(service_addresses "$name")"); done
  start_instance "$1" 1 "${peers[@]}"
  health_at "$(port_of "$1")" --wait=60s >/dev/null
}
store_of() { if [[ $ENGINE == postgres ]]; then pg_target "$1"; else echo "$VAR/$1.db"; fi; }
orders_now() {  # orders in order_svc's store
  if [[ $ENGINE == postgres ]]; then
    pg_psql -d oms_order_svc -tAc "SELECT count(*) FROM orders"
  else
    python3 -c "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM orders').fetchone()[0])" "$VAR/order_svc.db"
  fi
}
metrics_of() { echo "http://127.0.0.1:$((METRICS_PORT + $(port_of "$1") - BASE_PORT))/metrics"; }
seed() {  # STORE SERVICE COUNT [extra flags]
  "$OUT/seed_store" --store="$1" --db="$(store_of "$2")" --count="$3" --threads=4 \
    --data_key_file="$VAR/auth/data.keys" "${@:4}" 2>&1 | grep -v "^seeded [0-9]* of" | tail -3 || true
}  # a few failed writes (PostgreSQL serialization failures past their retries) only say so
loadgen() {  # NAME loadgen-args...
  "$OUT/loadgen" --key_file="$VAR/auth/admin.key" --order="127.0.0.1:$(port_of order_svc)" \
    --json="$OUT/$1.json" "${@:2}" | grep -E "^(CreateOrder|GetOrder|ListOrders|per operation)" || true
}
PROBE=(python3 "$ROOT/tools/bench/growth_probe.py")

# `growth.sh start NAME`: the probe starts a service this way, so it times from the start.
if [[ ${1:-} == start ]]; then
  read_topology
  start_service "$2"
  exit 0
fi

bazel build -c opt //order_svc //inventory_svc //logistics_svc //notify_svc //analytics_svc \
  //orchestrator_svc //tools/loadgen //tools/health_check //tools/keys //tools/bench:seed_store \
  >/dev/null 2>&1
BIN="$(bazel info -c opt bazel-bin 2>/dev/null)"
cp "$BIN/tools/loadgen/loadgen" "$BIN/tools/bench/seed_store" "$OUT/"
trap 'cmd_down >/dev/null 2>&1 || true' EXIT

for engine in $ENGINES; do
  step "$engine: order_svc grown to $SIZES"
  fresh_suite "$engine" "$engine-orders"
  # order_svc alone: a follower (the orchestrator follows order_svc's feed) would otherwise be
  # sent every seeded OrderCreated while CreateOrder is measured, in order_svc's CPU.
  stop_service order_svc notify_svc analytics_svc orchestrator_svc
  for size in $SIZES; do
    [[ $PARTS == *" orders "* ]] || break
    have="$(orders_now)"
    ((size > have)) && seed orders order_svc $((size - have))
    echo "{\"orders\":$(orders_now)}" >"$OUT/$engine-orders-at-$size.json"
    start_service order_svc
    loadgen "$engine-create-at-$size" --scenario=create --concurrency=8 --duration=10s --warmup=2s
    loadgen "$engine-read-at-$size" --scenario=read --concurrency=8 --duration=10s --orders=200
    "${PROBE[@]}" store --metrics="$(metrics_of order_svc)" --out="$OUT/$engine-store-at-$size.json"
    [[ $size == "${SIZES##* }" ]] || stop_service order_svc
  done
  if [[ $PARTS == *" feed "* ]]; then
    step "$engine: analytics_svc follows order_svc's feed from the start"
    running_pid order_svc >/dev/null || start_service order_svc  # GROWTH_PARTS without orders
    "${PROBE[@]}" catchup --source_metrics="$(metrics_of order_svc)" \
      --follower_metrics="$(metrics_of analytics_svc)" --source=order_svc \
      --out="$OUT/$engine-feed.json" -- "$ROOT/tools/bench/growth.sh" start analytics_svc
  fi

  if [[ $PARTS == *" backlog "* ]]; then
    step "$engine: a backlog of $BACKLOG webhook messages drained"
    fresh_suite "$engine" "$engine-notify"
    stop_service notify_svc
    seed notifications notify_svc "$BACKLOG" --webhook_base="http://127.0.0.1:$SINK_PORT/hook/"
    "${PROBE[@]}" drain --port="$SINK_PORT" --count="$BACKLOG" --metrics="$(metrics_of notify_svc)" \
      --out="$OUT/$engine-drain.json" -- "$ROOT/tools/bench/growth.sh" start notify_svc
  fi
  if [[ $PARTS == *" mail "* ]]; then
    step "$engine: a backlog of $BACKLOG e-mails drained"
    export OMS_NOTIFY_FLAGS="--smtp_url=smtp://127.0.0.1:$SMTP_SINK_PORT"
    fresh_suite "$engine" "$engine-mail"
    stop_service notify_svc
    seed notifications notify_svc "$BACKLOG" --channel=email
    "${PROBE[@]}" drain --protocol=smtp --port="$SMTP_SINK_PORT" --count="$BACKLOG" \
      --metrics="$(metrics_of notify_svc)" --out="$OUT/$engine-mail-drain.json" \
      -- "$ROOT/tools/bench/growth.sh" start notify_svc
    unset OMS_NOTIFY_FLAGS
  fi
done
cmd_down >/dev/null 2>&1 || true

step "report"
python3 "$ROOT/tools/bench/growth_report.py" "$OUT" "$ROOT/docs/BENCHMARKS.md" "$ROOT/docs/benchmarks.json"
echo "raw results: $OUT"

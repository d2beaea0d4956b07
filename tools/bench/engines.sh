#!/usr/bin/env bash
# tools/bench/engines.sh: PlaceOrder on SQLite, on PostgreSQL with one replica per service
# and with two (docs/BENCHMARKS.md, "PostgreSQL and replicas"). Builds the services and
# loadgen -c opt, then for each setup starts the suite on fresh stores (./oms up, or
# ./oms up --postgres --replicas N), runs `loadgen --scenario=place` 10 s at 1 client and
# 20 s at 16, and stops it. About 5 minutes after the build.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
OUT="$(mktemp -d /tmp/oms-pgbench.XXXXXX)"
export OMS_VAR="$OUT/var" OMS_BASE_PORT=51050 OMS_DASHBOARD_PORT=0 OMS_PG_PORT=56432
export OMS_SERVICE_FLAGS="--write_rate=0"
bazel build -c opt //order_svc //inventory_svc //logistics_svc //notify_svc //analytics_svc \
  //orchestrator_svc //tools/loadgen //tools/health_check //tools/keys >/dev/null 2>&1
cp bazel-bin/tools/loadgen/loadgen "$OUT/"
# shellcheck source=../../oms
source ./oms
cmd_build() { :; }  # built above: only what the suite needs, not the whole tree -c opt
trap 'cmd_down >/dev/null 2>&1 || true' EXIT
measure() {  # LABEL CONCURRENCY SECONDS
  local args=() name flag
  for name in "${SERVICES[@]}"; do
    flag="${name%_svc}"
    args+=("--$flag=$(service_addresses "$name")")
  done
  "$OUT/loadgen" "${args[@]}" --key_file="$OMS_VAR/auth/admin.key" --scenario=place \
    --concurrency="$2" --duration="$3s" --warmup=2s --json="$OUT/$1-c$2.json" 2>&1 | grep -E "^scenario|^PlaceOrder|^per operation" | sed "s/^/[$1 c$2] /" || true  # loadgen exits 1 when a call failed: still report
}
for setup in "sqlite 1" "postgres 1" "postgres 2"; do
  set -- $setup
  rm -rf "$OMS_VAR"
  if [[ $1 == sqlite ]]; then cmd_up >/dev/null; else cmd_up --postgres --replicas "$2" >/dev/null; fi
  label="$1x$2"
  measure "$label" 1 10
  measure "$label" 16 20
  cmd_down >/dev/null
done
echo "results (loadgen --json) in $OUT"

#!/bin/bash
# The renderer turns JSON log lines into one readable line each and passes other lines on.
set -euo pipefail
render="$(dirname "$0")/render_logs.py"
[[ -f "$render" ]] || render="$TEST_SRCDIR/$TEST_WORKSPACE/tools/logs/render_logs.py"
input='{"time":"2026-12-01T12:00:00.123Z","level":"WARNING","service":"order_svc","method":"/oms.order.v1.OrderService/CancelOrder","request_id":"req_1","principal":"ops","status":"FAILED_PRECONDITION","duration_ms":1.234,"msg":"failed: order ord_1 is SHIPPED"}
{"time":"2026-12-01T12:00:01.000Z","level":"INFO","service":"order_svc","msg":"serving on port 50051"}
terminate called after throwing an instance of x'
expected='12:00:00.123 W order_svc /oms.order.v1.OrderService/CancelOrder FAILED_PRECONDITION 1.2ms  req_1 ops: failed: order ord_1 is SHIPPED
12:00:01.000 I order_svc  serving on port 50051
terminate called after throwing an instance of x'
actual="$(printf '%s\n' "$input" | /usr/bin/python3 "$render")"
if [[ "$actual" != "$expected" ]]; then
  echo "expected:"; echo "$expected"; echo "actual:"; echo "$actual"; exit 1
fi
echo "render_logs: ok"

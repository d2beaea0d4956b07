#!/bin/bash
# span_breakdown splits PlaceOrder into the orchestrator's peer calls, each into the peer's
# handler and the hop, from span files as the services write them; spans outside the window
# and a cut-off last line are left out.
set -euo pipefail
script="$(dirname "$0")/span_breakdown.py"
[[ -f "$script" ]] || script="$TEST_SRCDIR/$TEST_WORKSPACE/tools/bench/span_breakdown.py"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/log"
span() {  # span SERVICE TRACE ID PARENT NAME KIND START_MS END_MS
  printf '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"%s","spanId":"%s","parentSpanId":"%s","name":"%s","kind":%d,"startTimeUnixNano":"%d","endTimeUnixNano":"%d"}]}]}]}\n' \
    "$2" "$3" "$4" "$5" "$6" "$(($7 * 1000000))" "$(($8 * 1000000))" >>"$dir/log/$1.spans.jsonl"
}
for t in 1 2; do  # two orders: 10 ms each; CreateOrder 4 ms (handler 3), Allocate 2 ms (handler 1)
  base=$((t * 100))
  span orchestrator_svc "t$t" "root$t" "" /oms.orchestrator.v1.OrchestratorService/PlaceOrder 2 $base $((base + 10))
  span orchestrator_svc "t$t" "c$t" "root$t" /oms.order.v1.OrderService/CreateOrder 3 $((base + 1)) $((base + 5))
  span order_svc "t$t" "s$t" "c$t" /oms.order.v1.OrderService/CreateOrder 2 $((base + 2)) $((base + 5))
  span orchestrator_svc "t$t" "a$t" "root$t" /oms.inventory.v1.InventoryService/Allocate 3 $((base + 6)) $((base + 8))
  span inventory_svc "t$t" "i$t" "a$t" /oms.inventory.v1.InventoryService/Allocate 2 $((base + 6)) $((base + 7))
done
# Outside the window: not counted.
span orchestrator_svc t9 root9 "" /oms.orchestrator.v1.OrchestratorService/PlaceOrder 2 900 990
printf '{"resourceSpans":[{"scopeSp' >>"$dir/log/order_svc.spans.jsonl"  # cut short by a stop
/usr/bin/python3 "$script" "$dir" 0 500000000 "$dir/out.json" >/dev/null
actual="$(/usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(r["orders"], r["place_order_p50_ms"], r["orchestrator_own_p50_ms"])
for c in r["peer_calls"]:
    print(c["rpc"], c["calls_per_order"], c["client_p50_ms"], c["server_p50_ms"], c["hop_p50_ms"])
' "$dir/out.json")"
expected='2 10.0 4.0
CreateOrder 1.0 4.0 3.0 1.0
Allocate 1.0 2.0 1.0 1.0'
if [[ "$actual" != "$expected" ]]; then
  echo "expected:"; echo "$expected"; echo "actual:"; echo "$actual"; exit 1
fi
echo "span_breakdown: ok"

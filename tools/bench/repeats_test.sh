#!/bin/bash
# repeats.py merges three runs of one scenario: figures as medians, counts as sums, the worst
# latency as the maximum, failures by code added up, every run's headline kept; a run cut
# short (not JSON) and another scenario's runs are left out.
set -euo pipefail
script="$(dirname "$0")/repeats.py"
[[ -f "$script" ]] || script="$TEST_SRCDIR/$TEST_WORKSPACE/tools/bench/repeats.py"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
run() {  # run FILE OPS_PER_S P99_US MAX_US FAILED CPU_MS ORDER_CPU_MS
  printf '{"scenario":"place","concurrency":16,"operations":%d,"ops_per_second":%s,"failed":%d,"verify":"",
"rpcs":[{"rpc":"PlaceOrder","ok":10,"failed":%d,"per_second":%s,"p50_us":1000,"p99_us":%d,"max_us":%d,"errors":{"UNAVAILABLE":%d}},
{"rpc":"op","ok":10,"failed":%d,"per_second":%s,"p50_us":1000,"p99_us":%d,"max_us":%d,"errors":{}}],
"cost_per_operation":{"calls":7.0,"commits":6.5,"cpu_ms":%s,"services":{"order_svc":{"calls":2.0,"commits":2.0,"cpu_ms":%s}}}}\n' \
    "${2%.*}" "$2" "$5" "$5" "$2" "$3" "$4" "$5" "$5" "$2" "$3" "$4" "$6" "$7" >"$dir/$1"
}
run place_saturated.r1.json 150.0 90000 120000 0 11.0 2.5
run place_saturated.r2.json 170.0 70000 200000 2 9.0 2.0
run place_saturated.r3.json 160.0 130000 150000 1 10.0 2.2
run place_saturated_x.r1.json 999.0 1 1 0 1.0 1.0  # another scenario: not merged
printf '{"scenario":"pla' >"$dir/place_saturated.r4.json"  # cut short: left out
/usr/bin/python3 "$script" "$dir" place_saturated 2>/dev/null
actual="$(/usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
p = r["rpcs"][0]
print(r["ops_per_second"], r["operations"], r["failed"], r["concurrency"])
print(p["rpc"], p["per_second"], p["p99_us"], p["max_us"], p["failed"], p["errors"])
c = r["cost_per_operation"]
print(c["cpu_ms"], c["calls"], c["services"]["order_svc"]["cpu_ms"])
print([x["cpu_ms"] for x in r["runs"]], [x["rpcs"]["op"]["p99_us"] for x in r["runs"]])
' "$dir/place_saturated.json")"
expected="160.0 480 3 16
PlaceOrder 160.0 90000 200000 3 {'UNAVAILABLE': 3}
10.0 7.0 2.2
[11.0, 9.0, 10.0] [90000, 70000, 130000]"
if [[ "$actual" != "$expected" ]]; then
  echo "expected:"; echo "$expected"; echo "actual:"; echo "$actual"; exit 1
fi
if /usr/bin/python3 "$script" "$dir" nothing_here 2>/dev/null; then
  echo "a scenario without runs must fail"; exit 1
fi
echo "repeats: ok"

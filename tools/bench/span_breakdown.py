#!/usr/bin/env python3
"""Where one PlaceOrder's wall time goes, from the suite's own trace spans.

  span_breakdown.py VAR_DIR START_NS END_NS OUT_JSON

Reads every service's span file ($VAR/log/*.spans.jsonl, OTLP/JSON lines, as `./oms up`
exports them with --trace_sample_rate=1), takes the PlaceOrder calls the orchestrator served
that started between START_NS and END_NS, and splits each into the orchestrator's calls to
its peers (client spans) and, per call, the peer's handler (the server span whose parent is
that client span). A call's client time minus its server time is what the hop itself costs:
serialization, the transport and the thread hand-offs on both sides. What is left of
PlaceOrder outside its peer calls is the orchestrator's own work (reads, commits, rules).
"""
import collections
import glob
import json
import os
import statistics
import sys

CLIENT, SERVER = 3, 2


def load_spans(var_dir):
    spans = []
    # With the rotated files (PATH.1) of a long run.
    for path in glob.glob(os.path.join(var_dir, "log", "*.spans.jsonl*")):
        service = os.path.basename(path).split(".")[0]
        with open(path, encoding="utf-8") as f:
            for line in f:
                try:
                    record = json.loads(line)
                except ValueError:
                    continue  # a line cut short by a stop mid-write
                for resource in record.get("resourceSpans", []):
                    for scope in resource.get("scopeSpans", []):
                        for span in scope.get("spans", []):
                            span["service"] = service
                            span["start"] = int(span["startTimeUnixNano"])
                            span["end"] = int(span["endTimeUnixNano"])
                            spans.append(span)
    return spans


def median_ms(values):
    return round(statistics.median(values) / 1e6, 3) if values else 0.0


def breakdown(spans, start_ns, end_ns):
    by_trace = collections.defaultdict(list)
    servers_by_parent = {}
    for span in spans:
        by_trace[span["traceId"]].append(span)
        if span["kind"] == SERVER and span.get("parentSpanId"):
            servers_by_parent[span["parentSpanId"]] = span
    roots = [s for s in spans
             if s["kind"] == SERVER and s["service"] == "orchestrator_svc"
             and s["name"].endswith("/PlaceOrder") and start_ns <= s["start"] <= end_ns]
    totals, own = [], []
    calls = collections.defaultdict(lambda: {"count": 0, "client": [], "server": [], "hop": []})
    for root in roots:
        in_call = 0
        for span in by_trace[root["traceId"]]:
            if (span["kind"] != CLIENT or span["service"] != "orchestrator_svc"
                    or span["start"] < root["start"] or span["end"] > root["end"]):
                continue
            row = calls[span["name"].rsplit("/", 1)[-1]]
            row["count"] += 1
            took = span["end"] - span["start"]
            in_call += took
            row["client"].append(took)
            server = servers_by_parent.get(span["spanId"])
            if server is not None:
                row["server"].append(server["end"] - server["start"])
                row["hop"].append(took - (server["end"] - server["start"]))
        totals.append(root["end"] - root["start"])
        own.append(root["end"] - root["start"] - in_call)
    orders = len(roots)
    rows = []
    for name, row in sorted(calls.items(), key=lambda kv: -sum(kv[1]["client"])):
        rows.append({
            "rpc": name,
            "calls_per_order": round(row["count"] / orders, 2) if orders else 0,
            "client_p50_ms": median_ms(row["client"]),
            "server_p50_ms": median_ms(row["server"]),
            "hop_p50_ms": median_ms(row["hop"]),
            "client_ms_per_order": round(sum(row["client"]) / 1e6 / orders, 3) if orders else 0,
        })
    return {
        "orders": orders,
        "place_order_p50_ms": median_ms(totals),
        "orchestrator_own_p50_ms": median_ms(own),
        "peer_calls": rows,
    }


def main(var_dir, start_ns, end_ns, out_path):
    result = breakdown(load_spans(var_dir), int(start_ns), int(end_ns))
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    print("%d PlaceOrder traces: p50 %.2f ms, of which the orchestrator's own %.2f ms" % (
        result["orders"], result["place_order_p50_ms"], result["orchestrator_own_p50_ms"]))
    for row in result["peer_calls"]:
        print("  %-18s %.2f/order  client p50 %.2f ms = handler %.2f + hop %.2f" % (
            row["rpc"], row["calls_per_order"], row["client_p50_ms"], row["server_p50_ms"],
            row["hop_p50_ms"]))


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:5])

#!/usr/bin/env python3
"""Writes tools/bench/growth.sh's results: the growth section of docs/BENCHMARKS.md (replaced
between its markers, or added at the end) and "store_growth" in docs/benchmarks.json. An engine
this run did not measure (GROWTH_ENGINES=postgres, say) keeps its figures from the run that
did, and so does a part it left out (GROWTH_PARTS), each with its own date.

  growth_report.py RESULTS_DIR BENCHMARKS.md benchmarks.json
"""
import datetime
import json
import os
import sys

BEGIN = "<!-- tools/bench/growth.sh writes this section; growth_report.py replaces it. -->"
END = "<!-- end of growth.sh's section -->"


def load(directory, name):
    path = os.path.join(directory, name + ".json")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def rpc(run, name):
    for row in (run or {}).get("rpcs", []):
        if row["rpc"] == name:
            return row
    return {}


def collect(directory):
    engines = {}
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".json") or "-" not in name:
            continue
        engine = name.split("-")[0]
        engines.setdefault(engine, None)
    result = {}
    for engine in engines:
        sizes = sorted({int(n[len(engine) + len("-orders-at-"):-5]) for n in os.listdir(directory)
                        if n.startswith(engine + "-orders-at-")})
        rows = []
        for size in sizes:
            create = load(directory, f"{engine}-create-at-{size}") or {}
            read = load(directory, f"{engine}-read-at-{size}") or {}
            store = load(directory, f"{engine}-store-at-{size}") or {}
            orders = (load(directory, f"{engine}-orders-at-{size}") or {}).get("orders")
            cost = create.get("cost_per_operation", {}).get("services", {}).get("order_svc", {})
            read_cost = read.get("cost_per_operation", {}).get("services", {}).get("order_svc", {})
            rows.append({
                "size": size, "orders": orders,
                "create_per_second": rpc(create, "CreateOrder").get("per_second"),
                "create_p50_ms": rpc(create, "CreateOrder").get("p50_us", 0) / 1000,
                "create_p99_ms": rpc(create, "CreateOrder").get("p99_us", 0) / 1000,
                "create_cpu_ms": cost.get("cpu_ms"),
                "read_per_second": rpc(read, "op").get("per_second"),
                "read_p99_ms": rpc(read, "op").get("p99_us", 0) / 1000,
                "read_cpu_ms": read_cost.get("cpu_ms"),
                "store_mb": (store.get("store_bytes", 0) + store.get("wal_bytes", 0)) / 1e6,
            })
        today = datetime.date.today().isoformat()
        feed = load(directory, f"{engine}-feed")
        backlog = load(directory, f"{engine}-drain")
        mail = load(directory, f"{engine}-mail-drain")
        result[engine] = {"orders": {"date": today, "rows": rows} if rows else None,
                          "feed": dict(feed, date=today) if feed else None,
                          "backlog": dict(backlog, date=today) if backlog else None,
                          "mail": dict(mail, date=today) if mail else None}
    return result


def merge(old, new):
    """Each engine's parts from this run; a part it did not measure is kept, with its date."""
    merged = {engine: dict(parts) for engine, parts in old.items()}
    for engine, parts in new.items():
        kept = merged.setdefault(engine,
                                 {"orders": None, "feed": None, "backlog": None, "mail": None})
        for part, figures in parts.items():
            if figures:
                kept[part] = figures
    return dict(sorted(merged.items()))


def fmt(value, digits=1):
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def engine_rows(growth, part, fields):
    """A table row per engine of one part's figures; seconds to a tenth, the rest whole."""
    rows = []
    for engine, data in growth.items():
        figures = data.get(part) or {}
        cells = [fmt(figures.get(f), 1 if f == "seconds" else 0) for f in fields]
        rows.append(f"| {engine} | {figures.get('date', '-')} | " + " | ".join(cells) + " |")
    return rows


def section(growth):
    lines = [BEGIN, "", "## Growth: 10k to 1M orders, a 1M-event feed, a 100k notification backlog",
             "",
             "From `tools/bench/growth.sh` (each engine's date below, this 2-core VM, "
             "`-c opt`, durable stores). order_svc's store is filled by `tools/bench:seed_store` "
             "(order_svc's own OrderBook: validation, pricing, idempotency record, history, "
             "audit entry and OrderCreated, as CreateOrder writes them), then order_svc alone "
             "(the other services stopped: since 2026-12-02 the orchestrator too, which as a "
             "follower of order_svc's feed was sent every seeded event while CreateOrder was "
             "measured, in order_svc's CPU) "
             "serves `loadgen --scenario=create` (CreateOrder, 8 clients, 10 s; each run adds "
             "its orders to the store) and `--scenario=read` (GetOrder and ListOrders, 8 "
             "clients). CPU is order_svc's own (`cpu_micros`) per call.", ""]
    for engine, data in growth.items():
        orders = data.get("orders") or {"rows": []}
        lines += [f"**{engine}** ({orders.get('date', 'not measured')})", "",
                  "| orders in store | CreateOrder/s | p50 ms | p99 ms | CPU ms per CreateOrder "
                  "| reads/s | read p99 ms | CPU ms per read | store MB |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for row in orders["rows"]:
            lines.append(
                f"| {fmt(row['orders'], 0)} | {fmt(row['create_per_second'])} | "
                f"{fmt(row['create_p50_ms'])} | {fmt(row['create_p99_ms'])} | "
                f"{fmt(row['create_cpu_ms'], 2)} | {fmt(row['read_per_second'])} | "
                f"{fmt(row['read_p99_ms'])} | {fmt(row['read_cpu_ms'], 2)} | "
                f"{fmt(row['store_mb'], 0)} |")
        lines.append("")
    lines += ["Feed: with the largest store's events in order_svc's feed, analytics_svc starts "
              "from an empty cursor and applies every one (its feed consumer, batches of "
              "events per transaction); timed from its start until its position reaches the "
              "feed's newest event.", "",
              "| engine | date | events | seconds | events/s | analytics_svc CPU us per event |",
              "|---|---|---|---|---|---|"]
    lines += engine_rows(growth, "feed", ["events", "seconds", "events_per_second",
                                          "cpu_us_per_event"])
    lines += ["", "Backlog: webhook messages (SendNotification's path, 100 recipients) put in "
              "notify_svc's store while it is stopped; then it starts beside a webhook sink "
              "answering 200 (tools/bench/webhook_sink.py); timed from its start until the sink "
              "has every message.", "",
              "| engine | date | messages | seconds | messages/s | notify_svc CPU us per message |",
              "|---|---|---|---|---|---|"]
    lines += engine_rows(growth, "backlog", ["messages", "seconds", "messages_per_second",
                                             "cpu_us_per_message"])
    lines += ["", "Mail: the same with e-mails (100 recipients), sent to an SMTP sink that "
              "accepts every message (tools/bench/smtp_sink.py); connections are the ones the "
              "sink accepted.", "",
              "| engine | date | messages | seconds | messages/s | notify_svc CPU us per message "
              "| connections |",
              "|---|---|---|---|---|---|---|"]
    lines += engine_rows(growth, "mail", ["messages", "seconds", "messages_per_second",
                                          "cpu_us_per_message", "connections"])
    lines += ["", END]
    return "\n".join(lines) + "\n"


def main():
    directory, markdown, json_path = sys.argv[1:4]
    data = {}
    if os.path.exists(json_path):
        with open(json_path, encoding="utf-8") as f:
            data = json.load(f)
    growth = merge(data.get("store_growth", {}), collect(directory))
    with open(markdown, encoding="utf-8") as f:
        text = f.read()
    new = section(growth)
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + new + text[text.index(END) + len(END) + 1:]
    else:
        text = text.rstrip("\n") + "\n\n" + new
    with open(markdown, "w", encoding="utf-8") as f:
        f.write(text)
    data["store_growth"] = growth
    with open(json_path, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2)
        f.write("\n")
    print(new)


if __name__ == "__main__":
    main()

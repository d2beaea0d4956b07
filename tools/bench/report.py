#!/usr/bin/env python3
"""Turns a tools/bench/bench.sh result directory into docs/BENCHMARKS.md and a JSON file.

The ideal PlaceOrder rate comes from the limits measured in the same run: every RPC the
suite serves for one order costs one key-checked loopback round trip of CPU, every commit
one single-row commit of CPU, and the machine has `cores` of CPU per second.
"""
import glob
import json
import os
import platform
import sys
import time


def load(directory, name):
    with open(os.path.join(directory, name + ".json"), encoding="utf-8") as f:
        return json.load(f)


def rpc(result, name):
    for row in result["rpcs"]:
        if row["rpc"] == name:
            return row
    return {"ok": 0, "per_second": 0, "p50_us": 0, "p90_us": 0, "p99_us": 0, "max_us": 0}


def ms(us):
    return "%.2f" % (us / 1000.0)


# The design floor of one PlaceOrder in this architecture: the client's call to the
# orchestrator, and the orchestrator's one call each to order_svc (the order, in its final
# placed status), inventory_svc (the reservation) and logistics_svc (the shipment) = 4 RPCs
# served; each of those four services commits once = 4 commits. The followers (notify_svc,
# analytics_svc, and the orchestrator's own feeds) read the outbox in batches, so at load
# their commits per order tend to zero and are counted as 0.
FLOOR_CALLS = 4
FLOOR_COMMITS = 4


def optional(directory, name):
    path = os.path.join(directory, name + ".json")
    return load(directory, name) if os.path.exists(path) else None


def medusa_rows(directory):
    """Medusa's JSON lines (run-all.sh with one repetition) by test name."""
    path = os.path.join(directory, "medusa.jsonl")
    if not os.path.exists(path):
        return None
    rows = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                r = json.loads(line)
                rows.setdefault(r["test"] + ("_%s" % r["concurrency"] if "concurrency" in r else ""), r)
    return rows


def place_figures(directory, prefix, limits, commit_cpu_key):
    """PlaceOrder at one storage mode: the three place runs and the same-run ideal."""
    saturated = load(directory, prefix + "place_saturated")
    unloaded = load(directory, prefix + "place_unloaded")
    at70 = load(directory, prefix + "place_at_70pct")
    cost = saturated["cost_per_operation"]
    ideal_us = cost["calls"] * limits["keyed_rpc_cpu_us"] + cost["commits"] * limits[commit_cpu_key]
    floor_us = FLOOR_CALLS * limits["keyed_rpc_cpu_us"] + FLOOR_COMMITS * limits[commit_cpu_key]
    achieved = rpc(saturated, "PlaceOrder")["per_second"]
    return {
        "sustained_per_second": achieved,
        "ideal_per_second": limits["cores"] * 1e6 / ideal_us,
        "ratio": achieved / (limits["cores"] * 1e6 / ideal_us),
        "floor_per_second": limits["cores"] * 1e6 / floor_us,
        "ratio_to_floor": achieved / (limits["cores"] * 1e6 / floor_us),
        "cost_per_order": cost,
        "cpu_per_order_us_ideal": ideal_us,
        "cpu_per_order_us_floor": floor_us,
        "cpu_ms_per_order": cost.get("cpu_ms", 0),
        "cost_per_order_unloaded": unloaded.get("cost_per_operation", {}),
        "p50_ms_unloaded": rpc(unloaded, "PlaceOrder")["p50_us"] / 1000.0,
        "p99_ms_unloaded": rpc(unloaded, "PlaceOrder")["p99_us"] / 1000.0,
        "p50_ms_saturated": rpc(saturated, "PlaceOrder")["p50_us"] / 1000.0,
        "p99_ms_saturated": rpc(saturated, "PlaceOrder")["p99_us"] / 1000.0,
        "rate_at_70pct": at70["offered_rate"],
        "achieved_at_70pct": at70["ops_per_second"],
        "p99_ms_at_70pct": rpc(at70, "op")["p99_us"] / 1000.0,
        "runs_of": {
            "cpu_ms_per_order": values(saturated),
            "sustained_per_second": values(saturated, "PlaceOrder", "per_second"),
            "p99_ms_at_70pct": values(at70, "op", "p99_us", 1e-3),
            "p50_ms_unloaded": values(unloaded, "PlaceOrder", "p50_us", 1e-3),
        },
    }


def values(result, rpc_name=None, field="cpu_ms", scale=1.0):
    """A figure of every repeated run merged into `result` (tools/bench/repeats.py)."""
    runs = result.get("runs") or []
    if rpc_name is None:
        return [r[field] * scale for r in runs]
    return [r["rpcs"][rpc_name][field] * scale for r in runs if rpc_name in r["rpcs"]]


def spread(place, key, fmt="%.1f"):
    """' (median of N runs: lo-hi)' for a PlaceOrder figure measured in repeated runs, else ''."""
    runs = sorted(place.get("runs_of", {}).get(key, []))
    if len(runs) < 2:
        return ""
    return " (median of %d runs: %s-%s)" % (len(runs), fmt % runs[0], fmt % runs[-1])


def yes(flag):
    return "yes" if flag else "**no**"


def medusa_section(directory, figures, ours_8):
    medusa = medusa_rows(directory)
    if medusa is None:
        return ("Not measured in this run (`BENCH_PEERS=medusa tools/bench/bench.sh` adds it; the last "
                "hand-run figures are in the notes below).\n")
    idle = optional(directory, "medusa_idle") or {}
    load8, load1 = medusa.get("orders_8", {}), medusa.get("orders_1", {})
    race = medusa.get("order-race", {})
    reserve_race = medusa.get("race", {})
    m_rate = load8.get("orders_per_s", 0) or 0
    m_cpu_ms = (load8.get("medusa_cpu_pct", 0) or 0) * 10.0 / m_rate if m_rate else 0
    ours_rate = rpc(ours_8, "PlaceOrder")["per_second"]
    ours_cpu = ours_8["cost_per_operation"].get("cpu_ms", 0)
    figures["medusa"] = {"rows": medusa, "idle_rss_mib": idle.get("idle_rss_mib")}
    ratio = ours_rate / m_rate if m_rate else 0
    mem_ratio = (figures["idle_rss_mb"] / idle["idle_rss_mib"]) if idle.get("idle_rss_mib") else 0
    figures["medusa"]["orders_per_second_ratio"] = ratio
    figures["medusa"]["idle_memory_ratio"] = mem_ratio
    lat8 = load8.get("checkout", {})
    return f"""Both on this machine in this run, one after the other (ours first, stopped before Medusa
started). OMS: the six services as above (SQLite, durable), `loadgen --scenario=place` at 8
clients. Medusa 2.21.2 (npm) on PostgreSQL 15 (Debian, default settings), one Node process,
its store checkout (cart, line, address, shipping method, complete) driven by
`../shared/peers/medusa/orders.js` at 8 and 1 clients; its CPU is the Node process tree's
(PostgreSQL's own CPU is not counted, which flatters Medusa); its memory the Node process tree.

| figure | OMS | Medusa | OMS / Medusa |
|---|---|---|---|
| orders/s, 8 clients | {ours_rate:.1f} | {m_rate:.2f} | **{ratio:.0f}x** |
| p50 / p99 ms, 8 clients | {ms(rpc(ours_8, 'PlaceOrder')['p50_us'])} / {ms(rpc(ours_8, 'PlaceOrder')['p99_us'])} | {lat8.get('p50_ms', '-')} / {lat8.get('p99_ms', '-')} (checkout) | |
| orders/s, 1 client | {rpc(load(directory, 'place_unloaded'), 'PlaceOrder')['per_second']:.1f} | {load1.get('orders_per_s', '-')} | |
| CPU per order | {ours_cpu:.2f} ms (all six services) | {m_cpu_ms:.0f} ms (Node only) | |
| idle memory | {figures['idle_rss_mb']} MB (RSS, all six) | {idle.get('idle_rss_mib', '-')} MiB (RSS, Node) | **{mem_ratio:.2f}** |
| oversell under concurrency | none: {load(directory, 'allocate_race')['verify']} | checkout race: {race.get('orders_placed', '-')} orders placed on {race.get('stock', '-')} units, oversold={race.get('oversold', '-')}; reservation race: {reserve_race.get('succeeded', '-')} of 200 on 10 units, reserved {reserve_race.get('reserved_quantity', '-')} | |
"""


def notify_section(directory, figures):
    n = optional(directory, "notify_latency")
    if n is None:
        return "Not measured in this run.\n"
    figures["notifications"] = n
    w = n["webhook_wait_ms"]
    waiting = ", ".join("%s %d" % kv for kv in sorted(n["waiting_at_end_by_channel"].items())) or "none"
    return f"""A webhook subscriber (an HTTP sink answering 200) receives every OrderCreated while orders
are placed at the 70% rate for 60 s. E-mail goes to an SMTP address nothing listens on, so
every e-mail fails and waits for its retry (the dead channel); SMS has no provider, so its
messages are stored SUPPRESSED when made and never wait. From notify_svc's
own message log: **{n['webhook_sent']} of {n['webhook_messages']} webhook messages sent; created -> sent p50
{w['p50']:.0f} ms, p99 {w['p99']:.0f} ms, max {w['max']:.0f} ms**; still unsent {n['webhook_unsent_after_settle']} after a few
seconds' settling. Waiting when the load ended, by channel: {waiting}.
"""


def spans_section(directory, figures):
    spans = optional(directory, "span_breakdown")
    if spans is None or not spans.get("orders"):
        return ""
    figures["place_unloaded_spans"] = spans
    rows = "\n".join("| %s | %.2f | %.2f | %.2f | %.2f |" % (
        r["rpc"], r["calls_per_order"], r["client_p50_ms"], r["server_p50_ms"], r["hop_p50_ms"])
        for r in spans["peer_calls"])
    return f"""
### Where an unloaded PlaceOrder's time goes

From the services' own trace spans of the one-client run ({spans['orders']} PlaceOrders,
`tools/bench/span_breakdown.py`): PlaceOrder p50 **{spans['place_order_p50_ms']:.2f} ms**, of which
{spans['orchestrator_own_p50_ms']:.2f} ms outside its peer calls (the orchestrator's own reads, rules and
commits). Per peer call, the orchestrator's client span against the peer's handler span; the
difference is the hop itself (serialization, transport, thread hand-offs on both sides):

| peer call | per order | client p50 ms | handler p50 ms | hop p50 ms |
|---|---|---|---|---|
{rows}
"""


def rpc_styles_section(directory, figures):
    styles = optional(directory, "rpc_styles")
    if styles is None:
        return ""
    figures["rpc_styles"] = styles
    names = {"sync": "sync (gRPC's thread manager)", "callback": "callback, answered on gRPC's thread",
             "callback+pool": "callback, answered by a pool of %d threads" % styles["pool_threads"],
             "oms": "OMS GrpcServer (sync, the suite's interceptors)"}
    rows = "\n".join("| %s | %.0f us, %.0f us CPU | %.0f/s, %.0f us CPU | %.0f/s, %.0f us CPU | %s |" % (
        names[k], styles[k]["p50_us"], styles[k]["one_cpu_us"], styles[k]["blocking_per_second"],
        styles[k]["blocking_cpu_us"], styles[k]["callback_per_second"], styles[k]["callback_cpu_us"],
        "%.0f us, %.0f us CPU" % (styles[k]["paced_p50_us"], styles[k]["paced_cpu_us"])
        if "paced_p50_us" in styles[k] else "-")
        for k in ["sync", "callback", "callback+pool", "oms"] if k in styles)
    c = styles["clients"]
    return f"""
### gRPC's server and client styles on this machine

`tools/bench/rpc_styles`: grpc.health.v1.Health/Check on loopback without keys, client and
server in one process (CPU per call is both sides). A handler that blocks (a commit, a peer
call) may not run on gRPC's own callback thread, so the callback style the suite could use
is the pooled one. *Paced* is one call every 10 ms from one thread, so that client and
server idle between calls, as each service does between the hops of one unloaded order:
a call that wakes idle threads costs several times one that follows another.

| server | blocking client, 1 thread: p50, CPU/call | blocking, {c} threads | callback stub, {c} loops | paced, 1 thread: p50, CPU/call |
|---|---|---|---|---|
{rows}
"""


def unloaded_figures(place, limits, styles):
    """The floor of an unloaded order (its hops at the paced cost of a call, its commits each
    waiting for its own fsync) and the one-client run priced the same way. None when
    rpc_styles did not measure a paced call or the one-client run has no counters."""
    oms = (styles or {}).get("oms", {})
    cost = place["cost_per_order_unloaded"]
    if "paced_p50_us" not in oms or not limits.get("durable_commit_per_second") or not cost:
        return None
    commit_us = 1e6 / limits["durable_commit_per_second"]
    return {
        "paced_p50_us": oms["paced_p50_us"],
        "paced_cpu_us": oms["paced_cpu_us"],
        "durable_commit_us": commit_us,
        "p50_ms_floor": (FLOOR_CALLS * oms["paced_p50_us"] + FLOOR_COMMITS * commit_us) / 1000.0,
        "cpu_ms_ideal": (cost["calls"] * oms["paced_cpu_us"] + cost["commits"] * limits["durable_commit_cpu_us"]) / 1000.0,
    }


def unloaded_text(place):
    u = place.get("unloaded")
    if u is None:
        return ""
    cost = place["cost_per_order_unloaded"]
    return f"""- **Unloaded** (one client: every service idle between its calls, so each hop wakes
  sleeping threads): a call to the OMS server then costs p50 {u['paced_p50_us']:.0f} us and
  {u['paced_cpu_us']:.0f} us of CPU (the paced column above). The design floor's {FLOOR_CALLS} calls in a
  row and {FLOOR_COMMITS} durable commits (one writer, each waiting for its fsync: {u['durable_commit_us']:.0f} us) come to
  **{u['p50_ms_floor']:.1f} ms before any work is done**, against the 2 ms target and the measured p50 of
  {place['p50_ms_unloaded']:.1f} ms. At one client the suite made {cost['calls']:.1f} calls and
  {cost['commits']:.1f} commits per order: at those costs {u['cpu_ms_ideal']:.1f} ms of CPU, against
  {cost.get('cpu_ms', 0):.1f} ms measured.
"""


def main(directory, markdown_path, json_path):
    limits = load(directory, "limits")
    idle = load(directory, "idle")
    durable_key = "durable_group_commit_cpu_us" if "durable_group_commit_cpu_us" in limits else "commit_cpu_us"
    place = place_figures(directory, "", limits, durable_key)
    normal = place_figures(directory, "normal_", limits, "commit_cpu_us") if optional(directory, "normal_place_saturated") else None
    cost = place["cost_per_order"]
    growth = sorted((load(directory, os.path.basename(p)[:-5]) for p in glob.glob(os.path.join(directory, "growth_*.json"))),
                    key=lambda g: g["orders"])
    reads = {}
    for p in glob.glob(os.path.join(directory, "read_at_*.json")):
        size = int(os.path.basename(p)[len("read_at_"):-5])
        reads[size] = load(directory, "read_at_%d" % size)
    figures = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": "%s, %d cores" % (platform.machine(), limits["cores"]),
        "limits": limits,
        "place": place,
        "place_db_sync_normal": normal,
        "idle_rss_mb": idle["idle_rss_mb"],
        "growth": growth,
    }
    rows = []
    scenarios = ["reads_quiet", "place_unloaded", "place_saturated", "place_at_70pct", "allocate_race", "track", "mixed",
                 "place_8_clients", "place_with_webhook", "normal_place_unloaded", "normal_place_saturated",
                 "normal_place_at_70pct"]
    for name in scenarios:
        result = optional(directory, name)
        if result is None:
            continue
        runs = len(result.get("runs") or [])
        label = name + (" (median of %d)" % runs if runs > 1 else "")
        for r in result["rpcs"]:
            if r["rpc"] == "op":
                continue
            rows.append("| %s | %s | %d | %.1f | %s | %s | %s | %s | %d |" % (
                label, r["rpc"], result["concurrency"], r["per_second"], ms(r["p50_us"]),
                ms(r["p90_us"]), ms(r["p99_us"]), ms(r["max_us"]), r["failed"]))
    read_rows = []
    for size in sorted(reads):
        for name in ["GetOrder", "ListOrders"]:
            r = rpc(reads[size], name)
            read_rows.append("| %d | %s | %.1f | %s | %s | %s |" % (size, name, r["per_second"], ms(r["p50_us"]), ms(r["p90_us"]), ms(r["p99_us"])))
    growth_rows = []
    for g in growth:
        create = optional(directory, "create_to_%d" % g["orders"]) or {}
        c = rpc(create, "CreateOrder") if create else None
        growth_rows.append("| %d | %d | %d | %s | %s | %s |" % (
            g["orders"], g["order_store_mb"], g["rss_mb"], g.get("rss_anon_mb", "-"),
            "%.2f" % create["cost_per_operation"]["cpu_ms"] if create and "cpu_ms" in create.get("cost_per_operation", {}) else "-",
            "%.1f / %s" % (c["per_second"], ms(c["p99_us"])) if c else "-"))
    race = load(directory, "allocate_race")["verify"]
    notify_text = notify_section(directory, figures)
    medusa_text = medusa_section(directory, figures, load(directory, "place_8_clients")) if optional(directory, "place_8_clients") else "Not measured.\n"
    n = figures.get("notifications")
    webhook_p99 = n["webhook_wait_ms"]["p99"] if n else None
    med = figures.get("medusa")
    mode_rows = []
    for label, f in [("durable (default, `--db_sync=full`)", place), ("`--db_sync=normal`", normal)]:
        if f is None:
            continue
        mode_rows.append("| %s | %.1f | %.1f | %.1f | %.2f | %.1f / %.1f | %.0f%% | %.0f%% |" % (
            label, f["p50_ms_unloaded"], f["sustained_per_second"], f["p99_ms_at_70pct"], f["cpu_ms_per_order"],
            f["cost_per_order"]["calls"], f["cost_per_order"]["commits"], 100 * f["ratio"], 100 * f["ratio_to_floor"]))
    ideal = place["ideal_per_second"]
    spans_text = spans_section(directory, figures)
    styles_text = rpc_styles_section(directory, figures)
    place["unloaded"] = unloaded_figures(place, limits, figures.get("rpc_styles"))
    unloaded_floor = unloaded_text(place)
    repeats = len(place["runs_of"]["cpu_ms_per_order"])
    repeated = (f"""
PlaceOrder at one client, at 16 clients and at 70% is measured {repeats} times in a row each
(`BENCH_REPEAT`); its figures are the medians, with the range of the runs in brackets
(`tools/bench/repeats.py`).""" if repeats > 1 else "")
    text = f"""# Benchmarks

Generated by `tools/bench/bench.sh` on {figures['date']} ({figures['machine']}); raw JSON in
[benchmarks.json](benchmarks.json). Every figure below comes from the same run. The suite
runs built with `-c opt`, on fresh stores, as shipped: every store in WAL with
group commit and the WAL fsynced before an answer (an acknowledged commit is on disk, so
it survives a power loss as well as SIGKILL), the per-principal write limit off (`--write_rate=0`),
metrics and tracing as `./oms up` sets them, all six services on one machine with the load
generator. PlaceOrder is measured again on fresh stores with `--db_sync=normal`.{repeated}

## Issue 20's targets

| figure | measured | target | met |
|---|---|---|---|
| suite CPU per PlaceOrder (SQLite, durable) | {place['cpu_ms_per_order']:.2f} ms{spread(place, 'cpu_ms_per_order', '%.2f')} | <= 1.5 ms | {yes(0 < place['cpu_ms_per_order'] <= 1.5)} |
| PlaceOrder sustained, 16 clients | {place['sustained_per_second']:.0f}/s{spread(place, 'sustained_per_second', '%.0f')} = {100 * place['ratio']:.0f}% of the same-run ideal ({ideal:.0f}/s) | >= 50% of ideal | {yes(place['ratio'] >= 0.5)} |
| p99 at 70% of sustained | {place['p99_ms_at_70pct']:.1f} ms{spread(place, 'p99_ms_at_70pct')} at {place['rate_at_70pct']:.0f}/s offered | < 20 ms | {yes(place['p99_ms_at_70pct'] < 20)} |
| p50 unloaded (one client) | {place['p50_ms_unloaded']:.1f} ms{spread(place, 'p50_ms_unloaded')} | < 2 ms | {yes(place['p50_ms_unloaded'] < 2)} |
| webhook wait, orders at 70% for 60 s, e-mail dead, SMS without provider | {'p99 %.0f ms' % webhook_p99 if n else 'not measured'} | < 1 s | {yes(n is not None and webhook_p99 < 1000)} |
| idle RSS, all six | {idle['idle_rss_mb']} MB ({idle.get('idle_rss_anon_mb', '-')} MB anonymous; PSS, shared libraries counted once: {idle.get('idle_pss_mb', '-')} MB) | < 100 MB | {yes(idle['idle_rss_mb'] < 100)} |
| vs Medusa, same run | {'%.0fx orders/s, %.2f of its idle memory' % (med['orders_per_second_ratio'], med['idle_memory_ratio']) if med else 'not run (BENCH_PEERS=medusa)'} | >= 500x, <= 1/10 | {yes(med is not None and med['orders_per_second_ratio'] >= 500 and 0 < med['idle_memory_ratio'] <= 0.1)} |

## Limits of this machine (measured first)

| what | figure |
|---|---|
| gRPC unary round trip, loopback, OMS server with key-checking credentials | {limits['keyed_rpc_per_second']:.0f} calls/s from 16 threads; {limits['keyed_rpc_cpu_us']:.0f} us CPU per call (client and server); p50 {limits['keyed_rpc_p50_us']:.0f} us from one thread |
| same, plaintext server without keys | {limits['rpc_per_second']:.0f} calls/s; {limits['rpc_cpu_us']:.0f} us CPU; p50 {limits['rpc_p50_us']:.0f} us |
| SQLite single-row commit, WAL, synchronous=NORMAL, one writer | {limits['commit_per_second']:.0f} commits/s; {limits['commit_cpu_us']:.0f} us CPU |
| same, durable (the WAL fsynced before the answer), one writer | {limits.get('durable_commit_per_second', 0):.0f} commits/s; {limits.get('durable_commit_cpu_us', 0):.0f} us CPU (each waits for its own fsync) |
| same, durable, 16 writers (group commit) | {limits.get('durable_group_commit_per_second', 0):.0f} commits/s; {limits.get('durable_group_commit_cpu_us', 0):.0f} us CPU |
| an empty system call; a hand-off between two threads (mutex and condition variable) | {limits.get('syscall_cpu_us', 0):.2f} us CPU; {limits.get('hand_off_cpu_us', 0):.1f} us CPU per hand-off |
| seal one personal field (AES-256-GCM, as the stores keep it); open it | {limits.get('seal_cpu_us', 0):.2f} us CPU; {limits.get('open_cpu_us', 0):.2f} us CPU |
| an order serialized for its store, its 7 personal fields sealed (crypto::SerializeSealed) | {limits.get('sealed_order_cpu_us', 0):.2f} us CPU |
{styles_text}
## PlaceOrder against the ideal and the design floor

One PlaceOrder, counted from the services' own counters (GetServiceInfo `calls_served` and
`commits`, divided by the orders placed): **{cost['calls']:.1f} RPCs served and
{cost['commits']:.1f} commits** across the suite
({', '.join('%s %.1f/%.1f' % (k, v['calls'], v['commits']) for k, v in sorted(cost['services'].items()))}; calls/commits).

- **Ideal** (the hops and commits the suite makes, at the measured cost of each, durable
  group commit): {place['cpu_per_order_us_ideal']:.0f} us of CPU per order, so with {limits['cores']} cores
  {ideal:.0f} orders/s.
- **Design floor** (the fewest this architecture needs: the client's call to the
  orchestrator and its one call each to order_svc, inventory_svc and logistics_svc = {FLOOR_CALLS}
  RPCs; one commit in each of those four = {FLOOR_COMMITS} commits; the followers' batched
  commits counted as 0): {place['cpu_per_order_us_floor']:.0f} us per order, {place['floor_per_second']:.0f} orders/s.
- **Measured**: {place['sustained_per_second']:.0f} orders/s = {100 * place['ratio']:.0f}% of the ideal and
  {100 * place['ratio_to_floor']:.0f}% of the floor; the six services used **{place['cpu_ms_per_order']:.2f} ms of CPU per
  order** (GetServiceInfo `cpu_micros`), {place['cpu_ms_per_order'] * 1000 / place['cpu_per_order_us_ideal']:.1f} times the ideal and
  {place['cpu_ms_per_order'] * 1000 / place['cpu_per_order_us_floor']:.1f} times the floor.
{unloaded_floor}
Durable against NORMAL, both on fresh stores in this run:

| stores | p50 unloaded ms | sustained/s (16 clients) | p99 at 70% ms | CPU ms per order | RPCs / commits per order | of ideal | of floor |
|---|---|---|---|---|---|---|---|
{chr(10).join(mode_rows)}
{spans_text}
## Notifications while orders flow

{notify_text}
## OMS and Medusa side by side

{medusa_text}
## Every scenario

| run | rpc | clients | ok/s | p50 ms | p90 ms | p99 ms | max ms | failed |
|---|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

allocate-race check: {race}

## Growth

Reads (GetOrder by id, ListOrders filtered by channel and status, 20 per page) as order_svc
grows (CreateOrder straight into it):

| orders in order_svc | rpc | ok/s | p50 ms | p90 ms | p99 ms |
|---|---|---|---|---|---|
{chr(10).join(read_rows)}

| orders | order_svc store on disk (MB, with WAL) | RSS of all six services (MB) | of which anonymous (MB) | CPU ms per CreateOrder growing to it (all six) | CreateOrder/s, p99 ms growing to it (8 clients) |
|---|---|---|---|---|---|
{chr(10).join(growth_rows)}

What grows with what: each order is one `orders` row (the order as a serialized proto plus
the indexed columns), its status history rows, its outbox events (kept forever by default,
`--event_retention`), its idempotency entry (7 days) and its audit entries; the other
services add their own rows per order (workflow, reservations, shipment, facts,
notifications). Resident memory grows with the stores because SQLite maps them (up to 256
MiB per store, file-backed pages the kernel can drop) and caches up to 16 MiB of pages per
store; the anonymous part (heaps) is what the processes themselves hold.
"""
    # The hand-written analysis below the marker survives regeneration.
    notes = NOTES
    if os.path.exists(markdown_path):
        with open(markdown_path, encoding="utf-8") as f:
            old = f.read()
        if MARKER in old:
            notes = old[old.index(MARKER):]
    text += "\n" + notes
    with open(markdown_path, "w", encoding="utf-8") as f:
        f.write(text)
    # Keys this report does not write (growth.sh's "store_growth") are kept as they were.
    kept = {}
    if os.path.exists(json_path):
        with open(json_path, encoding="utf-8") as f:
            kept = {k: v for k, v in json.load(f).items() if k not in figures}
    with open(json_path, "w", encoding="utf-8") as f:
        json.dump({**figures, **kept}, f, indent=2)
        f.write("\n")


MARKER = "<!-- Written by hand below this line; tools/bench/report.py keeps it. -->"
NOTES = MARKER + """

## Where the time goes

(Profile notes go here.)
"""

if __name__ == "__main__":
    main(*sys.argv[1:4])

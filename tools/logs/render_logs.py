#!/usr/bin/env python3
"""Renders the services' JSON log lines (platform/base/log.h) for people, one per line:

  12:00:00.123 W order_svc  /oms.order.v1.OrderService/CancelOrder FAILED_PRECONDITION 1.2ms
      req_0f3c ops: failed: order ord_1 is SHIPPED ...

Lines that are not JSON (an older binary, a crash message) pass through unchanged.
Usage: render_logs.py < var/log/order_svc.log   (./oms logs SERVICE [-f] does this)
"""
import json
import sys

LEVELS = {"INFO": "I", "WARNING": "W", "ERROR": "E"}


def render(line):
    try:
        entry = json.loads(line)
    except ValueError:
        return line.rstrip("\n")
    if not isinstance(entry, dict) or "msg" not in entry:
        return line.rstrip("\n")
    time = entry.get("time", "")
    parts = [time[11:23] if len(time) >= 23 else time,
             LEVELS.get(entry.get("level", ""), "?"),
             entry.get("service", "")]
    call = [entry.get(k, "") for k in ("method", "status")]
    if "duration_ms" in entry:
        call.append("%.1fms" % entry["duration_ms"])
    call = [c for c in call if c]
    who = [entry.get(k, "") for k in ("request_id", "trace_id", "principal")]
    who = [w for w in who if w]
    head = " ".join(parts + call)
    tail = (" ".join(who) + ": " if who else "") + entry["msg"]
    return head + "  " + tail


def main():
    for line in sys.stdin:
        print(render(line), flush=True)


if __name__ == "__main__":
    try:
        main()
    except (BrokenPipeError, KeyboardInterrupt):
        pass

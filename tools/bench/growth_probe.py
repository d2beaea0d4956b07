#!/usr/bin/env python3
"""Measurements of tools/bench/growth.sh, read from the services' /metrics.

  growth_probe.py store --metrics=URL --out=F
      the store's size and newest feed sequence
  growth_probe.py catchup --source_metrics=URL --follower_metrics=URL --source=NAME --out=F -- START...
      runs START (which starts the follower), then waits until the follower's position in
      SOURCE's feed reaches the source's newest event: seconds, events/s, follower CPU
  growth_probe.py drain --port=P --count=N --metrics=URL --out=F [--protocol=smtp] -- START...
      serves a webhook sink on P (answers 200; an SMTP sink with --protocol=smtp), runs START
      (which starts notify_svc), and waits until the sink has received N messages: seconds,
      messages/s, notify_svc CPU, and the connections the sink accepted
"""
import argparse
import json
import re
import subprocess
import sys
import time
import urllib.request

from smtp_sink import SmtpSink
from webhook_sink import WebhookSink

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)$')


def scrape(url):
    """{(name, labels): value} of one /metrics page, or {} while it does not answer."""
    try:
        text = urllib.request.urlopen(url, timeout=5).read().decode()
    except OSError:
        return {}
    values = {}
    for line in text.splitlines():
        match = SAMPLE.match(line)
        if match:
            values[(match.group(1), match.group(2) or "")] = float(match.group(3))
    return values


def metric(values, name, **labels):
    for (found, label_text), value in values.items():
        if found == name and all(f'{k}="{v}"' in label_text for k, v in labels.items()):
            return value
    return None


def write(path, result):
    with open(path, "w") as out:
        json.dump(result, out)
    print(json.dumps(result))


def store(args):
    values = scrape(args.metrics)
    write(args.out, {"store_bytes": metric(values, "oms_store_size_bytes") or 0,
                     "wal_bytes": metric(values, "oms_store_wal_size_bytes") or 0,
                     "last_event_seq": metric(values, "oms_outbox_last_sequence") or 0})


def wait_for(done, timeout):
    """Polls done() every 0.2 s; answers the seconds it took, or None past timeout."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if done():
            return time.monotonic() - start
        time.sleep(0.2)
    return None


def start_and_time(command, metrics_url, done, timeout):
    """Runs command (a service's start), waits for done(); answers seconds and its CPU."""
    started = time.monotonic()
    subprocess.run(command, check=True)
    waited = wait_for(done, timeout)
    seconds = None if waited is None else time.monotonic() - started
    cpu = metric(scrape(metrics_url), "process_cpu_seconds_total")
    return seconds, cpu


def catchup(args):
    target = metric(scrape(args.source_metrics), "oms_outbox_last_sequence")
    if not target:
        sys.exit("catchup: the source's /metrics has no oms_outbox_last_sequence")

    def position():
        return metric(scrape(args.follower_metrics), "oms_feed_consumer_position",
                      source=args.source) or 0

    started = time.monotonic()
    first = []  # when the first event was applied: start-up and connection, apart from the work

    def caught_up():
        applied = position()
        if applied > 0 and not first:
            first.append(time.monotonic() - started)
        return applied >= target

    seconds, cpu = start_and_time(args.command, args.follower_metrics, caught_up, args.timeout)
    write(args.out, {"events": int(target), "seconds": seconds, "applied": int(position()),
                     "first_applied_after_seconds": first[0] if first else None,
                     "events_per_second": target / seconds if seconds else None,
                     "follower_cpu_seconds": cpu,
                     "cpu_us_per_event": cpu * 1e6 / target if cpu else None})


def drain(args):
    sink = SmtpSink(args.port) if args.protocol == "smtp" else WebhookSink(args.port)
    seconds, cpu = start_and_time(args.command, args.metrics,
                                  lambda: sink.received >= args.count, args.timeout)
    sink.close()
    write(args.out, {"messages": args.count, "received": sink.received, "seconds": seconds,
                     "protocol": args.protocol,
                     "connections": sink.connections,
                     "messages_per_second": args.count / seconds if seconds else None,
                     "notify_cpu_seconds": cpu,
                     "cpu_us_per_message": cpu * 1e6 / args.count if cpu else None})


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("store")
    p.add_argument("--metrics", required=True)
    p.add_argument("--out", required=True)
    p = sub.add_parser("catchup")
    p.add_argument("--source_metrics", required=True)
    p.add_argument("--follower_metrics", required=True)
    p.add_argument("--source", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--timeout", type=float, default=3600)
    p.add_argument("command", nargs="+")
    p = sub.add_parser("drain")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--metrics", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--timeout", type=float, default=3600)
    p.add_argument("--protocol", choices=["http", "smtp"], default="http")
    p.add_argument("command", nargs="+")
    args = parser.parse_args()
    {"store": store, "catchup": catchup, "drain": drain}[args.what](args)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""How long deliverable notifications wait while orders flow, for tools/bench/bench.sh.

Subscribes a webhook (an HTTP sink in this process that answers 200) to OrderCreated, runs the
load command given after `--` (loadgen placing orders), and then reads notify_svc's message
log: for every webhook message, created -> sent; and per channel, how many messages are
still waiting (QUEUED, FAILED, SENDING) when the load ends. E-mail goes to an SMTP address
nothing listens on under the bench's suite, so it is the dead channel the webhook must not
queue behind (SMS has no provider: its messages are SUPPRESSED when made).

  notify_latency.py --notify=HOST:PORT --key_file=F --out=F.json -- LOADGEN ARGS...
"""
import argparse
import json
import subprocess
import sys
import time

import grpc
from google.protobuf import json_format

from oms.notify.v1 import notify_pb2, notify_pb2_grpc
from webhook_sink import WebhookSink


def micros(timestamp):
    return timestamp.seconds * 1_000_000 + timestamp.nanos // 1000


def percentile(values, share):
    if not values:
        return 0
    values = sorted(values)
    return values[min(len(values) - 1, int(share * len(values)))]


def all_messages(stub, metadata, **filters):
    token = ""
    while True:
        page = stub.ListMessages(notify_pb2.ListMessagesRequest(page_size=1000, page_token=token, **filters),
                                 metadata=metadata, timeout=30)
        yield from page.messages
        token = page.next_page_token
        if not token:
            return


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--notify", required=True)
    parser.add_argument("--key_file", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--settle_seconds", type=float, default=5)
    parser.add_argument("load", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    load = args.load[1:] if args.load and args.load[0] == "--" else args.load

    sink = WebhookSink()
    with open(args.key_file, encoding="utf-8") as f:
        metadata = [("authorization", "Bearer " + f.read().strip())]
    stub = notify_pb2_grpc.NotifyServiceStub(grpc.insecure_channel(args.notify))
    recipient = notify_pb2.Recipient(
        recipient_id="bench-erp", kind=notify_pb2.Recipient.WEBHOOK, name="bench ERP",
        audiences=[notify_pb2.ERP], event_types=["OrderCreated"],
        webhook_url="http://127.0.0.1:%d/hook" % sink.port)
    stub.SaveRecipient(notify_pb2.SaveRecipientRequest(idempotency_key="bench-erp-%d" % time.time(),
                                                       recipient=recipient),
                       metadata=metadata, timeout=10)

    started = time.time()
    subprocess.run(load, check=False)
    ended = time.time()

    waiting = {}
    statuses = [notify_pb2.Message.QUEUED, notify_pb2.Message.FAILED, notify_pb2.Message.SENDING]
    for message in all_messages(stub, metadata, statuses=statuses):
        name = notify_pb2.Channel.Name(message.channel)
        waiting[name] = waiting.get(name, 0) + 1
    # Give the courier a moment to finish what was in flight at the end, then read the log.
    time.sleep(args.settle_seconds)
    waits_ms, unsent = [], 0
    for message in all_messages(stub, metadata, channel=notify_pb2.WEBHOOK):
        if micros(message.created_at) < started * 1e6:
            continue
        if message.status == notify_pb2.Message.SENT:
            waits_ms.append((micros(message.sent_at) - micros(message.created_at)) / 1000.0)
        else:
            unsent += 1
    result = {
        "load_seconds": ended - started,
        "webhook_messages": len(waits_ms) + unsent,
        "webhook_sent": len(waits_ms),
        "webhook_unsent_after_settle": unsent,
        "webhook_wait_ms": {"p50": percentile(waits_ms, 0.5), "p99": percentile(waits_ms, 0.99),
                            "max": max(waits_ms) if waits_ms else 0},
        "webhook_requests_received": sink.received,
        "waiting_at_end_by_channel": waiting,
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
    print(json.dumps(result, indent=2))
    sink.close()


if __name__ == "__main__":
    sys.exit(main())

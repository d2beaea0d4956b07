#!/usr/bin/env python3
"""An ERP's day with OMS, end to end, through the generated Python stubs:

  1. three sales documents become orders (PlaceOrder, idempotency key = document number);
     one is sent twice, as an ERP's outbound queue does after a timeout: same order back;
  2. a document with bad data is refused with INVALID_ARGUMENT naming each bad field;
  3. the ERP follows status changes through order_svc's event feed: a poll (ListEvents)
     from its saved cursor, then a live stream (WatchEvents);
  4. the bank reports two payments: RecordPayment, after which the orchestrator allocates
     those orders and makes their labels (the stream shows them reach ALLOCATED; SHIPPED
     follows when the carrier picks them up);
  5. reports: order statistics and the ORDER_STATS export as CSV.

Prints what it did, and with --json writes a summary (integration_tests:python_erp_test
checks it against the suite). Exit status 0 only if every step went as described.

  erp_example.py --orchestrator=127.0.0.1:50050 --order=127.0.0.1:50051 \\
      --analytics=127.0.0.1:50055 --writer_key_file=var/auth/erp.key \\
      --reader_key_file=var/auth/reader.key --skus=TEA-LONGJING-250G,CUP-CELADON
"""

import argparse
import json
import sys
import time

from oms.analytics.v1 import analytics_pb2
from oms.order.v1 import order_pb2
from oms_client import ErpClient, OmsError, read_key

ALLOCATED = order_pb2.OrderStatus.Name(order_pb2.ALLOCATED)


def customer(name, phone, email, region="East", city="Shanghai"):
    return order_pb2.Customer(
        name=name, phone=phone, email=email,
        shipping_address=order_pb2.Address(country_code="CN", region=region, city=city,
                                           postal_code="200001", street="1 Nanjing Rd"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orchestrator", required=True)
    parser.add_argument("--order", required=True)
    parser.add_argument("--analytics", required=True)
    parser.add_argument("--writer_key_file", required=True, help="ORDER_WRITER key (erp.key)")
    parser.add_argument("--reader_key_file", required=True, help="READER key (reader.key)")
    parser.add_argument("--skus", required=True, help="two or more skus in stock, comma-separated")
    parser.add_argument("--prefix", default="SO-2026-", help="ERP document number prefix")
    parser.add_argument("--wait", type=float, default=60, help="seconds to wait for the suite")
    parser.add_argument("--json", help="write a summary here")
    args = parser.parse_args()
    skus = args.skus.split(",")
    erp = ErpClient(args.orchestrator, args.order, args.analytics,
                    read_key(args.writer_key_file), read_key(args.reader_key_file))
    summary = {}

    # 1. Orders, one of them sent twice.
    documents = {
        args.prefix + "0001": (customer("王芳", "+86 138 0013 8000", "wang.fang@example.cn"),
                               [(skus[0], 2, 12800)], order_pb2.PREPAID),
        args.prefix + "0002": (customer("李娜", "+86 139 0013 9000", "li.na@example.cn"),
                               [(skus[0], 1, 12800), (skus[1], 4, 3900)], order_pb2.PREPAID),
        args.prefix + "0003": (customer("Acme Trading", "+86 21 5555 0100", "ap@acme.example"),
                               [(skus[1], 10, 3500)], order_pb2.CREDIT_TERMS),
    }
    placed = {}
    for doc, (cust, lines, method) in documents.items():
        response = erp.place_order(doc, cust, lines, method)
        placed[doc] = response.order_id
        print("placed %s as %s: status %s, stage %s" % (
            doc, response.order_id, order_pb2.OrderStatus.Name(response.status),
            response.stage))
    again = erp.place_order(args.prefix + "0001", *documents[args.prefix + "0001"])
    summary["retry_same_order"] = again.order_id == placed[args.prefix + "0001"]
    print("sent %s0001 again: %s" % (args.prefix, "same order" if summary["retry_same_order"]
                                     else "A SECOND ORDER"))
    summary["orders"] = placed

    # 2. Bad data is refused, naming the fields.
    try:
        erp.place_order(args.prefix + "0004", customer("", "not a phone", "x"), [(skus[0], 0, -1)])
        summary["invalid_refused"] = ""
    except OmsError as e:
        summary["invalid_refused"] = "%s: %s" % (e.code.name, e.details)
        print("refused as expected:", summary["invalid_refused"])

    # 3. Status changes: poll from the saved cursor (0: a new integration)...
    statuses, cursor = {}, 0
    changes, cursor = erp.poll_status_changes(cursor)
    for seq, change in changes:
        statuses[change.order_id] = order_pb2.OrderStatus.Name(change.to_status)
    print("polled %d status changes, cursor now %d" % (len(changes), cursor))

    # 4. Payments for the two prepaid orders; then follow the stream until they are ready to
    #    ship (stock reserved, labels made).
    paid = [placed[args.prefix + "0001"], placed[args.prefix + "0002"]]
    for order_id, reference in zip(paid, ["BANK-88001", "BANK-88002"]):
        order = erp.get_order(order_id)
        erp.record_payment(order_id, order.total.minor_units, reference)
        erp.record_payment(order_id, order.total.minor_units, reference)  # a duplicate bank line
        print("payment %s recorded for %s (%d.%02d %s)" % (
            reference, order_id, order.total.minor_units // 100, order.total.minor_units % 100,
            order.total.currency_code))
    deadline = time.time() + args.wait
    while not all(statuses.get(o) == ALLOCATED for o in paid) and time.time() < deadline:
        for seq, change in erp.watch_status_changes(cursor, timeout=deadline - time.time()):
            statuses[change.order_id] = order_pb2.OrderStatus.Name(change.to_status)
            cursor = seq
            print("  seq %d: %s %s -> %s" % (seq, change.order_id,
                                             order_pb2.OrderStatus.Name(change.from_status),
                                             statuses[change.order_id]))
            if all(statuses.get(o) == ALLOCATED for o in paid):
                break
    summary["statuses"] = {order_id: statuses.get(order_id, "") for order_id in placed.values()}
    summary["payments"] = {order_id + ":payment": order_pb2.Payment.Status.Name(
        erp.get_order(order_id).payment.status) for order_id in paid}
    summary["cursor"] = cursor

    # 5. Reports, once analytics has taken in the orders (it follows the feeds too).
    stats = erp.order_stats()
    while stats.orders < len(placed) and time.time() < deadline:
        time.sleep(0.2)
        stats = erp.order_stats()
    summary["report_orders"] = stats.orders
    csv = erp.export_csv(analytics_pb2.ExportReportRequest.ORDER_STATS)
    summary["csv_header"] = csv.splitlines()[0] if csv else ""
    print("order statistics: %d orders; CSV export %d lines, header: %s" % (
        stats.orders, len(csv.splitlines()), summary["csv_header"]))

    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, ensure_ascii=False, indent=2)
    ok = (summary["retry_same_order"] and summary["invalid_refused"].startswith("INVALID_ARGUMENT")
          and all(statuses.get(o) == ALLOCATED for o in paid)
          and stats.orders >= len(placed) and summary["csv_header"])
    print("ERP example:", "all steps done" if ok else "NOT ALL STEPS DONE")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

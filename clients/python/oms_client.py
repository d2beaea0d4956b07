"""A small Python client for OMS, on the stubs generated from protos/ (see README.md).

It adds only what every integration needs around the generated stubs: the API key on each
call, deadlines, and retries that are safe because every write carries an idempotency key
(a retried PlaceOrder or RecordPayment has no second effect, so a timeout is simply retried
with the same key).
"""

import time

import grpc

from oms.analytics.v1 import analytics_pb2, analytics_pb2_grpc
from oms.common.v1 import common_pb2
from oms.events.v1 import events_pb2, events_pb2_grpc
from oms.orchestrator.v1 import orchestrator_pb2, orchestrator_pb2_grpc
from oms.order.v1 import order_pb2, order_pb2_grpc

# Worth retrying with the same idempotency key: the call may not have reached the service,
# or its answer may have been lost on the way back.
TRANSIENT = (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED,
             grpc.StatusCode.RESOURCE_EXHAUSTED)


class OmsError(Exception):
    """A call that failed for good: `code` is the gRPC status code, `details` its message
    (INVALID_ARGUMENT names every bad field)."""

    def __init__(self, method, code, details):
        super().__init__("%s: %s: %s" % (method, code.name, details))
        self.method, self.code, self.details = method, code, details


def channel_target(address):
    """The gRPC target for an address as users write it: several replicas as a
    comma-separated list of host:port get the ipv4: (or ipv6:) scheme gRPC needs for it."""
    if "," not in address or address.split(":", 1)[0] in ("dns", "ipv4", "ipv6", "unix"):
        return address
    return ("ipv6:" if address.startswith("[") else "ipv4:") + address


def read_key(path):
    with open(path) as f:
        return f.read().strip()


class Connection:
    """One service (one address, or its replicas as `host:port,host:port` or a
    `dns:///name:port`, called round-robin) and one API key (`<key id>.<secret>` as
    tools/keys prints it)."""

    def __init__(self, address, key, timeout=10.0, attempts=4, backoff=0.2):
        # Plaintext is served to loopback only; across hosts use grpc.ssl_channel_credentials
        # with the suite's --tls_* flags (docs/SECURITY.md).
        self.channel = grpc.insecure_channel(
            channel_target(address), options=[("grpc.lb_policy_name", "round_robin")])
        self.metadata = (("authorization", "Bearer " + key),)
        self.timeout, self.attempts, self.backoff = timeout, attempts, backoff

    def call(self, method, request, name):
        delay = self.backoff
        for attempt in range(self.attempts):
            try:
                return method(request, metadata=self.metadata, timeout=self.timeout)
            except grpc.RpcError as e:
                if e.code() not in TRANSIENT or attempt + 1 == self.attempts:
                    raise OmsError(name, e.code(), e.details()) from None
                time.sleep(delay)
                delay *= 2

    def stream(self, method, request, timeout=None):
        return method(request, metadata=self.metadata, timeout=timeout)


def money(minor_units, currency="CNY"):
    return common_pb2.Money(currency_code=currency, minor_units=minor_units)


class ErpClient:
    """What an ERP does with OMS: place orders, follow their status, record payments, read
    reports. Writes need an ORDER_WRITER key (bound to the ERP channel by `tools/keys add`);
    the event feed and the reports need a READER key."""

    def __init__(self, orchestrator, order, analytics, writer_key, reader_key):
        self.writer_orchestrator = Connection(orchestrator, writer_key)
        self.writer_order = Connection(order, writer_key)
        self.reader_order = Connection(order, reader_key)
        self.reader_analytics = Connection(analytics, reader_key)
        self.orchestrator = orchestrator_pb2_grpc.OrchestratorServiceStub(
            self.writer_orchestrator.channel)
        self.orders = order_pb2_grpc.OrderServiceStub(self.writer_order.channel)
        self.feed = events_pb2_grpc.EventFeedStub(self.reader_order.channel)
        self.analytics = analytics_pb2_grpc.AnalyticsServiceStub(self.reader_analytics.channel)

    # ---- orders

    def place_order(self, document_no, customer, lines, payment_method=order_pb2.PREPAID,
                    currency="CNY"):
        """Places the ERP sales document `document_no` once: its number is both the order's
        external reference and the idempotency key, so sending it again (after a timeout,
        or a restart of the ERP's outbound queue) answers the same order."""
        request = orchestrator_pb2.PlaceOrderRequest(
            idempotency_key="erp:" + document_no,
            order=order_pb2.CreateOrderRequest(
                channel=order_pb2.ERP, external_reference=document_no, customer=customer,
                lines=[order_pb2.OrderLine(sku=sku, quantity=qty, unit_price=money(price, currency))
                       for sku, qty, price in lines],
                currency_code=currency, payment_method=payment_method, actor="erp"))
        return self.writer_orchestrator.call(self.orchestrator.PlaceOrder, request, "PlaceOrder")

    def get_order(self, order_id):
        return self.writer_order.call(self.orders.GetOrder,
                                      order_pb2.GetOrderRequest(order_id=order_id), "GetOrder")

    def record_payment(self, order_id, amount, reference, currency="CNY"):
        """Books an incoming payment; `reference` (the bank transaction) is the idempotency key."""
        request = order_pb2.RecordPaymentRequest(
            idempotency_key="erp-pay:" + reference, order_id=order_id,
            status=order_pb2.Payment.PAID, amount=money(amount, currency), reference=reference,
            actor="erp")
        return self.writer_order.call(self.orders.RecordPayment, request, "RecordPayment")

    # ---- status changes (order_svc's event feed)

    def poll_status_changes(self, after_seq, limit=500):
        """One page of status changes after the cursor `after_seq`: a list of
        (seq, OrderStatusChanged) and the cursor to keep for the next poll."""
        response = self.reader_order.call(
            self.feed.ListEvents,
            events_pb2.ListEventsRequest(after_seq=after_seq, limit=limit,
                                         types=["OrderStatusChanged"]),
            "ListEvents")
        changes = []
        for event in response.events:
            change = order_pb2.OrderStatusChanged()
            event.payload.Unpack(change)
            changes.append((event.seq, change))
            after_seq = event.seq
        return changes, after_seq

    def watch_status_changes(self, after_seq, timeout):
        """Status changes as they happen (a server stream), from the cursor on, until
        `timeout` seconds have passed; yields (seq, OrderStatusChanged)."""
        stream = self.reader_order.stream(
            self.feed.WatchEvents,
            events_pb2.WatchEventsRequest(after_seq=after_seq, types=["OrderStatusChanged"]),
            timeout=timeout)
        try:
            for event in stream:
                change = order_pb2.OrderStatusChanged()
                event.payload.Unpack(change)
                yield event.seq, change
        except grpc.RpcError as e:
            if e.code() != grpc.StatusCode.DEADLINE_EXCEEDED:
                raise OmsError("WatchEvents", e.code(), e.details()) from None

    # ---- reports (analytics_svc)

    def order_stats(self):
        return self.reader_analytics.call(
            self.analytics.GetOrderStats,
            analytics_pb2.GetOrderStatsRequest(granularity=analytics_pb2.DAY), "GetOrderStats")

    def sales_report(self, top=10):
        return self.reader_analytics.call(self.analytics.GetSalesReport,
                                          analytics_pb2.GetSalesReportRequest(top=top),
                                          "GetSalesReport")

    def export_csv(self, report):
        chunks = self.reader_analytics.stream(
            self.analytics.ExportReport, analytics_pb2.ExportReportRequest(report=report),
            timeout=30)
        return b"".join(chunk.data for chunk in chunks).decode("utf-8")

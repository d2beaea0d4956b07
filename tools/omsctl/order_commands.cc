// omsctl's orders area: placing, reading and changing orders, and returns after delivery.
#include "tools/omsctl/command_list.h"

namespace oms::omsctl {
namespace {

// Orders (1 of 2)
std::vector<Command> OrderCommands1() {
  using T = Target;
  return {{"orders",
           "place",
           T::kOrchestrator,
           kOrchestrator,
           "PlaceOrder",
           "",
           {},
           false,
           "place an order end to end (review, allocation, shipping): the order as JSON with "
           "--request=FILE (or - for stdin), {\"idempotency_key\": ..., \"order\": {...}}"},
          {"orders",
           "show",
           T::kOrder,
           kOrder,
           "GetOrder",
           "order_id",
           {},
           false,
           "one order: customer, lines, totals, status, payment"},
          {"orders",
           "list",
           T::kOrder,
           kOrder,
           "ListOrders",
           "",
           {},
           false,
           "orders, newest first; filters: statuses= channels= customer_phone= customer_email= "
           "page_size= page_token="},
          {"orders",
           "history",
           T::kOrder,
           kOrder,
           "GetOrderHistory",
           "order_id",
           {},
           false,
           "an order's status changes, oldest first"},
          {"orders",
           "cancel",
           T::kOrchestrator,
           kOrchestrator,
           "CancelOrder",
           "order_id",
           {"actor=omsctl"},
           false,
           "cancel an order until the carrier picks it up (labels cancelled, stock released, "
           "payment refunded); reason= is required"},
          {"orders",
           "hold",
           T::kOrchestrator,
           kOrchestrator,
           "HoldOrder",
           "order_id",
           {"actor=omsctl"},
           false,
           "stop an order's workflow where it is (until pickup); reason= is required"},
          {"orders",
           "release",
           T::kOrchestrator,
           kOrchestrator,
           "ReleaseHold",
           "order_id",
           {"actor=omsctl"},
           false,
           "resume a held order; reason= optional"}};
}

// Orders (2 of 2)
std::vector<Command> OrderCommands2() {
  using T = Target;
  return {{"orders",
           "amend",
           T::kOrchestrator,
           kOrchestrator,
           "AmendOrder",
           "order_id",
           {"actor=omsctl"},
           false,
           "change an order until pickup (stock and labels follow): reason= and any of "
           "customer_name= customer_phone= customer_email= shipping_address.region= ... notes= "
           "urgency= requested_delivery_date=, or the new lines with --request=FILE "
           "({\"lines\": {\"lines\": [{\"sku\": ..., \"quantity\": ..., \"unit_price\": "
           "...}]}}: every line, they replace the order's)"},
          {"orders",
           "pay",
           T::kOrder,
           kOrder,
           "RecordPayment",
           "order_id",
           {"actor=omsctl", "status=PAID"},
           false,
           "record a payment: amount.minor_units= amount.currency_code= reference="},
          {"orders",
           "refund",
           T::kOrder,
           kOrder,
           "RecordPayment",
           "order_id",
           {"actor=omsctl", "status=REFUNDED"},
           false,
           "refund part of the payment (a goodwill refund; at most what is left of it): "
           "amount.minor_units= amount.currency_code= reference="}};
}

// Returns after delivery
std::vector<Command> ReturnCommands() {
  using T = Target;
  return {{"returns",
           "request",
           T::kOrchestrator,
           kOrchestrator,
           "RequestReturn",
           "order_id",
           {},
           false,
           "a delivered order's customer sends goods back: reason= and the lines with "
           "--request=FILE ({\"lines\": [{\"sku\": ..., \"quantity\": ...}]}); the return id is "
           "ORDER_ID/return"},
          {"returns",
           "receive",
           T::kOrchestrator,
           kOrchestrator,
           "ReceiveReturn",
           "return_id",
           {},
           false,
           "the goods arrived at warehouse_id= (restocked unless damaged); as requested, or what "
           "came with --request=FILE (lines with damaged: true for what cannot be sold)"},
          {"returns",
           "refund",
           T::kOrchestrator,
           kOrchestrator,
           "RefundReturn",
           "return_id",
           {},
           false,
           "refund what the received units were paid (their share of discount and tax; not "
           "shipping)"}};
}

}  // namespace

std::vector<Command> OrderCommands() {
  std::vector<Command> all = OrderCommands1();
  for (auto* area : {&OrderCommands2, &ReturnCommands}) {
    std::vector<Command> some = area();
    all.insert(all.end(), some.begin(), some.end());
  }
  return all;
}

}  // namespace oms::omsctl

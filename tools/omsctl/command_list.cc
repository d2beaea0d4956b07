// Every omsctl command, by area: what it calls and how (commands.h describes a Command).
#include "tools/omsctl/command_list.h"

namespace oms::omsctl {
namespace {

const char kOrchestrator[] = "oms.orchestrator.v1.OrchestratorService";
const char kOrder[] = "oms.order.v1.OrderService";
const char kInventory[] = "oms.inventory.v1.InventoryService";
const char kLogistics[] = "oms.logistics.v1.LogisticsService";
const char kAnalytics[] = "oms.analytics.v1.AnalyticsService";
const char kFeed[] = "oms.events.v1.EventFeed";
const char kAudit[] = "oms.security.v1.AuditLog";

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
           "urgency= requested_delivery_date=, or --request=FILE for lines"},
          {"orders",
           "pay",
           T::kOrder,
           kOrder,
           "RecordPayment",
           "order_id",
           {"actor=omsctl", "status=PAID"},
           false,
           "record a payment: amount.minor_units= amount.currency_code= reference="}};
}

// Review queue
std::vector<Command> ReviewQueueCommands() {
  using T = Target;
  return {{"orders",
           "workflow",
           T::kOrchestrator,
           kOrchestrator,
           "GetWorkflow",
           "order_id",
           {},
           false,
           "where the orchestrator has the order: stage, deadline, shipments, last error"},
          {"review",
           "list",
           T::kOrchestrator,
           kOrchestrator,
           "ListReviewQueue",
           "",
           {},
           false,
           "orders waiting for a person's review"},
          {"review",
           "approve",
           T::kOrchestrator,
           kOrchestrator,
           "ApproveOrder",
           "order_id",
           {"reviewer=omsctl"},
           false,
           "approve a held order (it is then allocated); note= optional"}};
}

// Exceptions
std::vector<Command> ExceptionCommands() {
  using T = Target;
  return {
      {"review",
       "reject",
       T::kOrchestrator,
       kOrchestrator,
       "RejectOrder",
       "order_id",
       {"reviewer=omsctl"},
       false,
       "reject a held order; note= says why"},
      {"exceptions",
       "list",
       T::kOrchestrator,
       kOrchestrator,
       "ListExceptions",
       "",
       {},
       false,
       "exception tickets; filters: type= status= order_id= assignee= overdue_only=true"},
      {"exceptions",
       "show",
       T::kOrchestrator,
       kOrchestrator,
       "GetException",
       "ticket_id",
       {},
       false,
       "one ticket with its notes and history"},
      {"exceptions",
       "assign",
       T::kOrchestrator,
       kOrchestrator,
       "AssignException",
       "ticket_id",
       {"actor=omsctl"},
       false,
       "hand a ticket to assignee="},
      {"exceptions",
       "resolve",
       T::kOrchestrator,
       kOrchestrator,
       "ResolveException",
       "ticket_id",
       {"actor=omsctl"},
       false,
       "carry out resolution= (RESHIP, CANCEL_ORDER, WAIT_FOR_STOCK, CONTACT_CUSTOMER, NO_ACTION, "
       "SUBSTITUTE, REFUND) and mark the ticket RESOLVED; note= optional"}};
}

// Catalogue
std::vector<Command> CatalogueCommands() {
  using T = Target;
  return {{"exceptions",
           "close",
           T::kOrchestrator,
           kOrchestrator,
           "CloseException",
           "ticket_id",
           {"actor=omsctl"},
           false,
           "close a resolved ticket"},
          {"products",
           "list",
           T::kInventory,
           kInventory,
           "ListProducts",
           "",
           {},
           false,
           "the catalogue; filters: category="},
          {"products",
           "show",
           T::kInventory,
           kInventory,
           "GetProduct",
           "sku",
           {},
           false,
           "one product"},
          {"products",
           "create",
           T::kInventory,
           kInventory,
           "CreateProduct",
           "",
           {},
           false,
           "add a product: --request=FILE with {\"product\": {...}} or product.sku= product.name= "
           "product.unit_price.minor_units= ..."},
          {"warehouses",
           "list",
           T::kInventory,
           kInventory,
           "ListWarehouses",
           "",
           {},
           false,
           "the warehouses"}};
}

// Stock
std::vector<Command> StockCommands() {
  using T = Target;
  return {{"warehouses",
           "create",
           T::kInventory,
           kInventory,
           "CreateWarehouse",
           "",
           {},
           false,
           "add a warehouse: warehouse.warehouse_id= warehouse.name= warehouse.region= ..."},
          {"stock",
           "show",
           T::kInventory,
           kInventory,
           "GetStock",
           "sku",
           {},
           false,
           "on hand, reserved and available per warehouse"},
          {"stock",
           "list",
           T::kInventory,
           kInventory,
           "ListStock",
           "",
           {},
           false,
           "stock levels; filters: sku= warehouse_id= category= below_safety_stock_only=true"},
          {"stock",
           "receive",
           T::kInventory,
           kInventory,
           "AdjustStock",
           "sku",
           {"reason=RECEIPT", "actor=omsctl"},
           false,
           "goods in: warehouse_id= delta= (units received); serves waiting backorders"},
          {"stock",
           "adjust",
           T::kInventory,
           kInventory,
           "AdjustStock",
           "sku",
           {"actor=omsctl"},
           false,
           "a correction: warehouse_id= delta= (+/-) reason= (DAMAGE, LOSS, CYCLE_COUNT...)"},
          {"stock",
           "backorders",
           T::kInventory,
           kInventory,
           "ListBackorders",
           "",
           {},
           false,
           "order lines waiting for stock"}};
}

// Shipments
std::vector<Command> ShipmentCommands() {
  using T = Target;
  return {{"stock",
           "check",
           T::kInventory,
           kInventory,
           "CheckInvariants",
           "",
           {},
           false,
           "verify on hand = available + reserved everywhere, and that nothing is oversold"},
          {"shipments",
           "list",
           T::kLogistics,
           kLogistics,
           "ListShipments",
           "",
           {},
           false,
           "shipments, newest first; filters: order_id= carrier_id= states="},
          {"shipments",
           "show",
           T::kLogistics,
           kLogistics,
           "GetShipment",
           "shipment_id",
           {},
           false,
           "one shipment"},
          {"shipments",
           "pickup",
           T::kLogistics,
           kLogistics,
           "ConfirmPickup",
           "shipment_id",
           {"actor=omsctl"},
           false,
           "the warehouse handed the parcel to the carrier (when the carrier sends no scan)"}};
}

// Feeds and audit, against any service
std::vector<Command> FeedAndAuditCommands() {
  using T = Target;
  return {{"shipments",
           "track",
           T::kLogistics,
           kLogistics,
           "GetTracking",
           "tracking_number",
           {},
           false,
           "a parcel's shipment and its tracking timeline"},
          {"feed",
           "list",
           T::kChosen,
           kFeed,
           "ListEvents",
           "",
           {},
           false,
           "a service's events from a cursor, to replay or inspect: omsctl feed list order "
           "after_seq=0 limit=100 types=OrderStatusChanged"},
          {"feed",
           "watch",
           T::kChosen,
           kFeed,
           "WatchEvents",
           "",
           {},
           true,
           "a service's events replayed from after_seq= and then followed live until --timeout "
           "(e.g. --timeout=1h); types= to filter"}};
}

// Reports (1 of 2)
std::vector<Command> ReportCommands1() {
  using T = Target;
  return {{"audit",
           "list",
           T::kChosen,
           kAudit,
           "ListAuditLog",
           "",
           {},
           false,
           "who changed what on a service: omsctl audit list order principal= method="},
          {"reports",
           "orders",
           T::kAnalytics,
           kAnalytics,
           "GetOrderStats",
           "",
           {},
           false,
           "orders and revenue by period and channel; granularity=DAY|WEEK|MONTH"},
          {"reports",
           "stages",
           T::kAnalytics,
           kAnalytics,
           "GetStageDurations",
           "",
           {},
           false,
           "processing time per stage, with the slowest orders"},
          {"reports",
           "exceptions",
           T::kAnalytics,
           kAnalytics,
           "GetExceptionStats",
           "",
           {},
           false,
           "exception rates by type and resolution times"},
          {"reports",
           "sales",
           T::kAnalytics,
           kAnalytics,
           "GetSalesReport",
           "",
           {},
           false,
           "sales by sku (top= N)"},
          {"reports",
           "carriers",
           T::kAnalytics,
           kAnalytics,
           "GetCarrierPerformance",
           "",
           {},
           false,
           "carrier on-time, delay and loss rates"},
          {"reports",
           "inventory",
           T::kAnalytics,
           kAnalytics,
           "GetInventoryHealth",
           "",
           {},
           false,
           "stock health: below safety stock, backorders, sell-through"}};
}

// Reports (2 of 2)
std::vector<Command> ReportCommands2() {
  using T = Target;
  return {{"reports",
           "export",
           T::kAnalytics,
           kAnalytics,
           "ExportReport",
           "report",
           {},
           true,
           "a report as CSV on stdout: ORDER_STATS, STAGE_DURATIONS, EXCEPTION_STATS, SALES, "
           "CARRIER_PERFORMANCE, INVENTORY_HEALTH, CUSTOMER_SEGMENTS, NOTIFICATIONS"}};
}

}  // namespace

std::vector<Command> AllCommands() {
  std::vector<Command> all;
  for (auto* area : {&OrderCommands1, &OrderCommands2, &ReviewQueueCommands, &ExceptionCommands,
                     &CatalogueCommands, &StockCommands, &ShipmentCommands, &FeedAndAuditCommands,
                     &ReportCommands1, &ReportCommands2}) {
    std::vector<Command> some = area();
    all.insert(all.end(), some.begin(), some.end());
  }
  return all;
}

}  // namespace oms::omsctl

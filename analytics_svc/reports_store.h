// Every SELECT of analytics_svc: the fact tables read back as plain rows for the reports
// (reports.h) to compose. Each function runs inside the caller's read transaction, so one
// report sees one snapshot.
#ifndef OMS_ANALYTICS_SVC_REPORTS_STORE_H_
#define OMS_ANALYTICS_SVC_REPORTS_STORE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "platform/storage/database.h"

namespace oms::analytics::reports_store {

// [from_us, to_us) in microseconds since the epoch.
struct TimeSpan {
  int64_t from_us = 0;
  int64_t to_us = 0;
};

struct OrderRow {
  int64_t created_us = 0;
  std::string channel;
  std::string currency;
  int64_t total_minor = 0;
  bool cancelled = false;
  std::string cancel_reason;
  bool rejected = false;
  int64_t refunded_minor = 0;
};
// Orders created in `span`.
absl::StatusOr<std::vector<OrderRow>> OrdersCreated(Session& s, TimeSpan span);
absl::StatusOr<int64_t> CountOrdersCreated(Session& s, TimeSpan span);

struct Elapsed {
  std::string order_id;
  int64_t us = 0;
};
// For orders created in `span` that reached both statuses: the time from the first to the
// second.
absl::StatusOr<std::vector<Elapsed>> TimesBetween(Session& s, const std::string& from_status,
                                                  const std::string& to_status, TimeSpan span);

struct TicketRow {
  std::string type;
  std::string group;
  int64_t opened_us = 0;
  std::optional<int64_t> resolved_us;  // still open: none
  std::string resolution;
  bool escalated = false;
};
absl::StatusOr<std::vector<TicketRow>> TicketsOpened(Session& s, TimeSpan span);

struct SkuSalesRow {
  std::string sku;
  std::string category;  // "" when the catalogue never said
  std::string currency;
  int64_t quantity = 0;  // ordered, returns included
  int64_t revenue_minor = 0;
  int64_t returned = 0;
  int64_t returned_minor = 0;
};
// Per sku and currency, over orders created in `span` and not cancelled.
absl::StatusOr<std::vector<SkuSalesRow>> SalesBySku(Session& s, TimeSpan span);

struct CarrierRow {
  std::string carrier_id;
  std::string service_level;
  int64_t shipments = 0;
  int64_t delivered = 0;
  int64_t on_time = 0;
  int64_t transit_us = 0;  // summed over delivered ones, from pickup (or creation)
  int64_t delayed = 0;
  int64_t lost = 0;
  int64_t failed = 0;
};
// Per carrier and service level, over shipments created in `span`.
absl::StatusOr<std::vector<CarrierRow>> CarrierTotals(Session& s, TimeSpan span);

// sku -> when goods last came in.
absl::StatusOr<std::map<std::string, int64_t>> LastReceipts(Session& s);

struct LowStockRow {
  std::string sku;
  int64_t available = 0;
  int64_t safety_stock = 0;
  int64_t at_us = 0;
};
absl::StatusOr<std::vector<LowStockRow>> LowStockAlerts(Session& s);

struct WaitingRow {
  std::string sku;
  int64_t units = 0;
  int64_t oldest_us = 0;
  int64_t lines = 0;
  int64_t created_sum_us = 0;  // for the average age without reading every line
};
// Backordered lines not yet served, per sku.
absl::StatusOr<std::vector<WaitingRow>> WaitingBackorders(Session& s);

struct MovementRow {
  std::string sku;
  std::string kind;  // "received" or "shipped"
  int64_t quantity = 0;
};
absl::StatusOr<std::vector<MovementRow>> Movements(Session& s, TimeSpan span);

struct PromiseRow {
  std::string channel;
  int64_t promised_us = 0;
  std::optional<int64_t> delivered_us;  // the order's last delivered parcel
  std::string carrier_id;               // of that parcel
};
// Orders created in `span` with a promise, not cancelled.
absl::StatusOr<std::vector<PromiseRow>> PromisedOrders(Session& s, TimeSpan span);

struct FeedbackRow {
  int rating = 0;
  std::string channel;      // of the order
  std::string carrier_id;   // of its last delivered parcel ("" if none)
  std::string ticket_type;  // of the ticket the survey followed ("" after a delivery)
  std::string resolution;
};
absl::StatusOr<std::vector<FeedbackRow>> FeedbackGiven(Session& s, TimeSpan span);

struct CompensationRow {
  std::string exception_type;
  std::string kind;
  std::string currency;
  int64_t count = 0;
  int64_t total_minor = 0;
};
absl::StatusOr<std::vector<CompensationRow>> CompensationGiven(Session& s, TimeSpan span);

struct StockChangeRow {
  std::string sku;
  std::string warehouse_id;
  int64_t delta = 0;
  bool shipped = false;
  int64_t at_us = 0;
};
// Every on-hand change before `to_us`, by sku, warehouse and time.
absl::StatusOr<std::vector<StockChangeRow>> StockChangesBefore(Session& s, int64_t to_us);

struct ChannelOutcomes {
  std::string channel;
  int64_t sent = 0;
  int64_t dead = 0;
  int64_t sent_attempts = 0;
};
// Per channel, over notifications created in `span`.
absl::StatusOr<std::vector<ChannelOutcomes>> NotificationOutcomes(Session& s, TimeSpan span);

struct CustomerRow {
  std::string customer;
  int64_t last_order_us = 0;
  int64_t orders = 0;
};
// Customers with orders not cancelled, the most valuable first.
absl::StatusOr<std::vector<CustomerRow>> CustomersByValue(Session& s);

}  // namespace oms::analytics::reports_store

#endif  // OMS_ANALYTICS_SVC_REPORTS_STORE_H_

// What a return is worth and whether its lines fit the order: the returned units at the price
// the customer paid for them (their list price, less their share of the order's discount,
// plus their share of its tax). Pure functions over the order as order_svc keeps it.
#ifndef OMS_ORCHESTRATOR_SVC_RETURN_REFUND_H_
#define OMS_ORCHESTRATOR_SVC_RETURN_REFUND_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "oms/order/v1/order.pb.h"
#include "platform/base/money.h"
#include "platform/base/validation.h"

namespace oms::orchestrator {

using ReturnLines = google::protobuf::RepeatedPtrField<v1::ReturnLine>;

// Adds to `errors` every bad line of `field` (e.g. "lines"): none at all, a sku missing or
// not on the order, a quantity below 1, or more units of a sku (summed over its lines, damaged
// or not) than the order has of it (summed over the order's lines).
void CheckReturnLines(const order::v1::Order& order, const ReturnLines& lines,
                      absl::string_view field, FieldErrors& errors);

struct ReturnRefund {
  Money goods;  // list price of the units less their pro-rata share of the discount
  Money tax;    // their pro-rata share of the order's tax
};

// The refund for `lines` (checked by CheckReturnLines; units beyond what the order had count
// for nothing). A sku on several lines at different prices is valued at its average price. Shipping
// is not refunded: the parcel went out. When every unit comes back, goods + tax is exactly the
// order's subtotal - discount + tax.
absl::StatusOr<ReturnRefund> PriceReturn(const order::v1::Order& order, const ReturnLines& lines);

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_RETURN_REFUND_H_

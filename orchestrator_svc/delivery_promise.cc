#include "orchestrator_svc/delivery_promise.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/storage/proto_rows.h"

namespace oms::orchestrator {
namespace {

using google::protobuf::util::TimeUtil;

std::string BasisText(inventory::v1::PromiseBasis basis) {
  switch (basis) {
    case inventory::v1::INBOUND_PURCHASE_ORDER:
      return "waits for a purchase order";
    case inventory::v1::SUPPLIER_LEAD_TIME:
      return "waits for a reorder (the product's lead time, nothing is on order yet)";
    default:
      return "is in stock";
  }
}

}  // namespace

v1::QuotePromiseRequest DeliveryPromises::RequestFor(const order::v1::CreateOrderRequest& order) {
  v1::QuotePromiseRequest request;
  request.set_region(order.customer().shipping_address().region());
  for (const order::v1::OrderLine& line : order.lines()) {
    inventory::v1::AllocationLine* l = request.add_lines();
    l->set_sku(line.sku());
    l->set_quantity(line.quantity());
  }
  request.set_urgency(order.urgency());
  request.set_cod(order.payment_method() == order::v1::COD);
  if (order.has_requested_delivery_date()) {
    *request.mutable_requested_delivery_date() = order.requested_delivery_date();
  }
  return request;
}

absl::StatusOr<v1::DeliveryPromise> DeliveryPromises::Quote(
    const v1::QuotePromiseRequest& request) {
  FieldErrors errors;
  if (errors.Required(request.region(), "region")) errors.MaxLength(request.region(), 64, "region");
  errors.Check(!request.lines().empty(), "lines", "at least one line is required");
  for (int i = 0; i < request.lines_size(); ++i) {
    errors.Check(!request.lines(i).sku().empty(), IndexedField("lines", i, "sku"), "is required");
    errors.Check(request.lines(i).quantity() > 0, IndexedField("lines", i, "quantity"),
                 "must be > 0");
  }
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  absl::Time now = context_->Now();
  inventory::v1::PromiseStockRequest stock;
  stock.set_region(request.region());
  *stock.mutable_lines() = request.lines();
  *stock.mutable_at() = ToProtoTime(now);
  OMS_ASSIGN_OR_RETURN(inventory::v1::PromiseStockResponse goods,
                       context_->peers().inventory->PromiseStock(stock));
  absl::Time ships_at = goods.has_ready_at() ? FromProtoTime(goods.ready_at()) : now;
  logistics::v1::QuoteShipmentRequest quote;
  quote.set_origin_region(goods.warehouse_region());
  quote.set_destination_region(request.region());
  int64_t weight = 0;
  for (const auto& line : request.lines()) {
    absl::StatusOr<inventory::v1::Product> product = context_->Product(line.sku());
    weight += (product.ok() ? std::max<int64_t>(product->weight_g(), 1) : 1) * line.quantity();
  }
  quote.set_weight_g(weight);
  quote.set_urgency(static_cast<logistics::v1::Urgency>(request.urgency()));
  quote.set_cod(request.cod());
  *quote.mutable_ship_at() = ToProtoTime(ships_at);
  // As a label is chosen: options meeting the requested date first.
  if (request.has_requested_delivery_date()) {
    *quote.mutable_deadline() = request.requested_delivery_date();
  }
  OMS_ASSIGN_OR_RETURN(logistics::v1::QuoteShipmentResponse quoted,
                       context_->peers().logistics->Quote(quote));
  // The label will go to the cheapest option meeting the urgency: promise what it promises.
  const logistics::v1::ShippingOption* chosen = nullptr;
  for (const auto& option : quoted.options()) {
    if (option.meets_urgency()) {
      chosen = &option;
      break;
    }
  }
  if (chosen == nullptr && quoted.options_size() > 0) chosen = &quoted.options(0);
  if (chosen == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no carrier takes this parcel (", weight, " g) from ", goods.warehouse_region(), " to ",
        request.region(), ": no delivery date can be promised"));
  }
  v1::DeliveryPromise promise;
  *promise.mutable_promised_delivery() = chosen->promised_delivery();
  *promise.mutable_ships_at() = ToProtoTime(ships_at);
  promise.set_warehouse_id(goods.warehouse_id());
  promise.set_carrier_id(chosen->carrier_id());
  promise.set_service_level(chosen->service_level());
  promise.set_transit_days(chosen->transit_days());
  promise.set_basis(goods.basis());
  promise.set_meets_requested_date(!request.has_requested_delivery_date() ||
                                   FromProtoTime(chosen->promised_delivery()) <=
                                       FromProtoTime(request.requested_delivery_date()));
  promise.set_explanation(absl::StrCat(
      "the order ", BasisText(goods.basis()), "; it leaves ", goods.warehouse_id(), " at ",
      TimeUtil::ToString(promise.ships_at()), " (cut-off and handling applied); ",
      chosen->carrier_id(), " ", logistics::v1::ServiceLevel_Name(chosen->service_level()),
      " takes ", chosen->transit_days(), " day(s) to ", request.region(),
      promise.meets_requested_date() ? "" : "; later than the requested delivery date"));
  return promise;
}

}  // namespace oms::orchestrator

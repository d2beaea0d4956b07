#include "order_svc/order_pricing.h"

#include "absl/strings/str_cat.h"
#include "platform/base/money.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"

namespace oms::order {
namespace {

// An unset amount means zero in the order's currency.
absl::StatusOr<Money> AmountOrZero(const common::v1::Money& proto, const std::string& currency) {
  if (proto.currency_code().empty() && proto.minor_units() == 0) return Money::Zero(currency);
  return Money::FromProto(proto);
}

// Pricing refuses what would make totals meaningless even when called on an order that did
// not come through ValidateCreateOrder (re-pricing after a change): found by pricing_fuzzer.
absl::Status CheckPricingInputs(const v1::Order& order) {
  FieldErrors errors;
  for (int i = 0; i < order.lines_size(); ++i) {
    const v1::OrderLine& line = order.lines(i);
    errors.Check(line.quantity() > 0, absl::StrCat("lines[", i, "].quantity"), "must be > 0");
    errors.Check(line.unit_price().minor_units() >= 0, absl::StrCat("lines[", i, "].unit_price"),
                 "must be >= 0");
  }
  errors.Check(order.discount().minor_units() >= 0, "discount", "must be >= 0");
  errors.Check(order.shipping_fee().minor_units() >= 0, "shipping_fee", "must be >= 0");
  errors.Check(order.tax_rate_bp() >= 0 && order.tax_rate_bp() <= 10000, "tax_rate_bp",
               "must be between 0 and 10000");
  return errors.ToStatus();
}

}  // namespace

absl::Status PriceOrder(v1::Order& order) {
  OMS_RETURN_IF_ERROR(CheckPricingInputs(order));
  const std::string& currency = order.currency_code();
  OMS_ASSIGN_OR_RETURN(Money subtotal, Money::Of(0, currency));
  int line_no = 0;
  for (v1::OrderLine& line : *order.mutable_lines()) {
    line.set_line_no(++line_no);
    OMS_ASSIGN_OR_RETURN(Money unit, Money::FromProto(line.unit_price()));
    OMS_ASSIGN_OR_RETURN(Money line_total, unit.Times(line.quantity()));
    *line.mutable_line_total() = line_total.ToProto();
    OMS_ASSIGN_OR_RETURN(subtotal, subtotal.Plus(line_total));
  }
  OMS_ASSIGN_OR_RETURN(Money discount, AmountOrZero(order.discount(), currency));
  OMS_ASSIGN_OR_RETURN(Money shipping, AmountOrZero(order.shipping_fee(), currency));
  OMS_ASSIGN_OR_RETURN(Money taxable, subtotal.Minus(discount));
  if (taxable.minor_units() < 0) {
    return absl::InvalidArgumentError("discount: must not exceed the subtotal " +
                                      subtotal.ToString());
  }
  OMS_ASSIGN_OR_RETURN(Money tax, taxable.BasisPoints(order.tax_rate_bp()));
  OMS_ASSIGN_OR_RETURN(Money with_tax, taxable.Plus(tax));
  OMS_ASSIGN_OR_RETURN(Money total, with_tax.Plus(shipping));
  *order.mutable_subtotal() = subtotal.ToProto();
  *order.mutable_discount() = discount.ToProto();
  *order.mutable_shipping_fee() = shipping.ToProto();
  *order.mutable_tax() = tax.ToProto();
  *order.mutable_total() = total.ToProto();
  return absl::OkStatus();
}

}  // namespace oms::order

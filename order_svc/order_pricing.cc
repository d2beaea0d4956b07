#include "order_svc/order_pricing.h"

#include "platform/money.h"
#include "platform/status.h"

namespace oms::order {
namespace {

// An unset amount means zero in the order's currency.
absl::StatusOr<Money> AmountOrZero(const common::v1::Money& proto, const std::string& currency) {
  if (proto.currency_code().empty() && proto.minor_units() == 0) return Money::Zero(currency);
  return Money::FromProto(proto);
}

}  // namespace

absl::Status PriceOrder(v1::Order& order) {
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

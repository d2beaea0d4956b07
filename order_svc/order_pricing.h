#ifndef OMS_ORDER_SVC_ORDER_PRICING_H_
#define OMS_ORDER_SVC_ORDER_PRICING_H_

#include "absl/status/status.h"
#include "oms/order/v1/order.pb.h"

namespace oms::order {

// Fills line numbers, line totals, subtotal, tax and total of `order` from its lines,
// currency, discount, shipping fee and tax rate, exactly in minor units:
//   subtotal = sum(quantity * unit_price)
//   tax      = (subtotal - discount) * tax_rate_bp / 10000, rounded half away from zero
//   total    = subtotal - discount + tax + shipping_fee
// A discount above the subtotal is INVALID_ARGUMENT; overflow is OUT_OF_RANGE.
absl::Status PriceOrder(v1::Order& order);

}  // namespace oms::order

#endif  // OMS_ORDER_SVC_ORDER_PRICING_H_

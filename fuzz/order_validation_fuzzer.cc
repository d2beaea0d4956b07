// Order validation: any CreateOrderRequest a client can send (binary protobuf) is judged
// without crashing, and one it accepts also prices and passes the generic request limits.
#include <cstdint>
#include <cstdlib>

#include "order_svc/order_pricing.h"
#include "order_svc/order_validation.h"
#include "platform/security/request_limits.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  oms::order::v1::CreateOrderRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return 0;
  oms::NormalizePhone(request.customer().phone());
  if (!oms::order::ValidateCreateOrder(request).ok()) return 0;
  // What validation accepts must be within the limits every request obeys.
  if (!oms::CheckRequestLimits(request).ok()) std::abort();
  oms::order::v1::Order order;
  *order.mutable_lines() = request.lines();
  order.set_currency_code(request.currency_code());
  *order.mutable_discount() = request.discount();
  *order.mutable_shipping_fee() = request.shipping_fee();
  order.set_tax_rate_bp(request.tax_rate_bp());
  oms::order::PriceOrder(order).IgnoreError();  // may refuse (overflow), must not crash
  return 0;
}

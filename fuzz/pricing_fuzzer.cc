// Pricing: for any order (binary protobuf), PriceOrder either refuses or produces totals
// that add up exactly: total = subtotal - discount + tax + shipping_fee, lines included.
#include <cstdint>
#include <cstdlib>

#include "order_svc/order_pricing.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  oms::order::v1::Order order;
  if (!order.ParseFromArray(data, static_cast<int>(size))) return 0;
  if (!oms::order::PriceOrder(order).ok()) return 0;
  int64_t lines = 0;
  for (const auto& line : order.lines()) lines += line.line_total().minor_units();
  if (lines != order.subtotal().minor_units()) std::abort();
  int64_t total = order.subtotal().minor_units() - order.discount().minor_units() +
                  order.tax().minor_units() + order.shipping_fee().minor_units();
  if (total != order.total().minor_units()) std::abort();
  if (order.total().minor_units() < 0) std::abort();
  return 0;
}

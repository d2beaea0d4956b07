#include "tools/loadgen/random_order.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace oms::loadgen {

namespace ord = order::v1;

std::string Sku(int i) { return absl::StrFormat("BENCH-SKU-%03d", i); }

ord::CreateOrderRequest RandomOrder(const std::string& reference, int skus, std::mt19937_64& rng) {
  ord::CreateOrderRequest order;
  order.set_channel(ord::WEB);
  order.set_external_reference(reference);
  ord::Customer* customer = order.mutable_customer();
  customer->set_name("Bench Customer");
  customer->set_phone(absl::StrFormat("+86 138%08d", static_cast<int>(rng() % 100000000)));
  customer->set_email(absl::StrCat("bench", rng() % 100000, "@example.cn"));
  ord::Address* address = customer->mutable_shipping_address();
  address->set_country_code("CN");
  address->set_region(kRegions[rng() % 3]);
  address->set_city("Shanghai");
  address->set_postal_code("200120");
  address->set_street("1 Century Avenue");
  order.set_currency_code("CNY");
  int lines = 1 + static_cast<int>(rng() % 4);
  std::vector<int> used;
  for (int l = 0; l < lines; ++l) {
    int sku = static_cast<int>(rng() % skus);
    if (std::find(used.begin(), used.end(), sku) != used.end()) continue;
    used.push_back(sku);
    ord::OrderLine* line = order.add_lines();
    line->set_sku(Sku(sku));
    line->set_quantity(1 + static_cast<int64_t>(rng() % 3));
    line->mutable_unit_price()->set_currency_code("CNY");
    line->mutable_unit_price()->set_minor_units(1000 + 37 * sku);
  }
  order.set_tax_rate_bp(1300);
  order.set_payment_method(ord::COD);
  return order;
}

}  // namespace oms::loadgen

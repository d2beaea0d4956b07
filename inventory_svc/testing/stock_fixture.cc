#include "inventory_svc/testing/stock_fixture.h"

#include "absl/strings/str_cat.h"
#include "inventory_svc/inventory_store.h"
#include "platform/testing/in_memory_host.h"

namespace oms::inventory::testing {

StockFixture::StockFixture()
    : host_(oms::testing::InMemoryHost("inventory_svc", &clock_,
                                       {{"inventory", &store::Migrations()}})),
      catalogue_(host_.get()),
      reservations_(host_.get()),
      queue_(host_.get(), &reservations_),
      replenishment_(host_.get()),
      ledger_(host_.get(), &queue_, &replenishment_),
      allocations_(host_.get(), &reservations_, &queue_, &replenishment_) {
  clock_.Set(absl::FromUnixSeconds(1767225600));
}

void StockFixture::Product(const std::string& sku, int64_t safety_stock) {
  v1::CreateProductRequest request;
  v1::Product* p = request.mutable_product();
  p->set_sku(sku);
  p->set_name("Product " + sku);
  p->set_category("tea");
  p->mutable_unit_price()->set_currency_code("CNY");
  p->mutable_unit_price()->set_minor_units(1000);
  p->set_safety_stock(safety_stock);
  p->set_lead_time_days(7);
  absl::StatusOr<v1::Product> created = catalogue_.CreateProduct(request);
  ASSERT_TRUE(created.ok()) << created.status();
}

void StockFixture::Warehouse(const std::string& id, const std::string& region, int priority) {
  v1::CreateWarehouseRequest request;
  request.mutable_warehouse()->set_warehouse_id(id);
  request.mutable_warehouse()->set_name("Warehouse " + id);
  request.mutable_warehouse()->set_region(region);
  request.mutable_warehouse()->set_priority(priority);
  absl::StatusOr<v1::Warehouse> created = catalogue_.CreateWarehouse(request);
  ASSERT_TRUE(created.ok()) << created.status();
}

v1::AdjustStockResponse StockFixture::Receive(const std::string& sku, const std::string& warehouse,
                                              int64_t quantity) {
  v1::AdjustStockRequest request;
  request.set_idempotency_key(absl::StrCat("receive-", ++keys_));
  request.set_sku(sku);
  request.set_warehouse_id(warehouse);
  request.set_delta(quantity);
  request.set_reason(v1::RECEIPT);
  absl::StatusOr<v1::AdjustStockResponse> answer = ledger_.AdjustStock(request);
  EXPECT_TRUE(answer.ok()) << answer.status();
  return answer.ok() ? *answer : v1::AdjustStockResponse();
}

v1::Allocation StockFixture::Allocate(const std::string& order_id,
                                      const std::vector<std::pair<std::string, int64_t>>& lines,
                                      const std::string& region, v1::AllocationPolicy policy,
                                      int priority) {
  v1::AllocateRequest request;
  request.set_idempotency_key("allocate-" + order_id);
  request.set_order_id(order_id);
  request.set_region(region);
  request.set_policy(policy);
  request.set_backorder_priority(priority);
  for (const auto& [sku, quantity] : lines) {
    v1::AllocationLine* line = request.add_lines();
    line->set_sku(sku);
    line->set_quantity(quantity);
  }
  absl::StatusOr<v1::Allocation> answer = allocations_.Allocate(request);
  EXPECT_TRUE(answer.ok()) << answer.status();
  return answer.ok() ? *answer : v1::Allocation();
}

v1::StockLevel StockFixture::Level(const std::string& sku, const std::string& warehouse) {
  v1::StockLevel level;
  EXPECT_TRUE(host_->db()
                  .Read([&](Session& s) -> absl::Status {
                    absl::StatusOr<v1::StockLevel> at = store::StockAt(s, sku, warehouse);
                    if (!at.ok()) return at.status();
                    level = *at;
                    return absl::OkStatus();
                  })
                  .ok());
  return level;
}

std::vector<std::string> StockFixture::Events() {
  std::vector<std::string> types;
  absl::StatusOr<std::vector<events::v1::Event>> events = host_->outbox().List(0, 1000, {});
  EXPECT_TRUE(events.ok()) << events.status();
  if (events.ok()) {
    for (const events::v1::Event& e : *events) types.push_back(e.type());
  }
  return types;
}

}  // namespace oms::inventory::testing

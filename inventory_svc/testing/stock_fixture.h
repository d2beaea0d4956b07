// The inventory concepts wired as the service wires them, on an in-memory store with a fake
// clock, and the few calls every concept test needs to set the scene. For unit tests of
// one concept at a time.
#ifndef OMS_INVENTORY_SVC_TESTING_STOCK_FIXTURE_H_
#define OMS_INVENTORY_SVC_TESTING_STOCK_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "inventory_svc/allocations.h"
#include "inventory_svc/backorder_queue.h"
#include "inventory_svc/catalogue.h"
#include "inventory_svc/replenishment.h"
#include "inventory_svc/reservations.h"
#include "inventory_svc/stock_ledger.h"
#include "platform/base/clock.h"

namespace oms::inventory::testing {

class StockFixture : public ::testing::Test {
 protected:
  StockFixture();
  ~StockFixture() override = default;

  void Product(const std::string& sku, int64_t safety_stock = 0);
  void Warehouse(const std::string& id, const std::string& region, int priority);
  // A receipt of `quantity` (through the ledger, so waiting backorders are served).
  v1::AdjustStockResponse Receive(const std::string& sku, const std::string& warehouse,
                                  int64_t quantity);
  v1::Allocation Allocate(const std::string& order_id,
                          const std::vector<std::pair<std::string, int64_t>>& lines,
                          const std::string& region = "East",
                          v1::AllocationPolicy policy = v1::ALLOW_PARTIAL, int priority = 0);
  v1::StockLevel Level(const std::string& sku, const std::string& warehouse);
  // The payload type names the outbox holds, oldest first.
  std::vector<std::string> Events();

  FakeClock clock_;
  std::unique_ptr<ServiceHost> host_;
  Catalogue catalogue_;
  Reservations reservations_;
  BackorderQueue queue_;
  Replenishment replenishment_;
  StockLedger ledger_;
  Allocations allocations_;

 private:
  int keys_ = 0;
};

}  // namespace oms::inventory::testing

#endif  // OMS_INVENTORY_SVC_TESTING_STOCK_FIXTURE_H_

#include "inventory_svc/inventory_access.h"

#include "gtest/gtest.h"
#include "oms/inventory/v1/inventory.grpc.pb.h"
#include "oms/inventory/v1/purchasing.grpc.pb.h"

namespace oms::inventory {
namespace {

TEST(InventoryAccessTest, EveryMethodHasExactlyOneRule) {
  absl::Status valid = InventoryAccess().Validate();
  EXPECT_TRUE(valid.ok()) << valid;
  valid = PurchasingAccess().Validate();
  EXPECT_TRUE(valid.ok()) << valid;
}

}  // namespace
}  // namespace oms::inventory

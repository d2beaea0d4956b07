#include "order_svc/order_access.h"

#include "gtest/gtest.h"
#include "oms/order/v1/order.grpc.pb.h"

namespace oms::order {
namespace {

TEST(OrderAccessTest, EveryMethodHasExactlyOneRule) {
  absl::Status valid = OrderAccess().Validate();
  EXPECT_TRUE(valid.ok()) << valid;
}

}  // namespace
}  // namespace oms::order

#include "logistics_svc/logistics_access.h"

#include "gtest/gtest.h"
#include "oms/logistics/v1/logistics.grpc.pb.h"

namespace oms::logistics {
namespace {

TEST(LogisticsAccessTest, EveryMethodHasExactlyOneRule) {
  absl::Status valid = LogisticsAccess().Validate();
  EXPECT_TRUE(valid.ok()) << valid;
}

}  // namespace
}  // namespace oms::logistics

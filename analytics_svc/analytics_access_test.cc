#include "analytics_svc/analytics_access.h"

#include "gtest/gtest.h"
#include "oms/analytics/v1/analytics.grpc.pb.h"

namespace oms::analytics {
namespace {

TEST(AnalyticsAccessTest, EveryMethodHasExactlyOneRule) {
  absl::Status valid = AnalyticsAccess().Validate();
  EXPECT_TRUE(valid.ok()) << valid;
}

}  // namespace
}  // namespace oms::analytics

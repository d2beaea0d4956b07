#include "notify_svc/notify_access.h"

#include "gtest/gtest.h"
#include "oms/notify/v1/notify.grpc.pb.h"

namespace oms::notify {
namespace {

TEST(NotifyAccessTest, EveryMethodHasExactlyOneRule) {
  absl::Status valid = NotifyAccess().Validate();
  EXPECT_TRUE(valid.ok()) << valid;
}

}  // namespace
}  // namespace oms::notify

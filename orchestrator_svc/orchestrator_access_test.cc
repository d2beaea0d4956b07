#include "orchestrator_svc/orchestrator_access.h"

#include "gtest/gtest.h"
#include "oms/orchestrator/v1/orchestrator.grpc.pb.h"

namespace oms::orchestrator {
namespace {

TEST(OrchestratorAccessTest, EveryMethodHasExactlyOneRule) {
  absl::Status valid = OrchestratorAccess().Validate();
  EXPECT_TRUE(valid.ok()) << valid;
}

}  // namespace
}  // namespace oms::orchestrator

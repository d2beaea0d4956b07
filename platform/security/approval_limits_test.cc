#include "platform/security/approval_limits.h"

#include "gtest/gtest.h"

namespace oms::auth {
namespace {

using security::v1::ADMIN;
using security::v1::CUSTOMER_SERVICE;
using security::v1::OPS;
using security::v1::READER;

TEST(ApprovalLimitsTest, TheHighestLimitAmongTheRolesApplies) {
  absl::StatusOr<ApprovalLimits> limits = ApprovalLimits::Parse("OPS=5000, CUSTOMER_SERVICE=200");
  ASSERT_TRUE(limits.ok()) << limits.status();
  EXPECT_EQ(limits->LimitFor({"ana", {CUSTOMER_SERVICE}, ""}), 200);
  EXPECT_EQ(limits->LimitFor({"bo", {CUSTOMER_SERVICE, OPS}, ""}), 5000);
  EXPECT_EQ(limits->LimitFor({"cy", {READER}, ""}), 0);
  EXPECT_EQ(limits->LimitFor({"root", {ADMIN}, ""}), std::nullopt);
  EXPECT_EQ(limits->LimitFor({"", {}, ""}), std::nullopt);  // no authentication
  EXPECT_EQ(limits->ToString(), "OPS=5000,CUSTOMER_SERVICE=200");
}

TEST(ApprovalLimitsTest, AnAmountAboveTheLimitIsRefusedWithBothFigures) {
  ApprovalLimits limits = *ApprovalLimits::Parse("CUSTOMER_SERVICE=200,ADMIN=100000");
  EXPECT_TRUE(limits.CheckCovers({"ana", {CUSTOMER_SERVICE}, ""}, 200, "the refund").ok());
  absl::Status refused = limits.CheckCovers({"ana", {CUSTOMER_SERVICE}, ""}, 201, "the refund");
  EXPECT_EQ(refused.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(refused.message().find("up to 200"), std::string::npos) << refused;
  EXPECT_NE(refused.message().find("the refund is 201"), std::string::npos) << refused;
  // A listed ADMIN limit applies like any other.
  EXPECT_FALSE(limits.CheckCovers({"root", {ADMIN}, ""}, 100001, "x").ok());
}

TEST(ApprovalLimitsTest, BadEntriesAreNamed) {
  for (const char* spec : {"OPS", "OPS=-1", "CHIEF=10", "OPS=ten"}) {
    absl::StatusOr<ApprovalLimits> limits = ApprovalLimits::Parse(spec);
    EXPECT_EQ(limits.status().code(), absl::StatusCode::kInvalidArgument) << spec;
  }
  EXPECT_TRUE(ApprovalLimits::Parse("").ok());
}

}  // namespace
}  // namespace oms::auth

#include "platform/security/access_policy.h"

#include "gtest/gtest.h"
#include "oms/security/v1/security.grpc.pb.h"

namespace oms::auth {
namespace {

using security::v1::ADMIN;
using security::v1::OPS;
using security::v1::READER;

const char kPath[] = "/oms.security.v1.AuditLog/ListAuditLog";

TEST(AccessPolicyTest, ValidTableFindsItsRules) {
  AccessPolicy policy("oms.security.v1.AuditLog", {{"ListAuditLog", Access::kRead, {OPS}}});
  EXPECT_TRUE(policy.Validate().ok()) << policy.Validate();
  ASSERT_NE(policy.Find(kPath), nullptr);
  EXPECT_EQ(policy.Find("/oms.security.v1.AuditLog/Other"), nullptr);
}

TEST(AccessPolicyTest, RefusesMissingUnknownAndDuplicateMethods) {
  AccessPolicy missing("oms.security.v1.AuditLog", {});
  EXPECT_NE(missing.Validate().message().find("missing [ListAuditLog]"), std::string::npos);
  AccessPolicy unknown("oms.security.v1.AuditLog", {{"ListAuditLog", Access::kRead, {OPS}},
                                                    {"DropAuditLog", Access::kWrite, {OPS}}});
  EXPECT_NE(unknown.Validate().message().find("[DropAuditLog]"), std::string::npos);
  AccessPolicy twice("oms.security.v1.AuditLog", {{"ListAuditLog", Access::kRead, {OPS}},
                                                  {"ListAuditLog", Access::kRead, {READER}}});
  EXPECT_FALSE(twice.Validate().ok());
  AccessPolicy nowhere("oms.nothing.v1.Nothing", {});
  EXPECT_FALSE(nowhere.Validate().ok());
}

TEST(AccessPolicyTest, RolesDecideAndAdminMayDoAnything) {
  MethodRule rule{"ListAuditLog", Access::kRead, {OPS}};
  Principal ops{"ops", {OPS}, ""};
  Principal reader{"dashboards", {READER}, ""};
  Principal admin{"root", {ADMIN}, ""};
  EXPECT_TRUE(CheckRoles(rule, kPath, ops).ok());
  EXPECT_TRUE(CheckRoles(rule, kPath, admin).ok());
  absl::Status denied = CheckRoles(rule, kPath, reader);
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(denied.message().find("needs role ADMIN or OPS"), std::string::npos) << denied;
  EXPECT_NE(denied.message().find("dashboards"), std::string::npos);
}

}  // namespace
}  // namespace oms::auth

#include "platform/security/request_limits.h"

#include "gtest/gtest.h"
#include "oms/security/v1/security.pb.h"

namespace oms {
namespace {

TEST(RequestLimitsTest, OrdinaryRequestsPass) {
  security::v1::ListAuditLogRequest request;
  request.set_principal("ops");
  request.set_target_id(std::string(kMaxStringBytes, 'x'));
  EXPECT_TRUE(CheckRequestLimits(request).ok());
}

TEST(RequestLimitsTest, NamesEveryOversizedFieldAtItsPath) {
  security::v1::KeyFile file;
  file.add_keys()->set_principal(std::string(kMaxStringBytes + 1, 'p'));
  file.add_keys()->set_key_id("fine");
  file.mutable_keys(1)->set_channel(std::string(5000, 'c'));
  absl::Status status = CheckRequestLimits(file);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("keys[0].principal: at most 4096 bytes"), std::string::npos)
      << status;
  EXPECT_NE(status.message().find("keys[1].channel: at most 4096 bytes"), std::string::npos);
}

TEST(RequestLimitsTest, CapsRepeatedFields) {
  security::v1::KeyFile file;
  for (int i = 0; i <= kMaxRepeated; ++i) file.add_keys();
  absl::Status status = CheckRequestLimits(file);
  EXPECT_NE(status.message().find("keys: at most 1000 entries"), std::string::npos) << status;
}

TEST(RequestLimitsTest, LongTextFieldsMayBeLonger) {
  security::v1::AuditEntry entry;
  entry.set_detail(std::string(5000, 'd'));  // not a long-text field
  EXPECT_FALSE(CheckRequestLimits(entry).ok());
}

}  // namespace
}  // namespace oms

#include "platform/base/validation.h"

#include "gtest/gtest.h"

namespace oms {
namespace {

TEST(FieldErrorsTest, EmptyIsOk) {
  FieldErrors errors;
  EXPECT_TRUE(errors.empty());
  EXPECT_TRUE(errors.ToStatus().ok());
}

TEST(FieldErrorsTest, ReportsEveryBadFieldInOneStatus) {
  FieldErrors errors;
  errors.Required("", "customer.name");
  errors.Check(false, IndexedField("lines", 2, "quantity"), "must be > 0");
  errors.Check(true, "ignored", "never reported");
  absl::Status status = errors.ToStatus();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "customer.name: is required; lines[2].quantity: must be > 0");
}

TEST(FieldErrorsTest, LengthCountsCharactersNotBytes) {
  FieldErrors errors;
  EXPECT_TRUE(errors.MaxLength("张三丰", 3, "name"));  // 9 bytes, 3 characters
  EXPECT_FALSE(errors.MaxLength("张三丰!", 3, "name"));
  EXPECT_EQ(errors.ToStatus().message(), "name: is longer than 3 characters");
}

TEST(Utf8LengthTest, CountsCodePoints) {
  EXPECT_EQ(Utf8Length(""), 0u);
  EXPECT_EQ(Utf8Length("abc"), 3u);
  EXPECT_EQ(Utf8Length("北京市"), 3u);
}

TEST(CheckEmailTest, AcceptsAddressesAndEmptyRefusesTheRest) {
  for (const char* good : {"a@b.cn", "first.last+tag@mail.example.com", ""}) {
    FieldErrors e;
    CheckEmail(good, "e", e);
    EXPECT_TRUE(e.empty()) << good;
  }
  for (const char* bad : {"a@b", "@b.cn", "a@@b.cn", "a b@c.cn", "a@b..cn", "a@.cn", "a,b@c.cn"}) {
    FieldErrors e;
    CheckEmail(bad, "e", e);
    EXPECT_FALSE(e.empty()) << bad;
  }
}

}  // namespace
}  // namespace oms

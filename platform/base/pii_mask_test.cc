#include "platform/base/pii_mask.h"

#include "gtest/gtest.h"

namespace oms {
namespace {

TEST(MaskPersonalDataTest, MasksEmailLocalPart) {
  EXPECT_EQ(MaskPersonalData("customer jane.doe@example.com refused"),
            "customer j***@example.com refused");
  EXPECT_EQ(MaskPersonalData("a@b.io and x.y+z@mail.example.org"),
            "a***@b.io and x***@mail.example.org");
}

TEST(MaskPersonalDataTest, LeavesNonAddressesAlone) {
  EXPECT_EQ(MaskPersonalData("user@localhost"), "user@localhost");
  EXPECT_EQ(MaskPersonalData("@ alone"), "@ alone");
}

TEST(MaskPersonalDataTest, MasksPhoneNumbersKeepingLastTwoDigits) {
  EXPECT_EQ(MaskPersonalData("phone +44 7700 900123 is bad"), "phone +** **** ****23 is bad");
  EXPECT_EQ(MaskPersonalData("call 555-123-4567."), "call ***-***-**67.");
  EXPECT_EQ(MaskPersonalData("(020) 7946 0958"), "(***) **** **58");
}

TEST(MaskPersonalDataTest, LeavesIdsQuantitiesAndShortNumbersAlone) {
  EXPECT_EQ(MaskPersonalData("ord_01JD8Z6Q4W3K9T2VXBN5M7R0AC"), "ord_01JD8Z6Q4W3K9T2VXBN5M7R0AC");
  EXPECT_EQ(MaskPersonalData("sku_1234567 qty 12 at 2026-11-23"),
            "sku_1234567 qty 12 at 2026-11-23");
  EXPECT_EQ(MaskPersonalData("seq 123456"), "seq 123456");
}

}  // namespace
}  // namespace oms

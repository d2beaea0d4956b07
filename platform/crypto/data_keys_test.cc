#include "platform/crypto/data_keys.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace oms::crypto {
namespace {

const std::string kOld = DataKeys::NewKeyLine("k1");
const std::string kNew = DataKeys::NewKeyLine("k2");
const std::string kLookup = DataKeys::NewKeyLine("lookup");

DataKeys Keys(const std::string& text) {
  absl::StatusOr<DataKeys> keys = DataKeys::FromText(text);
  EXPECT_TRUE(keys.ok()) << keys.status();
  return *keys;
}

TEST(DataKeysTest, SealsSoThatOnlyTheKeyAndTheSameFieldOpen) {
  DataKeys keys = Keys(absl::StrCat("# keys\n", kOld, "\n", kLookup, "\n"));
  absl::StatusOr<std::string> sealed = keys.Seal("+86 139 0013 9000", "orders.customer.phone");
  ASSERT_TRUE(sealed.ok());
  EXPECT_TRUE(DataKeys::IsSealed(*sealed));
  EXPECT_EQ(DataKeys::KeyIdOf(*sealed), "k1");
  EXPECT_EQ(sealed->find("139"), std::string::npos) << *sealed;
  EXPECT_EQ(*keys.Open(*sealed, "orders.customer.phone"), "+86 139 0013 9000");
  // Twice the same value: different ciphertexts (random nonces), nothing to compare.
  EXPECT_NE(*keys.Seal("+86 139 0013 9000", "orders.customer.phone"), *sealed);
  // Another field's value, or one changed bit, does not open.
  EXPECT_EQ(keys.Open(*sealed, "orders.customer.email").status().code(),
            absl::StatusCode::kDataLoss);
  std::string tampered = *sealed;
  tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_EQ(keys.Open(tampered, "orders.customer.phone").status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(keys.Open("enc1:k1:%%%", "x").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(keys.Open("plain", "x").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*keys.Open(*keys.Seal("", "f"), "f"), "");
}

TEST(DataKeysTest, RotationSealsWithTheNewKeyAndOpensWithBothUntilTheOldIsRetired) {
  DataKeys before = Keys(absl::StrCat(kOld, "\n", kLookup));
  std::string old_value = *before.Seal("王芳", "orders.customer.name");
  DataKeys during = Keys(absl::StrCat(kNew, "\n", kOld, "\n", kLookup));
  EXPECT_EQ(during.active_key_id(), "k2");
  EXPECT_EQ(*during.Open(old_value, "orders.customer.name"), "王芳");
  std::string resealed =
      *during.Seal(*during.Open(old_value, "orders.customer.name"), "orders.customer.name");
  EXPECT_EQ(DataKeys::KeyIdOf(resealed), "k2");
  DataKeys after = Keys(absl::StrCat(kNew, "\n", kLookup));
  EXPECT_EQ(*after.Open(resealed, "orders.customer.name"), "王芳");
  absl::Status retired = after.Open(old_value, "orders.customer.name").status();
  EXPECT_EQ(retired.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(retired.message().find("k1"), std::string::npos);
}

TEST(DataKeysTest, LookupHashesAreEqualForEqualValuesAndKeyed) {
  DataKeys keys = Keys(absl::StrCat(kOld, "\n", kLookup));
  EXPECT_EQ(keys.LookupHash("+8613900139000"), keys.LookupHash("+8613900139000"));
  EXPECT_NE(keys.LookupHash("+8613900139000"), keys.LookupHash("+8613900139001"));
  EXPECT_EQ(keys.LookupHash("x").rfind("h1:", 0), 0u);
  DataKeys other = Keys(absl::StrCat(kOld, "\n", DataKeys::NewKeyLine("lookup")));
  EXPECT_NE(other.LookupHash("+8613900139000"), keys.LookupHash("+8613900139000"));
}

TEST(DataKeysTest, RefusesMalformedKeyFiles) {
  for (const std::string& bad :
       {std::string(""), kLookup, kOld, absl::StrCat(kOld, "\n", kOld, "\n", kLookup),
        absl::StrCat("k1 abc\n", kLookup), absl::StrCat("a:b ", kOld.substr(3), "\n", kLookup)}) {
    EXPECT_EQ(DataKeys::FromText(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace oms::crypto

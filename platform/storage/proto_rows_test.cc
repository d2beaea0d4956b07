#include "platform/storage/proto_rows.h"

#include "gtest/gtest.h"
#include "oms/common/v1/common.pb.h"
#include "platform/base/status.h"
#include "platform/storage/sqlite.h"

namespace oms {
namespace {

TEST(ProtoRowsTest, StoresAndReadsProtosAndNamesCorruptOnes) {
  auto db = *SqliteDatabase::Open(":memory:");
  ASSERT_TRUE(db->Migrate("t", {"CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)"}).ok());
  common::v1::Money money;
  money.set_currency_code("CNY");
  money.set_minor_units(123);
  ASSERT_TRUE(db->Transact([&](Session& s) -> absl::Status {
                  OMS_RETURN_IF_ERROR(
                      s.Exec("INSERT INTO t(body) VALUES(?)", {SqlArg::Blob(SerializeProto(money))})
                          .status());
                  return absl::OkStatus();
                }).ok());
  ASSERT_TRUE(db->Read([&](Session& s) -> absl::Status {
                  OMS_ASSIGN_OR_RETURN(std::optional<common::v1::Money> one,
                                       QueryProto<common::v1::Money>(s, "SELECT body FROM t", {}));
                  EXPECT_EQ(one->minor_units(), 123);
                  OMS_ASSIGN_OR_RETURN(
                      std::optional<common::v1::Money> none,
                      QueryProto<common::v1::Money>(s, "SELECT body FROM t WHERE id = 9", {}));
                  EXPECT_FALSE(none.has_value());
                  return absl::OkStatus();
                }).ok());
  ASSERT_TRUE(db->Transact([](Session& s) {
                  return s.Exec("INSERT INTO t(body) VALUES(x'ff')").status();
                }).ok());
  absl::Status corrupt = db->Read([](Session& s) {
    return QueryProtos<common::v1::Money>(s, "SELECT body FROM t", {}).status();
  });
  EXPECT_EQ(corrupt.code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(corrupt.message().find("Money"), std::string::npos);
}

TEST(ProtoRowsTest, TimesRoundTripAtMicrosecondPrecision) {
  absl::Time t = absl::FromUnixMicros(1767225600123456);
  EXPECT_EQ(FromProtoTime(ToProtoTime(t)), t);
  EXPECT_EQ(ProtoMicros(ToProtoTime(t)), 1767225600123456);
}

}  // namespace
}  // namespace oms

// A store that faults for good (a failed fsync) turns health NOT_SERVING and asks the
// process, once, to drain and exit for a restart.
#include "platform/server/store_fault_watch.h"

#include "gtest/gtest.h"
#include "platform/storage/sqlite.h"
#include "platform/testing/temp_dir.h"

namespace oms {
namespace {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

HealthCheckResponse::ServingStatus StatusOf(HealthService& health) {
  HealthCheckRequest request;
  HealthCheckResponse response;
  EXPECT_TRUE(health.Check(nullptr, &request, &response).ok());
  return response.status();
}

TEST(StoreFaultWatchTest, AFailedFsyncTurnsHealthNotServingAndAsksOnceForAnExit) {
  testing::TempDir dir;
  auto opened = SqliteDatabase::Open(dir.File("s.db"));
  ASSERT_TRUE(opened.ok()) << opened.status();
  std::unique_ptr<Database> db = std::move(*opened);
  ASSERT_TRUE(db->Migrate("t", {"CREATE TABLE t (v INTEGER)"}).ok());
  bool disk_fails = false;
  static_cast<SqliteDatabase&>(*db).SetWalSyncForTesting([&disk_fails] {
    return disk_fails ? absl::InternalError("fdatasync: Input/output error") : absl::OkStatus();
  });
  HealthService health;
  health.SetStatus("", HealthCheckResponse::SERVING);
  int stops = 0;
  StoreFaultWatch watch(*db, health, [&stops] { ++stops; });
  auto insert = [&db] {
    return db->Transact([](Session& s) { return s.Exec("INSERT INTO t VALUES (1)").status(); });
  };

  ASSERT_TRUE(insert().ok());  // a healthy disk: nothing happens
  EXPECT_FALSE(watch.faulted());
  EXPECT_EQ(StatusOf(health), HealthCheckResponse::SERVING);
  EXPECT_EQ(stops, 0);

  disk_fails = true;
  EXPECT_EQ(insert().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(insert().code(), absl::StatusCode::kInternal);
  EXPECT_TRUE(watch.faulted());
  EXPECT_EQ(StatusOf(health), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(stops, 1);
}

}  // namespace
}  // namespace oms

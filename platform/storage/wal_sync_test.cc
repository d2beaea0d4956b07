// WalSync: one fsync covers every commit made before it started, callers arriving while one
// runs wait for it (and sync again only for what came after), and a failed fsync is final.
#include "platform/storage/wal_sync.h"

#include <fstream>
#include <thread>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "platform/testing/temp_dir.h"

namespace oms {
namespace {

TEST(WalSyncTest, OneSyncCoversEveryCommitMadeBeforeIt) {
  int syncs = 0;
  WalSync sync([&] {
    ++syncs;
    return absl::OkStatus();
  });
  EXPECT_EQ(sync.last_committed(), 0);
  int64_t first = sync.Committed();
  sync.Committed();
  int64_t third = sync.Committed();
  EXPECT_EQ(sync.last_committed(), third);
  ASSERT_TRUE(sync.WaitDurable(first).ok());
  EXPECT_EQ(syncs, 1);
  ASSERT_TRUE(sync.WaitDurable(third).ok());  // already covered
  EXPECT_EQ(syncs, 1);
  ASSERT_TRUE(sync.WaitDurable(sync.Committed()).ok());
  EXPECT_EQ(syncs, 2);
  EXPECT_EQ(sync.syncs(), 2);
}

TEST(WalSyncTest, ACallerArrivingDuringASyncWaitsAndSyncsOnlyWhatCameAfter) {
  absl::Notification first_started, disk;
  int calls = 0;  // changed only by the thread syncing
  WalSync sync([&] {
    if (++calls == 1) {
      first_started.Notify();
      disk.WaitForNotification();
    }
    return absl::OkStatus();
  });
  int64_t early = sync.Committed();
  std::thread syncer([&] { EXPECT_TRUE(sync.WaitDurable(early).ok()); });
  first_started.WaitForNotification();
  // Committed after the first sync started: that sync does not cover it.
  int64_t late = sync.Committed();
  absl::Notification early_again_done;
  std::thread same([&] {
    EXPECT_TRUE(sync.WaitDurable(early).ok());
    early_again_done.Notify();
  });
  std::thread after([&] { EXPECT_TRUE(sync.WaitDurable(late).ok()); });
  while (sync.waiting() < 2) std::this_thread::yield();
  EXPECT_FALSE(early_again_done.HasBeenNotified());
  disk.Notify();
  syncer.join();
  same.join();
  after.join();
  EXPECT_EQ(calls, 2);  // the first, then one for `late`; `early` waited for the first
}

TEST(WalSyncTest, AFailedSyncIsFinal) {
  int calls = 0;
  WalSync sync([&]() -> absl::Status {
    if (++calls == 1) return absl::InternalError("disk gone");
    return absl::OkStatus();
  });
  absl::Status first = sync.WaitDurable(sync.Committed());
  EXPECT_EQ(first.code(), absl::StatusCode::kInternal);
  // A later sync that succeeds proves nothing about the pages the failed one dropped.
  absl::Status later = sync.WaitDurable(sync.Committed());
  EXPECT_EQ(later, first);
  EXPECT_EQ(calls, 1);
}

TEST(WalSyncTest, SyncsARealFileAndNamesOneItCannotOpen) {
  testing::TempDir dir;
  std::string wal = dir.File("store.db-wal");
  std::ofstream(wal) << "frames";
  WalSync sync(wal);
  EXPECT_TRUE(sync.WaitDurable(sync.Committed()).ok());
  EXPECT_EQ(sync.syncs(), 1);

  WalSync missing(dir.File("none.db-wal"));
  absl::Status status = missing.WaitDurable(missing.Committed());
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_NE(status.message().find("none.db-wal"), std::string::npos) << status;
  EXPECT_NE(status.message().find("restart the service"), std::string::npos) << status;
}

}  // namespace
}  // namespace oms

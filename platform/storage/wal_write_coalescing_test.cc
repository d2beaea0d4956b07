#include "platform/storage/wal_write_coalescing.h"

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace oms {
namespace {

// A VFS over the default one that counts the writes reaching WAL files: the coalescing VFS
// is registered over it, so the count is what the coalescing VFS lets through.
int wal_writes = 0;
sqlite3_vfs* default_vfs = nullptr;
const sqlite3_io_methods* default_methods = nullptr;
sqlite3_io_methods counting_methods;

int CountingWrite(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  ++wal_writes;
  return default_methods->xWrite(file, data, amount, offset);
}

int CountingOpen(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* out) {
  int rc = default_vfs->xOpen(default_vfs, name, file, flags, out);
  if (rc == SQLITE_OK && file->pMethods != nullptr && (flags & SQLITE_OPEN_WAL) != 0) {
    default_methods = file->pMethods;
    counting_methods = *default_methods;
    counting_methods.xWrite = CountingWrite;
    file->pMethods = &counting_methods;
  }
  return rc;
}

sqlite3_vfs* CountingVfs() {
  static sqlite3_vfs* vfs = [] {
    default_vfs = sqlite3_vfs_find(nullptr);
    auto* v = new sqlite3_vfs(*default_vfs);
    v->zName = "test-counting";
    v->xOpen = CountingOpen;
    v->pNext = nullptr;
    sqlite3_vfs_register(v, 0);
    return v;
  }();
  return vfs;
}

const char* CoalescingOverCounting() {
  static const sqlite3_vfs* vfs = RegisterWalCoalescingVfs("test-coalescing", CountingVfs());
  return vfs->zName;
}

class WalWriteCoalescingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CoalescingOverCounting();  // registers both
    path_ = absl::StrCat(::testing::TempDir(), "/coalescing_", getpid(), "_",
                         ::testing::UnitTest::GetInstance()->current_test_info()->name(), ".db");
    Remove();
  }
  void TearDown() override { Remove(); }
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path_ + suffix).c_str());
  }

  sqlite3* Open(const char* vfs, const char* synchronous) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs),
              SQLITE_OK);
    Exec(db, absl::StrCat("PRAGMA journal_mode=WAL; PRAGMA synchronous=", synchronous,
                          "; PRAGMA wal_autocheckpoint=0;"));
    return db;
  }
  static void Exec(sqlite3* db, const std::string& sql) {
    char* error = nullptr;
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
        << sql << ": " << (error != nullptr ? error : "");
  }
  static std::string Text(sqlite3* db, const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    return out;
  }
  // One transaction that changes many pages: rows of 1 KiB spread over a table and an index.
  static void InsertMany(sqlite3* db, int first, int count) {
    Exec(db,
         absl::StrCat("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ",
                      count - 1, ") INSERT INTO t(k, v) SELECT ", first,
                      " + i, randomblob(1024) FROM n"));
  }
  // Counts the WAL writes one call makes.
  template <typename F>
  static int WritesOf(F&& run) {
    wal_writes = 0;
    run();
    return wal_writes;
  }

  // Runs `work` in a child process that ends without closing its connection, as a killed
  // service does: only what reached the file survives.
  template <typename F>
  void InAChildThatDies(F&& work) {
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      work();
      _exit(0);
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
  }

  // What a fresh connection (the default VFS, so SQLite's own recovery) finds in the store.
  void ExpectRecoveredRows(const std::string& rows) {
    sqlite3* db = Open(nullptr, "NORMAL");
    EXPECT_EQ(Text(db, "SELECT count(*) FROM t"), rows);
    EXPECT_EQ(Text(db, "PRAGMA integrity_check"), "ok");
    sqlite3_close(db);
  }

  std::string path_;
};

TEST_F(WalWriteCoalescingTest, ACommitReachesTheWalInOneWrite) {
  sqlite3* plain = Open("test-counting", "FULL");
  Exec(plain, "CREATE TABLE t(k INTEGER PRIMARY KEY, v BLOB); CREATE INDEX t_v ON t(v);");
  // ~25 pages: under the limit of one write.
  const int uncoalesced = WritesOf([&] { InsertMany(plain, 0, 10); });
  sqlite3_close(plain);

  sqlite3* db = Open(CoalescingOverCounting(), "FULL");
  InsertMany(db, 500, 1);  // starts the WAL: its header is written and synced on its own
  const int coalesced = WritesOf([&] { InsertMany(db, 1000, 10); });
  EXPECT_GT(uncoalesced, 20);  // a header and a page per frame
  EXPECT_EQ(coalesced, 1);
  EXPECT_EQ(Text(db, "SELECT count(*) FROM t"), "21");
  EXPECT_EQ(Text(db, "PRAGMA integrity_check"), "ok");
  sqlite3_close(db);
}

// synchronous=NORMAL syncs nothing at commit: the frames must reach the file before SQLite
// publishes them, or another connection (the checkpointer) reads what is not there.
TEST_F(WalWriteCoalescingTest, AnotherConnectionReadsACommitAtOnceWithoutASync) {
  sqlite3* writer = Open(CoalescingOverCounting(), "NORMAL");
  sqlite3* reader = Open(nullptr, "NORMAL");
  Exec(writer, "CREATE TABLE t(k INTEGER PRIMARY KEY, v BLOB); CREATE INDEX t_v ON t(v);");
  for (int round = 0; round < 5; ++round) {
    InsertMany(writer, round * 100, 30);
    EXPECT_EQ(Text(reader, "SELECT count(*) FROM t"), std::to_string((round + 1) * 30));
    int log = 0, copied = 0;
    ASSERT_EQ(sqlite3_wal_checkpoint_v2(reader, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied),
              SQLITE_OK);
    EXPECT_EQ(log, copied);
  }
  EXPECT_EQ(Text(reader, "PRAGMA integrity_check"), "ok");
  sqlite3_close(reader);
  sqlite3_close(writer);
}

TEST_F(WalWriteCoalescingTest, EveryCommitSurvivesAProcessThatDiesWithoutClosing) {
  for (const char* synchronous : {"NORMAL", "FULL"}) {
    Remove();
    InAChildThatDies([&] {
      sqlite3* db = Open(CoalescingOverCounting(), synchronous);
      Exec(db, "CREATE TABLE t(k INTEGER PRIMARY KEY, v BLOB); CREATE INDEX t_v ON t(v);");
      for (int i = 0; i < 20; ++i) InsertMany(db, i * 100, 1 + i % 7);  // 77 rows
    });
    SCOPED_TRACE(synchronous);
    ExpectRecoveredRows("77");
  }
}

// A transaction larger than the page cache spills frames before its commit, then writes some
// of those pages again in place and rewrites the checksums of the frames after them (SQLite
// reads each frame and writes its header back). All of it must be in the file at the end.
TEST_F(WalWriteCoalescingTest, ATransactionThatSpillsAndRewritesItsFramesSurvives) {
  InAChildThatDies([&] {
    sqlite3* db = Open(CoalescingOverCounting(), "NORMAL");
    Exec(db,
         "PRAGMA cache_size=8; CREATE TABLE t(k INTEGER PRIMARY KEY, v BLOB);"
         "CREATE INDEX t_v ON t(v);");
    Exec(db, "BEGIN");
    InsertMany(db, 0, 300);
    Exec(db, "UPDATE t SET v = randomblob(1024) WHERE k % 3 = 0");
    InsertMany(db, 1000, 50);
    Exec(db, "COMMIT");  // the checksums rewritten last: nothing written after them
  });
  ExpectRecoveredRows("350");
}

// A rolled-back transaction that spilled leaves frames past the last commit; the next
// commit writes over them and only it counts.
TEST_F(WalWriteCoalescingTest, FramesOfARolledBackTransactionAreWrittenOver) {
  InAChildThatDies([&] {
    sqlite3* db = Open(CoalescingOverCounting(), "NORMAL");
    Exec(db, "PRAGMA cache_size=8; CREATE TABLE t(k INTEGER PRIMARY KEY, v BLOB);");
    Exec(db, "BEGIN");
    InsertMany(db, 5000, 100);
    Exec(db, "ROLLBACK");
    InsertMany(db, 0, 3);
  });
  ExpectRecoveredRows("3");
}

// A checkpoint that empties the WAL makes the next writer start it over from its header.
TEST_F(WalWriteCoalescingTest, TheWalStartsOverAfterACheckpoint) {
  InAChildThatDies([&] {
    sqlite3* db = Open(CoalescingOverCounting(), "FULL");
    Exec(db, "CREATE TABLE t(k INTEGER PRIMARY KEY, v BLOB);");
    for (int i = 0; i < 6; ++i) {
      InsertMany(db, i * 100, 10);
      ASSERT_EQ(sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr),
                SQLITE_OK);
    }
    InsertMany(db, 9000, 5);
  });
  ExpectRecoveredRows("65");
}

TEST_F(WalWriteCoalescingTest, TheSuiteVfsIsRegisteredUnderItsName) {
  ASSERT_NE(WalCoalescingVfsName(), nullptr);
  EXPECT_NE(sqlite3_vfs_find(WalCoalescingVfsName()), nullptr);
  EXPECT_NE(sqlite3_vfs_find(nullptr), sqlite3_vfs_find(WalCoalescingVfsName()));
}

}  // namespace
}  // namespace oms

// Control statements prepared once: each runs again from its prepared form, a failure is
// SQLite's own code and message, and a statement that failed runs again afterwards.
#include "platform/storage/sqlite_control.h"

#include <sqlite3.h>

#include <memory>
#include <string>

#include "gtest/gtest.h"

namespace oms {
namespace {

class SqliteControlTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK); }
  void TearDown() override {
    control_.reset();  // its statements go before the connection
    EXPECT_EQ(sqlite3_close(db_), SQLITE_OK);
  }
  int Rows() {
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db_, "SELECT COUNT(*) FROM t", -1, &stmt, nullptr);
    sqlite3_step(stmt);
    int rows = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    return rows;
  }

  sqlite3* db_ = nullptr;
  std::unique_ptr<SqliteControlStatements> control_;
};

TEST_F(SqliteControlTest, EachStatementIsPreparedOnceAndRunsEveryTime) {
  control_ = std::make_unique<SqliteControlStatements>(db_);
  ASSERT_EQ(sqlite3_exec(db_, "CREATE TABLE t(x)", nullptr, nullptr, nullptr), SQLITE_OK);
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(control_->Run("BEGIN IMMEDIATE"), SQLITE_OK);
    EXPECT_EQ(sqlite3_get_autocommit(db_), 0);
    ASSERT_EQ(control_->Run("SAVEPOINT s"), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db_, "INSERT INTO t VALUES(1)", nullptr, nullptr, nullptr), SQLITE_OK);
    ASSERT_EQ(control_->Run("RELEASE s"), SQLITE_OK);
    ASSERT_EQ(control_->Run("COMMIT"), SQLITE_OK);
    EXPECT_EQ(sqlite3_get_autocommit(db_), 1);  // the COMMIT did end the transaction
  }
  EXPECT_EQ(Rows(), 3);
  EXPECT_EQ(control_->prepared(), 4);  // not 12
  // A rolled-back transaction keeps nothing, through the same cached statements.
  ASSERT_EQ(control_->Run("BEGIN IMMEDIATE"), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db_, "INSERT INTO t VALUES(2)", nullptr, nullptr, nullptr), SQLITE_OK);
  ASSERT_EQ(control_->Run("ROLLBACK"), SQLITE_OK);
  EXPECT_EQ(Rows(), 3);
}

TEST_F(SqliteControlTest, AFailureIsSqlitesOwnAndTheStatementRunsAgainLater) {
  control_ = std::make_unique<SqliteControlStatements>(db_);
  int rc = control_->Run("COMMIT");  // no transaction is open
  EXPECT_EQ(rc, SQLITE_ERROR);
  EXPECT_NE(std::string(sqlite3_errmsg(db_)).find("no transaction is active"), std::string::npos)
      << sqlite3_errmsg(db_);
  ASSERT_EQ(control_->Run("BEGIN"), SQLITE_OK);
  EXPECT_EQ(control_->Run("COMMIT"), SQLITE_OK);  // the same statement, now with a transaction
  // SQL that does not parse is not kept.
  EXPECT_EQ(control_->Run("COMIT"), SQLITE_ERROR);
  EXPECT_EQ(control_->prepared(), 2);
}

TEST_F(SqliteControlTest, APreparedPragmaTakesEffectEachTime) {
  control_ = std::make_unique<SqliteControlStatements>(db_);
  auto synchronous = [&] {
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db_, "PRAGMA synchronous", -1, &stmt, nullptr);
    sqlite3_step(stmt);
    int level = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    return level;
  };
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(control_->Run("PRAGMA synchronous=FULL"), SQLITE_OK);
    EXPECT_EQ(synchronous(), 2);
    ASSERT_EQ(control_->Run("PRAGMA synchronous=NORMAL"), SQLITE_OK);
    EXPECT_EQ(synchronous(), 1);
  }
}

}  // namespace
}  // namespace oms

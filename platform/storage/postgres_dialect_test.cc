#include "platform/storage/postgres_dialect.h"

#include "gtest/gtest.h"

namespace oms {
namespace {

std::string Translated(absl::string_view sql) {
  absl::StatusOr<std::string> out = ToPostgres(sql);
  EXPECT_TRUE(out.ok()) << out.status();
  return out.ok() ? *out : "";
}

TEST(PostgresDialectTest, NumbersPlaceholdersOutsideQuotes) {
  EXPECT_EQ(Translated("SELECT a FROM t WHERE b = ? AND c = '?' AND \"d?\" = ? LIMIT ?"),
            "SELECT a FROM t WHERE b = $1 AND c = '?' AND \"d?\" = $2 LIMIT $3");
  EXPECT_EQ(Translated("SELECT 'it''s ?', ?"), "SELECT 'it''s ?', $1");
}

TEST(PostgresDialectTest, InsertOrIgnoreBecomesOnConflictDoNothing) {
  EXPECT_EQ(Translated("INSERT OR IGNORE INTO t(a, b) VALUES(?, ?)"),
            "INSERT INTO t(a, b) VALUES($1, $2) ON CONFLICT DO NOTHING");
  EXPECT_EQ(Translated("insert or ignore into t(a) values(?) returning a"),
            "insert into t(a) values($1) ON CONFLICT DO NOTHING returning a");
  EXPECT_EQ(Translated("INSERT OR IGNORE INTO t(a) SELECT x FROM (SELECT 1 AS x RETURNING)"),
            "INSERT INTO t(a) SELECT x FROM (SELECT 1 AS x RETURNING) ON CONFLICT DO NOTHING");
}

TEST(PostgresDialectTest, TranslatesColumnTypesInSchemaStatementsOnly) {
  EXPECT_EQ(Translated("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER NOT "
                       "NULL, body BLOB, ratio REAL); ALTER TABLE t ADD COLUMN x INTEGER;"),
            "CREATE TABLE t (id BIGSERIAL PRIMARY KEY , n BIGINT NOT NULL, body BYTEA, ratio "
            "DOUBLE PRECISION); ALTER TABLE t ADD COLUMN x BIGINT;");
  EXPECT_EQ(Translated("CREATE TABLE k (id INTEGER PRIMARY KEY, note TEXT DEFAULT 'INTEGER')"),
            "CREATE TABLE k (id BIGINT PRIMARY KEY, note TEXT DEFAULT 'INTEGER')");
  EXPECT_EQ(Translated("SELECT integer FROM t -- INTEGER ?\nWHERE x = ?"),
            "SELECT integer FROM t -- INTEGER ?\nWHERE x = $1");
}

TEST(PostgresDialectTest, DropsSqlitePlannerHints) {
  EXPECT_EQ(Translated("SELECT body FROM messages INDEXED BY messages_waiting WHERE a = ?"),
            "SELECT body FROM messages WHERE a = $1");
  EXPECT_EQ(Translated("SELECT x FROM t NOT INDEXED WHERE a = ?"), "SELECT x FROM t WHERE a = $1");
}

TEST(PostgresDialectTest, RefusesWhatHasNoMechanicalTranslation) {
  EXPECT_EQ(ToPostgres("INSERT OR REPLACE INTO t(a) VALUES(1)").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ToPostgres("REPLACE INTO t(a) VALUES(1)").status().code(),
            absl::StatusCode::kInvalidArgument);
  absl::Status trigger =
      ToPostgres("CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; END").status();
  EXPECT_EQ(trigger.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(trigger.message().find("PerEngine"), absl::string_view::npos);
}

}  // namespace
}  // namespace oms

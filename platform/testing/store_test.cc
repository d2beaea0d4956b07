#include "platform/testing/store_test.h"

#include "platform/storage/open_database.h"
#include "platform/testing/postgres_server.h"

namespace oms::testing {

std::string StoreTest::NewTarget(const std::string& sqlite_path) {
  if (engine() == Engine::kSqlite) return sqlite_path;
  absl::StatusOr<PostgresServer*> server = PostgresServer::Get();
  if (!server.ok()) {
    ADD_FAILURE() << "no PostgreSQL for the test: " << server.status();
    return "";
  }
  absl::StatusOr<std::string> target = (*server)->NewDatabase();
  if (!target.ok()) {
    ADD_FAILURE() << target.status();
    return "";
  }
  return *target;
}

std::unique_ptr<Database> StoreTest::NewStore(const DatabaseOptions& options) {
  std::string target = NewTarget(":memory:");
  if (target.empty()) return nullptr;
  absl::StatusOr<std::unique_ptr<Database>> db = OpenDatabase(target, options);
  if (!db.ok()) {
    ADD_FAILURE() << "open " << target << ": " << db.status();
    return nullptr;
  }
  return std::move(*db);
}

std::string EngineName(const ::testing::TestParamInfo<Engine>& info) {
  return info.param == Engine::kSqlite ? "Sqlite" : "Postgres";
}

}  // namespace oms::testing

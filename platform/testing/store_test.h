// One test body, run on both store engines: the store tests of every service derive from
// StoreTest, so what they assert holds on SQLite and on PostgreSQL alike.
//
//   class OrderStoreTest : public oms::testing::StoreTest {};
//   TEST_P(OrderStoreTest, Something) { std::unique_ptr<Database> db = NewStore(); ... }
//   OMS_ON_EVERY_ENGINE(OrderStoreTest);
#ifndef OMS_PLATFORM_TESTING_STORE_TEST_H_
#define OMS_PLATFORM_TESTING_STORE_TEST_H_

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "platform/storage/database.h"

namespace oms::testing {

class StoreTest : public ::testing::TestWithParam<Engine> {
 protected:
  Engine engine() const { return GetParam(); }
  // A fresh, empty store of the test's engine: ":memory:" on SQLite, a new database on the
  // test server on PostgreSQL (postgres_server.h). Fails the test if it cannot be made.
  std::unique_ptr<Database> NewStore(const DatabaseOptions& options = {});
  // A target for a fresh store, to open more than once (replicas, reopening).
  std::string NewTarget(const std::string& sqlite_path);
};

std::string EngineName(const ::testing::TestParamInfo<Engine>& info);

}  // namespace oms::testing

#define OMS_ON_EVERY_ENGINE(suite)                                                              \
  INSTANTIATE_TEST_SUITE_P(Engines, suite,                                                      \
                           ::testing::Values(::oms::Engine::kSqlite, ::oms::Engine::kPostgres), \
                           ::oms::testing::EngineName)

#endif  // OMS_PLATFORM_TESTING_STORE_TEST_H_

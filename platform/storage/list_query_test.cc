#include "platform/storage/list_query.h"

#include "gtest/gtest.h"

namespace oms {
namespace {

TEST(ListQueryTest, UnsetFiltersAddNothing) {
  ListQuery q("SELECT body FROM t");
  q.Equal("a", std::string()).Equal("b", 0).In("c", {}).Created(std::nullopt, std::nullopt);
  q.NewestFirst("id", std::nullopt, 10);
  EXPECT_EQ(q.sql(), "SELECT body FROM t WHERE 1 = 1 ORDER BY created_us DESC, id DESC LIMIT ?");
  EXPECT_EQ(q.args().size(), 1u);
}

TEST(ListQueryTest, EveryFilterBindsItsValues) {
  ListQuery q("SELECT body FROM t");
  q.Equal("a", std::string("x")).Equal("b", 3).In("c", {1, 2}).Created(5, 9);
  q.NewestFirst("id", std::make_pair(int64_t{7}, std::string("id_7")), 10);
  EXPECT_EQ(q.sql(),
            "SELECT body FROM t WHERE 1 = 1 AND a = ? AND b = ? AND c IN (?, ?)"
            " AND created_us >= ? AND created_us < ?"
            " AND (created_us < ? OR (created_us = ? AND id < ?))"
            " ORDER BY created_us DESC, id DESC LIMIT ?");
  EXPECT_EQ(q.args().size(), 10u);
}

}  // namespace
}  // namespace oms

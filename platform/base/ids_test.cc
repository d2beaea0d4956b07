#include "platform/base/ids.h"

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace oms {
namespace {

TEST(IdGeneratorTest, HasPrefixAndShape) {
  IdGenerator ids;
  std::string id = ids.Next("ord");
  EXPECT_EQ(id.substr(0, 4), "ord_");
  EXPECT_TRUE(HasIdShape(id, "ord"));
  EXPECT_FALSE(HasIdShape(id, "evt"));
  EXPECT_FALSE(HasIdShape("ord_123", "ord"));
  EXPECT_FALSE(HasIdShape("ord_01JD8Z6Q4W3K9T2VXBN5M7R0A!", "ord"));
}

TEST(IdGeneratorTest, SortsByCreationTimeAcrossTheSameMillisecond) {
  FakeClock clock;
  IdGenerator ids(&clock);
  std::vector<std::string> made;
  for (int i = 0; i < 1000; ++i) {
    made.push_back(ids.Next("ord"));
    if (i % 100 == 0) clock.Advance(absl::Milliseconds(1));
  }
  for (size_t i = 1; i < made.size(); ++i) EXPECT_LT(made[i - 1], made[i]) << i;
}

TEST(IdGeneratorTest, UniqueAcrossThreads) {
  IdGenerator ids;
  std::vector<std::vector<std::string>> per_thread(4);
  std::vector<std::thread> threads;
  for (auto& out : per_thread) {
    threads.emplace_back([&ids, &out] {
      for (int i = 0; i < 2000; ++i) out.push_back(ids.Next("evt"));
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> all;
  for (auto& out : per_thread) all.insert(out.begin(), out.end());
  EXPECT_EQ(all.size(), 8000u);
}

}  // namespace
}  // namespace oms

#include "tools/loadgen/latency_stats.h"

#include "gtest/gtest.h"

namespace oms::loadgen {
namespace {

TEST(LatencyStatsTest, PercentilesAreNearestRank) {
  std::vector<int64_t> sorted;
  for (int i = 1; i <= 100; ++i) sorted.push_back(i);
  EXPECT_EQ(Percentile(sorted, 50), 50);
  EXPECT_EQ(Percentile(sorted, 90), 90);
  EXPECT_EQ(Percentile(sorted, 99), 99);
  EXPECT_EQ(Percentile(sorted, 100), 100);
  EXPECT_EQ(Percentile({7}, 99), 7);
  EXPECT_EQ(Percentile({}, 50), 0);
}

TEST(LatencyStatsTest, MergesWorkersAndCountsErrorsApart) {
  Recorder a, b;
  a.Record("PlaceOrder", absl::Milliseconds(2));
  a.Record("PlaceOrder", absl::Milliseconds(4));
  b.Record("PlaceOrder", absl::Milliseconds(3));
  b.Record("PlaceOrder", absl::Milliseconds(9), "UNAVAILABLE");
  a.Merge(b);
  std::vector<RpcSummary> rows = Summarize(a, absl::Seconds(2));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].ok, 3);
  EXPECT_EQ(rows[0].failed, 1);
  EXPECT_DOUBLE_EQ(rows[0].per_second, 1.5);
  EXPECT_EQ(rows[0].p50_us, 3000);
  EXPECT_EQ(rows[0].max_us, 4000);
  EXPECT_EQ(rows[0].errors.at("UNAVAILABLE"), 1);
  EXPECT_NE(ToJson(rows).find("\"p99_us\":4000"), std::string::npos) << ToJson(rows);
  EXPECT_NE(ToText(rows).find("UNAVAILABLE=1"), std::string::npos);
}

}  // namespace
}  // namespace oms::loadgen

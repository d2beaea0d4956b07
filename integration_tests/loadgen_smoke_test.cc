// tools/loadgen against the real binaries, tiny: each scenario runs a few operations and
// must finish cleanly (every call OK, the allocate-race oversell check holding) and write
// its JSON report. A smoke test that the tool works, not a benchmark (docs/BENCHMARKS.md).
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "integration_tests/seed.h"
#include "integration_tests/service_process.h"
#include "platform/testing/temp_dir.h"

namespace oms::integration {
namespace {

class LoadgenSmokeTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Started(order_.Start()));
    ASSERT_TRUE(Started(inventory_.Start()));
    logistics_ = LogisticsWithCarriers(dir_.path(), {"--write_rate=0"});
    ASSERT_TRUE(logistics_->Start().ok());
    orchestrator_ =
        OrchestratorFor(dir_.path(), order_, inventory_, *logistics_, {"--write_rate=0"});
    ASSERT_TRUE(orchestrator_->Start().ok());
  }

  testing::TempDir dir_;
  ServiceProcess order_{"order_svc", dir_.path(), {"--write_rate=0"}};
  ServiceProcess inventory_{"inventory_svc", dir_.path(), {"--write_rate=0"}};
  std::unique_ptr<ServiceProcess> logistics_;
  std::unique_ptr<ServiceProcess> orchestrator_;
};

TEST_P(LoadgenSmokeTest, RunsCleanlyAndWritesItsReport) {
  std::string json = dir_.File("report.json");
  std::vector<std::string> args = {RunfilesBinary("tools/loadgen", "loadgen"),
                                   "--scenario=" + GetParam(),
                                   "--count=40",
                                   "--warmup=0s",
                                   "--concurrency=4",
                                   "--channels=2",
                                   "--skus=5",
                                   "--orders=20",
                                   "--shipments=10",
                                   "--race_units=15",
                                   "--key_file=" + TestKeyDir() + "/admin.key",
                                   "--orchestrator=" + orchestrator_->address(),
                                   "--order=" + order_.address(),
                                   "--inventory=" + inventory_.address(),
                                   "--logistics=" + logistics_->address(),
                                   "--json=" + json};
  std::string command =
      absl::StrCat(absl::StrJoin(args, " "), " > ", dir_.File("out.txt"), " 2>&1");
  int rc = std::system(command.c_str());
  std::ifstream out(dir_.File("out.txt"));
  std::string text((std::istreambuf_iterator<char>(out)), std::istreambuf_iterator<char>());
  EXPECT_EQ(rc, 0) << text;
  std::ifstream report(json);
  std::string body((std::istreambuf_iterator<char>(report)), std::istreambuf_iterator<char>());
  EXPECT_NE(body.find("\"operations\":40"), std::string::npos) << body;
  EXPECT_NE(body.find("\"p99_us\""), std::string::npos) << body;
  if (GetParam() == "allocate-race") {
    EXPECT_NE(text.find("15 allocations reserved a unit, stock reserved=15 available=0"),
              std::string::npos)
        << text;
  }
}

INSTANTIATE_TEST_SUITE_P(Scenarios, LoadgenSmokeTest,
                         ::testing::Values("place", "allocate-race", "track", "read", "mixed"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           for (char& c : name) c = c == '-' ? '_' : c;
                           return name;
                         });

}  // namespace
}  // namespace oms::integration

// LogToFile: the process's stderr goes to a file that rotates by size. Its own binary: it
// redirects stdout and stderr for the process (restored at the end).
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "platform/base/log.h"
#include "platform/testing/temp_dir.h"

namespace oms {
namespace {

std::vector<std::string> Lines(const std::string& path) {
  std::ifstream file(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(file, line);) lines.push_back(line);
  return lines;
}

// Sends the process's stdout and stderr back where they were when it goes.
class Redirected {
 public:
  Redirected() : out_(dup(STDOUT_FILENO)), err_(dup(STDERR_FILENO)) {}
  ~Redirected() {
    dup2(out_, STDOUT_FILENO);
    dup2(err_, STDERR_FILENO);
    close(out_);
    close(err_);
  }

 private:
  int out_, err_;
};

TEST(LogFileTest, AFullLogBecomesDotOneSoAtMostTwoAreKept) {
  testing::TempDir dir;
  const std::string path = dir.File("order_svc.log");
  constexpr int64_t kMax = 20000;
  {
    Redirected redirected;
    ASSERT_TRUE(LogToFile(path, kMax).ok());
    for (int i = 0; i < 1000; ++i) LogInfo("line ", i, " ", std::string(60, 'x'));
    LogInfo("the last line");
    fprintf(stderr, "a library's own stderr line\n");
    fflush(stderr);
  }
  std::vector<std::string> current = Lines(path), previous = Lines(path + ".1");
  ASSERT_GE(previous.size(), 2u);  // ~150 KB written against a 20 KB limit: it rotated
  ASSERT_GE(current.size(), 2u);
  EXPECT_NE(current[current.size() - 2].find("the last line"), std::string::npos);
  EXPECT_EQ(current.back(), "a library's own stderr line");
  // Each file ends with the line that took it past the limit; older ones are gone.
  EXPECT_LE(std::filesystem::file_size(path + ".1"), kMax + previous.back().size() + 1);
  EXPECT_LE(std::filesystem::file_size(path), kMax + 200);
  EXPECT_EQ(previous.back().find("line 0 "), std::string::npos);
}

TEST(LogFileTest, LinesFromManyThreadsStayWholeAcrossRotations) {
  testing::TempDir dir;
  const std::string path = dir.File("inventory_svc.log");
  {
    Redirected redirected;
    ASSERT_TRUE(LogToFile(path, 5000).ok());
    std::vector<std::thread> writers;
    for (int t = 0; t < 4; ++t) {
      writers.emplace_back([t] {
        for (int i = 0; i < 500; ++i) LogInfo("writer ", t, " line ", i, std::string(60, 'x'));
      });
    }
    for (std::thread& w : writers) w.join();
  }
  // How far past the limit a file goes depends on how long the rotating thread is held up
  // while the others write on (into the file being rotated away); lines are never torn.
  EXPECT_TRUE(std::filesystem::exists(path + ".1"));  // it rotated
  for (const std::string& file : {path, path + ".1"}) {
    for (const std::string& line : Lines(file)) {
      EXPECT_EQ(line.rfind("{\"time\":\"", 0), 0u) << line;
      EXPECT_EQ(line.back(), '}') << line;
    }
  }
}

TEST(LogFileTest, AFileThatCannotBeOpenedIsNamed) {
  absl::Status status = LogToFile("/no/such/dir/x.log", 0);
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(status.message().find("/no/such/dir/x.log"), std::string::npos) << status;
}

}  // namespace
}  // namespace oms

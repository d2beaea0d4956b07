#include "platform/base/files.h"

#include <sys/stat.h>

#include "gtest/gtest.h"
#include "platform/testing/temp_dir.h"

namespace oms {
namespace {

TEST(FilesTest, WritesAtomicallyWithTheModeAndReadsBackWithoutTrailingNewlines) {
  testing::TempDir dir;
  std::string path = dir.File("token.key");
  ASSERT_TRUE(WriteFileAtomically(path, "secret\n", 0600).ok());
  struct stat info;
  ASSERT_EQ(stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  EXPECT_EQ(*ReadSmallFile(path), "secret");
  ASSERT_TRUE(WriteFileAtomically(path, "newer").ok());  // replaces
  EXPECT_EQ(*ReadSmallFile(path), "newer");
  EXPECT_NE(stat((path + ".tmp").c_str(), &info), 0);  // no temporary left behind
}

TEST(FilesTest, MissingFilesAndDirectoriesAreErrorsNamingThePath) {
  testing::TempDir dir;
  absl::StatusOr<std::string> missing = ReadSmallFile(dir.File("nope"));
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("nope"), std::string::npos);
  EXPECT_FALSE(WriteFileAtomically(dir.File("no/such/dir/file"), "x").ok());
}

TEST(FilesTest, SyncsFilesAndDirectoriesAndNamesAPathItCannotOpen) {
  testing::TempDir dir;
  std::string path = dir.File("synced");
  ASSERT_TRUE(WriteFileAtomically(path, "x").ok());
  EXPECT_TRUE(SyncPath(path).ok());
  EXPECT_TRUE(SyncPath(dir.File("")).ok());  // the directory itself
  absl::Status missing = SyncPath(dir.File("gone"));
  EXPECT_EQ(missing.code(), absl::StatusCode::kInternal);
  EXPECT_NE(missing.message().find("gone"), std::string::npos) << missing;
  EXPECT_NE(missing.message().find("No such file"), std::string::npos) << missing;
}

TEST(FilesTest, KeepAsPreviousReplacesTheFileBefore) {
  testing::TempDir dir;
  std::string path = dir.File("log");
  ASSERT_TRUE(WriteFileAtomically(path, "first").ok());
  ASSERT_TRUE(KeepAsPrevious(path).ok());
  ASSERT_TRUE(WriteFileAtomically(path, "second").ok());
  ASSERT_TRUE(KeepAsPrevious(path).ok());
  EXPECT_EQ(*ReadSmallFile(path + ".1"), "second");
  absl::Status missing = KeepAsPrevious(path);  // moved away already
  EXPECT_EQ(missing.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(missing.message().find(path + ".1"), std::string::npos) << missing;
}

}  // namespace
}  // namespace oms

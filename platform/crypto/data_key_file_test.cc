#include "platform/crypto/data_key_file.h"

#include <sys/stat.h>

#include "gtest/gtest.h"
#include "platform/base/files.h"
#include "platform/crypto/data_keys.h"
#include "platform/crypto/data_protection.h"
#include "platform/testing/temp_dir.h"

namespace oms::crypto {
namespace {

TEST(DataKeyFileTest, RotatesRetiresAndIsFollowedByTheRunningProcess) {
  testing::TempDir dir;
  const std::string path = dir.File("data.keys");
  ASSERT_TRUE(*EnsureDataKeyFile(path));
  EXPECT_FALSE(*EnsureDataKeyFile(path));  // an existing file is never replaced
  struct stat info;
  ASSERT_EQ(stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);

  absl::StatusOr<DataKeyFileWatcher> watcher = DataKeyFileWatcher::Start(path);
  ASSERT_TRUE(watcher.ok()) << watcher.status();
  EXPECT_EQ(DataProtection::Keys()->active_key_id(), "k1");
  std::string under_k1 = SealText("Jane", "t.name");
  std::string lookup = LookupKey("+8613800138000");

  absl::StatusOr<std::string> added = AddDataKey(path);
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(RetireDataKey(path, *added).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(RetireDataKey(path, "lookup").code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(watcher->Check().ok());
  EXPECT_EQ(DataProtection::Keys()->active_key_id(), *added);
  EXPECT_EQ(DataKeys::KeyIdOf(SealText("Jane", "t.name")), *added);
  EXPECT_EQ(*OpenText(under_k1, "t.name"), "Jane");  // the old key still opens
  EXPECT_EQ(LookupKey("+8613800138000"), lookup);    // lookups do not move

  ASSERT_TRUE(RetireDataKey(path, "k1").ok());
  EXPECT_EQ(RetireDataKey(path, "k1").code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(watcher->Check().ok());
  EXPECT_EQ(OpenText(under_k1, "t.name").status().code(), absl::StatusCode::kFailedPrecondition);

  // A broken file keeps the keys in use, reported once.
  ASSERT_TRUE(WriteFileAtomically(path, "k9 nothex\n", 0600).ok());
  EXPECT_FALSE(watcher->Check().ok());
  EXPECT_TRUE(watcher->Check().ok());
  EXPECT_EQ(DataProtection::Keys()->active_key_id(), *added);
  DataProtection::Use(nullptr);
}

TEST(DataKeyFileTest, AMissingFileDoesNotStart) {
  EXPECT_EQ(DataKeyFileWatcher::Start("/nonexistent/data.keys").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace oms::crypto

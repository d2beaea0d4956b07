#include "platform/base/offset_clock.h"

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "platform/base/files.h"
#include "platform/testing/temp_dir.h"

namespace oms {
namespace {

TEST(OffsetFileClockTest, FollowsTheOffsetInTheFile) {
  testing::TempDir dir;
  OffsetFileClock clock(dir.File("offset"));
  auto offset = [&] { return clock.Now() - absl::Now(); };
  EXPECT_LT(absl::AbsDuration(offset()), absl::Minutes(1));  // no file: real time
  ASSERT_TRUE(WriteFileAtomically(dir.File("offset"), "30h\n").ok());
  EXPECT_GT(offset(), absl::Hours(29));
  EXPECT_LT(offset(), absl::Hours(31));
  ASSERT_TRUE(WriteFileAtomically(dir.File("offset"), "210h").ok());
  EXPECT_GT(offset(), absl::Hours(209));
  ASSERT_TRUE(WriteFileAtomically(dir.File("offset"), "soon").ok());  // unreadable: 0
  EXPECT_LT(absl::AbsDuration(offset()), absl::Minutes(1));
}

}  // namespace
}  // namespace oms

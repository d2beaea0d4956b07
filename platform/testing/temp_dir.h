#ifndef OMS_PLATFORM_TESTING_TEMP_DIR_H_
#define OMS_PLATFORM_TESTING_TEMP_DIR_H_

#include <string>

namespace oms::testing {

// A fresh directory under $TEST_TMPDIR (or /tmp), removed with everything in it when the
// object goes away. Not thread-safe.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name.
  std::string File(const std::string& name) const;

 private:
  std::string path_;
};

}  // namespace oms::testing

#endif  // OMS_PLATFORM_TESTING_TEMP_DIR_H_

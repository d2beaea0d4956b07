// A disk that starts failing on cue, for a real service binary (LD_PRELOAD): once the file
// named by OMS_FAIL_SYNC_FLAG exists, every fsync and fdatasync of the process fails with
// EIO, as a dying disk or a full thin-provisioned volume answers. Before that, both pass
// through to the C library. Test-only; nothing in a service knows of it.

#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

namespace {

bool DiskFailed() {
  const char* flag = getenv("OMS_FAIL_SYNC_FLAG");
  return flag != nullptr && access(flag, F_OK) == 0;
}

template <typename Function>
Function Next(const char* name) {
  return reinterpret_cast<Function>(dlsym(RTLD_NEXT, name));
}

// The C library's sync `next`, or EIO once the disk has failed.
int SyncUnlessFailed(int (*next)(int), int fd) {
  if (DiskFailed()) {
    errno = EIO;
    return -1;
  }
  return next(fd);
}

}  // namespace

extern "C" int fdatasync(int fd) {
  static auto next = Next<int (*)(int)>("fdatasync");
  return SyncUnlessFailed(next, fd);
}

extern "C" int fsync(int fd) {
  static auto next = Next<int (*)(int)>("fsync");
  return SyncUnlessFailed(next, fd);
}

#include "platform/storage/wal_sync.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace oms {
namespace {

absl::Status SyncError(absl::string_view what, const std::string& path, int error) {
  return absl::InternalError(absl::StrCat(
      "the store could not make its commits durable (", what, " ", path, ": ", std::strerror(error),
      "); what it committed since its last sync may be lost on power "
      "failure, restart the service"));
}

int SyncFd(int fd) {
  int rc;
  do {
    rc = fdatasync(fd);
  } while (rc != 0 && errno == EINTR);
  return rc;
}

std::string DirectoryOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

WalSync::WalSync(std::string wal_path)
    : wal_path_(std::move(wal_path)), sync_([this] { return SyncFile(); }) {}

WalSync::WalSync(std::function<absl::Status()> sync) : sync_(std::move(sync)) {}

WalSync::~WalSync() {
  if (fd_ >= 0) close(fd_);
}

int64_t WalSync::Committed() { return committed_.fetch_add(1, std::memory_order_acq_rel) + 1; }

absl::Status WalSync::WaitDurable(int64_t ticket) {
  if (synced_fast_.load(std::memory_order_acquire) >= ticket) return absl::OkStatus();
  absl::MutexLock lock(&mu_);
  while (true) {
    if (!failed_.ok()) return failed_;
    if (synced_ >= ticket) return absl::OkStatus();
    if (syncing_) {
      waiting_.fetch_add(1, std::memory_order_relaxed);
      sync_done_.Wait(&mu_);
      waiting_.fetch_sub(1, std::memory_order_relaxed);
      continue;
    }
    // Everything committed so far was written before this load: one sync covers it all.
    syncing_ = true;
    int64_t target = committed_.load(std::memory_order_acquire);
    mu_.Unlock();
    absl::Status synced = sync_();
    syncs_.fetch_add(1, std::memory_order_relaxed);
    mu_.Lock();
    syncing_ = false;
    if (synced.ok()) {
      synced_ = std::max(synced_, target);
      synced_fast_.store(synced_, std::memory_order_release);
    } else {
      failed_ = synced;
    }
    sync_done_.SignalAll();
  }
}

absl::Status WalSync::SyncFile() {
  if (fd_ < 0) {
    fd_ = open(wal_path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) return SyncError("open", wal_path_, errno);
    // A new WAL's directory entry must be on disk too (SQLite's own first sync does this).
    std::string directory = DirectoryOf(wal_path_);
    int dir = open(directory.c_str(), O_RDONLY | O_CLOEXEC);
    if (dir < 0) return SyncError("open", directory, errno);
    int rc = SyncFd(dir);
    int error = errno;
    close(dir);
    if (rc != 0) return SyncError("fsync", directory, error);
  }
  if (SyncFd(fd_) != 0) return SyncError("fdatasync", wal_path_, errno);
  return absl::OkStatus();
}

}  // namespace oms

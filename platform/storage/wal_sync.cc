#include "platform/storage/wal_sync.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "platform/base/files.h"

namespace oms {
namespace {

// Why a sync failed, as every later caller is told (wal_sync.h).
absl::Status Final(absl::string_view cause) {
  return absl::InternalError(absl::StrCat(
      "the store could not make its commits durable (", cause,
      "); what it committed since its last sync may be lost on power failure, restart the "
      "service"));
}

absl::Status Errno(absl::string_view what, const std::string& path) {
  return Final(absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
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
    if (fd_ < 0) return Errno("open", wal_path_);
    // A new WAL's directory entry must be on disk too (SQLite's own first sync does this).
    std::string directory = std::filesystem::path(wal_path_).parent_path().string();
    absl::Status synced = SyncPath(directory.empty() ? "." : directory);
    if (!synced.ok()) return Final(synced.message());
  }
  int rc;
  do {
    rc = fdatasync(fd_);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) return Errno("fdatasync", wal_path_);
  return absl::OkStatus();
}

}  // namespace oms

#include "platform/storage/wal_checkpointer.h"

#include <sqlite3.h>

#include "absl/strings/str_cat.h"
#include "platform/base/background_thread.h"
#include "platform/base/log.h"

namespace oms {

absl::StatusOr<std::unique_ptr<WalCheckpointer>> WalCheckpointer::Start(const std::string& path,
                                                                        int pages,
                                                                        int limit_pages) {
  sqlite3* own = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &own, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  // A connection learns that the store is in WAL mode only by reading it; until then a
  // checkpoint through it does nothing at all.
  if (rc == SQLITE_OK) rc = sqlite3_exec(own, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    absl::Status status = absl::UnavailableError(
        absl::StrCat("open ", path, " for checkpoints: ", sqlite3_errstr(rc)));
    sqlite3_close(own);
    return status;
  }
  return std::unique_ptr<WalCheckpointer>(new WalCheckpointer(own, pages, limit_pages));
}

WalCheckpointer::WalCheckpointer(sqlite3* own, int pages, int limit_pages)
    : own_(own), pages_(pages), limit_pages_(limit_pages), thread_([this] { Run(); }) {}

WalCheckpointer::~WalCheckpointer() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
  sqlite3_close(own_);
}

void WalCheckpointer::Install(sqlite3* writer) { sqlite3_wal_hook(writer, &OnCommit, this); }

int WalCheckpointer::OnCommit(void* arg, sqlite3* db, const char* schema, int pages_in_wal) {
  auto* self = static_cast<WalCheckpointer*>(arg);
  if (pages_in_wal >= self->limit_pages_) {
    // The thread is far behind (or the disk is slow): bound the WAL as SQLite would.
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (pages_in_wal >= self->pages_) {
    absl::MutexLock lock(&self->mu_);
    // Again only once another quarter has come in (or the WAL restarted): each checkpoint
    // syncs the files, so one per commit would cost more than it saves.
    if (pages_in_wal < self->woken_at_ || pages_in_wal >= self->woken_at_ + self->pages_ / 4) {
      self->wanted_ = true;
      self->woken_at_ = pages_in_wal;
    }
  }
  return SQLITE_OK;
}

void WalCheckpointer::Run() {
  BecomeBackgroundThread("wal checkpoint");
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      auto due = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return wanted_ || stopping_; };
      mu_.Await(absl::Condition(&due));
      if (stopping_) return;
      wanted_ = false;
    }
    int rc = sqlite3_wal_checkpoint_v2(own_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      LogWarning("background checkpoint failed: ", sqlite3_errstr(rc));
    }
  }
}

}  // namespace oms

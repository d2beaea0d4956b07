#ifndef OMS_PLATFORM_STORAGE_WAL_CHECKPOINTER_H_
#define OMS_PLATFORM_STORAGE_WAL_CHECKPOINTER_H_

// Keeps a SQLite WAL file from growing while readers are busy.

#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

struct sqlite3;

namespace oms {

// Copies a WAL store's committed pages back into the main file on a thread and connection
// of its own, so that no commit waits for a checkpoint (SQLite otherwise runs one inside
// the commit that crosses the threshold: a pause of several milliseconds for that caller).
// A PASSIVE checkpoint never blocks the writer or readers. Durability is unchanged: a
// commit is durable once in the WAL; the checkpoint only moves it.
//
// Install() takes over the connection's WAL hook: after each commit it wakes the thread
// once the WAL holds `pages` pages, and checkpoints inline only past `limit_pages` (the
// thread fell far behind), which bounds the WAL's size as SQLite's own would.
class WalCheckpointer {
 public:
  static absl::StatusOr<std::unique_ptr<WalCheckpointer>> Start(const std::string& path, int pages,
                                                                int limit_pages);
  ~WalCheckpointer();  // stops the thread; call before closing the watched connection

  void Install(sqlite3* writer);

 private:
  WalCheckpointer(sqlite3* own, int pages, int limit_pages);
  static int OnCommit(void* self, sqlite3* db, const char* schema, int pages_in_wal);
  void Run();

  sqlite3* const own_;
  const int pages_;
  const int limit_pages_;
  mutable absl::Mutex mu_;
  bool wanted_ ABSL_GUARDED_BY(mu_) = false;
  int woken_at_ ABSL_GUARDED_BY(mu_) = 0;  // WAL pages when the thread was last woken
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace oms

#endif  // OMS_PLATFORM_STORAGE_WAL_CHECKPOINTER_H_

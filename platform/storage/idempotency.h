#ifndef OMS_PLATFORM_STORAGE_IDEMPOTENCY_H_
#define OMS_PLATFORM_STORAGE_IDEMPOTENCY_H_

#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "platform/base/clock.h"
#include "platform/storage/database.h"

namespace oms {

// Idempotency keys for mutating RPCs. The first call with a key runs and its response is
// stored in the same transaction as its effects; a retry with the same key and the same
// request gets the stored response and changes nothing; the same key with a different
// request is refused with FAILED_PRECONDITION. Keys are scoped per method. Thread-safe
// (state lives in the store).
class Idempotency {
 public:
  // Schema for Database::Migrate("idempotency", ...).
  static const std::vector<Migration>& Migrations();

  Idempotency(Database* db, const Clock* clock) : db_(db), clock_(clock) {}

  // Runs `fn` in one transaction unless `key` was used before for `method`. `request` is
  // compared without its `idempotency_key` field. With an empty key, just runs `fn` in a
  // transaction. An error from `fn` stores nothing, so the retry runs again. `fn` may run
  // more than once (see Database::Transact); `response` is cleared before each run.
  absl::Status Run(absl::string_view method, absl::string_view key,
                   const google::protobuf::Message& request, google::protobuf::Message* response,
                   absl::FunctionRef<absl::Status(Session&)> fn);

  // Whether `key` was already used for `method` and this request: then `response` is the
  // stored answer. For commands whose first step happens outside this store (a call to
  // another service) and must not be checked again on a retry. A different request under
  // the same key is FAILED_PRECONDITION, as in Run.
  absl::StatusOr<bool> Seen(absl::string_view method, absl::string_view key,
                            const google::protobuf::Message& request,
                            google::protobuf::Message* response);

  // Forgets keys older than `age` (a retry after that runs again). Answers how many.
  absl::StatusOr<int64_t> Expire(absl::Duration age);

 private:
  // Reads the stored answer of (method, key) inside `s`; false when there is none.
  static absl::StatusOr<bool> Lookup(Session& s, absl::string_view method, absl::string_view key,
                                     const std::string& fingerprint,
                                     google::protobuf::Message* response);

  Database* db_;
  const Clock* clock_;
};

}  // namespace oms

#endif  // OMS_PLATFORM_STORAGE_IDEMPOTENCY_H_

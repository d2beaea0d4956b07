#ifndef OMS_PLATFORM_EVENTS_BATCH_PREPARER_H_
#define OMS_PLATFORM_EVENTS_BATCH_PREPARER_H_

// Work a feed batch needs from outside the store, done before the batch's transaction.
//
// A feed consumer applies a batch of events in one write transaction. A handler that asks
// another service for something inside it (an order's customer, a customer's tier) holds the
// store's write lock for the whole round trip: every other writer of the store waits, for up
// to the call's deadline when that service is down. A BatchPreparer makes the handler for a
// batch outside the transaction instead. The usual shape is optimistic: the first handler
// has nothing fetched; if it finds it needs an answer from outside, it returns
// PrepareAgainError, the transaction rolls back, and the preparer is called again with that
// error to fetch what the batch needs before the second (and last) try.

#include <functional>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "oms/events/v1/events.pb.h"
#include "platform/storage/database.h"

namespace oms {

// Applies one event inside the batch's transaction.
using EventHandler = std::function<absl::Status(Session&, const events::v1::Event&)>;

// Makes the handler for `batch`, outside any transaction. `failed` is OK on the first call
// and the PrepareAgainError the previous handler answered on the second.
using BatchPreparer = std::function<absl::StatusOr<EventHandler>(
    const std::vector<events::v1::Event>& batch, const absl::Status& failed)>;

// What a handler answers when the event needs something only a call outside the transaction
// can fetch (`why` says what). It is UNAVAILABLE, so code that does not prepare retries it
// like any other transient failure.
absl::Status PrepareAgainError(absl::string_view why);
bool IsPrepareAgain(const absl::Status& status);

// Runs `attempt` with the handler `prepare` makes for `batch`; when the attempt answers
// PrepareAgainError, prepares again with that answer and runs it once more. Answers the
// last attempt's status (a second PrepareAgainError too: the caller retries later).
absl::Status RunPrepared(const BatchPreparer& prepare, const std::vector<events::v1::Event>& batch,
                         absl::FunctionRef<absl::Status(const EventHandler&)> attempt);

}  // namespace oms

#endif  // OMS_PLATFORM_EVENTS_BATCH_PREPARER_H_

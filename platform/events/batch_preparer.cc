#include "platform/events/batch_preparer.h"

#include "absl/strings/cord.h"
#include "platform/base/status.h"

namespace oms {
namespace {

// Marks the status as PrepareAgainError's (a payload, so the code stays a plain UNAVAILABLE).
constexpr absl::string_view kPrepareAgainPayload = "oms.events/prepare-again";

}  // namespace

absl::Status PrepareAgainError(absl::string_view why) {
  absl::Status status = absl::UnavailableError(why);
  status.SetPayload(kPrepareAgainPayload, absl::Cord("1"));
  return status;
}

bool IsPrepareAgain(const absl::Status& status) {
  return absl::IsUnavailable(status) && status.GetPayload(kPrepareAgainPayload).has_value();
}

absl::Status RunPrepared(const BatchPreparer& prepare, const std::vector<events::v1::Event>& batch,
                         absl::FunctionRef<absl::Status(const EventHandler&)> attempt) {
  absl::Status failed = absl::OkStatus();
  for (int tries = 0; tries < 2; ++tries) {
    OMS_ASSIGN_OR_RETURN(EventHandler handler, prepare(batch, failed));
    failed = attempt(handler);
    if (!IsPrepareAgain(failed)) return failed;
  }
  return failed;
}

}  // namespace oms

#ifndef OMS_PLATFORM_PAGE_TOKEN_H_
#define OMS_PLATFORM_PAGE_TOKEN_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace oms {

// Opaque page tokens for keyset pagination. A token carries the position after which the
// next page starts and a hash of the request's filters (every field but page_token and
// page_size), so a token replayed with other filters is refused instead of silently skipping
// or repeating rows.

std::string EncodePageToken(absl::string_view position, const google::protobuf::Message& request);

// The position from `token`; INVALID_ARGUMENT naming page_token when it is malformed or was
// issued for different filters.
absl::StatusOr<std::string> DecodePageToken(absl::string_view token,
                                            const google::protobuf::Message& request);

}  // namespace oms

#endif  // OMS_PLATFORM_PAGE_TOKEN_H_

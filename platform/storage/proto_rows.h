#ifndef OMS_PLATFORM_STORAGE_PROTO_ROWS_H_
#define OMS_PLATFORM_STORAGE_PROTO_ROWS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"
#include "platform/storage/database.h"

namespace oms {

// Stores keep records as serialized protos beside the columns they are searched by; these
// are the shared pieces for that, and for proto timestamps.

google::protobuf::Timestamp ToProtoTime(absl::Time time);
absl::Time FromProtoTime(const google::protobuf::Timestamp& timestamp);
int64_t ProtoMicros(const google::protobuf::Timestamp& timestamp);

// A record as stored: its personal fields sealed when the process has data keys
// (platform/crypto/data_protection.h).
std::string SerializeProto(const google::protobuf::Message& message);
// A stored record parsed and its personal fields opened; DATA_LOSS naming the type if corrupt.
absl::Status ParseStoredProto(absl::string_view bytes, google::protobuf::Message* message);

// Every row's column 0 parsed as a T (ParseStoredProto).
template <typename T>
absl::StatusOr<std::vector<T>> QueryProtos(Session& session, absl::string_view sql,
                                           absl::Span<const SqlArg> args) {
  std::vector<T> out;
  absl::Status status = session.ForEachRow(sql, args, [&](const Rows& row) -> absl::Status {
    return ParseStoredProto(row.Blob(0), &out.emplace_back());
  });
  if (!status.ok()) return status;
  return out;
}

// The first row's column 0 as a T, or nullopt when there is no row.
template <typename T>
absl::StatusOr<std::optional<T>> QueryProto(Session& session, absl::string_view sql,
                                            absl::Span<const SqlArg> args) {
  absl::StatusOr<std::vector<T>> found = QueryProtos<T>(session, sql, args);
  if (!found.ok()) return found.status();
  if (found->empty()) return std::optional<T>();
  return std::optional<T>(std::move(found->front()));
}

}  // namespace oms

#endif  // OMS_PLATFORM_STORAGE_PROTO_ROWS_H_

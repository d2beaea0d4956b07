#include "platform/storage/proto_rows.h"

#include "google/protobuf/util/time_util.h"
#include "platform/crypto/data_protection.h"

namespace oms {

google::protobuf::Timestamp ToProtoTime(absl::Time time) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

absl::Time FromProtoTime(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixMicros(ProtoMicros(timestamp));
}

int64_t ProtoMicros(const google::protobuf::Timestamp& timestamp) {
  return google::protobuf::util::TimeUtil::TimestampToMicroseconds(timestamp);
}

std::string SerializeProto(const google::protobuf::Message& message) {
  return crypto::SerializeSealed(message);
}

absl::Status ParseStoredProto(absl::string_view bytes, google::protobuf::Message* message) {
  return crypto::ParseOpened(bytes, message);
}

}  // namespace oms

#include "platform/storage/idempotency.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "platform/base/status.h"
#include "platform/crypto/data_protection.h"

namespace oms {
namespace {

// The request's bytes without its idempotency key, serialised deterministically so equal
// requests always compare equal.
std::string Fingerprint(const google::protobuf::Message& request) {
  // Request-scoped: on an arena, freed at once (as in crypto::SerializeSealed).
  google::protobuf::Arena arena;
  google::protobuf::Message* copy = request.New(&arena);
  copy->MergeFrom(request);
  const google::protobuf::FieldDescriptor* key =
      copy->GetDescriptor()->FindFieldByName("idempotency_key");
  if (key != nullptr) copy->GetReflection()->ClearField(copy, key);
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    copy->SerializeToCodedStream(&coded);
  }
  // Compared for equality only, so with data keys a keyed hash: the request's personal
  // values are not kept in clear.
  return crypto::Digest(bytes);
}

}  // namespace

const std::vector<Migration>& Idempotency::Migrations() {
  static const auto* migrations = new std::vector<Migration>{
      "CREATE TABLE idempotency_keys ("
      "  method TEXT NOT NULL,"
      "  key TEXT NOT NULL,"
      "  request BLOB NOT NULL,"
      "  response BLOB NOT NULL,"
      "  created_at_us INTEGER NOT NULL,"
      "  PRIMARY KEY (method, key));"
      "CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at_us);",
      // Version 2: the answer's message type, so a sweep can read every stored answer (to seal
      // it under a new key or erase a customer from it).
      "ALTER TABLE idempotency_keys ADD COLUMN response_type TEXT NOT NULL DEFAULT '';",
  };
  return *migrations;
}

absl::StatusOr<bool> Idempotency::Lookup(Session& s, absl::string_view method,
                                         absl::string_view key, const std::string& fingerprint,
                                         google::protobuf::Message* response) {
  OMS_ASSIGN_OR_RETURN(Rows seen, s.Query("SELECT request, response FROM idempotency_keys "
                                          "WHERE method = ? AND key = ?",
                                          {method, key}));
  OMS_ASSIGN_OR_RETURN(bool found, seen.Next());
  if (!found) return false;
  if (seen.Blob(0) != fingerprint) {
    return absl::FailedPreconditionError(absl::StrCat(
        "idempotency_key \"", key, "\" was already used for a different ", method, " request"));
  }
  response->Clear();
  OMS_RETURN_IF_ERROR(crypto::ParseOpened(seen.Blob(1), response));
  return true;
}

absl::StatusOr<bool> Idempotency::Seen(absl::string_view method, absl::string_view key,
                                       const google::protobuf::Message& request,
                                       google::protobuf::Message* response) {
  if (key.empty()) return false;
  std::string fingerprint = Fingerprint(request);
  bool found = false;
  OMS_RETURN_IF_ERROR(db_->Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(found, Lookup(s, method, key, fingerprint, response));
    return absl::OkStatus();
  }));
  return found;
}

absl::Status Idempotency::Run(absl::string_view method, absl::string_view key,
                              const google::protobuf::Message& request,
                              google::protobuf::Message* response,
                              absl::FunctionRef<absl::Status(Session&)> fn) {
  // Each attempt of the transaction (PostgreSQL runs one again after a conflict) starts
  // from an empty response, so `fn` may fill it by appending.
  if (key.empty()) {
    return db_->Transact([&](Session& s) {
      response->Clear();
      return fn(s);
    });
  }
  std::string fingerprint = Fingerprint(request);
  return db_->Transact([&](Session& s) -> absl::Status {
    response->Clear();
    OMS_ASSIGN_OR_RETURN(bool found, Lookup(s, method, key, fingerprint, response));
    if (found) return absl::OkStatus();
    OMS_RETURN_IF_ERROR(fn(s));
    return s
        .Exec(
            "INSERT INTO idempotency_keys(method, key, request, response, created_at_us, "
            "response_type) VALUES(?, ?, ?, ?, ?, ?)",
            {method, key, SqlArg::Blob(fingerprint),
             SqlArg::Blob(crypto::SerializeSealed(*response)), absl::ToUnixMicros(clock_->Now()),
             response->GetDescriptor()->full_name()})
        .status();
  });
}

absl::StatusOr<int64_t> Idempotency::Expire(absl::Duration age) {
  int64_t removed = 0;
  OMS_RETURN_IF_ERROR(db_->Transact([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(removed, s.Exec("DELETE FROM idempotency_keys WHERE created_at_us < ?",
                                         {absl::ToUnixMicros(clock_->Now() - age)}));
    return absl::OkStatus();
  }));
  return removed;
}

}  // namespace oms

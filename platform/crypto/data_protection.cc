#include "platform/crypto/data_protection.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/arena.h"
#include "platform/crypto/personal_fields.h"

namespace oms::crypto {
namespace {

absl::Mutex& KeysMutex() {
  static auto* mutex = new absl::Mutex();
  return *mutex;
}

std::shared_ptr<const DataKeys>& CurrentKeys() {
  static auto* keys = new std::shared_ptr<const DataKeys>();
  return *keys;
}

// Sealing fails only when OpenSSL itself does; writing the value in clear instead would
// break the promise silently, so that is fatal.
std::string SealOrDie(const DataKeys& keys, absl::string_view value, absl::string_view context) {
  absl::StatusOr<std::string> sealed = keys.Seal(value, context);
  if (!sealed.ok()) {
    std::fprintf(stderr, "cannot seal personal data: %s\n", sealed.status().ToString().c_str());
    std::abort();
  }
  return *std::move(sealed);
}

absl::Status NoKeysFor(absl::string_view context) {
  return absl::FailedPreconditionError(
      absl::StrCat(context,
                   " is sealed and this process has no data keys: start it with "
                   "--data_key_file naming the key file the store was written with"));
}

}  // namespace

void DataProtection::Use(std::shared_ptr<const DataKeys> keys) {
  absl::MutexLock lock(&KeysMutex());
  CurrentKeys() = std::move(keys);
}

std::shared_ptr<const DataKeys> DataProtection::Keys() {
  absl::ReaderMutexLock lock(&KeysMutex());
  return CurrentKeys();
}

absl::Status OpenPersonalData(google::protobuf::Message& message) {
  if (!HoldsPersonalData(*message.GetDescriptor())) return absl::OkStatus();
  std::shared_ptr<const DataKeys> keys = DataProtection::Keys();
  return VisitPersonalValues(
      message, [&](const google::protobuf::FieldDescriptor& field, std::string& value) {
        if (!DataKeys::IsSealed(value)) return absl::OkStatus();
        if (keys == nullptr) return NoKeysFor(field.full_name());
        absl::StatusOr<std::string> opened = keys->Open(value, field.full_name());
        if (!opened.ok()) return opened.status();
        value = *std::move(opened);
        return absl::OkStatus();
      });
}

absl::StatusOr<bool> SealPersonalData(google::protobuf::Message& message) {
  std::shared_ptr<const DataKeys> keys = DataProtection::Keys();
  if (keys == nullptr || !HoldsPersonalData(*message.GetDescriptor())) return false;
  bool changed = false;
  absl::Status status = VisitPersonalValues(
      message, [&](const google::protobuf::FieldDescriptor& field, std::string& value) {
        const std::string& context = field.full_name();
        if (DataKeys::IsSealed(value)) {
          if (DataKeys::KeyIdOf(value) == keys->active_key_id()) return absl::OkStatus();
          absl::StatusOr<std::string> opened = keys->Open(value, context);
          if (!opened.ok()) return opened.status();
          value = *std::move(opened);
        }
        value = SealOrDie(*keys, value, context);
        changed = true;
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return changed;
}

int ErasePersonalData(google::protobuf::Message& message) {
  int erased = 0;
  VisitPersonalValues(message, [&](const google::protobuf::FieldDescriptor&, std::string& value) {
    value.clear();
    ++erased;
    return absl::OkStatus();
  }).IgnoreError();
  return erased;
}

std::string SerializeSealed(const google::protobuf::Message& message) {
  std::string bytes;
  if (DataProtection::Keys() == nullptr || !HoldsPersonalData(*message.GetDescriptor())) {
    message.SerializeToString(&bytes);
    return bytes;
  }
  // The copy lives only for this call: on an arena, its strings and sub-messages are freed
  // at once. MergeFrom into an empty message copies without CopyFrom's check that the
  // source is not inside the destination, a walk of the whole tree.
  google::protobuf::Arena arena;
  google::protobuf::Message* copy = message.New(&arena);
  copy->MergeFrom(message);
  absl::StatusOr<bool> sealed = SealPersonalData(*copy);
  if (!sealed.ok()) {
    // Only a value sealed under a key no longer in the file gets here; it stays as it is.
    std::fprintf(stderr, "personal data left as stored: %s\n", sealed.status().ToString().c_str());
  }
  copy->SerializeToString(&bytes);
  return bytes;
}

absl::Status ParseOpened(absl::string_view bytes, google::protobuf::Message* message) {
  if (!message->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(
        absl::StrCat("stored ", message->GetDescriptor()->name(), " is corrupt"));
  }
  return OpenPersonalData(*message);
}

std::string LookupKey(absl::string_view value) {
  std::shared_ptr<const DataKeys> keys = DataProtection::Keys();
  if (keys == nullptr || value.empty()) return std::string(value);
  return keys->LookupHash(value);
}

std::string SealText(absl::string_view value, absl::string_view context) {
  std::shared_ptr<const DataKeys> keys = DataProtection::Keys();
  if (keys == nullptr || value.empty()) return std::string(value);
  return SealOrDie(*keys, value, context);
}

absl::StatusOr<std::string> OpenText(absl::string_view value, absl::string_view context) {
  if (!DataKeys::IsSealed(value)) return std::string(value);
  std::shared_ptr<const DataKeys> keys = DataProtection::Keys();
  if (keys == nullptr) return NoKeysFor(context);
  return keys->Open(value, context);
}

std::string Digest(absl::string_view bytes) {
  std::shared_ptr<const DataKeys> keys = DataProtection::Keys();
  if (keys == nullptr) return std::string(bytes);
  return keys->LookupHash(bytes);
}

}  // namespace oms::crypto

// The text-proto configuration files an operator edits (carriers, notification defaults,
// API keys): any text is parsed and checked without crashing.
#include <cstdint>
#include <string>

#include "google/protobuf/text_format.h"
#include "logistics_svc/carriers.h"
#include "notify_svc/template_engine.h"
#include "oms/notify/v1/notify.pb.h"
#include "platform/security/key_store.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  google::protobuf::TextFormat::Parser parser;
  parser.AllowPartialMessage(true);
  oms::logistics::v1::CarrierList carriers;
  if (parser.ParseFromString(text, &carriers)) {
    for (const auto& carrier : carriers.carriers())
      oms::logistics::ValidateCarrier(carrier).IgnoreError();
  }
  oms::notify::v1::Defaults defaults;
  if (parser.ParseFromString(text, &defaults)) {
    for (const auto& t : defaults.templates()) {
      oms::notify::FindPlaceholders(t.subject());
      oms::notify::Render(t.body(), {});
    }
  }
  oms::security::v1::KeyFile keys;
  if (parser.ParseFromString(text, &keys)) {
    absl::StatusOr<oms::auth::KeyStore> store = oms::auth::KeyStore::FromKeyFile(keys);
    if (store.ok()) store->Verify(text).IgnoreError();
  }
  return 0;
}

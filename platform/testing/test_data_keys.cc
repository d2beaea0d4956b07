#include "platform/testing/test_data_keys.h"

#include <map>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "platform/crypto/data_keys.h"
#include "platform/crypto/data_protection.h"

namespace oms::testing {
namespace {

const std::string& KeyLine(const std::string& id) {
  static absl::Mutex mu;
  static auto* lines = new std::map<std::string, std::string>();
  absl::MutexLock lock(&mu);
  auto [line, added] = lines->try_emplace(id);
  if (added) line->second = crypto::DataKeys::NewKeyLine(id);
  return line->second;
}

}  // namespace

void UseDataKeys(const std::vector<std::string>& ids) {
  std::string text;
  for (const std::string& id : ids) absl::StrAppend(&text, KeyLine(id), "\n");
  absl::StrAppend(&text, KeyLine("lookup"), "\n");
  absl::StatusOr<crypto::DataKeys> keys = crypto::DataKeys::FromText(text);
  ASSERT_TRUE(keys.ok()) << keys.status();
  crypto::DataProtection::Use(std::make_shared<const crypto::DataKeys>(*keys));
}

}  // namespace oms::testing

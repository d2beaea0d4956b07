// Template rendering: any template text with any values renders without crashing; a
// template without placeholders renders to itself; rendering with no values keeps every
// placeholder visible.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "notify_svc/template_engine.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  // "<template>\0<name>\0<value>\0<name>\0<value>..."
  size_t cut = input.find('\0');
  std::string text = input.substr(0, cut);
  oms::notify::Values values;
  while (cut != std::string::npos) {
    size_t name_end = input.find('\0', cut + 1);
    if (name_end == std::string::npos) break;
    size_t value_end = input.find('\0', name_end + 1);
    values[input.substr(cut + 1, name_end - cut - 1)] =
        input.substr(name_end + 1,
                     value_end == std::string::npos ? std::string::npos : value_end - name_end - 1);
    cut = value_end;
  }
  std::vector<std::string> placeholders = oms::notify::FindPlaceholders(text);
  std::string rendered = oms::notify::Render(text, values);
  if (placeholders.empty() && rendered != text) std::abort();
  if (oms::notify::Render(text, {}) != text) std::abort();
  return 0;
}

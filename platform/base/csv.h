#ifndef OMS_PLATFORM_BASE_CSV_H_
#define OMS_PLATFORM_BASE_CSV_H_

#include <string>
#include <vector>

namespace oms {

// CSV as reports and documents export it (analytics' reports, purchase orders).
// One RFC 4180 record ending in CRLF: fields with a comma, quote, CR or LF are quoted and
// their quotes doubled. Text is passed through as UTF-8 bytes.
std::string CsvRecord(const std::vector<std::string>& fields);

}  // namespace oms

#endif  // OMS_PLATFORM_BASE_CSV_H_

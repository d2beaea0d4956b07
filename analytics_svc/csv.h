#ifndef OMS_ANALYTICS_SVC_CSV_H_
#define OMS_ANALYTICS_SVC_CSV_H_

#include <string>
#include <vector>

namespace oms::analytics {

// One RFC 4180 record ending in CRLF: fields with a comma, quote, CR or LF are quoted and
// their quotes doubled. Text is passed through as UTF-8 bytes.
std::string CsvRecord(const std::vector<std::string>& fields);

}  // namespace oms::analytics

#endif  // OMS_ANALYTICS_SVC_CSV_H_

#include "platform/storage/list_query.h"

#include "absl/strings/str_cat.h"

namespace oms {

ListQuery::ListQuery(absl::string_view select) : sql_(absl::StrCat(select, " WHERE 1 = 1")) {}

ListQuery& ListQuery::Equal(absl::string_view column, const std::string& value) {
  if (value.empty()) return *this;
  absl::StrAppend(&sql_, " AND ", column, " = ?");
  args_.emplace_back(value);
  return *this;
}

ListQuery& ListQuery::Equal(absl::string_view column, int value) {
  if (value == 0) return *this;
  absl::StrAppend(&sql_, " AND ", column, " = ?");
  args_.emplace_back(value);
  return *this;
}

ListQuery& ListQuery::In(absl::string_view column, const std::vector<int>& values) {
  if (values.empty()) return *this;
  absl::StrAppend(&sql_, " AND ", column, " IN (");
  for (size_t i = 0; i < values.size(); ++i) {
    absl::StrAppend(&sql_, i == 0 ? "?" : ", ?");
    args_.emplace_back(values[i]);
  }
  absl::StrAppend(&sql_, ")");
  return *this;
}

ListQuery& ListQuery::Created(std::optional<int64_t> from_us, std::optional<int64_t> to_us) {
  if (from_us) {
    absl::StrAppend(&sql_, " AND created_us >= ?");
    args_.emplace_back(*from_us);
  }
  if (to_us) {
    absl::StrAppend(&sql_, " AND created_us < ?");
    args_.emplace_back(*to_us);
  }
  return *this;
}

ListQuery& ListQuery::NewestFirst(absl::string_view id_column,
                                  const std::optional<std::pair<int64_t, std::string>>& after,
                                  int limit) {
  if (after) {
    absl::StrAppend(&sql_, " AND (created_us < ? OR (created_us = ? AND ", id_column, " < ?))");
    args_.emplace_back(after->first);
    args_.emplace_back(after->first);
    args_.emplace_back(after->second);
  }
  absl::StrAppend(&sql_, " ORDER BY created_us DESC, ", id_column, " DESC LIMIT ?");
  args_.emplace_back(limit);
  return *this;
}

}  // namespace oms

#ifndef OMS_PLATFORM_STORAGE_LIST_QUERY_H_
#define OMS_PLATFORM_STORAGE_LIST_QUERY_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "platform/storage/database.h"

namespace oms {

// The SQL of a List RPC: optional filters, a created_us range, and keyset pagination newest
// first over (created_us, id), the shape every listed table shares. Unset filters add nothing.
//   ListQuery q("SELECT body FROM shipments");
//   q.Equal("order_id", order_id).In("state", states).Created(from, to);
//   q.NewestFirst("shipment_id", after, limit);
//   QueryProtos<v1::Shipment>(s, q.sql(), q.args());
class ListQuery {
 public:
  explicit ListQuery(absl::string_view select);

  // column = value, unless value is empty.
  ListQuery& Equal(absl::string_view column, const std::string& value);
  // column = value, unless value is 0 (the proto enums' UNSPECIFIED).
  ListQuery& Equal(absl::string_view column, int value);
  // column IN (values), unless there are none.
  ListQuery& In(absl::string_view column, const std::vector<int>& values);
  // from_us <= created_us < to_us, either side optional.
  ListQuery& Created(std::optional<int64_t> from_us, std::optional<int64_t> to_us);
  // Rows after the (created_us, id) cursor, newest first, at most `limit`. Call last.
  ListQuery& NewestFirst(absl::string_view id_column,
                         const std::optional<std::pair<int64_t, std::string>>& after, int limit);

  const std::string& sql() const { return sql_; }
  const std::vector<SqlArg>& args() const { return args_; }

 private:
  std::string sql_;
  std::vector<SqlArg> args_;
};

}  // namespace oms

#endif  // OMS_PLATFORM_STORAGE_LIST_QUERY_H_

// Row mapping shared by the inventory store's files (inventory_store.h is the interface):
// the column lists, the row-to-proto readers, and small query helpers. Internal to the store.
#ifndef OMS_INVENTORY_SVC_STORE_ROWS_H_
#define OMS_INVENTORY_SVC_STORE_ROWS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "google/protobuf/timestamp.pb.h"
#include "oms/inventory/v1/inventory.pb.h"
#include "platform/base/status.h"
#include "platform/storage/database.h"

namespace oms::inventory::store {

int64_t Micros(const google::protobuf::Timestamp& t);
google::protobuf::Timestamp FromMicros(int64_t us);

extern const char kProductColumns[];
extern const char kWarehouseColumns[];
extern const char kAdjustmentColumns[];
extern const char kReservationColumns[];

v1::Product ProductFromRow(const Rows& r);
v1::Warehouse WarehouseFromRow(const Rows& r);
v1::StockLevel LevelFromRow(const Rows& r);
v1::Adjustment AdjustmentFromRow(const Rows& r);
v1::Reservation ReservationFromRow(const Rows& r);

template <typename T>
absl::StatusOr<std::vector<T>> Collect(Session& s, const std::string& sql,
                                       absl::Span<const SqlArg> args, T (*from_row)(const Rows&)) {
  std::vector<T> out;
  OMS_RETURN_IF_ERROR(s.ForEachRow(sql, args, [&](const Rows& r) {
    out.push_back(from_row(r));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<int64_t> SingleInt(Session& s, const std::string& sql,
                                  absl::Span<const SqlArg> args);
// NOT_FOUND "<what> does not exist" unless exactly one row changed.
absl::Status ExpectOneRow(absl::StatusOr<int64_t> changed, absl::string_view what);
// Appends " AND <column> = ?" when `value` is set.
void FilterEquals(std::string& sql, std::vector<SqlArg>& args, const char* column,
                  const std::string& value);

}  // namespace oms::inventory::store

#endif  // OMS_INVENTORY_SVC_STORE_ROWS_H_

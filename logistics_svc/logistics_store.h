#ifndef OMS_LOGISTICS_SVC_LOGISTICS_STORE_H_
#define OMS_LOGISTICS_SVC_LOGISTICS_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "logistics_svc/rate_card.h"
#include "oms/logistics/v1/logistics.pb.h"
#include "platform/storage/database.h"

namespace oms::logistics {

// All SQL of logistics_svc; functions run inside the caller's transaction. Carriers and
// shipments are stored whole (their protos) beside the columns they are found by.
namespace store {

const std::vector<Migration>& Migrations();

absl::Status InsertCarrier(Session& s, const v1::Carrier& carrier);
absl::Status SaveCarrier(Session& s, const v1::Carrier& carrier);
absl::StatusOr<v1::Carrier> LoadCarrier(Session& s, absl::string_view carrier_id);
absl::StatusOr<std::vector<v1::Carrier>> ListCarriers(Session& s, bool active_only);

absl::Status InsertShipment(Session& s, const v1::Shipment& shipment);
absl::Status SaveShipment(Session& s, const v1::Shipment& shipment);
absl::StatusOr<v1::Shipment> LoadShipment(Session& s, absl::string_view shipment_id);
absl::StatusOr<v1::Shipment> LoadShipmentByTracking(Session& s, absl::string_view tracking_number);
// The live (not cancelled, not a reshipment) shipment of an order from a warehouse.
absl::StatusOr<std::optional<v1::Shipment>> FindShipment(Session& s, absl::string_view order_id,
                                                         absl::string_view warehouse_id);
struct ShipmentQuery {
  std::string order_id, carrier_id;
  std::vector<int> states;
  std::optional<int64_t> created_from_us, created_to_us;
  std::optional<std::pair<int64_t, std::string>> after;  // (created_us, shipment_id), newest first
  int limit = 100;
};
absl::StatusOr<std::vector<v1::Shipment>> ListShipments(Session& s, const ShipmentQuery& query);

// Answers false (and stores nothing) when (carrier, carrier event id) was recorded before.
absl::StatusOr<bool> InsertTrackingEvent(Session& s, absl::string_view carrier_id,
                                         const v1::TrackingEvent& event);
absl::StatusOr<std::vector<v1::TrackingEvent>> Timeline(Session& s,
                                                        absl::string_view tracking_number);

// Not final, not yet reported delayed, promised before `cutoff`.
absl::StatusOr<std::vector<v1::Shipment>> DelayCandidates(Session& s, absl::Time cutoff);
// In transit (picked up, not delivered), not yet reported lost, no event since `cutoff`.
absl::StatusOr<std::vector<v1::Shipment>> LostCandidates(Session& s, absl::Time cutoff);

// On-time rate of delivered shipments per (carrier, level), all history.
absl::StatusOr<OnTimeRates> OnTimeHistory(Session& s);

}  // namespace store
}  // namespace oms::logistics

#endif  // OMS_LOGISTICS_SVC_LOGISTICS_STORE_H_

#include "logistics_svc/carrier_stats.h"

#include <map>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "logistics_svc/logistics_store.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/storage/proto_rows.h"

namespace oms::logistics {

using google::protobuf::util::TimeUtil;

absl::StatusOr<v1::GetCarrierStatsResponse> CarrierStats::Get(
    const v1::GetCarrierStatsRequest& request) {
  store::ShipmentQuery query;
  query.carrier_id = request.carrier_id();
  if (request.has_from()) query.created_from_us = TimeUtil::TimestampToMicroseconds(request.from());
  if (request.has_to()) query.created_to_us = TimeUtil::TimestampToMicroseconds(request.to());
  query.limit = 1000;
  std::map<std::pair<std::string, int>, v1::CarrierStats> stats;
  std::map<std::pair<std::string, int>, double> transit_hours;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    while (true) {
      OMS_ASSIGN_OR_RETURN(std::vector<v1::Shipment> page, store::ListShipments(s, query));
      for (const v1::Shipment& sh : page) {
        auto key = std::make_pair(sh.carrier_id(), static_cast<int>(sh.service_level()));
        v1::CarrierStats& st = stats[key];
        st.set_carrier_id(sh.carrier_id());
        st.set_service_level(sh.service_level());
        st.set_shipments(st.shipments() + 1);
        if (sh.has_delivery()) {
          st.set_delivered(st.delivered() + 1);
          absl::Time delivered = FromProtoTime(sh.delivery().delivered_at());
          if (delivered <= FromProtoTime(sh.promised_delivery())) {
            st.set_delivered_on_time(st.delivered_on_time() + 1);
          }
          absl::Time start =
              FromProtoTime(sh.has_picked_up_at() ? sh.picked_up_at() : sh.created_at());
          transit_hours[key] += absl::ToDoubleHours(delivered - start);
        }
        if (sh.has_delay_detected_at()) st.set_delayed(st.delayed() + 1);
        if (sh.has_lost_detected_at()) st.set_lost(st.lost() + 1);
        if (sh.ever_failed()) st.set_failed(st.failed() + 1);
        if (sh.state() == v1::CANCELLED) st.set_cancelled(st.cancelled() + 1);
      }
      if (page.size() < 1000) return absl::OkStatus();
      query.after = std::make_pair(TimeUtil::TimestampToMicroseconds(page.back().created_at()),
                                   page.back().shipment_id());
    }
  }));
  v1::GetCarrierStatsResponse response;
  for (auto& [key, st] : stats) {
    if (st.delivered() > 0) {
      st.set_on_time_rate(static_cast<double>(st.delivered_on_time()) / st.delivered());
      st.set_average_transit_hours(transit_hours[key] / st.delivered());
    }
    *response.add_stats() = st;
  }
  return response;
}

}  // namespace oms::logistics

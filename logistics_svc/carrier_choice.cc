#include "logistics_svc/carrier_choice.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "logistics_svc/logistics_store.h"
#include "logistics_svc/parcels.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/storage/proto_rows.h"

namespace oms::logistics {

absl::StatusOr<v1::QuoteShipmentResponse> CarrierChoice::QuoteShipment(
    const v1::QuoteShipmentRequest& request) {
  FieldErrors errors;
  CheckParcel(request.origin_region(), request.destination_region(), request.weight_g(),
              request.volume_cm3(), request.urgency(), errors);
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::QuoteShipmentResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Carrier> carriers, store::ListCarriers(s, true));
    OMS_ASSIGN_OR_RETURN(OnTimeRates history, store::OnTimeHistory(s));
    Quote quote = QuoteParcel(carriers, ParcelOf(request, host_->clock().Now()), history);
    for (v1::ShippingOption& o : quote.options) *response.add_options() = std::move(o);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::SelectCarrierResponse> CarrierChoice::SelectCarrier(
    const v1::QuoteShipmentRequest& request) {
  FieldErrors errors;
  CheckParcel(request.origin_region(), request.destination_region(), request.weight_g(),
              request.volume_cm3(), request.urgency(), errors);
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  absl::StatusOr<v1::SelectCarrierResponse> response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Carrier> carriers, store::ListCarriers(s, true));
    OMS_ASSIGN_OR_RETURN(OnTimeRates history, store::OnTimeHistory(s));
    response =
        ChooseCarrier(QuoteParcel(carriers, ParcelOf(request, host_->clock().Now()), history));
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ShippingOption> CarrierChoice::ChooseFor(Session& s, const Parcel& parcel,
                                                            const std::string& carrier_id,
                                                            v1::ServiceLevel level) {
  OMS_ASSIGN_OR_RETURN(OnTimeRates history, store::OnTimeHistory(s));
  if (carrier_id.empty()) {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Carrier> carriers, store::ListCarriers(s, true));
    OMS_ASSIGN_OR_RETURN(v1::SelectCarrierResponse choice,
                         ChooseCarrier(QuoteParcel(carriers, parcel, history)));
    return choice.choice();
  }
  OMS_ASSIGN_OR_RETURN(v1::Carrier carrier, store::LoadCarrier(s, carrier_id));
  if (!carrier.active()) {
    return absl::FailedPreconditionError(absl::StrCat("carrier ", carrier_id, " is inactive"));
  }
  Quote quote = QuoteParcel({carrier}, parcel, history);
  for (const v1::ShippingOption& option : quote.options) {
    if (option.service_level() == level) return option;
  }
  bool offered = false;
  for (const v1::ServiceLevelRate& rate : carrier.service_levels()) {
    offered = offered || rate.level() == level;
  }
  if (!offered) {
    return absl::FailedPreconditionError(
        absl::StrCat(carrier_id, " has no ", v1::ServiceLevel_Name(level), " service"));
  }
  std::string why;
  for (const std::string& refusal : quote.refusals) absl::StrAppend(&why, "; ", refusal);
  return absl::FailedPreconditionError(absl::StrCat(
      "carrier ", carrier_id, " ", v1::ServiceLevel_Name(level), " cannot take this parcel", why));
}

}  // namespace oms::logistics

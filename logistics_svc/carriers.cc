#include "logistics_svc/carriers.h"

#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/time_util.h"
#include "logistics_svc/logistics_store.h"
#include "platform/base/money.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/storage/proto_rows.h"

namespace oms::logistics {
namespace {

using google::protobuf::util::TimeUtil;

void CheckFee(const common::v1::Money& fee, const std::string& currency, bool required,
              const std::string& field, FieldErrors& errors) {
  if (!required && fee.currency_code().empty() && fee.minor_units() == 0) return;
  errors.Check(fee.currency_code() == currency && fee.minor_units() >= 0, field,
               absl::StrCat("must be >= 0 in the carrier's currency (", currency, ")"));
}

}  // namespace

absl::Status ValidateCarrier(const v1::Carrier& c) {
  FieldErrors errors;
  bool id_ok = !c.carrier_id().empty() && c.carrier_id().size() <= 32;
  for (char ch : c.carrier_id())
    id_ok = id_ok && (absl::ascii_isalnum(ch) || ch == '-' || ch == '_');
  errors.Check(id_ok, "carrier.carrier_id", "must be 1 to 32 of A-Z a-z 0-9 - _");
  if (errors.Required(c.name(), "carrier.name")) errors.MaxLength(c.name(), 100, "carrier.name");
  errors.Check(!c.service_levels().empty(), "carrier.service_levels", "at least one is required");
  std::string currency =
      c.service_levels().empty() ? "" : c.service_levels(0).base_fee().currency_code();
  errors.Check(c.service_levels().empty() || IsKnownCurrency(currency),
               "carrier.service_levels[0].base_fee", "needs an ISO 4217 currency_code");
  std::set<int> levels;
  for (int i = 0; i < c.service_levels().size(); ++i) {
    const v1::ServiceLevelRate& rate = c.service_levels(i);
    std::string field = absl::StrCat("carrier.service_levels[", i, "]");
    errors.Check(
        rate.level() != v1::SERVICE_LEVEL_UNSPECIFIED && v1::ServiceLevel_IsValid(rate.level()),
        field + ".level", "must be ECONOMY, STANDARD or EXPRESS");
    errors.Check(levels.insert(rate.level()).second, field + ".level", "appears twice");
    CheckFee(rate.base_fee(), currency, true, field + ".base_fee", errors);
    CheckFee(rate.per_kg_fee(), currency, false, field + ".per_kg_fee", errors);
    CheckFee(rate.per_liter_surcharge(), currency, false, field + ".per_liter_surcharge", errors);
    errors.Check(rate.max_weight_g() >= 0 && rate.max_volume_cm3() >= 0, field,
                 "limits must be >= 0 (0: no limit)");
    errors.Check(rate.default_transit_days() >= 0 && rate.default_transit_days() <= 365,
                 field + ".default_transit_days", "must be between 0 and 365");
    for (const v1::TransitTime& t : rate.transit_days()) {
      errors.Check(t.days() >= 0 && t.days() <= 365 && !t.destination_region().empty(),
                   field + ".transit_days", "needs regions and 0 to 365 days");
    }
  }
  return errors.ToStatus();
}

absl::StatusOr<v1::Carrier> Carriers::CreateCarrier(const v1::CreateCarrierRequest& request) {
  OMS_RETURN_IF_ERROR(ValidateCarrier(request.carrier()));
  v1::Carrier answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "CreateCarrier", request.idempotency_key(), request, &answer,
      [&](Session& s) -> absl::Status {
        answer = request.carrier();
        if (!answer.has_active()) answer.set_active(true);
        *answer.mutable_created_at() = ToProtoTime(host_->clock().Now());
        *answer.mutable_updated_at() = answer.created_at();
        absl::Status inserted = store::InsertCarrier(s, answer);
        if (inserted.code() == absl::StatusCode::kAlreadyExists) {
          return absl::AlreadyExistsError(absl::StrCat("carrier ", answer.carrier_id(), " exists"));
        }
        return inserted;
      }));
  return answer;
}

absl::StatusOr<v1::Carrier> Carriers::UpdateCarrier(const v1::UpdateCarrierRequest& request) {
  OMS_RETURN_IF_ERROR(ValidateCarrier(request.carrier()));
  v1::Carrier answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "UpdateCarrier", request.idempotency_key(), request, &answer,
      [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(v1::Carrier current,
                             store::LoadCarrier(s, request.carrier().carrier_id()));
        answer = request.carrier();
        if (!answer.has_active()) answer.set_active(current.active());
        *answer.mutable_created_at() = current.created_at();
        *answer.mutable_updated_at() = ToProtoTime(host_->clock().Now());
        return store::SaveCarrier(s, answer);
      }));
  return answer;
}

absl::StatusOr<v1::ListCarriersResponse> Carriers::ListCarriers(
    const v1::ListCarriersRequest& request) {
  v1::ListCarriersResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Carrier> carriers,
                         store::ListCarriers(s, request.active_only()));
    for (v1::Carrier& c : carriers) *response.add_carriers() = std::move(c);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<int> Carriers::SeedFromFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("carriers file ", path, " cannot be read"));
  std::stringstream text;
  text << in.rdbuf();
  v1::CarrierList list;
  if (!google::protobuf::TextFormat::ParseFromString(text.str(), &list)) {
    return absl::InvalidArgumentError(absl::StrCat(path, " is not a CarrierList text proto"));
  }
  for (const v1::Carrier& carrier : list.carriers()) {
    absl::Status valid = ValidateCarrier(carrier);
    if (!valid.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": carrier ", carrier.carrier_id(), ": ", valid.message()));
    }
  }
  int added = 0;
  OMS_RETURN_IF_ERROR(host_->db().Transact([&](Session& s) -> absl::Status {
    added = 0;  // each attempt starts afresh (Database::Transact)
    for (v1::Carrier carrier : list.carriers()) {
      absl::StatusOr<v1::Carrier> existing = store::LoadCarrier(s, carrier.carrier_id());
      if (existing.ok()) continue;
      if (existing.status().code() != absl::StatusCode::kNotFound) return existing.status();
      if (!carrier.has_active()) carrier.set_active(true);
      *carrier.mutable_created_at() = ToProtoTime(host_->clock().Now());
      *carrier.mutable_updated_at() = carrier.created_at();
      OMS_RETURN_IF_ERROR(store::InsertCarrier(s, carrier));
      ++added;
    }
    return absl::OkStatus();
  }));
  return added;
}

}  // namespace oms::logistics

#include "notify_svc/notify_defaults.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "google/protobuf/text_format.h"
#include "notify_svc/notify_checks.h"
#include "notify_svc/notify_store.h"
#include "notify_svc/rules.h"
#include "notify_svc/templates.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/storage/proto_rows.h"

namespace oms::notify {

absl::StatusOr<int> SeedDefaults(ServiceHost* host, const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("defaults file ", path, " cannot be read"));
  std::stringstream text;
  text << in.rdbuf();
  v1::Defaults defaults;
  if (!google::protobuf::TextFormat::ParseFromString(text.str(), &defaults)) {
    return absl::InvalidArgumentError(absl::StrCat(path, " is not a Defaults text proto"));
  }
  for (const v1::Template& t : defaults.templates()) {
    absl::Status valid = ValidateTemplate(t);
    if (!valid.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": template ", t.event_type(), "/",
                                                     v1::Channel_Name(t.channel()), "/", t.locale(),
                                                     ": ", valid.message()));
    }
  }
  for (const v1::Rule& r : defaults.rules()) {
    absl::Status valid = ValidateRule(r);
    if (!valid.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": rule ", r.event_type(), ": ", valid.message()));
    }
  }
  int added = 0;
  OMS_RETURN_IF_ERROR(host->db().Transact([&](Session& s) -> absl::Status {
    added = 0;  // each attempt starts afresh (Database::Transact)
    for (v1::Template t : defaults.templates()) {
      OMS_ASSIGN_OR_RETURN(std::optional<v1::Template> existing,
                           store::FindTemplate(s, t.event_type(), t.channel(), t.locale()));
      if (existing.has_value()) continue;
      *t.mutable_updated_at() = ToProtoTime(host->clock().Now());
      OMS_RETURN_IF_ERROR(store::SaveTemplate(s, t));
      ++added;
    }
    for (const v1::Rule& r : defaults.rules()) {
      OMS_ASSIGN_OR_RETURN(std::optional<v1::Rule> existing,
                           store::FindRule(s, r.event_type(), r.name()));
      if (existing.has_value()) continue;
      OMS_RETURN_IF_ERROR(store::SaveRule(s, r));
      ++added;
    }
    return absl::OkStatus();
  }));
  return added;
}

}  // namespace oms::notify

#include "notify_svc/templates.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "notify_svc/event_catalog.h"
#include "notify_svc/notify_checks.h"
#include "notify_svc/notify_store.h"
#include "notify_svc/template_engine.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/storage/proto_rows.h"

namespace oms::notify {

absl::Status ValidateTemplate(const v1::Template& t) {
  FieldErrors errors;
  bool known = EventPayloadType(t.event_type()) != nullptr;
  errors.Check(known, "template.event_type", "is not a known event type");
  errors.Check(ValidChannel(t.channel()) && t.channel() != v1::WEBHOOK, "template.channel",
               "must be EMAIL, SMS or IN_APP (webhooks carry the event itself)");
  errors.Check(t.locale() == "en" || t.locale() == "zh-CN", "template.locale",
               "must be en or zh-CN");
  errors.MaxLength(t.subject(), 200, "template.subject");
  if (errors.Required(t.body(), "template.body")) errors.MaxLength(t.body(), 5000, "template.body");
  if (known) {
    std::set<std::string> allowed = PlaceholdersFor(t.event_type());
    for (const auto& [field, text] : {std::make_pair("template.subject", &t.subject()),
                                      std::make_pair("template.body", &t.body())}) {
      for (const std::string& name : FindPlaceholders(*text)) {
        errors.Check(allowed.count(name) > 0, field,
                     absl::StrCat("unknown placeholder {{", name, "}} for ", t.event_type()));
      }
    }
  }
  return errors.ToStatus();
}

absl::StatusOr<v1::Template> Templates::Save(const v1::SaveTemplateRequest& request) {
  OMS_RETURN_IF_ERROR(ValidateTemplate(request.template_()));
  v1::Template answer = request.template_();
  *answer.mutable_updated_at() = ToProtoTime(host_->clock().Now());
  OMS_RETURN_IF_ERROR(
      host_->db().Transact([&](Session& s) { return store::SaveTemplate(s, answer); }));
  return answer;
}

absl::StatusOr<v1::ListTemplatesResponse> Templates::List(const v1::ListTemplatesRequest& request) {
  v1::ListTemplatesResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Template> all,
                         store::ListTemplates(s, request.event_type()));
    for (auto& t : all) *response.add_templates() = std::move(t);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::PreviewTemplateResponse> Templates::Preview(
    const v1::PreviewTemplateRequest& request) {
  OMS_RETURN_IF_ERROR(ValidateTemplate(request.template_()));
  Values values(request.sample().begin(), request.sample().end());
  v1::PreviewTemplateResponse response;
  response.set_subject(Render(request.template_().subject(), values));
  response.set_body(Render(request.template_().body(), values));
  for (const std::string& name : PlaceholdersFor(request.template_().event_type())) {
    response.add_placeholders(name);
  }
  return response;
}

}  // namespace oms::notify

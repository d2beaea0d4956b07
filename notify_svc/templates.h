// Message templates per event type, channel and locale: placeholders checked against the
// event's fields on save, and a preview with sample values. Thread-safe.
#ifndef OMS_NOTIFY_SVC_TEMPLATES_H_
#define OMS_NOTIFY_SVC_TEMPLATES_H_

#include <string>

#include "absl/status/statusor.h"
#include "oms/notify/v1/notify.pb.h"
#include "platform/server/service_host.h"

namespace oms::notify {

class Templates {
 public:
  explicit Templates(ServiceHost* host) : host_(host) {}

  absl::StatusOr<v1::Template> Save(const v1::SaveTemplateRequest& request);
  absl::StatusOr<v1::ListTemplatesResponse> List(const v1::ListTemplatesRequest& request);
  absl::StatusOr<v1::PreviewTemplateResponse> Preview(const v1::PreviewTemplateRequest& request);

 private:
  ServiceHost* host_;
};

// INVALID_ARGUMENT naming every problem: unknown event type or placeholder, channel, locale.
absl::Status ValidateTemplate(const v1::Template& t);

}  // namespace oms::notify

#endif  // OMS_NOTIFY_SVC_TEMPLATES_H_

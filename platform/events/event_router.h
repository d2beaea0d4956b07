// Routes feed events to one handler per payload type: On<OrderCreated>(fn) registers fn for
// events whose payload is an OrderCreated, and the handler receives the payload already
// unpacked as that type. Dispatch reads the payload's own type (the Any's type URL), and an
// event whose type string disagrees with it is refused, so no handler can be given one
// message read as another. The registered types are the feed filter (types()).
#ifndef OMS_PLATFORM_EVENTS_EVENT_ROUTER_H_
#define OMS_PLATFORM_EVENTS_EVENT_ROUTER_H_

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "oms/events/v1/events.pb.h"

namespace oms {

// The full message name an event's payload carries ("oms.order.v1.OrderCreated").
inline absl::string_view PayloadTypeName(const events::v1::Event& event) {
  absl::string_view url = event.payload().type_url();
  size_t slash = url.rfind('/');
  return slash == absl::string_view::npos ? url : url.substr(slash + 1);
}

// `Args` are what every handler gets before the payload, e.g. EventRouter<Session&>.
template <typename... Args>
class EventRouter {
 public:
  // `handler(args..., const Payload&, const events::v1::Event&)` returns absl::Status.
  // Registering a type twice is a programming error and aborts at start-up.
  template <typename Payload, typename Handler>
  EventRouter& On(Handler handler) {
    const std::string& full_name = Payload::descriptor()->full_name();
    auto [it, inserted] =
        routes_.emplace(full_name,
                        [handler = std::move(handler)](
                            Args... args, const events::v1::Event& event) -> absl::Status {
                          Payload payload;
                          if (!event.payload().UnpackTo(&payload)) {
                            return absl::DataLossError(absl::StrCat(
                                "event ", event.event_id(), ": payload is not a valid ",
                                Payload::descriptor()->full_name()));
                          }
                          return handler(std::forward<Args>(args)..., payload, event);
                        });
    if (!inserted) {
      std::fprintf(stderr, "EventRouter: %s registered twice\n", full_name.c_str());
      std::abort();
    }
    types_.push_back(Payload::descriptor()->name());
    names_.insert(Payload::descriptor()->name());
    return *this;
  }

  // Runs the handler of the event's payload type; an event of a type not registered is
  // no concern of this router (OK).
  // An event whose type string names another message than it carries is corrupt: refused
  // (DATA_LOSS) when either type is one this router handles.
  absl::Status Route(Args... args, const events::v1::Event& event) const {
    absl::string_view carried = PayloadTypeName(event);
    auto it = routes_.find(carried);
    absl::string_view carried_name = carried.substr(carried.rfind('.') + 1);
    if (!event.type().empty() && event.type() != carried_name) {
      if (it == routes_.end() && !names_.contains(event.type())) return absl::OkStatus();
      return absl::DataLossError(absl::StrCat("event ", event.event_id(), " says it is a ",
                                              event.type(), " but carries a ", carried));
    }
    if (it == routes_.end()) return absl::OkStatus();
    return it->second(std::forward<Args>(args)..., event);
  }

  // The event type names registered, in order: what to ask a feed for.
  const std::vector<std::string>& types() const { return types_; }

 private:
  absl::flat_hash_map<std::string, std::function<absl::Status(Args..., const events::v1::Event&)>>
      routes_;
  std::vector<std::string> types_;
  absl::flat_hash_set<std::string> names_;  // types_ for lookup
};

}  // namespace oms

#endif  // OMS_PLATFORM_EVENTS_EVENT_ROUTER_H_

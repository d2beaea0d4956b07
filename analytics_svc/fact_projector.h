// What each event from the five feeds means for the fact tables: one typed handler per
// payload type (platform/events/event_router.h), each a few facts-store writes. Events it has no
// use for are not asked for (types()) and ignored if they come.
#ifndef OMS_ANALYTICS_SVC_FACT_PROJECTOR_H_
#define OMS_ANALYTICS_SVC_FACT_PROJECTOR_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "oms/events/v1/events.pb.h"
#include "platform/events/event_router.h"
#include "platform/storage/database.h"

namespace oms::analytics {

class FactProjector {
 public:
  FactProjector();

  // Applies one event inside the feed consumer's transaction.
  absl::Status Project(Session& s, const events::v1::Event& event) const {
    return router_.Route(s, event);
  }
  // The event types projected: the feed filter.
  const std::vector<std::string>& types() const { return router_.types(); }

 private:
  void FollowOrders();
  void FollowShipments();
  void FollowTickets();
  void FollowStock();
  void FollowNotifications();

  EventRouter<Session&> router_;
};

}  // namespace oms::analytics

#endif  // OMS_ANALYTICS_SVC_FACT_PROJECTOR_H_

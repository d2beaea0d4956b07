// What a batch of feed events needs from other services, asked before its transaction
// (Dispatcher::PrepareBatch): the customers of orders notify_svc has not seen yet
// (order_svc) and customers' tiers (orchestrator_svc).
#include <memory>
#include <set>

#include "notify_svc/dispatcher.h"
#include "oms/order/v1/order.pb.h"
#include "platform/base/status.h"

namespace oms::notify {
namespace {

// The customer an event carries itself (the order's own events), with the order's id.
std::optional<std::pair<std::string, store::Contact>> CarriedContact(
    const events::v1::Event& event) {
  order::v1::OrderCreated created;
  if (event.payload().UnpackTo(&created)) {
    return std::make_pair(created.order().order_id(), ContactOf(created.order()));
  }
  order::v1::OrderUpdated updated;
  if (event.payload().UnpackTo(&updated)) {
    return std::make_pair(updated.order().order_id(), ContactOf(updated.order()));
  }
  return std::nullopt;
}

bool ReachesCustomers(const std::vector<v1::Rule>& rules) {
  for (const v1::Rule& rule : rules) {
    for (int audience : rule.audiences()) {
      if (audience == v1::CUSTOMER) return true;
    }
  }
  return false;
}

}  // namespace

absl::StatusOr<EventHandler> Dispatcher::PrepareBatch(const std::vector<events::v1::Event>& batch,
                                                      const absl::Status& failed) {
  if (!IsPrepareAgain(failed) && !AsksForTiers(batch)) {
    // The first try: most batches need nothing from outside.
    return EventHandler(
        [this](Session& s, const events::v1::Event& event) { return HandleEvent(s, event); });
  }
  OMS_ASSIGN_OR_RETURN(Lookups lookups, LookUp(batch));
  auto shared = std::make_shared<const Lookups>(std::move(lookups));
  return EventHandler([this, shared](Session& s, const events::v1::Event& event) {
    return HandleEvent(s, event, *shared);
  });
}

bool Dispatcher::AsksForTiers(const std::vector<events::v1::Event>& batch) const {
  // Tiers are never in the store: a batch whose events use them would always need a
  // second try. The last copy of the configuration tells (if stale, the try says).
  std::shared_ptr<const NotifyConfig> config = config_.Latest();
  if (config == nullptr || !lookup_tier_) return false;
  for (const events::v1::Event& event : batch) {
    if (config->UsesTier(event.type())) return true;
  }
  return false;
}

absl::StatusOr<Dispatcher::Lookups> Dispatcher::LookUp(
    const std::vector<events::v1::Event>& batch) {
  // First, in a read transaction, what the store and the batch itself do not answer. An
  // event is counted in when any rule of its type reaches the customer (whatever `when`
  // says) or its type uses the tier: at worst one call the event did not need.
  std::map<std::string, std::optional<store::Contact>> known;  // by order id
  std::set<std::string> ask;                                   // order ids for order_svc
  std::set<std::string> tier_of;                               // order ids whose tier is used
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    known.clear();
    ask.clear();
    tier_of.clear();
    OMS_ASSIGN_OR_RETURN(std::shared_ptr<const NotifyConfig> config, config_.Current(s));
    for (const events::v1::Event& event : batch) {
      if (auto carried = CarriedContact(event)) known[carried->first] = carried->second;
      bool wants_tier = UsesTier(*config, event.type());
      if (!wants_tier && !ReachesCustomers(config->RulesFor(event.type()))) continue;
      absl::StatusOr<std::unique_ptr<google::protobuf::Message>> payload = UnpackPayload(event);
      if (!payload.ok() || *payload == nullptr) continue;  // HandleEvent says why
      Values values;
      FlattenMessage(**payload, "", values);
      std::string order_id = OrderIdOf(values);
      if (order_id.empty()) continue;
      if (wants_tier) tier_of.insert(order_id);
      if (known.count(order_id) > 0 || ask.count(order_id) > 0) continue;
      OMS_ASSIGN_OR_RETURN(std::optional<store::Contact> stored, store::FindContact(s, order_id));
      if (stored.has_value()) {
        known[order_id] = std::move(stored);
      } else if (lookup_contact_) {
        ask.insert(order_id);
      }
    }
    return absl::OkStatus();
  }));
  // Then the calls, with no transaction open. A peer that cannot answer fails the batch,
  // which is offered again later: its customers do not go without their messages.
  Lookups lookups;
  for (const std::string& order_id : ask) {
    OMS_ASSIGN_OR_RETURN(lookups.contacts[order_id], lookup_contact_(order_id));
    known[order_id] = lookups.contacts[order_id];
  }
  if (!lookup_tier_) return lookups;
  for (const std::string& order_id : tier_of) {
    const std::optional<store::Contact>& contact = known[order_id];
    if (!contact.has_value() || contact->phone.empty() || lookups.tiers.count(contact->phone)) {
      continue;
    }
    OMS_ASSIGN_OR_RETURN(lookups.tiers[contact->phone], lookup_tier_(contact->phone));
  }
  return lookups;
}

}  // namespace oms::notify

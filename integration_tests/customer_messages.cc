#include "integration_tests/customer_messages.h"

#include "absl/strings/match.h"
#include "integration_tests/rpc.h"

namespace oms::integration {

MessageCounts CustomerMessages(notify::v1::NotifyService::Stub* notify) {
  MessageCounts sent;
  notify::v1::ListMessagesRequest list;
  list.set_page_size(1000);
  do {
    auto page = Call(notify, &notify::v1::NotifyService::Stub::ListMessages, list);
    for (const auto& m : page.messages()) {
      if (absl::StartsWith(m.recipient(), "customer:")) ++sent[{m.event_id(), m.channel()}];
    }
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  return sent;
}

}  // namespace oms::integration

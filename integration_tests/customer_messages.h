#ifndef OMS_INTEGRATION_TESTS_CUSTOMER_MESSAGES_H_
#define OMS_INTEGRATION_TESTS_CUSTOMER_MESSAGES_H_

#include <map>
#include <string>
#include <utility>

#include "oms/notify/v1/notify.grpc.pb.h"

namespace oms::integration {

// How many messages notify_svc holds to customers ("customer:..." recipients) per
// (event id, channel), over every page of ListMessages: what "exactly one message per
// channel per event" is checked against.
using MessageCounts = std::map<std::pair<std::string, notify::v1::Channel>, int>;
MessageCounts CustomerMessages(notify::v1::NotifyService::Stub* notify);

}  // namespace oms::integration

#endif  // OMS_INTEGRATION_TESTS_CUSTOMER_MESSAGES_H_

// Anomaly detection over the real binaries (issue 18, point 5): an order far above its
// customer's own history is held in review with the figures and approving it records a false
// alarm; a channel whose exception tickets spike opens PROCESS_ANOMALY tickets in
// orchestrator_svc, and dismissing the detection resolves them. Time moves through every
// process's test clock; detection runs on demand (--anomaly_interval=0).
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "integration_tests/rpc.h"
#include "integration_tests/seed.h"
#include "integration_tests/service_process.h"
#include "integration_tests/suite.h"
#include "oms/analytics/v1/analytics.grpc.pb.h"
#include "oms/analytics/v1/anomalies.grpc.pb.h"
#include "oms/inventory/v1/inventory.grpc.pb.h"
#include "oms/notify/v1/notify.grpc.pb.h"
#include "oms/orchestrator/v1/orchestrator.grpc.pb.h"
#include "order_svc/test_orders.h"
#include "platform/base/files.h"
#include "platform/testing/temp_dir.h"

namespace oms::integration {
namespace {

using analytics::v1::AnomalyService;
using orchestrator::v1::OrchestratorService;

constexpr char kTea[] = "TEA-LONGJING-250G";

class AnomalyDetectionTest : public ::testing::Test {
 protected:
  static SuiteFlags Flags(const std::string& clock_file) {
    SuiteFlags flags;
    flags.all = {"--test_clock_offset_file=" + clock_file};
    flags.analytics = {"--anomaly_interval=0"};
    return flags;
  }

  void SetUp() override {
    ASSERT_TRUE(Started(suite_.Start()));
    orchestrator_ = OrchestratorService::NewStub(suite_.orchestrator().NewChannel("ops"));
    anomalies_ = AnomalyService::NewStub(suite_.analytics().NewChannel("ops"));
    reports_ = analytics::v1::AnalyticsService::NewStub(suite_.analytics().NewChannel("ops"));
    auto inventory = inventory::v1::InventoryService::NewStub(suite_.inventory().NewChannel());
    ASSERT_TRUE(SeedCatalogue(*inventory, {{kTea, 1000}}).ok());
  }

  orchestrator::v1::PlaceOrderResponse Place(const std::string& reference, int64_t units,
                                             order::v1::Channel channel = order::v1::WEB) {
    orchestrator::v1::PlaceOrderRequest request;
    request.set_idempotency_key("place-" + reference);
    *request.mutable_order() = order::SampleCreateOrder(reference);
    request.mutable_order()->mutable_lines()->DeleteSubrange(1, 1);
    request.mutable_order()->mutable_lines(0)->set_quantity(units);
    request.mutable_order()->set_channel(channel);
    return Call(orchestrator_.get(), &OrchestratorService::Stub::PlaceOrder, request);
  }

  // Until analytics_svc has projected `orders` orders.
  bool Projected(int64_t orders) {
    return WaitFor([&] {
      return Call(reports_.get(), &analytics::v1::AnalyticsService::Stub::GetOrderStats,
                  analytics::v1::GetOrderStatsRequest())
                 .orders() == orders;
    });
  }

  analytics::v1::ListAnomaliesResponse List(analytics::v1::Anomaly::State state) {
    analytics::v1::ListAnomaliesRequest request;
    request.set_state(state);
    return Call(anomalies_.get(), &AnomalyService::Stub::ListAnomalies, request);
  }

  orchestrator::v1::ExceptionTicket Ticket(const std::string& ticket_id) {
    orchestrator::v1::GetExceptionRequest get;
    get.set_ticket_id(ticket_id);
    return Call(orchestrator_.get(), &OrchestratorService::Stub::GetException, get);
  }

  testing::TempDir dir_;
  std::string clock_file_ = dir_.File("clock_offset");
  Suite suite_{dir_.path(), Flags(clock_file_)};
  std::unique_ptr<OrchestratorService::Stub> orchestrator_;
  std::unique_ptr<AnomalyService::Stub> anomalies_;
  std::unique_ptr<analytics::v1::AnalyticsService::Stub> reports_;
};

TEST_F(AnomalyDetectionTest, AnOrderHundredTimesTheCustomersUsualIsHeldUntilAPersonSaysSo) {
  orchestrator::v1::SaveReviewRuleRequest rule;
  rule.mutable_rule()->set_rule_id("unusual");
  rule.mutable_rule()->set_kind(orchestrator::v1::ReviewRule::UNUSUAL_ORDER);
  rule.mutable_rule()->set_action(orchestrator::v1::ReviewRule::MANUAL_REVIEW);
  rule.mutable_rule()->set_enabled(true);
  Call(orchestrator_.get(), &OrchestratorService::Stub::SaveReviewRule, rule);
  for (int i = 0; i < 4; ++i) {  // a regular one-unit buyer
    EXPECT_NE(Place(absl::StrCat("REG-", i), 1).stage(), orchestrator::v1::PENDING_REVIEW);
  }
  ASSERT_TRUE(Projected(4));

  orchestrator::v1::PlaceOrderResponse big = Place("REG-BIG", 100);
  EXPECT_EQ(big.stage(), orchestrator::v1::PENDING_REVIEW);
  EXPECT_EQ(big.review().rule_id(), "unusual");
  EXPECT_TRUE(absl::StrContains(
      big.review().reason(),
      "unusual order: units ordered: 100 is 100.0x the customer's median of 1 (MAD 0, 4 before)"))
      << big.review().reason();
  analytics::v1::ListAnomaliesResponse open = List(analytics::v1::Anomaly::OPEN);
  ASSERT_GE(open.anomalies_size(), 1);
  for (const analytics::v1::Anomaly& a : open.anomalies()) {
    EXPECT_EQ(a.kind(), analytics::v1::ORDER);
    EXPECT_EQ(a.order_id(), big.order_id());
    EXPECT_GE(a.score(), a.threshold()) << a.ShortDebugString();
  }

  // A reviewer knows better: approving the order records the detection as a false alarm.
  auto review = OrchestratorService::NewStub(suite_.orchestrator().NewChannel("reviewer"));
  orchestrator::v1::ReviewOrderRequest approve;
  approve.set_idempotency_key("approve-big");
  approve.set_order_id(big.order_id());
  approve.set_reviewer("rev:anna");
  approve.set_note("opened a second shop");
  Call(review.get(), &OrchestratorService::Stub::ApproveOrder, approve);
  ASSERT_TRUE(WaitFor([&] { return List(analytics::v1::Anomaly::OPEN).anomalies_size() == 0; }));
  analytics::v1::Anomaly dismissed = List(analytics::v1::Anomaly::DISMISSED).anomalies(0);
  EXPECT_EQ(dismissed.dismissed_by(), "rev:anna");
  EXPECT_EQ(dismissed.dismiss_reason(), "order approved in review: opened a second shop");
}

TEST_F(AnomalyDetectionTest, AChannelsExceptionSpikeOpensProcessAnomalyTicketsUntilDismissed) {
  auto notify = notify::v1::NotifyService::NewStub(suite_.notify().NewChannel());
  notify::v1::SaveRecipientRequest support;  // the default exception rule's group
  support.mutable_recipient()->set_recipient_id("support");
  support.mutable_recipient()->set_kind(notify::v1::Recipient::GROUP);
  support.mutable_recipient()->set_name("Customer support");
  support.mutable_recipient()->set_in_app_id("support-desk");
  Call(notify.get(), &notify::v1::NotifyService::Stub::SaveRecipient, support);
  for (int i = 0; i < 40; ++i) Place(absl::StrCat("PH-", i), 1, order::v1::PHONE);
  ASSERT_TRUE(WriteFileAtomically(clock_file_, absl::FormatDuration(absl::Hours(2))).ok());
  std::vector<std::string> recent;
  for (int i = 0; i < 10; ++i) {
    recent.push_back(Place(absl::StrCat("PH-NEW-", i), 1, order::v1::PHONE).order_id());
  }
  for (int i = 0; i < 5; ++i) {  // half the new phone orders draw a complaint
    orchestrator::v1::OpenExceptionRequest complaint;
    complaint.set_idempotency_key(absl::StrCat("complaint-", i));
    complaint.set_order_id(recent[i]);
    complaint.set_type(orchestrator::v1::CUSTOMER_COMPLAINT);
    complaint.set_description("wrong tea in the box");
    complaint.set_actor("cs:desk");
    Call(orchestrator_.get(), &OrchestratorService::Stub::OpenException, complaint);
  }
  // Until every complaint is projected: the feed may deliver them in more than one batch.
  ASSERT_TRUE(WaitFor([&] {
    analytics::v1::GetExceptionStatsResponse stats =
        Call(reports_.get(), &analytics::v1::AnalyticsService::Stub::GetExceptionStats,
             analytics::v1::GetExceptionStatsRequest());
    int64_t complaints = 0;
    for (const auto& type : stats.types()) complaints += type.count();
    return complaints == 5;
  }));
  ASSERT_TRUE(Projected(50));
  auto refit = Call(anomalies_.get(), &AnomalyService::Stub::RefitBaselines,
                    analytics::v1::RefitBaselinesRequest());
  EXPECT_GT(refit.baselines(), 0);
  auto detected = Call(anomalies_.get(), &AnomalyService::Stub::DetectAnomalies,
                       analytics::v1::DetectAnomaliesRequest());
  const analytics::v1::Anomaly* phone = nullptr;
  for (const analytics::v1::Anomaly& a : detected.found()) {
    EXPECT_EQ(a.kind(), analytics::v1::PROCESS);
    EXPECT_EQ(a.metric(), "exception_rate") << a.ShortDebugString();
    EXPECT_FALSE(a.ticket_id().empty()) << a.ShortDebugString();  // opened by analytics_svc
    if (a.dimension() == "channel" && a.subject() == "PHONE") phone = &a;
  }
  ASSERT_NE(phone, nullptr) << detected.DebugString();
  EXPECT_TRUE(absl::StrContains(phone->explanation(),
                                "channel PHONE: exception tickets on 5 of 10 (50.0%)"))
      << phone->explanation();
  orchestrator::v1::ExceptionTicket ticket = Ticket(phone->ticket_id());
  EXPECT_EQ(ticket.type(), orchestrator::v1::PROCESS_ANOMALY);
  EXPECT_EQ(ticket.order_id(), "");
  EXPECT_EQ(ticket.subject(), "exception_rate channel PHONE");
  EXPECT_EQ(ticket.anomaly_id(), phone->anomaly_id());
  EXPECT_EQ(ticket.description(), phone->explanation());
  EXPECT_FALSE(ticket.assignee().empty());  // routed like every ticket
  // ...and its owners are told, the message naming what it is about.
  EXPECT_TRUE(WaitFor([&] {
    notify::v1::ListMessagesRequest all;
    all.set_recipient("recipient:support");
    all.set_page_size(1000);
    notify::v1::ListMessagesResponse listed =
        Call(notify.get(), &notify::v1::NotifyService::Stub::ListMessages, all);
    for (const auto& m : listed.messages()) {
      if (m.event_type() == "ExceptionOpened" &&
          absl::StrContains(m.subject(), "PROCESS_ANOMALY ticket " + phone->ticket_id() +
                                             ": exception_rate channel PHONE")) {
        return true;
      }
    }
    return false;
  }));
  // Detecting again finds nothing new: the open detection and its ticket stand.
  EXPECT_EQ(Call(anomalies_.get(), &AnomalyService::Stub::DetectAnomalies,
                 analytics::v1::DetectAnomaliesRequest())
                .found_size(),
            0);

  analytics::v1::DismissAnomalyRequest dismiss;
  dismiss.set_idempotency_key("dismiss-phone");
  dismiss.set_anomaly_id(phone->anomaly_id());
  dismiss.set_reason("one bad batch, already recalled");
  auto dismissed = Call(anomalies_.get(), &AnomalyService::Stub::DismissAnomaly, dismiss);
  EXPECT_EQ(dismissed.state(), analytics::v1::Anomaly::DISMISSED);
  EXPECT_EQ(dismissed.dismissed_by(), "ops");
  orchestrator::v1::ExceptionTicket resolved = Ticket(phone->ticket_id());
  EXPECT_EQ(resolved.status(), orchestrator::v1::ExceptionTicket::RESOLVED);
  EXPECT_EQ(resolved.resolution(), orchestrator::v1::NO_ACTION);
  // Only those allowed may dismiss: a reader may look but not decide.
  auto reader = AnomalyService::NewStub(suite_.analytics().NewChannel("reader"));
  analytics::v1::Anomaly refused;
  EXPECT_EQ(
      Try(reader.get(), &AnomalyService::Stub::DismissAnomaly, dismiss, &refused).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace oms::integration

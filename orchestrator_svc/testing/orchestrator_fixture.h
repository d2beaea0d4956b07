// The orchestrator against real in-process order, inventory and logistics services (each its
// own gRPC server and store, reached through the real gRPC peers), one fake clock, and
// their event feeds pumped by hand. Shared by the orchestrator's service-level tests.
#ifndef OMS_ORCHESTRATOR_SVC_TESTING_ORCHESTRATOR_FIXTURE_H_
#define OMS_ORCHESTRATOR_SVC_TESTING_ORCHESTRATOR_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "grpcpp/channel.h"
#include "gtest/gtest.h"
#include "logistics_svc/logistics_service.h"
#include "oms/events/v1/events.grpc.pb.h"
#include "oms/inventory/v1/inventory.grpc.pb.h"
#include "oms/logistics/v1/logistics.grpc.pb.h"
#include "oms/order/v1/order.grpc.pb.h"
#include "orchestrator_svc/grpc_peers.h"
#include "orchestrator_svc/orchestrator.h"
#include "platform/base/clock.h"
#include "platform/events/feed_consumer.h"
#include "platform/testing/in_process_server.h"

namespace oms::orchestrator::testing {

// One service in process: host, and a server with its service and event feed.
struct InProcess {
  std::unique_ptr<ServiceHost> host;
  std::unique_ptr<grpc::Service> service;
  std::unique_ptr<oms::testing::InProcessServer> server;
  std::shared_ptr<grpc::Channel> channel;

  void Start(const std::string& full_name);
};

// analytics_svc's order scoring, faked: an order of more than `flag_above` units is unusual;
// `down` answers UNAVAILABLE.
class FakeAnalytics : public AnalyticsPeer {
 public:
  absl::StatusOr<analytics::v1::ScoreOrderResponse> ScoreOrder(
      const analytics::v1::ScoreOrderRequest& request) override;
  int64_t flag_above = 50;
  bool down = false;
  int calls = 0;
};

class OrchestratorFixture : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // A product (weight in grams) in warehouse SH-01 (region East) with `units` received.
  // Orders of order::SampleCreateOrder ship to 上海市, a region with no warehouse of its own.
  void Stock(const std::string& sku, int64_t units, int64_t weight_g = 300);
  // Another warehouse (BJ-01, region North) with `units` of `sku`.
  void StockNorth(const std::string& sku, int64_t units);
  inventory::v1::AdjustStockResponse Receive(const std::string& sku, int64_t units,
                                             const std::string& warehouse_id = "SH-01");
  // Feeds every service's new events to the orchestrator and runs its workflows until
  // nothing moves any more.
  void Pump();

  v1::PlaceOrderResponse Place(order::v1::CreateOrderRequest order, const std::string& key);
  order::v1::Order Order(const std::string& order_id);
  order::v1::GetOrderHistoryResponse History(const std::string& order_id);
  v1::Workflow Workflow(const std::string& order_id);
  std::vector<logistics::v1::Shipment> Shipments(const std::string& order_id);
  void Track(const logistics::v1::Shipment& shipment, logistics::v1::TrackingEvent::Code code,
             const std::string& id);
  inventory::v1::StockSummary StockOf(const std::string& sku);
  std::vector<inventory::v1::Reservation> Reservations(const std::string& order_id);
  std::vector<inventory::v1::Backorder> Backorders(const std::string& order_id);
  bool InventoryClean();
  std::vector<v1::ExceptionTicket> Tickets(const std::string& order_id);
  void SaveRule(v1::ReviewRule rule);
  void Pay(const std::string& order_id);
  // The order's total paid straight in order_svc, as its customer's bank reports it.
  grpc::Status PayTotal(const std::string& order_id);
  // Refunds `amount` of the order's payment straight in order_svc (a goodwill refund).
  void RefundPart(const std::string& order_id, int64_t amount, const std::string& reference);
  // `order` placed as PREPAID (keyed by its reference), paid and its workflow run: its id.
  std::string PlacedAndPaid(order::v1::CreateOrderRequest order);
  // A CUSTOMER_COMPLAINT ticket about the order by a person (the customer wants their money
  // back): its id.
  std::string Complaint(const std::string& order_id);

  // An order of 2 teas (COD) with its label made, waiting for pickup.
  v1::PlaceOrderResponse Labelled(const std::string& reference = "WEB-1");
  // The order's shipments that are not cancelled.
  std::vector<logistics::v1::Shipment> LiveShipments(const std::string& order_id);
  // Whether the order's status history has a change to `to` by `actor`.
  bool HistoryHas(const std::string& order_id, order::v1::OrderStatus to, const std::string& actor);

  // An order of one 100 kg anvil: heavier than any carrier takes, so its workflow stops in
  // SHIPPING (compensated) with an INVALID_CUSTOMER_INFO ticket.
  v1::PlaceOrderResponse PlaceTooHeavy();
  // The AmendOrder request that makes the order `tea` teas (one line), with `key`.
  v1::AmendOrderRequest TeaAmendment(const std::string& order_id, int64_t tea,
                                     const std::string& key = "");

  // Lifecycle commands with a fresh key each.
  absl::StatusOr<v1::Workflow> Cancel(const std::string& order_id,
                                      const std::string& actor = "cs:wang",
                                      const std::string& reason = "customer changed their mind");
  absl::StatusOr<v1::Workflow> Hold(const std::string& order_id);
  absl::StatusOr<v1::Workflow> ReleaseHold(const std::string& order_id);
  absl::StatusOr<v1::Workflow> MoveTo(const std::string& order_id, const std::string& region);
  absl::StatusOr<v1::ExceptionTicket> Resolve(const std::string& ticket_id,
                                              v1::Resolution resolution);

  FakeClock clock_;
  FakeAnalytics analytics_;
  InProcess order_, inventory_, logistics_;
  logistics::LogisticsService* logistics_service_ = nullptr;
  std::unique_ptr<order::v1::OrderService::Stub> order_stub_;
  std::unique_ptr<inventory::v1::InventoryService::Stub> inventory_stub_;
  std::unique_ptr<logistics::v1::LogisticsService::Stub> logistics_stub_;
  std::unique_ptr<GrpcOrderPeer> order_peer_;
  std::unique_ptr<GrpcInventoryPeer> inventory_peer_;
  std::unique_ptr<GrpcLogisticsPeer> logistics_peer_;
  std::unique_ptr<ServiceHost> host_;
  std::unique_ptr<Orchestrator> orchestrator_;
  std::vector<std::unique_ptr<events::v1::EventFeed::Stub>> feeds_;
  std::vector<std::unique_ptr<FeedConsumer>> consumers_;
  int keys_ = 0;
};

}  // namespace oms::orchestrator::testing

#endif  // OMS_ORCHESTRATOR_SVC_TESTING_ORCHESTRATOR_FIXTURE_H_

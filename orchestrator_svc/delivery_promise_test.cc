// Delivery promises over fake peers: the date follows the warehouse's departure and the
// chosen carrier's transit, says whether a requested date is kept, and PlaceOrder keeps it
// on the order (or places the order without one when no date can be promised).
#include "orchestrator_svc/delivery_promise.h"

#include "orchestrator_svc/testing/fake_peers_fixture.h"
#include "order_svc/test_orders.h"
#include "platform/storage/proto_rows.h"

namespace oms::orchestrator {
namespace {

class DeliveryPromiseTest : public testing::FakePeersFixture {
 protected:
  v1::QuotePromiseRequest Basket() {
    v1::QuotePromiseRequest request;
    request.set_region("North");
    inventory::v1::AllocationLine* line = request.add_lines();
    line->set_sku("TEA-1");
    line->set_quantity(2);
    return request;
  }
};

TEST_F(DeliveryPromiseTest, TheDateIsTheDeparturePlusTheChosenCarriersTransit) {
  absl::Time leaves = clock_.Now() + absl::Hours(30);  // after cut-off and handling
  *inventory_.promise.mutable_ready_at() = ToProtoTime(leaves);
  inventory_.promise.set_basis(inventory::v1::INBOUND_PURCHASE_ORDER);
  logistics_.transit_days = {2, 1};  // the first option is the one a label would take
  v1::QuotePromiseRequest request = Basket();
  *request.mutable_requested_delivery_date() = ToProtoTime(leaves + absl::Hours(24));
  absl::StatusOr<v1::DeliveryPromise> promise = orchestrator_->promises().Quote(request);
  ASSERT_TRUE(promise.ok()) << promise.status();
  EXPECT_EQ(FromProtoTime(promise->promised_delivery()), leaves + absl::Hours(48));
  EXPECT_EQ(FromProtoTime(promise->ships_at()), leaves);
  EXPECT_EQ(promise->warehouse_id(), "WH-1");
  EXPECT_EQ(promise->basis(), inventory::v1::INBOUND_PURCHASE_ORDER);
  EXPECT_FALSE(promise->meets_requested_date());
  EXPECT_NE(promise->explanation().find("purchase order"), std::string::npos);
  // Logistics was asked from the warehouse's region, leaving then, by the requested date.
  ASSERT_EQ(logistics_.quoted.size(), 1u);
  EXPECT_EQ(logistics_.quoted[0].origin_region(), "East");
  EXPECT_EQ(logistics_.quoted[0].destination_region(), "North");
  EXPECT_EQ(FromProtoTime(logistics_.quoted[0].ship_at()), leaves);
  EXPECT_EQ(logistics_.quoted[0].weight_g(), 200);
  request.clear_requested_delivery_date();
  EXPECT_TRUE(orchestrator_->promises().Quote(request)->meets_requested_date());
}

TEST_F(DeliveryPromiseTest, NoCarrierOrABadRequestIsSaidPlainly) {
  EXPECT_EQ(orchestrator_->promises().Quote(Basket()).status().code(),
            absl::StatusCode::kFailedPrecondition);  // no option at all
  v1::QuotePromiseRequest bad;
  bad.add_lines()->set_quantity(0);
  absl::Status refused = orchestrator_->promises().Quote(bad).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  for (const char* field : {"region", "lines[0].sku", "lines[0].quantity"}) {
    EXPECT_NE(refused.message().find(field), std::string::npos) << field;
  }
}

TEST_F(DeliveryPromiseTest, PlaceOrderKeepsThePromiseOnTheOrderOrPlacesItWithout) {
  logistics_.transit_days = {3};
  v1::PlaceOrderRequest place;
  place.set_idempotency_key("p1");
  *place.mutable_order() = order::SampleCreateOrder("WEB-1");
  absl::StatusOr<v1::PlaceOrderResponse> placed = orchestrator_->intake().PlaceOrder(place);
  ASSERT_TRUE(placed.ok()) << placed.status();
  ASSERT_TRUE(placed->has_promise());
  EXPECT_EQ(FromProtoTime(orders_.orders[placed->order_id()].promised_delivery()),
            FromProtoTime(placed->promise().promised_delivery()));
  // Inventory down: the order is still taken, without a promise.
  inventory_.faults.Fail("PromiseStock", absl::UnavailableError("inventory_svc is away"));
  place.set_idempotency_key("p2");
  *place.mutable_order() = order::SampleCreateOrder("WEB-2");
  placed = orchestrator_->intake().PlaceOrder(place);
  ASSERT_TRUE(placed.ok()) << placed.status();
  EXPECT_FALSE(placed->has_promise());
  EXPECT_FALSE(orders_.orders[placed->order_id()].has_promised_delivery());
}

}  // namespace
}  // namespace oms::orchestrator

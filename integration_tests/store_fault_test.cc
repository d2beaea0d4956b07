// order_svc on a disk that starts failing (failing_disk_preload.cc): a failed fsync of the
// WAL is final for the store, so the real binary turns health NOT_SERVING, drains and exits
// with status 1 for its supervisor; started again on a healthy disk, it keeps what it
// acknowledged, and a client's retry of the call that failed has exactly one effect.
#include <cstdlib>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "integration_tests/service_process.h"
#include "oms/order/v1/order.grpc.pb.h"
#include "order_svc/test_orders.h"
#include "platform/testing/temp_dir.h"

namespace oms::integration {
namespace {

using grpc::health::v1::HealthCheckResponse;
using order::v1::OrderService;

class StoreFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Under --config=asan the preloaded library comes before the ASan runtime, which ASan
    // refuses unless told not to check; the option means nothing to other builds.
    const char* asan = std::getenv("ASAN_OPTIONS");
    order_svc_.set_environment(
        {"LD_PRELOAD=" + RunfilesBinary("integration_tests", "failing_disk_preload.so"),
         "OMS_FAIL_SYNC_FLAG=" + flag_,
         absl::StrCat("ASAN_OPTIONS=", asan != nullptr ? asan : "", ":verify_asan_link_order=0")});
    ASSERT_TRUE(Started(order_svc_.Start()));
  }

  grpc::Status Create(const order::v1::CreateOrderRequest& request, order::v1::Order* order) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    return OrderService::NewStub(order_svc_.NewChannel())->CreateOrder(&context, request, order);
  }

  void FailTheDisk() { std::ofstream(flag_) << "EIO\n"; }
  void MendTheDisk() { std::remove(flag_.c_str()); }

  testing::TempDir dir_;
  std::string flag_ = dir_.path() + "/disk-failed";
  ServiceProcess order_svc_{"order_svc", dir_.path()};
};

TEST_F(StoreFaultTest, AFailedFsyncTurnsHealthNotServingAndTheServiceExitsWithStatusOne) {
  order::v1::Order acknowledged;
  ASSERT_TRUE(Create(order::SampleCreateOrder("WEB-1"), &acknowledged).ok());

  auto health = grpc::health::v1::Health::NewStub(order_svc_.NewChannel());
  grpc::ClientContext watch_context;
  auto watch = health->Watch(&watch_context, grpc::health::v1::HealthCheckRequest());
  HealthCheckResponse seen;
  ASSERT_TRUE(watch->Read(&seen));
  ASSERT_EQ(seen.status(), HealthCheckResponse::SERVING);

  FailTheDisk();
  order::v1::CreateOrderRequest second = order::SampleCreateOrder("WEB-2");
  second.set_idempotency_key("erp-order-2");
  order::v1::Order unused;
  grpc::Status failed = Create(second, &unused);
  EXPECT_FALSE(failed.ok());  // not acknowledged: its WAL frames never reached the disk

  // Watchers hear NOT_SERVING before the drain ends their stream.
  bool not_serving = false;
  while (!not_serving && watch->Read(&seen)) {
    not_serving = seen.status() == HealthCheckResponse::NOT_SERVING;
  }
  EXPECT_TRUE(not_serving);
  absl::StatusOr<int> exit_code = order_svc_.WaitExit(absl::Seconds(30));
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 1);

  // A supervisor starts it again on a mended disk: the acknowledged order is there, and the
  // client's retry of the failed call (same key) leaves exactly one WEB-2, whether or not
  // the failed commit's frames were still in the page cache for recovery to find.
  MendTheDisk();
  ASSERT_TRUE(Started(order_svc_.Start()));
  order::v1::Order retried;
  ASSERT_TRUE(Create(second, &retried).ok());
  grpc::ClientContext list_context;
  order::v1::ListOrdersResponse all;
  ASSERT_TRUE(OrderService::NewStub(order_svc_.NewChannel())
                  ->ListOrders(&list_context, order::v1::ListOrdersRequest(), &all)
                  .ok());
  int web1 = 0, web2 = 0;
  for (const order::v1::Order& order : all.orders()) {
    web1 += order.external_reference() == "WEB-1";
    web2 += order.external_reference() == "WEB-2";
  }
  EXPECT_EQ(web1, 1);
  EXPECT_EQ(web2, 1);
  EXPECT_EQ(order_svc_.Stop().value_or(-1), 0);  // healthy again: a clean drain
}

TEST_F(StoreFaultTest, AHealthyDiskUnderTheSamePreloadChangesNothing) {
  order::v1::Order created;
  ASSERT_TRUE(Create(order::SampleCreateOrder("WEB-1"), &created).ok());
  EXPECT_EQ(order_svc_.Stop().value_or(-1), 0);
}

}  // namespace
}  // namespace oms::integration

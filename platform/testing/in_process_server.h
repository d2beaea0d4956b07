#ifndef OMS_PLATFORM_TESTING_IN_PROCESS_SERVER_H_
#define OMS_PLATFORM_TESTING_IN_PROCESS_SERVER_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "grpcpp/channel.h"
#include "gtest/gtest.h"
#include "platform/base/clock.h"
#include "platform/events/event_feed_service.h"
#include "platform/server/grpc_server.h"
#include "platform/server/service_host.h"
#include "platform/testing/in_memory_host.h"

namespace oms::testing {

// One service served on a loopback port as its binary serves it (less the keys, which
// SecuredServer adds), optionally with the host's event feed beside it, and a channel to it.
// Closes the host's commit signal when it stops, as service_main does, so feed watchers end.
class InProcessServer {
 public:
  InProcessServer(ServiceHost* host, grpc::Service* service, const std::string& full_name,
                  bool with_event_feed = false);
  ~InProcessServer() { Shutdown(); }

  absl::Status Start();
  void Shutdown() { server_.Shutdown(); }
  int port() const { return server_.port(); }
  // A new plain channel to the server.
  std::shared_ptr<grpc::Channel> Channel() const;

 private:
  std::unique_ptr<EventFeedService> feed_;
  GrpcServer server_;
};

// The fixture of every service's in-process gRPC tests: a fake clock, the service's
// in-memory host, the service on an InProcessServer and `stub_` of `Grpc` (the generated
// service class, e.g. order::v1::OrderService) to call it.
//
//   class OrderServiceTest : public testing::ServiceTest<v1::OrderService> {
//     void SetUp() override {
//       UseHost("order_svc", {{"order", &store::Migrations()}});
//       service_ = std::make_unique<OrderService>(host_.get());
//       Serve(service_.get());
//     }
//   };
template <typename Grpc>
class ServiceTest : public ::testing::Test {
 protected:
  void UseHost(const std::string& name, std::vector<Migrations> migrations) {
    host_ = InMemoryHost(name, &clock_, std::move(migrations));
  }

  // Serves `service` on host_ and connects stub_ to it.
  void Serve(grpc::Service* service) {
    server_ = std::make_unique<InProcessServer>(host_.get(), service, Grpc::service_full_name());
    ASSERT_TRUE(server_->Start().ok());
    stub_ = Grpc::NewStub(server_->Channel());
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  FakeClock clock_;
  std::unique_ptr<ServiceHost> host_;
  std::unique_ptr<InProcessServer> server_;
  std::unique_ptr<typename Grpc::Stub> stub_;
};

}  // namespace oms::testing

#endif  // OMS_PLATFORM_TESTING_IN_PROCESS_SERVER_H_

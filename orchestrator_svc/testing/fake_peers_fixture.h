// An orchestrator on an in-memory store, with fake peers (fake_peers.h) and a fake clock:
// for tests of the engine and the event handlers without any service behind them.
#ifndef OMS_ORCHESTRATOR_SVC_TESTING_FAKE_PEERS_FIXTURE_H_
#define OMS_ORCHESTRATOR_SVC_TESTING_FAKE_PEERS_FIXTURE_H_

#include <memory>

#include "gtest/gtest.h"
#include "orchestrator_svc/orchestrator.h"
#include "orchestrator_svc/orchestrator_store.h"
#include "orchestrator_svc/testing/fake_peers.h"
#include "platform/base/clock.h"
#include "platform/testing/in_memory_host.h"

namespace oms::orchestrator::testing {

class FakePeersFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    host_ = oms::testing::InMemoryHost("orchestrator_svc", &clock_,
                                       {{"orchestrator", &store::Migrations()}});
    orchestrator_ = std::make_unique<Orchestrator>(
        host_.get(), Peers{&orders_, &inventory_, &logistics_}, OrchestratorOptions());
  }

  FakeClock clock_;
  FakeOrderPeer orders_;
  FakeInventoryPeer inventory_;
  FakeLogisticsPeer logistics_;
  std::unique_ptr<ServiceHost> host_;
  std::unique_ptr<Orchestrator> orchestrator_;
};

}  // namespace oms::orchestrator::testing

#endif  // OMS_ORCHESTRATOR_SVC_TESTING_FAKE_PEERS_FIXTURE_H_

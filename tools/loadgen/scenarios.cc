#include "tools/loadgen/scenarios.h"

#include <mutex>
#include <random>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"
#include "oms/inventory/v1/inventory.grpc.pb.h"
#include "oms/logistics/v1/logistics.grpc.pb.h"
#include "oms/orchestrator/v1/orchestrator.grpc.pb.h"
#include "oms/order/v1/order.grpc.pb.h"
#include "platform/security/call_tracker.h"
#include "platform/security/client_channel.h"
#include "tools/loadgen/random_order.h"

namespace oms::loadgen {
namespace {

namespace inv = inventory::v1;
namespace lgs = logistics::v1;
namespace orc = orchestrator::v1;
namespace ord = order::v1;

// Times one RPC and records it under `name`; answers its status.
template <typename Call>
grpc::Status Timed(Recorder& recorder, const std::string& name, Call&& call) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  absl::Time start = absl::Now();
  grpc::Status status = call(&context);
  recorder.Record(name, absl::Now() - start,
                  status.ok() ? "" : StatusCodeName(status.error_code()));
  return status;
}

// For setup steps: one call, ALREADY_EXISTS counting as done.
template <typename Call>
absl::Status Once(const std::string& what, Call&& call) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  grpc::Status status = call(&context);
  if (status.ok() || status.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
    return absl::OkStatus();
  }
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

// A run id keeps idempotency keys and references of different runs apart.
std::string NewRunId() {
  absl::BitGen gen;
  return absl::StrFormat("%s%04x", absl::FormatTime("%m%d%H%M%S", absl::Now(), absl::UTCTimeZone()),
                         absl::Uniform<uint32_t>(gen, 0, 0xffff));
}

// Stubs over `channels` connections per service, handed out by worker.
class Clients {
 public:
  explicit Clients(const Target& target) {
    ClientSecurity security;
    security.bearer_token = target.token;
    for (int i = 0; i < std::max(1, target.channels); ++i) {
      grpc::ChannelArguments args;
      args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // a connection of its own
      orchestrator_.push_back(
          orc::OrchestratorService::NewStub(OpenChannel(target.orchestrator, security, args)));
      order_.push_back(ord::OrderService::NewStub(OpenChannel(target.order, security, args)));
      inventory_.push_back(
          inv::InventoryService::NewStub(OpenChannel(target.inventory, security, args)));
      logistics_.push_back(
          lgs::LogisticsService::NewStub(OpenChannel(target.logistics, security, args)));
    }
  }
  orc::OrchestratorService::Stub& orchestrator(int w) {
    return *orchestrator_[w % orchestrator_.size()];
  }
  ord::OrderService::Stub& order(int w) { return *order_[w % order_.size()]; }
  inv::InventoryService::Stub& inventory(int w) { return *inventory_[w % inventory_.size()]; }
  lgs::LogisticsService::Stub& logistics(int w) { return *logistics_[w % logistics_.size()]; }

 private:
  std::vector<std::unique_ptr<orc::OrchestratorService::Stub>> orchestrator_;
  std::vector<std::unique_ptr<ord::OrderService::Stub>> order_;
  std::vector<std::unique_ptr<inv::InventoryService::Stub>> inventory_;
  std::vector<std::unique_ptr<lgs::LogisticsService::Stub>> logistics_;
};

// Three warehouses (one per region) and `skus` products with a million units in each; only
// products created now are stocked, so seeding twice does not double the stock.
absl::Status SeedCatalogue(Clients& clients, int skus, const std::string& run) {
  inv::InventoryService::Stub& inventory = clients.inventory(0);
  for (const char* region : kRegions) {
    inv::CreateWarehouseRequest w;
    w.mutable_warehouse()->set_warehouse_id(absl::StrCat("BENCH-", region));
    w.mutable_warehouse()->set_name(absl::StrCat("Bench ", region));
    w.mutable_warehouse()->set_region(region);
    inv::Warehouse created;
    absl::Status s = Once("warehouse", [&](grpc::ClientContext* c) {
      return inventory.CreateWarehouse(c, w, &created);
    });
    if (!s.ok()) return s;
  }
  for (int i = 0; i < skus; ++i) {
    inv::CreateProductRequest p;
    p.mutable_product()->set_sku(Sku(i));
    p.mutable_product()->set_name(absl::StrCat("Bench product ", i));
    p.mutable_product()->mutable_unit_price()->set_currency_code("CNY");
    p.mutable_product()->mutable_unit_price()->set_minor_units(1000 + 37 * i);
    p.mutable_product()->set_weight_g(250);
    inv::Product product;
    grpc::ClientContext c;
    c.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    grpc::Status created = inventory.CreateProduct(&c, p, &product);
    if (created.error_code() == grpc::StatusCode::ALREADY_EXISTS) continue;
    if (!created.ok()) return absl::InternalError("product: " + created.error_message());
    for (const char* region : kRegions) {
      inv::AdjustStockRequest receipt;
      receipt.set_idempotency_key(absl::StrCat("seed-", run, "-", i, "-", region));
      receipt.set_sku(Sku(i));
      receipt.set_warehouse_id(absl::StrCat("BENCH-", region));
      receipt.set_delta(1'000'000);
      receipt.set_reason(inv::RECEIPT);
      inv::AdjustStockResponse adjusted;
      absl::Status s = Once("stock", [&](grpc::ClientContext* cc) {
        return inventory.AdjustStock(cc, receipt, &adjusted);
      });
      if (!s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

std::mt19937_64& WorkerRng(int worker) {
  thread_local std::mt19937_64 rng(0x5eed + worker);
  return rng;
}

// A list of ids that grows while workers read from it.
class IdPool {
 public:
  void Add(const std::string& id) {
    absl::MutexLock lock(&mu_);
    ids_.push_back(id);
  }
  std::string Pick(std::mt19937_64& rng) {
    absl::MutexLock lock(&mu_);
    return ids_.empty() ? "" : ids_[rng() % ids_.size()];
  }
  size_t size() {
    absl::MutexLock lock(&mu_);
    return ids_.size();
  }

 private:
  absl::Mutex mu_;
  std::vector<std::string> ids_;
};

// PlaceOrder end to end through the orchestrator.
class Place : public Scenario {
 public:
  Place(const Target& target, Clients* clients, IdPool* placed)
      : target_(target), clients_(clients), placed_(placed), run_(NewRunId()) {}
  absl::Status Setup() override { return SeedCatalogue(*clients_, target_.skus, run_); }
  void Run(int worker, int64_t seq, Recorder& recorder) override {
    orc::PlaceOrderRequest request;
    request.set_idempotency_key(absl::StrCat("bench-", run_, "-", seq));
    *request.mutable_order() =
        RandomOrder(absl::StrCat("BENCH-", run_, "-", seq), target_.skus, WorkerRng(worker));
    orc::PlaceOrderResponse response;
    grpc::Status status = Timed(recorder, "PlaceOrder", [&](grpc::ClientContext* c) {
      return clients_->orchestrator(worker).PlaceOrder(c, request, &response);
    });
    if (status.ok()) placed_->Add(response.order_id());
  }

 private:
  const Target target_;
  Clients* clients_;
  IdPool* placed_;
  const std::string run_;
};

// Many clients reserving single units of one product that has few: none may be oversold.
class AllocateRace : public Scenario {
 public:
  AllocateRace(const Target& target, Clients* clients)
      : target_(target), clients_(clients), run_(NewRunId()), sku_("RACE-" + run_) {}

  absl::Status Setup() override {
    inv::InventoryService::Stub& inventory = clients_->inventory(0);
    inv::CreateWarehouseRequest w;
    w.mutable_warehouse()->set_warehouse_id("BENCH-East");
    w.mutable_warehouse()->set_name("Bench East");
    w.mutable_warehouse()->set_region("East");
    inv::Warehouse warehouse;
    absl::Status s = Once("warehouse", [&](grpc::ClientContext* c) {
      return inventory.CreateWarehouse(c, w, &warehouse);
    });
    if (!s.ok()) return s;
    inv::CreateProductRequest p;
    p.mutable_product()->set_sku(sku_);
    p.mutable_product()->set_name("Contended product");
    p.mutable_product()->mutable_unit_price()->set_currency_code("CNY");
    inv::Product product;
    s = Once("product",
             [&](grpc::ClientContext* c) { return inventory.CreateProduct(c, p, &product); });
    if (!s.ok()) return s;
    inv::AdjustStockRequest receipt;
    receipt.set_idempotency_key("race-" + run_);
    receipt.set_sku(sku_);
    receipt.set_warehouse_id("BENCH-East");
    receipt.set_delta(target_.race_units);
    receipt.set_reason(inv::RECEIPT);
    inv::AdjustStockResponse adjusted;
    return Once("stock", [&](grpc::ClientContext* c) {
      return inventory.AdjustStock(c, receipt, &adjusted);
    });
  }

  void Run(int worker, int64_t seq, Recorder& recorder) override {
    inv::AllocateRequest request;
    request.set_idempotency_key(absl::StrCat("race-", run_, "-", seq));
    request.set_order_id(absl::StrCat("race-", run_, "-", seq));
    request.set_region("East");
    request.set_policy(inv::SHIP_COMPLETE);
    inv::AllocationLine* line = request.add_lines();
    line->set_sku(sku_);
    line->set_quantity(1);
    inv::Allocation allocation;
    grpc::Status status = Timed(recorder, "Allocate", [&](grpc::ClientContext* c) {
      return clients_->inventory(worker).Allocate(c, request, &allocation);
    });
    if (status.ok() && allocation.fully_allocated()) ++reserved_;
  }

  absl::StatusOr<std::string> Verify() override {
    inv::GetStockRequest request;
    request.set_sku(sku_);
    inv::StockSummary stock;
    grpc::ClientContext c;
    grpc::Status status = clients_->inventory(0).GetStock(&c, request, &stock);
    if (!status.ok()) return absl::InternalError("GetStock: " + status.error_message());
    std::string line = absl::StrFormat(
        "allocate-race: %d units, %d allocations reserved a unit, stock reserved=%d "
        "available=%d backordered=%d",
        target_.race_units, reserved_.load(), stock.reserved(), stock.available(),
        stock.backordered());
    if (stock.reserved() > target_.race_units || stock.available() < 0 ||
        stock.reserved() != reserved_.load()) {
      return absl::DataLossError("OVERSOLD or lost reservations: " + line);
    }
    return line;
  }

 private:
  const Target target_;
  Clients* clients_;
  const std::string run_;
  const std::string sku_;
  std::atomic<int64_t> reserved_{0};
};

// Carrier tracking events for shipments made in setup.
class Track : public Scenario {
 public:
  Track(const Target& target, Clients* clients)
      : target_(target), clients_(clients), run_(NewRunId()) {}

  absl::Status Setup() override {
    for (int i = 0; i < target_.shipments; ++i) {
      lgs::CreateShipmentRequest request;
      request.set_idempotency_key(absl::StrCat("track-", run_, "-", i));
      request.set_order_id(absl::StrCat("track-", run_, "-", i));
      request.set_warehouse_id("BENCH-East");
      request.set_origin_region("East");
      request.set_destination_region(kRegions[i % 3]);
      lgs::ShipmentLine* line = request.add_lines();
      line->set_sku(Sku(0));
      line->set_quantity(1);
      request.set_weight_g(500);
      lgs::Shipment shipment;
      absl::Status s = Once("shipment", [&](grpc::ClientContext* c) {
        return clients_->logistics(0).CreateShipment(c, request, &shipment);
      });
      if (!s.ok()) return s;
      tracking_numbers_.push_back(shipment.tracking_number());
    }
    return absl::OkStatus();
  }

  void Run(int worker, int64_t seq, Recorder& recorder) override {
    std::mt19937_64& rng = WorkerRng(worker);
    lgs::TrackingEvent event;
    event.set_tracking_number(tracking_numbers_[rng() % tracking_numbers_.size()]);
    event.set_carrier_event_id(absl::StrCat(run_, "-", seq));
    event.set_code(seq % 2 == 0 ? lgs::TrackingEvent::IN_TRANSIT
                                : lgs::TrackingEvent::ARRIVED_AT_HUB);
    event.set_location("Hub " + std::to_string(seq % 17));
    *event.mutable_occurred_at() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(absl::Now()));
    lgs::RecordTrackingEventResponse response;
    Timed(recorder, "RecordTrackingEvent", [&](grpc::ClientContext* c) {
      return clients_->logistics(worker).RecordTrackingEvent(c, event, &response);
    });
  }

 private:
  const Target target_;
  Clients* clients_;
  const std::string run_;
  std::vector<std::string> tracking_numbers_;
};

// GetOrder by id and filtered ListOrders pages over orders made in setup (or placed by a
// concurrent scenario).
class Read : public Scenario {
 public:
  Read(const Target& target, Clients* clients, IdPool* ids, bool create_own)
      : target_(target), clients_(clients), ids_(ids), create_own_(create_own), run_(NewRunId()) {}

  absl::Status Setup() override {
    if (!create_own_) return absl::OkStatus();
    std::mt19937_64 rng(7);
    for (int i = 0; i < target_.orders; ++i) {
      ord::CreateOrderRequest request =
          RandomOrder(absl::StrCat("READ-", run_, "-", i), std::max(1, target_.skus), rng);
      request.set_idempotency_key(absl::StrCat("read-", run_, "-", i));
      ord::Order order;
      grpc::ClientContext c;
      c.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
      grpc::Status status = clients_->order(0).CreateOrder(&c, request, &order);
      if (!status.ok()) return absl::InternalError("CreateOrder: " + status.error_message());
      ids_->Add(order.order_id());
    }
    return absl::OkStatus();
  }

  void Run(int worker, int64_t seq, Recorder& recorder) override {
    std::mt19937_64& rng = WorkerRng(worker);
    if (seq % 10 < 7) {
      ord::GetOrderRequest request;
      request.set_order_id(ids_->Pick(rng));
      if (request.order_id().empty()) return;
      ord::Order order;
      Timed(recorder, "GetOrder", [&](grpc::ClientContext* c) {
        return clients_->order(worker).GetOrder(c, request, &order);
      });
    } else {
      ord::ListOrdersRequest request;
      request.add_channels(ord::WEB);
      request.add_statuses(seq % 2 == 0 ? ord::RECEIVED : ord::ALLOCATED);
      request.set_page_size(20);
      ord::ListOrdersResponse response;
      Timed(recorder, "ListOrders", [&](grpc::ClientContext* c) {
        return clients_->order(worker).ListOrders(c, request, &response);
      });
    }
  }

 private:
  const Target target_;
  Clients* clients_;
  IdPool* ids_;
  const bool create_own_;
  const std::string run_;
};

// 20% placements, 60% reads of placed orders, 20% tracking events.
class Mixed : public Scenario {
 public:
  Mixed(const Target& target, Clients* clients, IdPool* ids)
      : place_(target, clients, ids), read_(target, clients, ids, true), track_(target, clients) {}
  absl::Status Setup() override {
    for (Scenario* s : std::initializer_list<Scenario*>{&place_, &track_, &read_}) {
      if (absl::Status status = s->Setup(); !status.ok()) return status;
    }
    return absl::OkStatus();
  }
  void Run(int worker, int64_t seq, Recorder& recorder) override {
    int slot = static_cast<int>(seq % 10);
    if (slot < 2) {
      place_.Run(worker, seq, recorder);
    } else if (slot < 8) {
      read_.Run(worker, seq, recorder);
    } else {
      track_.Run(worker, seq, recorder);
    }
  }

 private:
  Place place_;
  Read read_;
  Track track_;
};

// CreateOrder straight into order_svc: fills a store quickly (backlog measurements).
class Create : public Scenario {
 public:
  Create(const Target& target, Clients* clients)
      : target_(target), clients_(clients), run_(NewRunId()) {}
  absl::Status Setup() override { return absl::OkStatus(); }
  void Run(int worker, int64_t seq, Recorder& recorder) override {
    ord::CreateOrderRequest request = RandomOrder(absl::StrCat("FILL-", run_, "-", seq),
                                                  std::max(1, target_.skus), WorkerRng(worker));
    request.set_idempotency_key(absl::StrCat("fill-", run_, "-", seq));
    ord::Order order;
    Timed(recorder, "CreateOrder", [&](grpc::ClientContext* c) {
      return clients_->order(worker).CreateOrder(c, request, &order);
    });
  }

 private:
  const Target target_;
  Clients* clients_;
  const std::string run_;
};

// Owns the clients and id pool its scenario uses.
class Owned : public Scenario {
 public:
  Owned(const Target& target, const std::string& name) : clients_(target) {
    if (name == "place") inner_ = std::make_unique<Place>(target, &clients_, &ids_);
    if (name == "allocate-race") inner_ = std::make_unique<AllocateRace>(target, &clients_);
    if (name == "track") inner_ = std::make_unique<Track>(target, &clients_);
    if (name == "read") inner_ = std::make_unique<Read>(target, &clients_, &ids_, true);
    if (name == "mixed") inner_ = std::make_unique<Mixed>(target, &clients_, &ids_);
    if (name == "create") inner_ = std::make_unique<Create>(target, &clients_);
  }
  bool valid() const { return inner_ != nullptr; }
  absl::Status Setup() override { return inner_->Setup(); }
  void Run(int worker, int64_t seq, Recorder& recorder) override {
    inner_->Run(worker, seq, recorder);
  }
  absl::StatusOr<std::string> Verify() override { return inner_->Verify(); }

 private:
  Clients clients_;
  IdPool ids_;
  std::unique_ptr<Scenario> inner_;
};

}  // namespace

std::vector<std::string> ScenarioNames() {
  return {"place", "allocate-race", "track", "read", "mixed", "create"};
}

absl::StatusOr<std::unique_ptr<Scenario>> MakeScenario(const std::string& name,
                                                       const Target& target) {
  auto scenario = std::make_unique<Owned>(target, name);
  if (!scenario->valid()) return absl::NotFoundError("no scenario " + name);
  return std::unique_ptr<Scenario>(std::move(scenario));
}

}  // namespace oms::loadgen

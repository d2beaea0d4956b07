// rpc_styles: what a unary call costs on this machine in each of gRPC's server and client
// styles, so that the choice between them (issue 20: "the callback API ... so a call costs
// no thread hand-offs it does not need") rests on a measurement. Every server answers
// grpc.health.v1.Health/Check on loopback, without TLS or keys:
//   * sync           ServerBuilder with a synchronous service (gRPC's thread manager);
//   * callback       the callback API, answered on gRPC's own thread;
//   * callback+pool  the callback API, answered by one of a small fixed pool of threads, as a
//                    handler that blocks (on a commit, on a peer) would have to be;
//   * oms            platform/server's GrpcServer: sync, with the suite's interceptors.
// Clients: blocking stubs from 1 and N threads, and N callback-stub loops (each call's
// completion starts the next) without a thread per call. CPU time is the process's own,
// client and server together. Prints one line per pair.

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "platform/server/grpc_server.h"
#include "tools/bench/cpu_time.h"

ABSL_FLAG(absl::Duration, duration, absl::Seconds(4), "how long each measurement runs");
ABSL_FLAG(int, clients, 16, "concurrent clients (threads, or callback loops)");
ABSL_FLAG(int, pool_threads, 4, "threads of the callback+pool server");
ABSL_FLAG(std::string, json, "", "also write the figures here, one object per server style");
ABSL_FLAG(absl::Duration, pace, absl::Milliseconds(10),
          "the paced client's interval: one call at a time to a server idle in between");

namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

class SyncHealth : public Health::Service {
  grpc::Status Check(grpc::ServerContext*, const HealthCheckRequest*,
                     HealthCheckResponse* response) override {
    response->set_status(HealthCheckResponse::SERVING);
    return grpc::Status::OK;
  }
};

class CallbackHealth : public Health::CallbackService {
  grpc::ServerUnaryReactor* Check(grpc::CallbackServerContext* context, const HealthCheckRequest*,
                                  HealthCheckResponse* response) override {
    response->set_status(HealthCheckResponse::SERVING);
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

// A fixed set of threads taking work from one queue.
class Pool {
 public:
  explicit Pool(int threads) {
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Work(); });
  }
  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    ready_.notify_all();
    for (std::thread& t : threads_) t.join();
  }
  void Add(std::function<void()> work) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.push_back(std::move(work));
    }
    ready_.notify_one();
  }

 private:
  void Work() {
    for (;;) {
      std::function<void()> work;
      {
        std::unique_lock<std::mutex> lock(mu_);
        ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;
        work = std::move(queue_.front());
        queue_.pop_front();
      }
      work();
    }
  }
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

class PooledHealth : public Health::CallbackService {
 public:
  explicit PooledHealth(Pool* pool) : pool_(pool) {}
  grpc::ServerUnaryReactor* Check(grpc::CallbackServerContext* context, const HealthCheckRequest*,
                                  HealthCheckResponse* response) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    pool_->Add([reactor, response] {
      response->set_status(HealthCheckResponse::SERVING);
      reactor->Finish(grpc::Status::OK);
    });
    return reactor;
  }

 private:
  Pool* pool_;
};

struct Figures {
  double per_second = 0;
  double cpu_us = 0;
  double p50_us = 0;  // blocking from one thread, or paced
};

// Rate and CPU per call of `calls` made since `start`; p50 of `latencies` when there are any.
Figures FiguresOf(int64_t calls, double cpu_before, absl::Time start,
                  std::vector<int64_t>& latencies) {
  Figures figures;
  figures.per_second = calls / absl::ToDoubleSeconds(absl::Now() - start);
  figures.cpu_us =
      (oms::bench::ProcessCpuSeconds() - cpu_before) * 1e6 / std::max<int64_t>(1, calls);
  if (!latencies.empty()) {
    std::sort(latencies.begin(), latencies.end());
    figures.p50_us = latencies[latencies.size() / 2];
  }
  return figures;
}

bool CheckOnce(Health::Stub* stub) {
  grpc::ClientContext context;
  HealthCheckRequest request;
  HealthCheckResponse response;
  return stub->Check(&context, request, &response).ok();
}

// One call every `pace` from one thread: the server (and the client) idle between calls, as
// a service is between the hops of one unloaded order. p50 and CPU per call.
Figures Paced(Health::Stub* stub, absl::Duration pace, absl::Duration duration) {
  for (int i = 0; i < 200; ++i) CheckOnce(stub);  // warm the connection
  std::vector<int64_t> latencies;
  double cpu_before = oms::bench::ProcessCpuSeconds();
  absl::Time start = absl::Now();
  for (absl::Time next = start; next - start < duration; next += pace) {
    absl::SleepFor(next - absl::Now());
    absl::Time began = absl::Now();
    if (CheckOnce(stub)) latencies.push_back(absl::ToInt64Microseconds(absl::Now() - began));
  }
  return FiguresOf(latencies.size(), cpu_before, start, latencies);
}

Figures Blocking(Health::Stub* stub, int threads, absl::Duration duration) {
  for (int i = 0; i < 200; ++i) CheckOnce(stub);  // warm the connection
  std::atomic<int64_t> calls{0};
  std::vector<int64_t> single;
  double cpu_before = oms::bench::ProcessCpuSeconds();
  absl::Time start = absl::Now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      while (absl::Now() - start < duration) {
        absl::Time began = absl::Now();
        if (CheckOnce(stub)) calls.fetch_add(1);
        if (threads == 1 && t == 0)
          single.push_back(absl::ToInt64Microseconds(absl::Now() - began));
      }
    });
  }
  for (std::thread& w : workers) w.join();
  return FiguresOf(calls.load(), cpu_before, start, single);
}

// `loops` chains of callback-stub calls: each completion starts the loop's next call.
class CallbackLoops {
 public:
  CallbackLoops(Health::Stub* stub, int loops, absl::Duration duration)
      : stub_(stub), end_(absl::Now() + duration), running_(loops) {
    for (int i = 0; i < loops; ++i) Next();
  }
  int64_t Wait() {
    done_.WaitForNotification();
    return calls_.load();
  }

 private:
  struct Call {
    grpc::ClientContext context;
    HealthCheckRequest request;
    HealthCheckResponse response;
  };
  void Next() {
    if (absl::Now() >= end_) {
      if (running_.fetch_sub(1) == 1) done_.Notify();
      return;
    }
    auto call = std::make_shared<Call>();
    stub_->async()->Check(&call->context, &call->request, &call->response,
                          [this, call](grpc::Status status) {
                            if (status.ok()) calls_.fetch_add(1);
                            Next();
                          });
  }
  Health::Stub* stub_;
  const absl::Time end_;
  std::atomic<int> running_;
  std::atomic<int64_t> calls_{0};
  absl::Notification done_;
};

Figures Callbacks(Health::Stub* stub, int loops, absl::Duration duration) {
  CallbackLoops(stub, loops, absl::Milliseconds(200)).Wait();  // warm
  double cpu_before = oms::bench::ProcessCpuSeconds();
  absl::Time start = absl::Now();
  int64_t calls = CallbackLoops(stub, loops, duration).Wait();
  std::vector<int64_t> no_latencies;  // the loops are timed as a whole
  return FiguresOf(calls, cpu_before, start, no_latencies);
}

// Measures the server style on `port` with every client style; prints a line and answers
// the figures as a JSON object.
std::string Measure(const std::string& server, int port) {
  const absl::Duration duration = absl::GetFlag(FLAGS_duration);
  const int clients = absl::GetFlag(FLAGS_clients);
  auto channel = grpc::CreateChannel(absl::StrFormat("127.0.0.1:%d", port),
                                     grpc::InsecureChannelCredentials());
  auto stub = Health::NewStub(channel);
  Figures one = Blocking(stub.get(), 1, duration);
  Figures many = Blocking(stub.get(), clients, duration);
  Figures loops = Callbacks(stub.get(), clients, duration);
  Figures paced = Paced(stub.get(), absl::GetFlag(FLAGS_pace), duration);
  std::cout << absl::StrFormat(
      "%-14s blocking x1: p50 %4.0f us, %5.0f us CPU/call | blocking x%d: %6.0f calls/s, %4.0f "
      "us CPU/call | callback x%d: %6.0f calls/s, %4.0f us CPU/call | paced: p50 %4.0f us, "
      "%5.0f us CPU/call\n",
      server, one.p50_us, one.cpu_us, clients, many.per_second, many.cpu_us, clients,
      loops.per_second, loops.cpu_us, paced.p50_us, paced.cpu_us);
  return absl::StrFormat(
      "\"%s\": {\"p50_us\": %.0f, \"one_cpu_us\": %.0f, \"blocking_per_second\": %.0f, "
      "\"blocking_cpu_us\": %.0f, \"callback_per_second\": %.0f, \"callback_cpu_us\": %.0f, "
      "\"paced_p50_us\": %.0f, \"paced_cpu_us\": %.0f}",
      server, one.p50_us, one.cpu_us, many.per_second, many.cpu_us, loops.per_second, loops.cpu_us,
      paced.p50_us, paced.cpu_us);
}

// A bare server with `service`, on a free loopback port.
std::unique_ptr<grpc::Server> Serve(grpc::Service* service, int* port) {
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), port);
  builder.RegisterService(service);
  return builder.BuildAndStart();
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::vector<std::string> figures;
  int port = 0;
  {
    SyncHealth service;
    auto server = Serve(&service, &port);
    figures.push_back(Measure("sync", port));
    server->Shutdown();
  }
  {
    CallbackHealth service;
    auto server = Serve(&service, &port);
    figures.push_back(Measure("callback", port));
    server->Shutdown();
  }
  {
    Pool pool(absl::GetFlag(FLAGS_pool_threads));
    PooledHealth service(&pool);
    auto server = Serve(&service, &port);
    figures.push_back(Measure("callback+pool", port));
    server->Shutdown();
  }
  {
    oms::GrpcServer server({});
    if (!server.Start().ok()) return 1;
    figures.push_back(Measure("oms", server.port()));
    server.Shutdown();
  }
  if (const std::string path = absl::GetFlag(FLAGS_json); !path.empty()) {
    std::ofstream out(path);
    out << "{" << absl::StrJoin(figures, ", ") << ", \"clients\": " << absl::GetFlag(FLAGS_clients)
        << ", \"pool_threads\": " << absl::GetFlag(FLAGS_pool_threads) << "}\n";
  }
  return 0;
}

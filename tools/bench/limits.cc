// limits: what this machine allows, measured with the suite's own libraries, so that
// benchmark results can be read as a ratio to it (docs/BENCHMARKS.md).
//   * a gRPC unary round trip on loopback (grpc.health.v1.Health/Check on an OMS
//     GrpcServer, with and without the key check), closed loop from N threads;
//   * a single-row SQLite commit in WAL mode: synchronous=NORMAL from one thread, and
//     durable (the stores' default: group commit, the WAL fsynced before the answer) from
//     one and from N threads;
//   * an empty system call, and a hand-off between two threads (what every syscall and every
//     thread wake-up in the figures above costs here);
//   * sealing and opening one personal field (AES-256-GCM as the stores keep it), and an
//     order serialized for its store with its seven personal fields sealed.
// Prints text and, with --json, a JSON object. CPU time is the process's own (user + sys),
// which here holds both the client and the server side of each round trip.
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "platform/crypto/data_keys.h"
#include "platform/crypto/data_protection.h"
#include "platform/security/audit_log.h"
#include "platform/security/client_channel.h"
#include "platform/security/platform_access.h"
#include "platform/server/grpc_server.h"
#include "platform/storage/sqlite.h"
#include "platform/testing/temp_dir.h"
#include "protos/oms/order/v1/order.pb.h"
#include "tools/bench/cpu_time.h"

ABSL_FLAG(absl::Duration, duration, absl::Seconds(5), "how long each measurement runs");
ABSL_FLAG(int, threads, 16, "client threads for the round-trip throughput");
ABSL_FLAG(std::string, json, "", "also write the figures here");

namespace {

struct RoundTrips {
  double per_second = 0;
  double cpu_us_per_call = 0;
  double p50_us_single = 0;  // one thread, no contention
};

// Closed loop from `threads` clients for `duration`: calls per second and CPU per call.
RoundTrips MeasureRoundTrips(const std::string& address, const std::string& token, int threads,
                             absl::Duration duration) {
  oms::ClientSecurity security;
  security.bearer_token = token;
  auto channel = oms::OpenChannel(address, security);
  auto stub = grpc::health::v1::Health::NewStub(channel);
  auto call = [&] {
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    return stub->Check(&context, request, &response).ok();
  };
  for (int i = 0; i < 200; ++i) call();  // warm the connection
  RoundTrips result;
  std::vector<int64_t> single;
  absl::Time end = absl::Now() + absl::Seconds(1);
  while (absl::Now() < end) {
    absl::Time start = absl::Now();
    call();
    single.push_back(absl::ToInt64Microseconds(absl::Now() - start));
  }
  std::sort(single.begin(), single.end());
  result.p50_us_single = single[single.size() / 2];

  std::atomic<int64_t> calls{0};
  double cpu_before = oms::bench::ProcessCpuSeconds();
  absl::Time start = absl::Now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      while (absl::Now() - start < duration) {
        if (call()) calls.fetch_add(1);
      }
    });
  }
  for (auto& w : workers) w.join();
  double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  result.per_second = calls.load() / seconds;
  result.cpu_us_per_call =
      (oms::bench::ProcessCpuSeconds() - cpu_before) * 1e6 / std::max<int64_t>(1, calls.load());
  return result;
}

struct Commits {
  double per_second = 0;
  double cpu_us_per_commit = 0;
};

// Single-row commits from `threads` writers; `durable` is the stores' default (group
// commit, the WAL fsynced before the answer), otherwise synchronous=NORMAL alone.
Commits MeasureCommits(const std::string& path, absl::Duration duration, bool durable,
                       int threads) {
  oms::DatabaseOptions options;
  options.durable_commits = durable;
  std::unique_ptr<oms::Database> db = *oms::SqliteDatabase::Open(path, options);
  db->Transact([](oms::Session& s) {
      return s.ExecScript("CREATE TABLE t(id INTEGER PRIMARY KEY, body BLOB)");
    }).IgnoreError();
  std::string body(200, 'x');  // about one small record
  std::atomic<int64_t> n{0};
  double cpu_before = oms::bench::ProcessCpuSeconds();
  absl::Time start = absl::Now();
  std::vector<std::thread> writers;
  for (int t = 0; t < threads; ++t) {
    writers.emplace_back([&] {
      while (absl::Now() - start < duration) {
        db->Transact([&](oms::Session& s) {
            return s.Exec("INSERT INTO t(body) VALUES(?)", {oms::SqlArg::Blob(body)}).status();
          }).IgnoreError();
        ++n;
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  return {n / seconds,
          (oms::bench::ProcessCpuSeconds() - cpu_before) * 1e6 / std::max<int64_t>(1, n.load())};
}

// A system call that does nothing (getpid through syscall(), past any libc cache): the
// kernel entry and exit that every read, write, lock and wake-up pays on this machine.
double SyscallCpuUs() {
  constexpr int kCalls = 200000;
  double cpu_before = oms::bench::ProcessCpuSeconds();
  for (int i = 0; i < kCalls; ++i) syscall(SYS_getpid);
  return (oms::bench::ProcessCpuSeconds() - cpu_before) * 1e6 / kCalls;
}

// Two threads handing a turn back and forth through a mutex and a condition variable: the
// CPU of one thread hand-off (a wake-up and the switch to the woken thread), per hand-off.
double HandOffCpuUs() {
  constexpr int kRounds = 20000;
  std::mutex mu;
  std::condition_variable turned;
  int turn = 0;
  double cpu_before = oms::bench::ProcessCpuSeconds();
  std::thread other([&] {
    for (int i = 0; i < kRounds; ++i) {
      std::unique_lock<std::mutex> lock(mu);
      turned.wait(lock, [&] { return turn == 1; });
      turn = 0;
      turned.notify_one();
    }
  });
  for (int i = 0; i < kRounds; ++i) {
    std::unique_lock<std::mutex> lock(mu);
    turn = 1;
    turned.notify_one();
    turned.wait(lock, [&] { return turn == 0; });
  }
  other.join();
  return (oms::bench::ProcessCpuSeconds() - cpu_before) * 1e6 / (2 * kRounds);
}

// CPU per Seal and per Open of a phone-number-sized field, and per order serialized sealed
// (crypto::SerializeSealed: a copy, seven fields sealed, serialized), from one thread.
struct SealCosts {
  double seal_us = 0;
  double open_us = 0;
  double order_us = 0;
};

oms::order::v1::Order OrderWithPersonalData() {
  oms::order::v1::Order order;
  order.set_order_id("ord_0123456789abcdef");
  order.set_currency_code("EUR");
  order.set_notes("leave it at the door");
  oms::order::v1::Customer& customer = *order.mutable_customer();
  customer.set_name("Jane Doe");
  customer.set_phone("+49 30 1234567");
  customer.set_email("jane@example.com");
  customer.mutable_shipping_address()->set_country_code("DE");
  customer.mutable_shipping_address()->set_street("Unter den Linden 1");
  customer.mutable_shipping_address()->set_postal_code("10117");
  for (int i = 1; i <= 3; ++i) {
    oms::order::v1::OrderLine& line = *order.add_lines();
    line.set_line_no(i);
    line.set_sku(absl::StrCat("SKU-", i));
    line.set_quantity(2);
    line.mutable_unit_price()->set_minor_units(1999);
  }
  return order;
}
SealCosts MeasureSealing() {
  constexpr int kRounds = 100000;
  auto keys = oms::crypto::DataKeys::FromText(oms::crypto::DataKeys::NewKeyLine("k1") + "\n" +
                                              oms::crypto::DataKeys::NewKeyLine("lookup"));
  if (!keys.ok()) return {};
  SealCosts costs;
  std::string sealed;
  double cpu_before = oms::bench::ProcessCpuSeconds();
  for (int i = 0; i < kRounds; ++i) sealed = *keys->Seal("+49 30 1234567", "orders.phone");
  costs.seal_us = (oms::bench::ProcessCpuSeconds() - cpu_before) * 1e6 / kRounds;
  cpu_before = oms::bench::ProcessCpuSeconds();
  for (int i = 0; i < kRounds; ++i) keys->Open(sealed, "orders.phone").IgnoreError();
  costs.open_us = (oms::bench::ProcessCpuSeconds() - cpu_before) * 1e6 / kRounds;
  oms::crypto::DataProtection::Use(std::make_shared<oms::crypto::DataKeys>(*keys));
  const oms::order::v1::Order order = OrderWithPersonalData();
  size_t bytes = 0;
  cpu_before = oms::bench::ProcessCpuSeconds();
  for (int i = 0; i < kRounds; ++i) bytes += oms::crypto::SerializeSealed(order).size();
  costs.order_us = (oms::bench::ProcessCpuSeconds() - cpu_before) * 1e6 / kRounds;
  oms::crypto::DataProtection::Use(nullptr);
  return bytes > 0 ? costs : SealCosts{};
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const absl::Duration duration = absl::GetFlag(FLAGS_duration);
  const int threads = absl::GetFlag(FLAGS_threads);
  oms::testing::TempDir dir;

  // The same server the services run: health, reflection, call tracking; once open, once
  // with the key check (LOCAL_TCP credentials and the auth processor) as the suite runs.
  oms::GrpcServer plain({});
  if (!plain.Start().ok()) return 1;
  RoundTrips open_rt =
      MeasureRoundTrips("127.0.0.1:" + std::to_string(plain.port()), "", threads, duration);

  oms::auth::IssuedKey key = oms::auth::IssueKey("bench", {oms::security::v1::ADMIN});
  oms::security::v1::KeyFile file;
  *file.add_keys() = key.stored;
  oms::auth::KeyStore keys = *oms::auth::KeyStore::FromKeyFile(file);
  oms::GrpcServerOptions secured_options;
  secured_options.keys = &keys;
  oms::GrpcServer secured(secured_options);
  if (!secured.Start().ok()) return 1;
  // Health is open, so the key check is skipped for it; the round trip still pays for the
  // secure credentials and the interceptor.
  RoundTrips keyed_rt = MeasureRoundTrips("127.0.0.1:" + std::to_string(secured.port()), key.token,
                                          threads, duration);

  Commits commits = MeasureCommits(dir.File("commit.db"), duration, false, 1);
  Commits durable_one = MeasureCommits(dir.File("durable1.db"), duration, true, 1);
  Commits durable_many = MeasureCommits(dir.File("durable16.db"), duration, true, threads);
  const double syscall_us = SyscallCpuUs();
  const double hand_off_us = HandOffCpuUs();
  const SealCosts sealing = MeasureSealing();

  std::cout << absl::StrFormat(
      "grpc unary round trip (loopback, %d client threads): %.0f calls/s, %.0f us CPU per "
      "call; one thread: p50 %.0f us\n"
      "  same with the key-checking server: %.0f calls/s, %.0f us CPU per call, p50 %.0f us\n"
      "sqlite single-row WAL commit (synchronous=NORMAL): %.0f commits/s, %.0f us CPU each\n"
      "  durable (WAL fsynced per commit), one writer: %.0f commits/s, %.0f us CPU each\n"
      "  durable, %d writers (group commit): %.0f commits/s, %.0f us CPU each\n"
      "empty system call: %.2f us CPU; thread hand-off (mutex and condition variable): %.1f us "
      "CPU\nseal one personal field: %.2f us CPU; open it: %.2f us CPU; an order serialized "
      "sealed: %.2f us CPU\ncores: %d\n",
      threads, open_rt.per_second, open_rt.cpu_us_per_call, open_rt.p50_us_single,
      keyed_rt.per_second, keyed_rt.cpu_us_per_call, keyed_rt.p50_us_single, commits.per_second,
      commits.cpu_us_per_commit, durable_one.per_second, durable_one.cpu_us_per_commit, threads,
      durable_many.per_second, durable_many.cpu_us_per_commit, syscall_us, hand_off_us,
      sealing.seal_us, sealing.open_us, sealing.order_us, std::thread::hardware_concurrency());
  if (!absl::GetFlag(FLAGS_json).empty()) {
    std::ofstream(absl::GetFlag(FLAGS_json)) << absl::StrFormat(
        "{\"cores\":%d,\"rpc_per_second\":%.1f,\"rpc_cpu_us\":%.1f,\"rpc_p50_us\":%.1f,"
        "\"keyed_rpc_per_second\":%.1f,\"keyed_rpc_cpu_us\":%.1f,\"keyed_rpc_p50_us\":%.1f,"
        "\"commit_per_second\":%.1f,\"commit_cpu_us\":%.1f,"
        "\"durable_commit_per_second\":%.1f,\"durable_commit_cpu_us\":%.1f,"
        "\"durable_group_commit_per_second\":%.1f,\"durable_group_commit_cpu_us\":%.1f,"
        "\"syscall_cpu_us\":%.2f,\"hand_off_cpu_us\":%.1f,\"seal_cpu_us\":%.2f,"
        "\"open_cpu_us\":%.2f,\"sealed_order_cpu_us\":%.2f}\n",
        std::thread::hardware_concurrency(), open_rt.per_second, open_rt.cpu_us_per_call,
        open_rt.p50_us_single, keyed_rt.per_second, keyed_rt.cpu_us_per_call,
        keyed_rt.p50_us_single, commits.per_second, commits.cpu_us_per_commit,
        durable_one.per_second, durable_one.cpu_us_per_commit, durable_many.per_second,
        durable_many.cpu_us_per_commit, syscall_us, hand_off_us, sealing.seal_us, sealing.open_us,
        sealing.order_us);
  }
  return 0;
}

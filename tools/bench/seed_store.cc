// seed_store: fills a stopped service's store through the service's own code, so the growth
// figures of tools/bench/growth.sh start from 100k or 1M orders, or a backlog of undelivered
// notifications, in minutes rather than the hours RPCs through the whole suite would take.
//
//   seed_store --store=orders --db=var/order_svc.db --count=1000000
//   seed_store --store=notifications --db=var/notify_svc.db --count=100000
//       --webhook_base=http://127.0.0.1:8099/hook/   (one command line)
//   seed_store --store=notifications --channel=email --db=var/notify_svc.db --count=100000
//
// Orders go through order_svc's OrderBook (validation, pricing, idempotency record, status
// history, audit entry, OrderCreated in the outbox), messages through notify_svc's
// MessageLog (SendNotification's path): the rows are the ones the services would write.
// Personal data is sealed with --data_key_file as the service would. The service must not
// run on a SQLite store meanwhile (a SQLite store belongs to one process).
#include <atomic>
#include <cstdio>
#include <random>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "notify_svc/dispatcher.h"
#include "notify_svc/message_log.h"
#include "notify_svc/notify_store.h"
#include "order_svc/order_book.h"
#include "order_svc/order_store.h"
#include "platform/crypto/data_key_file.h"
#include "platform/server/service_host.h"
#include "tools/loadgen/random_order.h"

ABSL_FLAG(std::string, store, "", "what to seed: orders (order_svc) or notifications (notify_svc)");
ABSL_FLAG(std::string, db, "", "the service's store: a SQLite file or a postgresql:// target");
ABSL_FLAG(int64_t, count, 0, "orders or messages to add");
ABSL_FLAG(int, threads, 4, "writers at once (their commits are grouped)");
ABSL_FLAG(int, skus, 50, "orders: lines over the first N products of the bench catalogue");
ABSL_FLAG(std::string, webhook_base, "http://127.0.0.1:8099/hook/",
          "notifications: webhook URL prefix; the recipient's number is appended");
ABSL_FLAG(std::string, channel, "webhook",
          "notifications: webhook, or email (to customer<N>@example.test, sent to --smtp_url)");
ABSL_FLAG(int, recipients, 100, "notifications: distinct recipients, taken in turn");
ABSL_FLAG(std::string, data_key_file, "", "seal personal data with these keys (the service's)");
ABSL_FLAG(bool, durable, false,
          "SQLite: fsync every commit as the services do (seeding is faster without)");

namespace oms {
namespace {

using AddOne = std::function<absl::Status(int64_t seq)>;

// Runs add(seq) for seq in [0, count) on `threads` threads; prints progress and the rate.
int RunSeeding(int64_t count, int threads, const AddOne& add) {
  std::atomic<int64_t> next{0}, done{0}, failed{0};
  absl::Time start = absl::Now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (int64_t seq = next++; seq < count; seq = next++) {
        absl::Status status = add(seq);
        if (!status.ok() && failed++ < 5)
          std::fprintf(stderr, "seed %lld: %s\n", static_cast<long long>(seq),
                       std::string(status.message()).c_str());
        if (++done % 50000 == 0) {
          std::fprintf(stderr, "seeded %lld of %lld\n", static_cast<long long>(done.load()),
                       static_cast<long long>(count));
        }
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  std::printf("seeded %lld in %.1f s (%.0f/s), %lld failed\n", static_cast<long long>(count),
              seconds, seconds > 0 ? count / seconds : 0.0, static_cast<long long>(failed.load()));
  return failed.load() == 0 ? 0 : 1;
}

absl::StatusOr<std::unique_ptr<ServiceHost>> OpenHost(const std::string& name,
                                                      Migrations migrations) {
  ServiceHostOptions options;
  options.name = name;
  options.db_path = absl::GetFlag(FLAGS_db);
  options.migrations = {migrations};
  options.db_options.durable_commits = absl::GetFlag(FLAGS_durable);
  // PostgreSQL: the seeder is the store's only writer, so its writers need not take turns
  // (SERIALIZABLE still guards them), and each has a connection of its own.
  options.db_options.serialize_writes = false;
  options.db_options.pool_size = std::max(8, absl::GetFlag(FLAGS_threads));
  return ServiceHost::Open(std::move(options));
}

int SeedOrders(int64_t count, int threads, const std::string& run) {
  absl::StatusOr<std::unique_ptr<ServiceHost>> host =
      OpenHost("order_svc", {"order", &order::store::Migrations()});
  if (!host.ok()) return std::fprintf(stderr, "%s\n", host.status().ToString().c_str()), 1;
  order::OrderBook book(host->get());
  const int skus = std::max(1, absl::GetFlag(FLAGS_skus));
  return RunSeeding(count, threads, [&](int64_t seq) {
    thread_local std::mt19937_64 rng(std::random_device{}());
    order::v1::CreateOrderRequest request =
        loadgen::RandomOrder(absl::StrCat("SEED-", run, "-", seq), skus, rng);
    request.set_idempotency_key(absl::StrCat("seed-", run, "-", seq));
    return book.CreateOrder(request).status();
  });
}

int SeedNotifications(int64_t count, int threads, const std::string& run) {
  absl::StatusOr<std::unique_ptr<ServiceHost>> host =
      OpenHost("notify_svc", {"notify", &notify::store::Migrations()});
  if (!host.ok()) return std::fprintf(stderr, "%s\n", host.status().ToString().c_str()), 1;
  notify::Dispatcher dispatcher(host->get());
  notify::MessageLog messages(host->get(), &dispatcher);
  const std::string base = absl::GetFlag(FLAGS_webhook_base);
  const bool email = absl::GetFlag(FLAGS_channel) == "email";
  if (!email && absl::GetFlag(FLAGS_channel) != "webhook") {
    std::fprintf(stderr, "seed_store: --channel is webhook or email\n");
    return 2;
  }
  const int recipients = std::max(1, absl::GetFlag(FLAGS_recipients));
  return RunSeeding(count, threads, [&](int64_t seq) {
    notify::v1::SendNotificationRequest request;
    request.set_idempotency_key(absl::StrCat("seed-", run, "-", seq));
    request.set_channel(email ? notify::v1::EMAIL : notify::v1::WEBHOOK);
    request.set_address(email ? absl::StrCat("customer", seq % recipients, "@example.test")
                              : absl::StrCat(base, seq % recipients));
    request.set_subject(absl::StrCat("backlog message ", seq));
    request.set_body(absl::StrFormat("{\"seq\":%d}", seq));
    return messages.Send(request).status();
  });
}

int Main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string what = absl::GetFlag(FLAGS_store);
  const int64_t count = absl::GetFlag(FLAGS_count);
  const int threads = std::max(1, absl::GetFlag(FLAGS_threads));
  if (absl::GetFlag(FLAGS_db).empty() || count <= 0) {
    std::fprintf(stderr, "seed_store: --db and a positive --count are required\n");
    return 2;
  }
  std::optional<crypto::DataKeyFileWatcher> keys;
  if (!absl::GetFlag(FLAGS_data_key_file).empty()) {
    absl::StatusOr<crypto::DataKeyFileWatcher> watcher =
        crypto::DataKeyFileWatcher::Start(absl::GetFlag(FLAGS_data_key_file));
    if (!watcher.ok()) return std::fprintf(stderr, "%s\n", watcher.status().ToString().c_str()), 1;
    keys.emplace(*std::move(watcher));
  }
  // References and keys of one run never meet another's: seeding twice adds, not repeats.
  const std::string run = absl::FormatTime("%Y%m%d%H%M%S", absl::Now(), absl::UTCTimeZone());
  if (what == "orders") return SeedOrders(count, threads, run);
  if (what == "notifications") return SeedNotifications(count, threads, run);
  std::fprintf(stderr, "seed_store: --store is orders or notifications\n");
  return 2;
}

}  // namespace
}  // namespace oms

int main(int argc, char** argv) { return oms::Main(argc, argv); }

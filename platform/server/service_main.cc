#include "platform/server/service_main.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <optional>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "platform/base/background_thread.h"
#include "platform/base/files.h"
#include "platform/base/log.h"
#include "platform/base/offset_clock.h"
#include "platform/crypto/data_key_file.h"
#include "platform/events/event_feed_service.h"
#include "platform/metrics/process_metrics.h"
#include "platform/security/audit_log_service.h"
#include "platform/security/client_channel.h"
#include "platform/security/key_file_reloader.h"
#include "platform/security/platform_access.h"
#include "platform/security/shared_rate_limiter.h"
#include "platform/server/grpc_server.h"
#include "platform/server/housekeeper.h"
#include "platform/server/leased_task.h"
#include "platform/server/metrics_endpoint.h"
#include "platform/server/signals.h"
#include "platform/server/store_fault_watch.h"
#include "platform/tracing/tracer.h"

ABSL_FLAG(std::string, listen, "", "host:port to serve on (default 127.0.0.1:<service port>)");
ABSL_FLAG(std::string, db, "",
          "store: a SQLite file path (default var/<service>.db), or a PostgreSQL database "
          "(postgresql://user@host:port/dbname or libpq key=value) shared by replicas");
ABSL_FLAG(std::string, port_file, "",
          "if set, the bound port is written here once serving (for --listen=...:0)");
ABSL_FLAG(int, server_threads, 16,
          "threads the gRPC server keeps ready for calls (more start under load and end after)");
ABSL_FLAG(std::string, test_clock_offset_file, "",
          "tests only: \"now\" is the wall clock plus the duration in this file (e.g. 30h)");
ABSL_FLAG(absl::Duration, feed_linger, absl::Milliseconds(25),
          "how long an event-feed watcher waits after a commit for more, to send them together "
          "(followers see events up to this much later, and commit and wake less often)");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(5),
          "how long in-flight calls may run on after SIGTERM");
ABSL_FLAG(absl::Duration, idempotency_ttl, absl::Hours(24 * 7),
          "how long idempotency keys are remembered");
ABSL_FLAG(absl::Duration, event_retention, absl::ZeroDuration(),
          "delete outbox events older than this that every active reader has read; 0 keeps "
          "them forever");
ABSL_FLAG(absl::Duration, feed_reader_horizon, absl::Hours(24 * 7),
          "a feed reader seen within this long holds retention back until it has read");
// Where the other services are; every binary takes all of them so one launcher line fits all.
// Several replicas of one: a comma-separated list (or a dns:/// name), spread round-robin.
ABSL_FLAG(std::string, orchestrator_addr, "127.0.0.1:50050",
          "orchestrator_svc address (replicas: a:1,b:1)");
ABSL_FLAG(std::string, order_addr, "127.0.0.1:50051", "order_svc address (replicas: a:1,b:1)");
ABSL_FLAG(std::string, inventory_addr, "127.0.0.1:50052",
          "inventory_svc address (replicas: a:1,b:1)");
ABSL_FLAG(std::string, logistics_addr, "127.0.0.1:50053",
          "logistics_svc address (replicas: a:1,b:1)");
ABSL_FLAG(std::string, notify_addr, "127.0.0.1:50054", "notify_svc address (replicas: a:1,b:1)");
ABSL_FLAG(std::string, analytics_addr, "127.0.0.1:50055",
          "analytics_svc address (replicas: a:1,b:1)");
// Security (docs/SECURITY.md).
ABSL_FLAG(std::string, auth_keys, "var/auth/keys.textproto",
          "API key file (text proto oms.security.v1.KeyFile, salted hashes); required");
ABSL_FLAG(absl::Duration, key_reload_interval, absl::Seconds(2),
          "how often the --auth_keys file is read again: added, revoked or removed keys take "
          "effect within this long, without a restart");
ABSL_FLAG(std::string, data_key_file, "var/auth/data.keys",
          "keys sealing customers' personal data in the store (AES-256-GCM; docs/SECURITY.md), "
          "followed like --auth_keys; empty keeps personal data in clear");
ABSL_FLAG(std::string, service_key_file, "",
          "this service's own key for calls to the others (default var/auth/<service>.key)");
ABSL_FLAG(std::string, tls_cert, "", "server certificate (PEM); with --tls_key serves TLS");
ABSL_FLAG(std::string, tls_key, "", "server private key (PEM)");
ABSL_FLAG(absl::Duration, tls_reload_interval, absl::Seconds(10),
          "how often --tls_cert, --tls_key and --tls_client_ca are read again: a renewed "
          "certificate is served to new connections without a restart (at least 1s)");
ABSL_FLAG(std::string, tls_client_ca, "",
          "CA (PEM) that client certificates must chain to: turns on mutual TLS");
ABSL_FLAG(std::string, peer_tls_ca, "",
          "CA (PEM) of the other services' certificates: calls them over TLS");
ABSL_FLAG(std::string, peer_tls_cert, "", "client certificate (PEM) for mutual TLS to peers");
ABSL_FLAG(std::string, peer_tls_key, "", "client private key (PEM) for mutual TLS to peers");
ABSL_FLAG(std::string, peer_tls_server_name, "",
          "name to check in the peers' certificates instead of their host");
ABSL_FLAG(double, write_rate, 50, "write calls per second allowed per principal; 0: no limit");
ABSL_FLAG(double, write_burst, 200, "write calls a principal may make at once");
ABSL_FLAG(std::string, metrics_listen, "",
          "host:port serving Prometheus metrics at /metrics (off when empty; keep it on "
          "loopback or a network only the scraper reaches)");
ABSL_FLAG(std::string, trace_export, "",
          "where finished spans go as OTLP/JSON: file:PATH (a line per batch) or "
          "http://collector:4318/v1/traces; empty: none (trace ids are still logged)");
ABSL_FLAG(int64_t, trace_file_max_mb, 256,
          "file:PATH exports: past this many MiB the file becomes PATH.1 (replacing the one "
          "before) and a new one starts; 0: no limit");
ABSL_FLAG(double, trace_sample_rate, 0.1,
          "share of new traces exported (a caller's traceparent decides for its own trace)");
ABSL_FLAG(std::string, log_file, "",
          "write the log (stderr and stdout) to this file, appended, instead of where they "
          "point; empty: stderr as it is (journald under systemd)");
ABSL_FLAG(int64_t, log_file_max_mb, 256,
          "--log_file: past this many MiB the file becomes FILE.1 (replacing the one before) and "
          "a new one starts; 0: no limit");
ABSL_FLAG(bool, log_calls, false,
          "log a line for every call served (an access log), not only for failed ones");
ABSL_FLAG(std::string, db_sync, "full",
          "SQLite: full (default) fsyncs the WAL before a commit is answered or read, one "
          "fsync for all the commits made while the last one ran, so an acknowledged order "
          "survives power loss and kernel crashes; normal skips that fsync: faster, survives a "
          "killed process, but the last acknowledged commits may be lost when the machine "
          "loses power");
ABSL_FLAG(bool, db_fsync, false, "deprecated: durable commits are the default (--db_sync)");
ABSL_FLAG(int, background_nice, 0,
          "nice value (1-19) of the threads that work beside the calls (feed followers and "
          "watchers, sweeps, the courier, checkpoints, span export), which then also never "
          "preempt a running thread (SCHED_BATCH); 0 (default) runs them like the threads that "
          "answer calls. Above 0 buys some throughput at saturation but can lengthen the tail: "
          "a background thread holding a store's write lock makes calls waiting for it slower");

namespace oms {
namespace {

// The key and TLS material this service presents to the others.
absl::StatusOr<ClientSecurity> PeerSecurityFromFlags(const std::string& service) {
  std::string key_file = absl::GetFlag(FLAGS_service_key_file);
  if (key_file.empty()) key_file = absl::StrCat("var/auth/", service, ".key");
  absl::StatusOr<std::string> token = ReadSmallFile(key_file);
  if (!token.ok()) {
    return absl::NotFoundError(absl::StrCat("no service key: ", token.status().message(),
                                            " (./oms up creates one; see docs/SECURITY.md)"));
  }
  absl::StatusOr<TlsPem> tls =
      ReadTlsPem(absl::GetFlag(FLAGS_peer_tls_ca), absl::GetFlag(FLAGS_peer_tls_cert),
                 absl::GetFlag(FLAGS_peer_tls_key));
  if (!tls.ok()) return tls.status();
  ClientSecurity security;
  security.bearer_token = *token;
  security.tls = *tls;
  security.tls_server_name = absl::GetFlag(FLAGS_peer_tls_server_name);
  return security;
}

// Settings the flags choose for the whole process, made before any thread that reads them
// starts (peer calls, background threads).
absl::Status ApplyProcessWideFlags(const std::string& service) {
  SetBackgroundNice(absl::GetFlag(FLAGS_background_nice));
  absl::StatusOr<ClientSecurity> peer_security = PeerSecurityFromFlags(service);
  if (!peer_security.ok()) return peer_security.status();
  SetPeerSecurity(*peer_security);
  return absl::OkStatus();
}

// Flags whose value is wrong on its own, whatever the others say.
absl::Status CheckFlagValues() {
  if (std::string sync = absl::GetFlag(FLAGS_db_sync); sync != "full" && sync != "normal") {
    return absl::InvalidArgumentError("--db_sync must be full or normal");
  }
  if (absl::GetFlag(FLAGS_server_threads) < 1) {
    return absl::InvalidArgumentError("--server_threads must be at least 1");
  }
  if (int nice = absl::GetFlag(FLAGS_background_nice); nice < 0 || nice > 19) {
    return absl::InvalidArgumentError("--background_nice must be between 0 and 19");
  }
  if (int64_t mb = absl::GetFlag(FLAGS_trace_file_max_mb); mb < 0 || mb > (int64_t{1} << 30)) {
    return absl::InvalidArgumentError("--trace_file_max_mb must be between 0 and 2^30");
  }
  return absl::OkStatus();
}

int Fail(const absl::Status& status) {
  LogError("cannot start: ", status.ToString());
  return 1;
}

// The store, peers and clock of the service from its flags. `test_clock` holds the clock
// when --test_clock_offset_file asks for one (it must outlive the host).
ServiceHostOptions HostOptionsFromFlags(const ServiceDefinition& definition,
                                        std::unique_ptr<OffsetFileClock>& test_clock) {
  std::string db_path = absl::GetFlag(FLAGS_db);
  if (db_path.empty()) db_path = absl::StrCat("var/", definition.name, ".db");
  std::filesystem::path parent = std::filesystem::path(db_path).parent_path();
  std::error_code ignored;
  if (!parent.empty()) std::filesystem::create_directories(parent, ignored);

  ServiceHostOptions host_options;
  host_options.name = definition.name;
  host_options.db_path = db_path;
  host_options.migrations = definition.migrations;
  host_options.capabilities = definition.capabilities;
  host_options.peers = {
      {"orchestrator_svc", absl::GetFlag(FLAGS_orchestrator_addr)},
      {"order_svc", absl::GetFlag(FLAGS_order_addr)},
      {"inventory_svc", absl::GetFlag(FLAGS_inventory_addr)},
      {"logistics_svc", absl::GetFlag(FLAGS_logistics_addr)},
      {"notify_svc", absl::GetFlag(FLAGS_notify_addr)},
      {"analytics_svc", absl::GetFlag(FLAGS_analytics_addr)},
  };
  host_options.peers.erase(definition.name);
  host_options.db_options.durable_commits =
      absl::GetFlag(FLAGS_db_fsync) || absl::GetFlag(FLAGS_db_sync) != "normal";
  if (std::string file = absl::GetFlag(FLAGS_test_clock_offset_file); !file.empty()) {
    test_clock = std::make_unique<OffsetFileClock>(file);
    host_options.clock = test_clock.get();
    LogWarning("the clock follows ", file, " (--test_clock_offset_file: for tests only)");
  }
  return host_options;
}

// --port_file, when given, gets the bound port (port 0 picks a free one).
absl::Status WritePortFile(int port) {
  std::string port_file = absl::GetFlag(FLAGS_port_file);
  if (port_file.empty()) return absl::OkStatus();
  return WriteFileAtomically(port_file, absl::StrCat(port, "\n"));
}

// The binary's background work: the housekeeper and the service's own tasks each under its
// lease (one replica runs each), then the work every replica runs.
std::vector<std::unique_ptr<Background>> BackgroundWork(
    ServiceHost& host, ServiceParts& parts, auth::KeyFileReloader* key_reloader,
    std::optional<crypto::DataKeyFileWatcher>& data_keys) {
  HousekeeperOptions housekeeping;
  housekeeping.idempotency_ttl = absl::GetFlag(FLAGS_idempotency_ttl);
  housekeeping.event_retention = absl::GetFlag(FLAGS_event_retention);
  housekeeping.feed_reader_horizon = absl::GetFlag(FLAGS_feed_reader_horizon);
  std::vector<std::unique_ptr<Background>> work;
  work.push_back(
      std::make_unique<LeasedTask>(&host.db(), std::make_unique<Housekeeper>(&host, housekeeping)));
  for (auto& task : parts.tasks) {
    work.push_back(std::make_unique<LeasedTask>(&host.db(), std::move(task)));
  }
  for (auto& task : parts.replica_tasks) work.push_back(std::move(task));
  // Every replica verifies calls itself, so every replica follows the key file.
  work.push_back(std::make_unique<PeriodicTask>("key_reload",
                                                absl::GetFlag(FLAGS_key_reload_interval),
                                                [key_reloader] { return key_reloader->Check(); }));
  if (data_keys.has_value()) {
    work.push_back(std::make_unique<PeriodicTask>("data_key_reload",
                                                  absl::GetFlag(FLAGS_key_reload_interval),
                                                  [&data_keys] { return data_keys->Check(); }));
  }
  parts.tasks.clear();
  parts.replica_tasks.clear();
  return work;
}

// Replicas on one PostgreSQL store share each principal's limit; a SQLite store has one
// process, whose own bucket is the whole limit.
std::unique_ptr<RateLimiter> WriteLimiterFor(Database& db) {
  const double rate = absl::GetFlag(FLAGS_write_rate), burst = absl::GetFlag(FLAGS_write_burst);
  if (db.engine() == Engine::kSqlite) return std::make_unique<TokenBucketLimiter>(rate, burst);
  return std::make_unique<SharedRateLimiter>(&db, rate, burst);
}

GrpcServerOptions ServerOptionsFromFlags(const std::string& name, const std::string& listen,
                                         const auth::KeyStore* keys, ServiceHost& host,
                                         RateLimiter* write_limiter, const TlsPem& tls) {
  GrpcServerOptions options;
  options.name = name;
  options.listen_address = listen;
  options.shutdown_grace = absl::GetFlag(FLAGS_shutdown_grace);
  options.max_idle_threads = absl::GetFlag(FLAGS_server_threads);
  options.keys = keys;
  options.audit = &host.audit();
  options.write_limiter = write_limiter;
  // Only PostgreSQL makes a key check wait on the network (its shared limit, its audit).
  options.key_checks_may_block = host.db().engine() != Engine::kSqlite;
  options.tls = tls;
  options.log_calls = absl::GetFlag(FLAGS_log_calls);
  options.tls_reload_interval = absl::GetFlag(FLAGS_tls_reload_interval);
  return options;
}

absl::Status StartTracing(const std::string& service) {
  tracing::TracerOptions options;
  options.service = service;
  options.export_target = absl::GetFlag(FLAGS_trace_export);
  options.sample_rate = absl::GetFlag(FLAGS_trace_sample_rate);
  options.max_file_bytes = absl::GetFlag(FLAGS_trace_file_max_mb) << 20;
  return tracing::Tracer::Global().Configure(options);
}

// The data keys from --data_key_file; none (personal data in clear) when it is empty.
absl::StatusOr<std::optional<crypto::DataKeyFileWatcher>> StartDataKeys() {
  std::string path = absl::GetFlag(FLAGS_data_key_file);
  if (path.empty()) {
    LogWarning("--data_key_file is empty: customers' personal data is stored in clear");
    return std::optional<crypto::DataKeyFileWatcher>();
  }
  absl::StatusOr<crypto::DataKeyFileWatcher> watcher = crypto::DataKeyFileWatcher::Start(path);
  if (!watcher.ok()) {
    return absl::Status(
        watcher.status().code(),
        absl::StrCat(watcher.status().message(), " (./oms up creates one; see docs/SECURITY.md)"));
  }
  return std::optional<crypto::DataKeyFileWatcher>(*std::move(watcher));
}

// Log lines name the service and go to --log_file, when given.
absl::Status StartLogging(const std::string& service) {
  SetLogComponent(service);
  std::string log_file = absl::GetFlag(FLAGS_log_file);
  if (log_file.empty()) return absl::OkStatus();
  return LogToFile(log_file, std::max<int64_t>(0, absl::GetFlag(FLAGS_log_file_max_mb)) << 20);
}

// /metrics on --metrics_listen, when given.
absl::Status StartMetrics(MetricsEndpoint& endpoint) {
  std::string address = absl::GetFlag(FLAGS_metrics_listen);
  return address.empty() ? absl::OkStatus() : endpoint.Start(address);
}

}  // namespace

int RunServiceMain(int argc, char** argv, ServiceDefinition definition) {
  BlockTerminationSignals();  // before any thread exists, so every thread inherits it
  // Abseil's lock-order graph (on in Debian's build) costs every contended lock a lookup
  // (docs/BENCHMARKS.md). Tests, which never come here, keep it on.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  absl::SetProgramUsageMessage(absl::StrCat(
      "OMS ", definition.name, ": gRPC server with its own SQLite store.\n  ", argv[0],
      " --listen=127.0.0.1:", definition.default_port, " --db=var/", definition.name, ".db"));
  absl::ParseCommandLine(argc, argv);
  if (absl::Status logging = StartLogging(definition.name); !logging.ok()) return Fail(logging);

  std::string listen = absl::GetFlag(FLAGS_listen);
  if (listen.empty()) listen = absl::StrCat("127.0.0.1:", definition.default_port);
  std::unique_ptr<OffsetFileClock> test_clock;
  ServiceHostOptions host_options = HostOptionsFromFlags(definition, test_clock);
  absl::StatusOr<auth::KeyStore> keys = auth::KeyStore::Load(absl::GetFlag(FLAGS_auth_keys));
  if (!keys.ok()) {
    return Fail(absl::Status(
        keys.status().code(),
        absl::StrCat(keys.status().message(), " (./oms up creates one; see docs/SECURITY.md)")));
  }
  if (absl::Status values = CheckFlagValues(); !values.ok()) return Fail(values);
  absl::StatusOr<TlsPem> server_tls =
      ReadTlsPem(absl::GetFlag(FLAGS_tls_client_ca), absl::GetFlag(FLAGS_tls_cert),
                 absl::GetFlag(FLAGS_tls_key));
  if (!server_tls.ok()) return Fail(server_tls.status());
  if (absl::Status set = ApplyProcessWideFlags(definition.name); !set.ok()) return Fail(set);
  if (absl::Status tracing = StartTracing(definition.name); !tracing.ok()) return Fail(tracing);
  absl::StatusOr<std::optional<crypto::DataKeyFileWatcher>> data_keys = StartDataKeys();
  if (!data_keys.ok()) return Fail(data_keys.status());

  host_options.keys = &*keys;
  absl::StatusOr<std::unique_ptr<ServiceHost>> host = ServiceHost::Open(host_options);
  if (!host.ok()) return Fail(host.status());
  LogInfo("store ", host_options.db_path, " open and migrated");

  absl::StatusOr<ServiceParts> parts = definition.make_parts(**host);
  if (!parts.ok()) return Fail(parts.status());
  EventFeedService feed(&(*host)->outbox(), absl::GetFlag(FLAGS_feed_linger));
  AuditLogService audit(&(*host)->audit());
  std::unique_ptr<RateLimiter> write_limiter = WriteLimiterFor((*host)->db());

  GrpcServer server(ServerOptionsFromFlags(definition.name, listen, &*keys, **host,
                                           write_limiter.get(), *server_tls));
  for (NamedService& s : parts->services) {
    server.AddService(s.service.get(), s.full_name, s.access);
  }
  server.AddService(&feed, "oms.events.v1.EventFeed", &auth::EventFeedAccess());
  server.AddService(&audit, "oms.security.v1.AuditLog", &auth::AuditLogAccess());
  // A store that faults for good: NOT_SERVING, then drain and exit 1 for a restart.
  StoreFaultWatch fault_watch((*host)->db(), server.health(), [] { kill(getpid(), SIGTERM); });
  server.AddShutdownHook([&] {
    (*host)->commits().Close();
    feed.StopWatches();  // its thread reads the outbox, which goes before `feed` does
  });
  if (absl::Status started = server.Start(); !started.ok()) return Fail(started);
  if (absl::Status written = WritePortFile(server.port()); !written.ok()) return Fail(written);
  MetricsEndpoint metrics_endpoint;
  metrics::CollectorHandle process_metrics =
      metrics::Registry::Global().AddCollector(metrics::CollectProcessMetrics);
  if (absl::Status serving = StartMetrics(metrics_endpoint); !serving.ok()) return Fail(serving);

  auth::KeyFileReloader key_reloader(absl::GetFlag(FLAGS_auth_keys), &*keys);
  std::vector<std::unique_ptr<Background>> background =
      BackgroundWork(**host, *parts, &key_reloader, *data_keys);
  for (auto& task : background) task->Start();

  int signal_number = WaitForTerminationSignal();
  LogInfo("signal ", signal_number, ": draining in-flight calls");
  server.Shutdown();
  metrics_endpoint.Stop();
  for (auto& task : background) task->Stop();
  background.clear();  // gives the leases back before the store closes
  parts->services.clear();
  parts->collectors.clear();
  host->reset();                         // closes the store after the last call finished
  tracing::Tracer::Global().Shutdown();  // the last spans go out
  LogInfo("store closed; bye");
  return fault_watch.faulted() ? 1 : 0;
}

}  // namespace oms

#!/usr/bin/env bash
# The concurrency tests under ThreadSanitizer, in an output base of their own:
#   tools/tsan/run.sh [extra bazel test flags]
# The suppressions file needs an absolute path (the service binaries the integration tests
# start inherit TSAN_OPTIONS and run from other directories), so it is set here.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
TESTS=(
  //tools/tsan:absl_mutex_annotations_test    # the absl::Mutex annotations themselves
  //platform/storage:idempotency_test          # concurrent retries of one key
  //platform/storage:sqlite_group_commit_test  # writers sharing one COMMIT
  //platform/storage:sqlite_pipelined_commit_test  # fsyncs after the connection is released
  //platform/storage:wal_sync_test             # one fsync for every waiter
  //platform/events:feed_test                  # feed consumer and WatchEvents
  //platform/server:grpc_server_test           # drain while calls are in flight
  //inventory_svc:inventory_service_test       # 20 clients racing for the last units
  //notify_svc:notify_service_test             # courier lanes and channel tasks, feeds
  //notify_svc:notify_config_test              # the configuration copy across connections
  //notify_svc:transports_test                 # pooled webhook and SMTP connections
  //platform/base:worker_pool_test             # rounds of tasks on kept threads
  //integration_tests:inventory_crash_test     # allocations across SIGKILL
  //integration_tests:event_feed_recovery_test # event feed across SIGKILL
  //integration_tests:orchestrator_crash_test  # workflows across SIGKILL
  //integration_tests:notify_test              # delivery by the real binaries
)
options="halt_on_error=1:second_deadlock_stack=1:ignore_noninstrumented_modules=1:suppressions=$root/tools/tsan/suppressions.txt"
exec bazel --output_base="${OMS_TSAN_OUTPUT_BASE:-$HOME/.cache/oms-tsan}" test --config=tsan \
  --test_env=TSAN_OPTIONS="$options" "$@" "${TESTS[@]}"

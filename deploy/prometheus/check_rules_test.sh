#!/bin/bash
# The rule file parses, and every series it names is exported (check_rules.py).
set -euo pipefail
cd "${TEST_SRCDIR}/${TEST_WORKSPACE}"
exec /usr/bin/python3 deploy/prometheus/check_rules.py deploy/prometheus/oms-rules.yml \
  notify_svc/courier.cc notify_svc/notify_metrics.cc orchestrator_svc/orchestrator_metrics.cc \
  platform/events/feed_consumer_metrics.cc platform/metrics/process_metrics.cc \
  platform/server/rpc_metrics.cc platform/server/store_metrics.cc platform/storage/database.cc

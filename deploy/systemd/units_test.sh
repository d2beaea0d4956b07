#!/bin/bash
# systemd-analyze verify on the OMS unit for each of the six services (with the binaries
# built here in place of /usr/lib/oms/bin), failing on any warning about our units too,
# and each service's flag files accepted by its binary (--flagfile, then --version exits 0
# only when every flag in the files exists).
set -euo pipefail
cd "${TEST_SRCDIR}/${TEST_WORKSPACE}"
if ! command -v systemd-analyze >/dev/null; then
  echo "systemd-analyze is missing (Debian package systemd; ./oms install adds it)" >&2
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
for service in orchestrator_svc order_svc inventory_svc logistics_svc notify_svc analytics_svc; do
  binary="$PWD/$service/$service"
  [[ -x "$binary" ]] || { echo "no binary $binary" >&2; exit 1; }
  unit="$work/oms@$service.service"
  sed -e "s|/usr/lib/oms/bin/%i|$binary|" -e "s|/etc/oms/|$PWD/deploy/systemd/flags/|g" \
    deploy/systemd/oms@.service >"$unit"
  cp deploy/systemd/oms.target "$work/"
  if ! output="$(systemd-analyze verify --man=no "$unit" 2>&1)"; then
    echo "FAIL $service: systemd-analyze verify: $output" >&2
    failures=$((failures + 1))
    continue
  fi
  if grep -F "$unit" <<<"$output" | grep -q .; then
    echo "FAIL $service: warnings about the unit: $output" >&2
    failures=$((failures + 1))
    continue
  fi
  # Every flag the files set is one the binary has (an unknown flag makes it exit 1).
  if ! "$binary" --flagfile="deploy/systemd/flags/common.flags" \
      --flagfile="deploy/systemd/flags/$service.flags" --version >/dev/null 2>"$work/err"; then
    echo "FAIL $service: its flag files: $(head -3 "$work/err")" >&2
    failures=$((failures + 1))
    continue
  fi
  echo "ok $service"
done
exit "$failures"

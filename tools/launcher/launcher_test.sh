#!/usr/bin/env bash
# ./oms's pid-file checks: `./oms up` right after a kill -9 must start the service again, so
# a pid file counts only while its process is alive, not a zombie, and still our binary.
set -euo pipefail

OMS="$TEST_SRCDIR/$TEST_WORKSPACE/tools/launcher/oms.sh"
export OMS_VAR="$TEST_TMPDIR/var"
export HOME="${HOME:-$TEST_TMPDIR}"
mkdir -p "$OMS_VAR/run"
# shellcheck source=/dev/null
source "$OMS"
set +e  # the checks below look at failures themselves

failures=0
check() {  # check NAME EXPECTED_STATUS
  local got
  running_pid order_svc >/dev/null
  got=$?
  if [[ "$got" != "$2" ]]; then
    echo "FAIL: $1: running_pid answered $got, expected $2"
    failures=$((failures + 1))
  else
    echo "ok: $1"
  fi
}

# Our binary, running: counted.
cp /bin/sleep "$OMS_VAR/run/order_svc"
"$OMS_VAR/run/order_svc" 60 &
ours=$!
echo "$ours" >"$(pid_file order_svc)"
check "our running binary" 0

# Killed with -9 and not reaped yet (its parent is still here): a zombie, not running.
kill -9 "$ours"
sleep 0.2
check "a zombie left by kill -9" 1
[[ -f "$(pid_file order_svc)" ]] && { echo "FAIL: stale pid file kept"; failures=$((failures + 1)); }
wait "$ours" 2>/dev/null

# Gone altogether.
echo "$ours" >"$(pid_file order_svc)"
check "a process that is gone" 1

# The pid now belongs to another program.
sleep 60 &
other=$!
echo "$other" >"$(pid_file order_svc)"
check "a pid reused by another program" 1
kill "$other"

# Garbage in the file.
echo "not-a-pid" >"$(pid_file order_svc)"
check "a pid file with garbage" 1

if [[ $failures -gt 0 ]]; then exit 1; fi
echo "all launcher checks passed"

#!/usr/bin/env bash
# ./oms's pid-file checks: `./oms up` right after a kill -9 must start the service again, so
# a pid file counts only while its process is alive, not a zombie, and still our binary.
# And the flags a service is started with: its key files under $OMS_VAR.
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

# A service started under OMS_VAR reads its keys from there, not from the checkout's var/
# (bench runs keep their suite elsewhere: a missed flag fell back to var/auth/data.keys).
fake_root="$TEST_TMPDIR/root"
mkdir -p "$fake_root/bazel-bin/order_svc" "$OMS_VAR/log"
printf '#!/bin/sh\nprintf "%%s\\n" "$@" >"%s/args"\n' "$TEST_TMPDIR" >"$fake_root/bazel-bin/order_svc/order_svc"
chmod +x "$fake_root/bazel-bin/order_svc/order_svc"
rm -f "$(pid_file order_svc)"
ROOT="$fake_root" start_instance order_svc 1
for _ in $(seq 50); do [[ -s "$TEST_TMPDIR/args" ]] && break; sleep 0.1; done
key_flags="$(grep -E '^--(auth_keys|service_key_file|data_key_file)=' "$TEST_TMPDIR/args" || true)"
if [[ "$(grep -c . <<<"$key_flags")" != 3 ]] || grep -v "=$OMS_VAR/auth/" <<<"$key_flags"; then
  echo "FAIL: key files of a started service are not all under \$OMS_VAR/auth:"
  cat "$TEST_TMPDIR/args"
  failures=$((failures + 1))
else
  echo "ok: key files under \$OMS_VAR/auth"
fi

if [[ $failures -gt 0 ]]; then exit 1; fi
echo "all launcher checks passed"

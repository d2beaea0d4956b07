#!/usr/bin/env bash
# Every BUILD file, .bzl file and the WORKSPACE is as buildifier (.buildifier.json) leaves it.
# Reads the real source tree, found through the WORKSPACE file's link, so it is tagged
# external: never answered from the cache. Fix with: buildifier <file> (./oms install puts
# buildifier in /usr/local/bin).
set -euo pipefail
root="$(dirname "$(readlink -f "$TEST_SRCDIR/$TEST_WORKSPACE/WORKSPACE")")"
buildifier="$(command -v buildifier || echo /usr/local/bin/buildifier)"
[[ -x "$buildifier" ]] || { echo "buildifier is not installed: run ./oms install"; exit 1; }
cd "$root"
mapfile -t files < <(find . \( -name 'bazel-*' -o -name .git -o -name node_modules -o -name var \) \
  -prune -o \( -name BUILD.bazel -o -name BUILD -o -name '*.bzl' -o -name WORKSPACE \) -print | sort)
if "$buildifier" --config=.buildifier.json --mode=check "${files[@]}" >"$TEST_TMPDIR/b.log" 2>&1; then
  echo "buildifier: ${#files[@]} files clean"
  exit 0
fi
sed 's/^/not buildifier clean: /' "$TEST_TMPDIR/b.log"
exit 1

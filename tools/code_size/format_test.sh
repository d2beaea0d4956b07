#!/usr/bin/env bash
# Every C++ source is as clang-format (.clang-format: Google style, 100 columns) leaves it.
# Reads the real source tree, found through the WORKSPACE file's link, so it is tagged
# external: never answered from the cache. Fix with: clang-format -i <file>.
set -euo pipefail
root="$(dirname "$(readlink -f "$TEST_SRCDIR/$TEST_WORKSPACE/WORKSPACE")")"
format="$(command -v clang-format-14 || command -v clang-format)"
cd "$root"
mapfile -t files < <(find . \( -name 'bazel-*' -o -name .git -o -name node_modules -o -name var \) \
  -prune -o \( -name '*.cc' -o -name '*.h' \) -print | sort)
if "$format" --dry-run --Werror "${files[@]}" 2>"$TEST_TMPDIR/format.log"; then
  echo "clang-format: ${#files[@]} files clean"
  exit 0
fi
grep -o '^[^:]*:' "$TEST_TMPDIR/format.log" | sort -u | sed 's/:$//; s/^/not clang-format clean: /'
rm -f "$TEST_TMPDIR/format.log"
exit 1

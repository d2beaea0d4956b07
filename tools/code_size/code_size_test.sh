#!/usr/bin/env bash
# No source file over 500 lines, no function over 80, tests excepted (code_size.py). Reads
# the real source tree, found through the WORKSPACE file's link, so it is tagged external:
# never answered from the cache.
set -euo pipefail
root="$(dirname "$(readlink -f "$TEST_SRCDIR/$TEST_WORKSPACE/WORKSPACE")")"
exec python3 "$TEST_SRCDIR/$TEST_WORKSPACE/tools/code_size/code_size.py" "$root"

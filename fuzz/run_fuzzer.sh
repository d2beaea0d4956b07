#!/usr/bin/env bash
# A short libFuzzer run from the corpus kept in the repo: run_fuzzer.sh FUZZER CORPUS_DIR.
# New inputs go to a scratch copy; a crash input is saved in the test's outputs
# (bazel-testlogs/fuzz/<name>_smoke/test.outputs/) to be added to the corpus as a regression.
set -euo pipefail
fuzzer="$1"
corpus="$2"
seconds="${OMS_FUZZ_SECONDS:-10}"
scratch="${TEST_TMPDIR:-/tmp}/corpus"
mkdir -p "$scratch"
artifacts="${TEST_UNDECLARED_OUTPUTS_DIR:-/tmp}/"
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$artifacts" "$scratch" "$corpus"

#!/usr/bin/env bash
# Passes when the genquery output given as $1 is empty; otherwise prints the path it found.
set -euo pipefail
if [[ -s "$1" ]]; then
  echo "a domain library reaches gRPC (tools/bazel/layering.bzl) through:"
  cat "$1"
  exit 1
fi
echo "no domain library reaches gRPC"

#!/usr/bin/env bash
# Builds and runs every test through ctest: first the release build, then the same tests under
# AddressSanitizer and UBSan. Fails on the first failing configuration.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="$(nproc)"
for preset in release asan; do
  echo "== $preset: build"
  ci/build.sh "$preset"
  echo "== $preset: ctest"
  ctest --preset "$preset" -j "$jobs"
done

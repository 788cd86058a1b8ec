#!/usr/bin/env bash
# Builds and runs every test through ctest: first the release build, then the same tests under
# AddressSanitizer and UBSan. Fails on the first failing configuration.
#
# Under the sanitizers, the tests that re-run whole MLPerf Tiny suites end to end (accuracy of
# every method and calibrator) are left out: they exercise no code that the other tests do not,
# and would take most of the CI budget at sanitizer speed. The golden conformance, bit-exactness,
# hostile-input tests all run there, and so do the run-command tests (the shipped suite end to
# end, under three minutes at sanitizer speed).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="$(nproc)"
slow='MlperfTinySuite|QuantizeAccuracy|MethodAccuracy|ReferenceFigures'

echo "== release: build"
ci/build.sh release
echo "== release: ctest"
ctest --preset release -j "$jobs"

echo "== asan: build"
ci/build.sh asan
echo "== asan: ctest"
ctest --preset asan -j "$jobs" -E "$slow"

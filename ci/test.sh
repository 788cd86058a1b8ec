#!/usr/bin/env bash
# Builds and runs every test through ctest: first the release build, then the same tests under
# AddressSanitizer and UBSan, then a bounded run of every fuzz target. Between them, the Debian
# package is built from the release build and checked (ci/package.sh) and the CI templates are
# validated (ci/check-templates.sh), both cheap. Fails on the first failing stage.
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
echo "== release: Debian package"
ci/package.sh release
echo "== CI templates"
ci/check-templates.sh

echo "== asan: build"
ci/build.sh asan
echo "== asan: ctest"
ctest --preset asan -j "$jobs" -E "$slow"

# A time-bounded random search explores different inputs on a faster or slower machine, so its
# findings are printed (and kept under build/fuzz/findings/) rather than failing this stage; a
# finding is fixed with a regression test of its own. A target that does not build or run fails.
echo "== fuzz: build and run each target for 60 s"
FUZZ_REPORT_ONLY="${FUZZ_REPORT_ONLY:-1}" ci/fuzz.sh 60

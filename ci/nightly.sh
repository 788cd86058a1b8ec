#!/usr/bin/env bash
# The nightly job, step by step, as the CI templates in ci/templates/ run it; without a step it
# runs every step in sequence on this machine:
#
#   ci/nightly.sh [deps|build|run|publish]...
#
#   deps     install the Debian packages (ci/install-deps.sh)
#   build    build the tool alone, once (the `tool` preset: no tests)
#   run      $HARNESS (default build/tool/bin/harness) run "$HARNESS_SUITE" against its stored baseline, reports into
#            "$HARNESS_OUT"; with HARNESS_ONLY set, only the results whose id matches that glob
#            (the pull-request job). Its exit code is harness's: 1 on a regression.
#   publish  list the reports a CI system keeps (report.html, junit.xml, report.md, report.json)
#            and print report.md; fails if one is missing
#
# The result matrix runs as one part: when `harness run` can run a part of a suite and
# `harness merge` can join them, the templates' matrix gets one entry per part.
set -euo pipefail
cd "$(dirname "$0")/.."

suite="${HARNESS_SUITE:-suites/esp32.yaml}"
out="${HARNESS_OUT:-harness-out/nightly}"
# The installed tool (HARNESS=harness, from the Debian package) or the one `build` made.
harness="${HARNESS:-build/tool/bin/harness}"

step_deps() { ci/install-deps.sh; }

step_build() { ci/build.sh tool harness; }

step_run() {
  local only=()
  if [[ -n "${HARNESS_ONLY:-}" ]]; then only=(--only "$HARNESS_ONLY"); fi
  "$harness" --version
  "$harness" run "$suite" --out "$out" "${only[@]}"
}

step_publish() {
  local missing=0
  for file in report.html junit.xml report.md report.json; do
    if [[ -f "$out/$file" ]]; then
      echo "nightly: $out/$file"
    else
      echo "nightly: missing $out/$file" >&2
      missing=1
    fi
  done
  if [[ -f "$out/report.md" ]]; then cat "$out/report.md"; fi
  return "$missing"
}

steps=("$@")
if ((${#steps[@]} == 0)); then steps=(deps build run publish); fi
status=0
for step in "${steps[@]}"; do
  case "$step" in
    deps | build | publish) "step_$step" ;;
    # A regression (exit 1) still leaves reports to publish: remember it, go on, fail at the end.
    run) step_run || status=$? ;;
    *)
      echo "nightly: unknown step '$step' (deps, build, run, publish)" >&2
      exit 2
      ;;
  esac
  if ((status > 1)); then exit "$status"; fi
done
exit "$status"

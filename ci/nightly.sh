#!/usr/bin/env bash
# The nightly job, step by step, as the CI templates in ci/templates/ run it; without a step it
# runs every step in sequence on this machine (the parts one after another):
#
#   ci/nightly.sh [deps|build|part|merge|run|publish]...
#
#   deps     install the Debian packages (ci/install-deps.sh)
#   build    build the tool alone, once (the `tool` preset: no tests)
#   part     $HARNESS (default build/tool/bin/harness) runs part $HARNESS_SHARD ("K/N") of
#            "$HARNESS_SUITE" into "$HARNESS_PARTS/part-K", reusing the results of
#            "$HARNESS_CACHE" whose inputs did not change (and storing the others there). The
#            parts are balanced by the suite's stored baseline. Exit 0 unless its input is bad.
#   merge    joins every "$HARNESS_PARTS/part-*" into the reports of the whole suite in
#            "$HARNESS_OUT", compared with "$HARNESS_BASELINE". Its exit code is harness's: 1 on
#            a regression, 2 when a part is missing or from another run.
#   run      the whole suite (or, with HARNESS_ONLY set, the results whose id matches that glob:
#            the pull-request job) in one process against its stored baseline, reports into
#            "$HARNESS_OUT"; with the cache when HARNESS_CACHE is set. Exit 1 on a regression.
#   publish  list the reports a CI system keeps (report.html, junit.xml, report.md, report.json)
#            and print report.md; fails if one is missing
#
# Without steps: deps, build, then HARNESS_SHARDS (default 2) parts in sequence, merge, publish.
set -euo pipefail
cd "$(dirname "$0")/.."

suite="${HARNESS_SUITE:-suites/esp32.yaml}"
baseline="${HARNESS_BASELINE:-reports/baselines/esp32.json}"
out="${HARNESS_OUT:-harness-out/nightly}"
parts="${HARNESS_PARTS:-harness-parts}"
# The installed tool (HARNESS=harness, from the Debian package) or the one `build` made.
harness="${HARNESS:-build/tool/bin/harness}"

step_deps() { ci/install-deps.sh; }

step_build() { ci/build.sh tool harness; }

step_part() {
  local shard="${HARNESS_SHARD:?set HARNESS_SHARD to the part, K/N}"
  "$harness" --version
  "$harness" run "$suite" --shard "$shard" --out "$parts/part-${shard%/*}" \
    --cache "${HARNESS_CACHE:-harness-cache}"
}

step_merge() {
  "$harness" merge "$parts"/part-* --out "$out" --baseline "$baseline"
}

step_run() {
  local extra=()
  if [[ -n "${HARNESS_ONLY:-}" ]]; then extra+=(--only "$HARNESS_ONLY"); fi
  if [[ -n "${HARNESS_CACHE:-}" ]]; then extra+=(--cache "$HARNESS_CACHE"); fi
  "$harness" --version
  "$harness" run "$suite" --out "$out" "${extra[@]}"
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
if ((${#steps[@]} == 0)); then
  # Parts of an earlier run (perhaps of another N) would not merge with these.
  rm -rf "$parts"
  steps=(deps build)
  shards="${HARNESS_SHARDS:-2}"
  for ((k = 1; k <= shards; ++k)); do steps+=("part:$k/$shards"); done
  steps+=(merge publish)
fi
status=0
for step in "${steps[@]}"; do
  case "$step" in
    deps | build | part | publish) "step_$step" ;;
    part:*) HARNESS_SHARD="${step#part:}" step_part ;;
    # A regression (exit 1) still leaves reports to publish: remember it, go on, fail at the end.
    run | merge) "step_$step" || status=$? ;;
    *)
      echo "nightly: unknown step '$step' (deps, build, part, merge, run, publish)" >&2
      exit 2
      ;;
  esac
  if ((status > 1)); then exit "$status"; fi
done
exit "$status"

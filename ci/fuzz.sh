#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang, ASan, UBSan) and runs each for a
# bounded time: ci/fuzz.sh [SECONDS_PER_TARGET (default 60)] [TARGET...].
#
# Seed corpora are built here, at run time, from real files: the repository's models, sets,
# suites and baselines, and the shared reference data beside it (HARNESS_SHARED_DIR, default
# ../shared: mlperf-tiny/ and tflm-models/). Files over 1 MiB are left out so that one
# execution stays fast. hostile-inputs/ is not a seed: those files are regression tests of
# their own. New corpus entries and findings stay under build/fuzz/ (corpus/, findings/).
#
# Every run starts from the same random seed (FUZZ_SEED, default 1), so CI's bounded run
# explores the same inputs each time; set FUZZ_SEED=0 for a fresh seed per run.
#
# Prints executions, coverage (libFuzzer's edge count) and findings per target; exits 1 when
# any target found a crash, a sanitizer error, a leak or a timeout. A target stops at its first
# finding; with FUZZ_KEEP_GOING=1 it runs in libFuzzer's fork mode for the whole time and counts
# every crash, timeout and out-of-memory (for measurements; CI stops at the first).
# FUZZ_REPORT_ONLY=1 prints the findings but exits 0 (a build failure still fails).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then targets=(tflite onnx hdf5_set suite report); fi
shared="${HARNESS_SHARED_DIR:-../shared}"
seed="${FUZZ_SEED:-1}"

ci/build.sh fuzz "${targets[@]/%/_fuzzer}"

out=build/fuzz
seeds() {  # the seed files of one target
  local roots=() patterns=()
  case "$1" in
    tflite) roots=(datasets "$shared/mlperf-tiny" "$shared/tflm-models"); patterns=(-name '*.tflite') ;;
    onnx) roots=(datasets); patterns=(-name '*.onnx') ;;
    hdf5_set) roots=(datasets "$shared/mlperf-tiny/data"); patterns=(-name '*.h5') ;;
    suite) roots=(suites tests/suites); patterns=(-name '*.yaml') ;;
    report) roots=(reports/baselines); patterns=(-name '*.json') ;;
  esac
  for root in "${roots[@]}"; do
    if [[ -d $root ]]; then find "$root" -type f "${patterns[@]}" -size -1024k; fi
  done
}

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
summary=()
status=0
for target in "${targets[@]}"; do
  seed_dir="$out/corpus/$target/seed"
  work_dir="$out/corpus/$target/work"
  rm -rf "$seed_dir"
  mkdir -p "$seed_dir" "$work_dir" "$out/findings"
  seeds "$target" | while read -r file; do
    cp "$file" "$seed_dir/$(echo "$file" | tr '/' '_')"
  done
  count=$(find "$seed_dir" -type f | wc -l)
  echo "== fuzz $target: $count seeds, ${seconds} s"
  log="$out/findings/$target.log"
  rc=0
  mode=()
  if [[ ${FUZZ_KEEP_GOING:-0} == 1 ]]; then
    mode=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
  fi
  TMPDIR="$scratch" UBSAN_OPTIONS=print_stacktrace=1 LSAN_OPTIONS=suppressions=fuzz/lsan.supp \
    "$out/fuzz/${target}_fuzzer" "$work_dir" \
    "$seed_dir" -seed="$seed" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 \
    -print_final_stats=1 \
    "${mode[@]}" -artifact_prefix="$out/findings/$target-" >"$log" 2>&1 || rc=$?
  if ((${#mode[@]} > 0)); then
    # Fork mode: "#EXECS: cov: C ft: F corp: ... oom/timeout/crash: O/T/C time: ..."
    last=$(grep -E '^#[0-9]+: cov:' "$log" | tail -1)
    execs=$(sed -nE 's/^#([0-9]+):.*/\1/p' <<<"$last")
    cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' <<<"$last")
    found=$(grep -oE 'oom/timeout/crash: [0-9/]+' <<<"$last")
    if [[ -n $found && $found != "oom/timeout/crash: 0/0/0" ]]; then rc=1; fi
  else
    execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log" | tail -1)
    cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
    found="$(grep -cE '^==[0-9]+==ERROR|runtime error:' "$log" || true) finding(s)"
  fi
  summary+=("$target: ${execs:-0} executions, ${cov:-no coverage line}, exit $rc, $found")
  if ((rc != 0)); then
    status=1
    grep -E 'ERROR|runtime error|SUMMARY|Test unit written' "$log" | head -5 || true
  fi
done
echo "== fuzz summary (${seconds} s per target; logs and findings in $out/findings/)"
printf '%s\n' "${summary[@]}"
if ((status != 0)) && [[ ${FUZZ_REPORT_ONLY:-0} == 1 ]]; then
  echo "fuzz: findings above are reported, not failing the run (FUZZ_REPORT_ONLY=1)"
  exit 0
fi
exit "$status"

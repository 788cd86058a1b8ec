#pragma once
// One result of the suite matrix: quantize the model with one method (and calibrator), write
// the artifact, evaluate it on the validation set, and measure its costs and deployability.

#include <string>

#include "harness/eval/detection_decoder.h"
#include "harness/quant/lint_target.h"
#include "harness/runner/model_context.h"
#include "harness/runner/run_result.h"
#include "harness/suite/suite.h"

namespace harness::runner {

struct ResultJob {
  const ModelContext* model = nullptr;  // null when the model could not be prepared
  std::string model_name;
  const suite::MethodSpec* method = nullptr;
  std::string id;
  std::string artifact_path;      // absolute or relative to the working directory
  std::string artifact_relative;  // relative to the output folder, for the report
};

struct JobOutcome {
  ResultRecord record;
  // The model as written, kept for the latency pass that runs after every job.
  std::unique_ptr<runtime::CompiledModel> compiled;
  // Per-sample anomaly scores (anomaly tasks), for the paired comparisons.
  std::vector<double> anomaly_scores;
  // Per-image decoded detections (detection tasks), for the paired mAP comparisons.
  std::vector<std::vector<eval::DecodedDetection>> detections;
};

// Never throws for a problem of this result's own (its model, sets or kernels): the record
// then carries the error, so one bad model fails its own results and not the whole run.
JobOutcome RunResultJob(const ResultJob& job, const suite::Target& target,
                        const quant::LintTarget& lint_target);

// The record of a result whose model could not be prepared: names and the message.
ResultRecord FailedResult(const ResultJob& job, const std::string& message);

// What TFLite-Micro on `target` cannot run, in words; empty when the model is deployable.
std::vector<std::string> DeploymentProblems(const model::Graph& graph, int64_t size_bytes,
                                            int64_t arena_bytes, const suite::Target& target,
                                            const quant::LintTarget& lint_target);

// The lint target of a suite target: its ops and types.
quant::LintTarget ToLintTarget(const suite::Target& target);

}  // namespace harness::runner

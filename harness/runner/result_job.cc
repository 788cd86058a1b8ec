#include "harness/runner/result_job.h"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "harness/common/error.h"
#include "harness/common/interrupt.h"
#include "harness/eval/metrics/class_alarms.h"
#include "harness/eval/metrics/classification.h"
#include "harness/model/op_costs.h"
#include "harness/model/op_registry.h"
#include "harness/model/tflite_loader.h"
#include "harness/model/tflite_writer.h"
#include "harness/quant/lint.h"
#include "harness/quant/method.h"
#include "harness/runner/method_graph.h"
#include "harness/runner/per_layer_sqnr.h"
#include "harness/runtime/arena_estimate.h"
#include "harness/runtime/runnable_graph.h"

namespace harness::runner {
namespace {

const char* TaskName(eval::Task task) { return eval::ToString(task); }

void FillMetrics(const eval::TaskMetrics& m, const eval::Dataset& set, ResultRecord& record) {
  record.task = TaskName(m.task);
  if (m.task == eval::Task::kClassification) {
    record.metrics.accuracy = m.accuracy;
    record.metrics.top5 = m.top5;
    record.metrics.macro_f1 = m.macro_f1;
    if (m.confusion_matrix) {
      const int c = m.confusion_matrix->num_classes();
      record.metrics.confusion_matrix.assign(static_cast<size_t>(c), std::vector<int64_t>(static_cast<size_t>(c)));
      for (int t = 0; t < c; ++t)
        for (int p = 0; p < c; ++p)
          record.metrics.confusion_matrix[static_cast<size_t>(t)][static_cast<size_t>(p)] = m.confusion_matrix->count(t, p);
    }
    for (size_t k = 0; k < m.per_class.size(); ++k) {
      const auto& s = m.per_class[k];
      record.metrics.per_class.push_back({static_cast<int>(k), s.precision, s.recall, s.f1, s.support});
    }
    const std::span<const int32_t> labels(set.labels().data(), m.samples);
    record.per_sample_correct = eval::Top1Correct(m.outputs, m.num_classes, labels);
    // With five classes or fewer top-5 is always right; nothing to pair.
    if (m.num_classes > 5)
      record.per_sample_top5 = eval::TopKCorrect(m.outputs, m.num_classes, labels, 5);
  } else if (m.task == eval::Task::kAnomaly) {
    record.metrics.auc = m.auc;
    record.per_sample_score = m.anomaly_scores;
    for (size_t i = 0; i < m.anomaly_scores.size(); ++i)
      record.per_sample_label.push_back(set.labels()[i] != 0 ? 1 : 0);
  } else if (m.task == eval::Task::kDetection) {
    record.metrics.map = m.map;
    record.metrics.map50 = m.map50;
  }
}

// Alarms a plain top-1 threshold misses: most predictions falling into one class that is not
// most of the data.
void AddAlarms(const eval::TaskMetrics& m, ResultRecord& record) {
  if (!m.confusion_matrix) return;
  if (auto collapse = eval::CollapseAlarm(*m.confusion_matrix)) {
    record.alarms.push_back(eval::DescribeCollapse(*collapse));
  }
}

// The names of a job's result: id, model, method and calibrator.
ResultRecord NamedRecord(const ResultJob& job) {
  const suite::MethodSpec& spec = *job.method;
  ResultRecord record;
  record.id = job.id;
  record.model = job.model_name;
  // The method with the options that change it ("int8+bias_correction"), so two results of
  // one calibrator stay apart in every table.
  record.method = suite::ToString(spec.method);
  if (spec.method == suite::Method::kMixed && spec.keep != suite::MixedKeep::kFloat32) {
    record.method += std::string("+") + suite::ToString(spec.keep);
  }
  if (spec.options.per_channel_fc) record.method += "+per_channel_fc";
  if (spec.options.float_io) record.method += "+float_io";
  if (spec.options.bias_correction) record.method += "+bias_correction";
  if (spec.options.equalization) record.method += "+equalization";
  record.calibrator = suite::ToString(spec.calibrator);
  return record;
}

// A result that could not be measured keeps its names and the reason, nothing measured.
void Fail(JobOutcome& outcome, const std::string& message) {
  ResultRecord failed;
  failed.id = outcome.record.id;
  failed.model = outcome.record.model;
  failed.method = outcome.record.method;
  failed.calibrator = outcome.record.calibrator;
  failed.error = message;
  failed.deployable = {false, {"not measured"}};
  outcome = JobOutcome{};
  outcome.record = std::move(failed);
}

}  // namespace

ResultRecord FailedResult(const ResultJob& job, const std::string& message) {
  JobOutcome outcome;
  outcome.record = NamedRecord(job);
  Fail(outcome, message);
  return std::move(outcome.record);
}

quant::LintTarget ToLintTarget(const suite::Target& target) {
  quant::LintTarget lint;
  lint.name = target.name;
  for (const std::string& op : target.ops) {
    for (const model::OpDescriptor* descriptor : model::RegisteredOps()) {
      if (op == *descriptor->name) lint.ops.insert(*descriptor->type);
    }
  }
  for (suite::ElementType type : target.types) {
    switch (type) {
      case suite::ElementType::kInt8: lint.types.insert(model::DataType::kInt8); break;
      case suite::ElementType::kInt16: lint.types.insert(model::DataType::kInt16); break;
      case suite::ElementType::kFloat32: lint.types.insert(model::DataType::kFloat32); break;
    }
  }
  // Bias and shape tensors are INT32 on every TFLite-Micro target; a target that runs int16
  // activations runs TFLite's 16x8 kernels, whose CONV_2D, DEPTHWISE_CONV_2D and
  // FULLY_CONNECTED biases are INT64.
  lint.types.insert(model::DataType::kInt32);
  if (lint.types.count(model::DataType::kInt16) > 0) lint.types.insert(model::DataType::kInt64);
  lint.runs_hybrid_ops = false;  // TFLite-Micro refuses hybrid models
  lint.float_ops_are_slow = !target.slow_types.empty();
  return lint;
}

std::vector<std::string> DeploymentProblems(const model::Graph& graph, int64_t size_bytes,
                                            int64_t arena_bytes, const suite::Target& target,
                                            const quant::LintTarget& lint_target) {
  std::vector<std::string> problems;
  if (target.flash_bytes > 0 && size_bytes > target.flash_bytes) {
    problems.push_back("model is " + std::to_string(size_bytes) + " bytes, flash budget " +
                       std::to_string(target.flash_bytes));
  }
  if (target.sram_bytes > 0 && arena_bytes > target.sram_bytes) {
    problems.push_back("tensor arena needs " + std::to_string(arena_bytes) + " bytes, SRAM budget " +
                       std::to_string(target.sram_bytes));
  }
  // One line per rule and message, naming every op it concerns: a float16 model would
  // otherwise list the same sentence for each of its dozens of ops.
  const quant::LintReport lint = quant::Lint(graph, lint_target);
  std::vector<std::pair<std::string, std::vector<int32_t>>> grouped;
  for (const quant::LintFinding& f : lint.findings) {
    if (f.severity != quant::LintSeverity::kError) continue;
    const std::string what = f.rule + ": " + f.message;
    auto it = std::find_if(grouped.begin(), grouped.end(), [&](const auto& g) { return g.first == what; });
    if (it == grouped.end()) it = grouped.insert(grouped.end(), {what, {}});
    if (f.op_index >= 0) it->second.push_back(f.op_index);
  }
  for (const auto& [what, ops] : grouped) {
    std::string line = what;
    if (!ops.empty()) {
      line += ops.size() == 1 ? " (op " : " (ops ";
      for (size_t k = 0; k < ops.size(); ++k) line += (k > 0 ? ", " : "") + std::to_string(ops[k]);
      line += ")";
    }
    problems.push_back(std::move(line));
  }
  return problems;
}

JobOutcome RunResultJob(const ResultJob& job, const suite::Target& target,
                        const quant::LintTarget& lint_target) {
  const ModelContext& context = *job.model;
  const suite::MethodSpec& spec = *job.method;
  JobOutcome outcome;
  ResultRecord& record = outcome.record;
  record = NamedRecord(job);
  record.artifact = job.artifact_relative;
  record.validation_samples = static_cast<int64_t>(context.validation_samples);
  if (suite::NeedsCalibrator(spec.method) && context.calibration_samples) {
    record.calibration_samples = static_cast<int64_t>(*context.calibration_samples);
  }

  try {
    MethodGraph method_graph = BuildMethodGraph(context, spec, target);
    const model::Graph& written = method_graph.graph;
    record.mixed = std::move(method_graph.mixed);
    model::WriteTfliteFile(written, job.artifact_path);
    // Evaluate what was written, read back, not the in-memory graph.
    // A float16 model's constant DEQUANTIZE ops are folded once, as TFLite does when it
    // prepares the model; the size stays that of the written (float16) file.
    const model::Graph read_back = model::LoadTfliteFile(job.artifact_path);
    model::Graph graph = runtime::FoldFloat16Weights(read_back);
    record.size_bytes = static_cast<int64_t>(std::filesystem::file_size(job.artifact_path));
    record.macs = model::CostOf(graph).macs;
    outcome.compiled = std::make_unique<runtime::CompiledModel>(std::move(graph));
    // TFLite-Micro's arena on a 32-bit MCU (pointers of 4 bytes in its per-tensor structs); the
    // estimate matches the recording allocator's figures for the MLPerf Tiny models.
    record.arena_bytes =
        static_cast<int64_t>(runtime::EstimateDeviceArena(outcome.compiled->graph()).total_bytes());

    const eval::TaskMetrics metrics =
        eval::EvaluateTask(*outcome.compiled, *context.validation, context.eval_options);
    FillMetrics(metrics, *context.validation, record);
    outcome.anomaly_scores = metrics.anomaly_scores;
    outcome.detections = metrics.detections;
    AddAlarms(metrics, record);
    const eval::Fidelity fidelity = eval::CompareOutputs(context.float_metrics, metrics);
    if (metrics.task == eval::Task::kClassification) {
      record.fidelity.top1_agreement = fidelity.agreement;
      // Per sample, whether top-1 matches the float model's, for a paired test of agreement.
      const std::vector<int32_t> float_top1 =
          eval::Top1Predictions(context.float_metrics.outputs, metrics.num_classes);
      record.per_sample_agrees =
          eval::Top1Correct(metrics.outputs, metrics.num_classes, float_top1);
    }
    record.fidelity.sqnr_db = fidelity.sqnr_db;
    // Against the float model the method started from: equalization rescales the channels of
    // the tensors between equalized layers, which only the equalized float model shares.
    const runtime::CompiledModel& float_reference =
        spec.options.equalization ? *context.equalized->float_model : *context.float_model;
    record.fidelity.per_layer_sqnr =
        PerLayerSqnr(float_reference, *outcome.compiled, *context.validation);

    record.deployable.reasons = DeploymentProblems(read_back, *record.size_bytes,
                                                   *record.arena_bytes, target, lint_target);
    // Not a flaw of this model: these methods write TFLite's host formats (hybrid kernels,
    // float16 weights behind DEQUANTIZE), which TFLite-Micro does not run.
    if (spec.method == suite::Method::kDynamic || spec.method == suite::Method::kFp16) {
      std::vector<std::string>& reasons = record.deployable.reasons;
      reasons.push_back(record.method +
                        " is a host-side reference for TFLite, not a model for TFLite-Micro");
      std::rotate(reasons.begin(), reasons.end() - 1, reasons.end());  // first
    }
    record.deployable.deployable = record.deployable.reasons.empty();
  } catch (const Error& e) {
    Fail(outcome, e.what());
  } catch (const Interrupted&) {
    throw;  // not this result's failure: the whole run stops
  } catch (const std::bad_alloc&) {
    Fail(outcome, "out of memory while measuring this result");
  } catch (const std::exception& e) {
    Fail(outcome, e.what());
  }
  return outcome;
}

}  // namespace harness::runner

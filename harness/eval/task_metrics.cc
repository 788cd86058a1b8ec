#include "harness/eval/task_metrics.h"

#include <cstring>
#include <limits>
#include <string>

#include "harness/common/error.h"
#include "harness/eval/hdf5_file.h"
#include "harness/eval/inference.h"
#include "harness/eval/metrics/classification.h"
#include "harness/eval/metrics/fidelity.h"
#include "harness/eval/metrics/roc_auc.h"

namespace harness::eval {
namespace {

template <typename T>
void DequantizeInto(const model::Tensor& output, std::span<const std::byte> bytes,
                    std::vector<float>& values) {
  const auto& q = output.quantization;
  if (q.scales.size() != 1 || q.zero_points.size() != 1) {
    throw Error("output '" + output.name + "'",
                "a quantized output needs one scale and zero point to be scored");
  }
  const float scale = q.scales[0];
  const auto zero_point = static_cast<int32_t>(q.zero_points[0]);
  values.resize(bytes.size() / sizeof(T));
  for (size_t i = 0; i < values.size(); ++i) {
    T q_value;
    std::memcpy(&q_value, bytes.data() + i * sizeof(T), sizeof(T));
    values[i] = scale * static_cast<float>(static_cast<int32_t>(q_value) - zero_point);
  }
}

std::span<const int32_t> FirstLabels(const Dataset& set, size_t samples) {
  if (!set.has_labels()) throw Error(set.path(), "/labels: needed to score the task");
  return std::span<const int32_t>(set.labels()).first(samples);
}

void ScoreClassification(const Dataset& set, TaskMetrics& metrics) {
  const int classes = static_cast<int>(metrics.output_elements);
  const std::span<const int32_t> labels = FirstLabels(set, metrics.samples);
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] < 0 || labels[i] >= classes) {
      throw Error(set.path(), "/labels[" + std::to_string(i) + "] = " +
                                  std::to_string(labels[i]) + " is not one of the model's " +
                                  std::to_string(classes) + " classes");
    }
  }
  const std::span<const float> scores(metrics.outputs);
  metrics.num_classes = classes;
  metrics.accuracy = Top1Accuracy(scores, classes, labels);
  metrics.top5 = Top5Accuracy(scores, classes, labels);
  const std::vector<int32_t> predictions = Top1Predictions(scores, classes);
  metrics.confusion_matrix = ConfusionMatrix::FromPredictions(labels, predictions, classes);
  metrics.per_class = PerClassScores(*metrics.confusion_matrix);
  metrics.macro_f1 = MacroF1(*metrics.confusion_matrix);
}

void ScoreAnomaly(const Dataset& set, TaskMetrics& metrics) {
  const size_t windows = set.windows_per_sample();
  const size_t window_elements = set.has_windows() ? set.window_elements() : set.sample_elements();
  if (metrics.output_elements != window_elements) {
    throw Error(set.path(), "anomaly task: the model output has " +
                                std::to_string(metrics.output_elements) +
                                " elements, its input window " +
                                std::to_string(window_elements) + "; cannot score reconstruction");
  }
  metrics.anomaly_scores.resize(metrics.samples);
  for (size_t s = 0; s < metrics.samples; ++s) {
    // Sums in double in index order: the score does not depend on threads or summation order.
    double window_sum = 0.0;
    for (size_t w = 0; w < windows; ++w) {
      const std::span<const float> input =
          set.has_windows() ? set.FloatWindow(s, w) : set.FloatSample(s);
      const float* output = metrics.outputs.data() + (s * windows + w) * window_elements;
      double squared = 0.0;
      for (size_t i = 0; i < window_elements; ++i) {
        const double diff = static_cast<double>(output[i]) - static_cast<double>(input[i]);
        squared += diff * diff;
      }
      window_sum += squared / static_cast<double>(window_elements);
    }
    metrics.anomaly_scores[s] = window_sum / static_cast<double>(windows);
  }
  metrics.auc = RocAuc(std::span<const double>(metrics.anomaly_scores),
                       FirstLabels(set, metrics.samples));
}

void ScoreDetection(const Dataset& set, TaskMetrics& metrics) {
  if (!set.has_boxes()) throw Error(set.path(), "/boxes: needed to score detection");
  const GridDecoderParams& params = set.grid_decoder();
  if (metrics.output_elements != params.OutputElements()) {
    throw Error(set.path(), "detection task: the model output has " +
                                std::to_string(metrics.output_elements) +
                                " elements, the set's grid-v1 layout needs " +
                                std::to_string(params.OutputElements()));
  }
  metrics.detections.resize(metrics.samples);
  for (size_t s = 0; s < metrics.samples; ++s) {
    const std::span<const float> output(metrics.outputs.data() + s * metrics.output_elements,
                                        metrics.output_elements);
    metrics.detections[s] = DecodeGrid(output, params);
  }
  std::vector<DetectionTruth> truth;
  for (const GroundTruthBox& b : set.boxes()) {
    if (b.sample < 0 || static_cast<size_t>(b.sample) >= metrics.samples) continue;
    truth.push_back(DetectionTruth{b.x_min, b.y_min, b.x_max, b.y_max, b.class_index, b.sample});
  }
  const DetectionScores scores = ScoreDetections(metrics.detections, truth);
  metrics.map = scores.map;
  metrics.map50 = scores.map50;
}

}  // namespace

std::vector<float> DequantizeOutputs(const model::Tensor& output,
                                     std::span<const std::byte> bytes) {
  std::vector<float> values;
  switch (output.type) {
    case model::DataType::kFloat32:
      values.resize(bytes.size() / sizeof(float));
      std::memcpy(values.data(), bytes.data(), values.size() * sizeof(float));
      break;
    case model::DataType::kInt8:
      DequantizeInto<int8_t>(output, bytes, values);
      break;
    case model::DataType::kInt16:
      DequantizeInto<int16_t>(output, bytes, values);
      break;
    default:
      throw Error("output '" + output.name + "'",
                  std::string("cannot score a ") + model::ToString(output.type) + " output");
  }
  return values;
}

TaskMetrics EvaluateTask(const runtime::CompiledModel& model, const Dataset& set,
                         const EvalOptions& options) {
  TaskMetrics metrics;
  metrics.task = options.task == Task::kUnspecified ? set.task() : options.task;
  if (metrics.task == Task::kUnspecified) {
    throw Error(set.path(), "the set has no `task` attribute; pass the task");
  }
  const OutputBatch batch = RunOnDataset(model, set, options.max_samples, options.output);
  metrics.samples = batch.runs / set.windows_per_sample();
  metrics.outputs = DequantizeOutputs(model.output(options.output), batch.data);
  metrics.output_elements = batch.runs == 0 ? 0 : metrics.outputs.size() / batch.runs;
  if (metrics.samples == 0) throw Error(set.path(), "no samples to evaluate");
  if (metrics.task == Task::kClassification) {
    ScoreClassification(set, metrics);
  } else if (metrics.task == Task::kDetection) {
    ScoreDetection(set, metrics);
  } else {
    ScoreAnomaly(set, metrics);
  }
  return metrics;
}

Fidelity CompareOutputs(const TaskMetrics& reference, const TaskMetrics& candidate) {
  Fidelity fidelity;
  fidelity.agreement = std::numeric_limits<double>::quiet_NaN();
  if (reference.task == Task::kClassification && candidate.task == Task::kClassification) {
    fidelity.agreement =
        Top1Agreement(reference.outputs, candidate.outputs, reference.num_classes);
  }
  fidelity.sqnr_db = SqnrDb(reference.outputs, candidate.outputs);
  return fidelity;
}

}  // namespace harness::eval

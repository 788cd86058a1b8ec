#pragma once
// The task metrics of one model on one set (DESIGN.md "Report" names): runs the model over the
// set, dequantizes int8 / int16 outputs with the output tensor's scale and zero point, and
// scores them against the set's labels.
//   classification: accuracy (top-1), top5, confusion_matrix, per_class precision / recall /
//                   F1, macro_f1 (metrics/classification.h, metrics/confusion_matrix.h);
//   anomaly:        per sample, the mean over its windows of the mean squared error between
//                   the output window and the float input window; auc (metrics/roc_auc.h)
//                   of that score against /labels (1 anomalous).
//   detection:      each sample's output decoded by grid-v1 (detection_decoder.h, parameters
//                   from the set's attributes, the spec's defaults otherwise), then COCO map
//                   and map50 (metrics/mean_average_precision.h) against /boxes; ground truth of
//                   samples beyond max_samples is left out.
// The dequantized outputs, the per-sample scores and detections stay in the result.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "harness/eval/dataset.h"
#include "harness/eval/detection_decoder.h"
#include "harness/eval/metrics/confusion_matrix.h"
#include "harness/runtime/compiled_model.h"

namespace harness::eval {

struct EvalOptions {
  Task task = Task::kUnspecified;           // kUnspecified: the set's `task` attribute
  std::optional<size_t> max_samples;        // the first samples of the set only
  size_t output = 0;                        // the model output scored (its index)
};

struct TaskMetrics {
  Task task = Task::kUnspecified;
  size_t samples = 0;

  // Classification (set when task == kClassification).
  int num_classes = 0;
  double accuracy = 0.0;
  double top5 = 0.0;
  std::optional<ConfusionMatrix> confusion_matrix;
  std::vector<ClassScores> per_class;
  double macro_f1 = 0.0;

  // Anomaly (set when task == kAnomaly).
  double auc = 0.0;

  // Detection (set when task == kDetection).
  double map = 0.0;    // COCO mAP@[.5:.95]
  double map50 = 0.0;  // mAP@0.5
  // Per sample: its decoded detections after NMS, best first.
  std::vector<std::vector<DecodedDetection>> detections;

  // Every run's output as float (dequantized), run-major: [runs][output_elements]; for a
  // windowed set runs are sample-major, N * W.
  std::vector<float> outputs;
  size_t output_elements = 0;
  // Per sample: the anomaly score (anomaly) or empty.
  std::vector<double> anomaly_scores;
};

// Throws harness::Error when the task is unknown, when the set has no labels (no /boxes for
// detection, or a decoder other than grid-v1),
// when the output does not fit the task (an anomaly output that is not the size of its input
// window) or when a class label is outside the model's classes.
TaskMetrics EvaluateTask(const runtime::CompiledModel& model, const Dataset& set,
                         const EvalOptions& options = {});

// How closely `candidate` follows `reference` on the same set: top-1 agreement (classification
// only, else NaN) and the SQNR in dB of all outputs (metrics/fidelity.h).
struct Fidelity {
  double agreement = 0.0;
  double sqnr_db = 0.0;
};
Fidelity CompareOutputs(const TaskMetrics& reference, const TaskMetrics& candidate);

// The float value of every element of `bytes` (FLOAT32, INT8 or INT16 with per-tensor
// quantization): scale * (q - zero_point), computed in float32 as TFLite's DEQUANTIZE.
std::vector<float> DequantizeOutputs(const model::Tensor& output, std::span<const std::byte> bytes);

}  // namespace harness::eval

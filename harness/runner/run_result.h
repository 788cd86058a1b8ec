#pragma once
// The record of one `harness run`: what was measured, on which inputs, by which build, and every
// result of the model x method x calibrator matrix. Plain data; the runner fills it, the report
// layer (harness/report/) writes it as JSON, Markdown, HTML and JUnit and compares it with a
// baseline.
//
// Units, chosen so that the numbers equal what `harness eval` prints for the same model:
//   - accuracy, top5, macro_f1, map, map50, auc, top1_agreement, per-class precision / recall /
//     F1 are fractions in [0, 1]; reports show them, and baseline deltas and tolerances count
//     them, in points (100 x the fraction);
//   - sqnr_db in dB, may be +inf (no noise) or -inf (zero reference, nonzero signal), as
//     eval::SqnrDb returns;
//   - size_bytes, arena_bytes in bytes, macs per inference, latency in microseconds.
// A metric that does not apply to a task (AUC for a classifier) is absent (std::nullopt), never
// a NaN or a zero.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace harness::runner {

inline constexpr const char* kReportSchema = "harness-report/1";

struct ClassMetrics {
  int class_index = 0;
  double precision = 0.0;
  double recall = 0.0;
  double f1 = 0.0;
  int64_t support = 0;  // validation samples whose true class this is

  bool operator==(const ClassMetrics&) const = default;
};

struct TaskMetrics {
  std::optional<double> accuracy;
  std::optional<double> top5;
  std::vector<std::vector<int64_t>> confusion_matrix;  // [true][predicted]; empty: none
  std::vector<ClassMetrics> per_class;                 // in class order; empty: none
  std::optional<double> macro_f1;
  std::optional<double> map;    // COCO mAP, IoU 0.50:0.05:0.95
  std::optional<double> map50;  // mAP at IoU 0.5
  std::optional<double> auc;    // ROC AUC (anomaly detection)

  bool operator==(const TaskMetrics&) const = default;
};

struct LayerSqnr {
  std::string tensor;
  double sqnr_db = 0.0;
  int32_t op_index = -1;  // the op of the quantized model that writes `tensor`; -1: unknown
  std::string op_type;    // "CONV_2D"; empty: unknown (reports written before it was recorded)

  bool operator==(const LayerSqnr&) const = default;
};

// Agreement with the fp32 model on the same samples.
struct Fidelity {
  std::optional<double> top1_agreement;
  std::optional<double> sqnr_db;  // of the model output
  std::vector<LayerSqnr> per_layer_sqnr;

  bool operator==(const Fidelity&) const = default;
};

// Host latency of single-sample inference over repeated runs. A timing field: it differs from
// run to run, and comparisons of reports leave it aside (or use a noise-aware rule).
struct Latency {
  double median_us = 0.0;
  double p90_us = 0.0;
  int64_t repeats = 0;

  bool operator==(const Latency&) const = default;
};

struct Deployability {
  bool deployable = true;
  std::vector<std::string> reasons;  // why not, in the target's words; empty when deployable

  bool operator==(const Deployability&) const = default;
};

// A paired comparison of this result with another on the same validation samples: McNemar's
// test on per-sample correctness (p_value) or a bootstrap interval of the difference (ci_low,
// ci_high). `difference` is this result's metric minus the other's, as a fraction.
struct PairedComparison {
  std::string other_id;
  std::string test;    // "mcnemar" | "bootstrap"
  std::string metric;  // "accuracy", "map", "auc" ...
  double difference = 0.0;
  std::optional<double> p_value;
  std::optional<double> ci_low;
  std::optional<double> ci_high;
  bool significant = false;

  bool operator==(const PairedComparison&) const = default;
};

// One layer the `mixed` method's sensitivity analysis measured (quant/mixed_precision.h).
struct MixedLayer {
  int32_t op_index = 0;      // in the float model
  std::string op_type;       // "CONV_2D"
  std::string tensor;        // the op's output tensor
  double sensitivity = 0.0;  // score with this layer wide minus score all int8, in `unit`
  std::string precision;     // in the chosen model: "int8", "float32" or "int16x8"

  bool operator==(const MixedLayer&) const = default;
};

// How a `mixed` result was chosen, measured on the calibration set (not the validation set the
// metrics above are from). Scores are the selection metric in `unit`, "points": of a task metric
// (100 x the fraction), or of output fidelity, 100 x (1 - noise / signal energy) against fp32,
// when the calibration set cannot score the task (runner/mixed_scorer.h).
struct MixedPrecision {
  std::string metric;  // "accuracy", "map50", "auc" or "output_fidelity"
  std::string unit;    // "points"
  double budget = 0.0;
  bool budget_met = false;
  double fp32_score = 0.0;
  double int8_score = 0.0;
  double final_score = 0.0;
  std::vector<MixedLayer> layers;  // every analysed layer, in op order
  // Op indices kept wide, in the order the selection chose them.
  std::vector<int32_t> kept_ops;

  bool operator==(const MixedPrecision&) const = default;
};

// One detection of a result, matched to its image's ground truth as COCO's mAP matches it
// (runner/detection_bootstrap.h), so the mAP of any subset of images can be recomputed without
// the boxes.
struct MatchedDetection {
  int32_t class_id = 0;
  float score = 0.0f;
  // Bit t: the detection matched a ground-truth box at the t-th COCO IoU threshold, 0.50 + 0.05 t.
  uint16_t true_positive = 0;

  bool operator==(const MatchedDetection&) const = default;
};

// A validation image of a detection result: its detections and how many ground-truth boxes of
// each class it holds.
struct ImageOutcome {
  std::vector<MatchedDetection> detections;        // by score, descending; ties in decoder order
  std::vector<std::pair<int32_t, int64_t>> truth;  // (class, boxes), by class

  bool operator==(const ImageOutcome&) const = default;
};

struct ResultRecord {
  std::string id;          // "<model>/<method display name>", e.g. "digits/int8/entropy"
  std::string model;       // "digits"
  std::string method;      // "int8", or the method's display name without calibrator
  std::string calibrator;  // "entropy"; "none" for methods without one
  std::string task;        // "classification" | "detection" | "anomaly"
  TaskMetrics metrics;
  Fidelity fidelity;
  std::optional<int64_t> size_bytes;
  std::optional<int64_t> arena_bytes;
  std::optional<int64_t> macs;
  std::optional<Latency> latency_us;
  std::string artifact;  // the written .tflite, relative to the output folder; empty: none
  // The rows of each set the result used: the suite's `samples`, or the whole set when a
  // `defaults` count exceeds it. Calibration only for the methods that calibrate.
  std::optional<int64_t> validation_samples;
  std::optional<int64_t> calibration_samples;
  Deployability deployable;
  std::vector<std::string> alarms;  // noticed while measuring (e.g. a collapsed output)
  std::vector<PairedComparison> comparisons;
  std::optional<MixedPrecision> mixed;  // the `mixed` method only
  // Per validation sample, what paired tests against other results or a later run need
  // (report/regression_tests.h); each is empty when the task has none:
  //   classification: per_sample_correct (1 when top-1 is the label), per_sample_top5 (1 when
  //     the label is among the top 5, when top5 is measured) and per_sample_agrees
  //     (1 when top-1 equals the fp32 model's);
  //   anomaly: per_sample_score and per_sample_label (1 anomalous);
  //   detection: per_image.
  std::vector<uint8_t> per_sample_correct;
  std::vector<uint8_t> per_sample_top5;
  std::vector<uint8_t> per_sample_agrees;
  std::vector<double> per_sample_score;
  std::vector<uint8_t> per_sample_label;
  std::vector<ImageOutcome> per_image;
  // Set when the result could not be measured (its model or a set could not be read, a kernel
  // refused the model): the message, with the file and place. Its measurements are then absent,
  // the reports mark it failed, and `harness run` exits with code 2 after writing them.
  std::optional<std::string> error;

  bool operator==(const ResultRecord&) const = default;
};

// What built and ran the harness. start_time is a timing field.
struct Environment {
  std::string host;
  std::string harness_version;
  std::string git_commit;
  std::string compiler;                   // "GNU 12.2.0"
  std::string compiler_flags;             // "-O3 -DNDEBUG"
  std::vector<std::string> cpu_features;  // the instruction sets the kernels dispatched to
  std::string kernel_variant;             // the variant that ran: "avx2", "reference" ...
  int64_t threads = 1;
  std::string start_time;  // ISO 8601 UTC, "2024-05-01T02:00:00Z"

  bool operator==(const Environment&) const = default;
};

enum class InputRole { kModel, kCalibration, kValidation };
const char* ToString(InputRole role);
std::optional<InputRole> ParseInputRole(std::string_view text);

struct InputFile {
  std::string path;
  std::string sha256;  // 64 lowercase hex digits
  InputRole role = InputRole::kModel;

  bool operator==(const InputFile&) const = default;
};

// The suite's tolerances (suite::Tolerances), kept in the report so that `harness diff` can
// compare two reports without the suite file. Metric names as the report prints them
// (`macro_f1`, `top1_agreement`, ...); values are points for fraction metrics.
struct ToleranceRecord {
  std::map<std::string, double> per_metric;
  std::optional<double> default_tolerance;  // absent: each metric's own default
  double significance = 0.01;

  bool operator==(const ToleranceRecord&) const = default;
};

// The target deployability was judged against: its budgets, for the reports to draw.
struct TargetRecord {
  std::string name;
  int64_t flash_bytes = 0;
  int64_t sram_bytes = 0;

  bool operator==(const TargetRecord&) const = default;
};

// One part of a sharded run (`harness run --shard K/N`, runner/shard_plan.h): which part, and
// the plan every part of the run computes alike, so `harness merge` can tell a missing, a
// duplicated or a foreign part. Absent from an unsharded (or merged) report.
struct ShardRecord {
  int64_t index = 1;    // K, counted from 1
  int64_t count = 1;    // N
  std::string only;     // the run's --only glob; empty: every result
  std::string balance;  // what the partition balanced: "baseline" (its measured cost) or "macs"
  std::vector<std::string> result_ids;  // every selected result of the suite, in suite order
  std::vector<int64_t> result_shards;   // the part (1..N) that runs each

  bool operator==(const ShardRecord&) const = default;
};

// A run with `--cache DIR`: the results taken from the cache instead of computed, in result
// order. Absent when the run used no cache.
struct CacheRecord {
  std::vector<std::string> reused;

  bool operator==(const CacheRecord&) const = default;
};

struct RunReport {
  std::string schema = kReportSchema;
  std::string suite_name;
  std::string suite_file;
  std::string suite_sha256;
  std::optional<TargetRecord> target;  // absent in reports written before it was recorded
  Environment environment;
  std::vector<InputFile> inputs;
  ToleranceRecord tolerances;
  std::vector<ResultRecord> results;  // in the suite's result order
  std::optional<ShardRecord> shard;
  std::optional<CacheRecord> cache;

  const ResultRecord* Find(std::string_view id) const;
  // How many results could not be measured (ResultRecord::error).
  size_t FailedCount() const;
  bool operator==(const RunReport&) const = default;
};

}  // namespace harness::runner

#pragma once
// A suite: which models to measure, on which calibration and validation sets, under which
// quantization methods and calibrators, for which target, with which tolerances against which
// baseline. Plain structs filled by LoadSuite (suite_parser.h); the runner reads them.
//
// The YAML format, in full (docs/suite-format.md says the same with examples):
//
//   suite: esp32          # optional, default the suite file's stem; names reports, baselines
//   target: esp32-s3      # required: a built-in target name (target.h), or a mapping
//                         #   {name, sram_bytes, flash_bytes, ops: [CONV_2D, ...],
//                         #    types: [int8, int16, float32], slow_types: [float32]}
//                         #   where name, sram_bytes and flash_bytes are required, ops default
//                         #   to every TFLite-Micro builtin, types to all three, slow_types to
//                         #   none.
//   baseline: ../reports/baselines/esp32.json   # optional, relative to the suite file; need
//                                               # not exist yet (--update-baseline writes it)
//   defaults:             # optional; a model's own settings win
//     calibration: {samples: 100, seed: 0}
//     validation: {samples: 1000, seed: 0}
//     latency: {repeats: 20, warmup: 2}         # defaults: repeats 10, warmup 1
//   models:               # required, at least one
//     - name: digits      # optional, default the model file's stem; [A-Za-z0-9._+-] only
//       path: ../datasets/digits/digits.tflite  # required, .tflite or .onnx, must exist
//       task: classification   # optional: classification | detection | anomaly; when absent
//                              # the validation set's `task` attribute decides
//       calibration: {data: calib.h5, samples: 200, seed: 3}  # data must exist; required when
//                              # a method needs a calibrator (int8, int16x8, mixed)
//       validation: {data: val.h5, samples: 1000}             # required; samples optional
//       input: {scale: 0.00392157, offset: 0}    # optional, overrides the set's attributes
//       windows: {length: 5, stride: 1}          # optional, overrides the set's; stride 1
//       detection: {decoder: ssd, score_threshold: 0.3, iou_threshold: 0.5,
//                   max_detections: 10}          # task detection only; decoder required
//       latency: {repeats: 50}                   # optional, overrides defaults.latency
//   methods:              # required, at least one; an entry is a name or a mapping
//     - fp32              # fp32 | dynamic | fp16 | int8 | int16x8 | mixed
//     - {method: int8, calibrators: [minmax, percentile, entropy, mse]}  # one result each
//     - {method: int8, calibrator: percentile, percentile: 99.9, name: int8-p999}
//     - {method: int8, options: {per_channel_fc: true, float_io: false,
//                                bias_correction: true, equalization: true}}
//     - {method: mixed, calibrator: entropy, budget: {accuracy_drop: 0.5}}
//     - {method: mixed, budget: {accuracy_drop: 0.5}, keep: int16x8}   # keep: float32 default
//   tolerances:           # optional: per metric, the absolute drop (growth for size, arena,
//     accuracy: 0.5       # latency) allowed before a result counts as regressed
//     default: 0.0        # for every metric not listed
//
// Sample counts: `samples: N` takes the first N rows of the set, or, with `seed: S`, N rows
// drawn without replacement by a generator seeded with S; without `samples` every row is used.
// Counts must be positive integers, seeds non-negative integers. A model's own `samples`
// larger than its set is an error; a `defaults` count is a limit, so a smaller set is used
// whole (the report records the rows each result used).
//
// Calibrators: int8, int16x8 and mixed take one (minmax when none is given); fp32, dynamic
// and fp16 compute no activation ranges and reject one. `percentile` (default 99.99, in
// (0, 100]) applies only to the percentile calibrator; `budget` only to mixed (default
// accuracy_drop 1.0 point) and `keep` (the precision mixed keeps sensitive layers at: float32,
// the default, or int16x8) only to mixed; `options` to every method but fp32.
//
// Result ids: `<model name>/<method display name>`, e.g. `digits/int8/entropy`. The display
// name is the method (`fp32`), `<method>/<calibrator>` for calibrated methods
// (`int8/entropy`; `mixed+int16x8/minmax` for mixed keeping layers in int16x8), followed by
// `+<option>` for each option switched on
// (`int8/minmax+per_channel_fc+bias_correction`), or the entry's `name` when given (with a
// `calibrators` list, the name becomes a prefix: `name/<calibrator>`). Ids must be unique in a
// suite; `--only GLOB` and baselines match them.

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "harness/eval/dataset.h"
#include "harness/suite/target.h"

namespace harness::suite {

enum class Method { kFp32, kDynamic, kFp16, kInt8, kInt16x8, kMixed };
enum class Calibrator { kNone, kMinMax, kPercentile, kEntropy, kMse };
// The precision the `mixed` method keeps its sensitive layers at.
enum class MixedKeep { kFloat32, kInt16x8 };

const char* ToString(Method method);
const char* ToString(Calibrator calibrator);  // kNone: "none"
std::optional<Method> ParseMethod(std::string_view text);
std::optional<Calibrator> ParseCalibrator(std::string_view text);  // never kNone
std::span<const char* const> MethodNames();
std::span<const char* const> CalibratorNames();  // without "none"
const char* ToString(MixedKeep keep);            // "float32", "int16x8"
std::optional<MixedKeep> ParseMixedKeep(std::string_view text);
std::span<const char* const> MixedKeepNames();
// int8, int16x8 and mixed quantize activations and so need measured ranges.
bool NeedsCalibrator(Method method);

// A calibration or validation set and which of its rows to use.
struct SetSpec {
  std::string data;                // path, resolved against the suite file's folder
  std::optional<int64_t> samples;  // absent: every row
  std::optional<uint64_t> seed;    // absent: the first `samples` rows; else a seeded draw
  // "suite.yaml:14:40": where the model's own entry gives `samples`, which is then a demand
  // (more than the set holds is an error naming this place); empty when `samples` comes from
  // `defaults`, where it is a limit ("at most") for sets of every size.
  std::string samples_place;
};

// The number of rows of a set of `available` rows that `spec` uses. Throws harness::Error at
// spec.samples_place when the model's own entry asks for more rows than the set holds.
size_t UsedRows(const SetSpec& spec, size_t available);

// Overrides of the set's `scale` / `offset` attributes (the float input is
// `stored * scale + offset`); each absent field keeps the set's value.
struct InputOverride {
  std::optional<double> scale;
  std::optional<double> offset;
};

struct WindowOverride {
  int64_t length = 0;
  int64_t stride = 1;
};

struct DetectionSpec {
  std::string decoder;  // which output decoder the runner applies; it checks the name
  double score_threshold = 0.5;
  double iou_threshold = 0.5;
  int64_t max_detections = 10;
};

struct LatencySpec {
  int64_t repeats = 10;
  int64_t warmup = 1;
};

struct ModelSpec {
  std::string name;  // unique in the suite
  // "suite.yaml:12:5": where the model's entry starts, so problems found later (a task or a
  // set that does not fit the model) still name the line.
  std::string place;
  std::string path;                            // resolved
  eval::Task task = eval::Task::kUnspecified;  // kUnspecified: the validation set says
  std::optional<SetSpec> calibration;          // present whenever a method needs it
  SetSpec validation;
  InputOverride input;
  std::optional<WindowOverride> windows;
  std::optional<DetectionSpec> detection;  // only with task detection
  LatencySpec latency;
  // `output:` the model output the task metrics read, by tensor name or by index ("1"); the
  // first when absent. Resolved against the model when it is loaded (runner/model_context.h);
  // output_place is its YAML position for that error.
  std::optional<std::string> output;
  std::string output_place;
};

// Options of the quantizer; every one defaults to off.
struct QuantOptions {
  bool per_channel_fc = false;   // per-channel weight scales for FULLY_CONNECTED too
  bool float_io = false;         // keep float32 model inputs/outputs (QUANTIZE/DEQUANTIZE ops)
  bool bias_correction = false;  // correct the mean shift weight quantization causes
  bool equalization = false;     // cross-layer weight equalization before quantizing

  bool operator==(const QuantOptions&) const = default;
};

// One concrete method: exactly one calibrator (kNone for fp32, dynamic, fp16).
struct MethodSpec {
  Method method = Method::kFp32;
  Calibrator calibrator = Calibrator::kNone;
  double percentile = 99.99;             // percentile calibrator only
  double accuracy_drop_budget = 1.0;     // mixed only: points of accuracy it may lose
  MixedKeep keep = MixedKeep::kFloat32;  // mixed only: the precision of the layers it keeps
  QuantOptions options;
  std::string display_name;  // "int8/entropy", or the entry's `name`
};

// Regression tolerances: the absolute drop (or growth, for costs such as size_bytes) of a
// metric allowed before a result counts as regressed, and the significance level of the
// paired tests a task metric's drop must also pass. Each metric's default policy (its
// tolerance when the suite gives none, whether it gates, its test) is in
// report/metric_policy.h; a fidelity figure gates only when it is listed here.
inline constexpr double kDefaultSignificance = 0.01;

struct Tolerances {
  std::map<std::string, double> per_metric;    // by canonical name (CanonicalToleranceName)
  std::optional<double> default_tolerance;     // `default:`: for every metric not listed
  double significance = kDefaultSignificance;  // `significance:`, in (0, 1)

  // The tolerance the suite gives the metric (its own, else `default`), if any.
  std::optional<double> Given(const std::string& metric) const;
  // True when the suite names the metric itself (`default` does not count).
  bool Lists(const std::string& metric) const { return per_metric.count(metric) > 0; }
};
// The metric names `tolerances` accepts (besides `default` and `significance`), as the report
// prints them, followed by the short forms still accepted (`f1`, `agreement`).
std::span<const char* const> ToleranceMetricNames();
// The report's name of a tolerance key: `f1` -> `macro_f1`, `agreement` -> `top1_agreement`;
// any other name unchanged.
std::string CanonicalToleranceName(const std::string& key);

struct Suite {
  std::string name;
  std::string path;      // the suite file as given to LoadSuite
  std::string baseline;  // resolved; empty when the suite names none
  Target target;
  std::vector<ModelSpec> models;
  std::vector<MethodSpec> methods;  // calibrator lists already expanded, in file order
  Tolerances tolerances;
};

// One cell of the result matrix.
struct ResultSpec {
  std::string id;  // "<model>/<method display name>"
  size_t model_index = 0;
  size_t method_index = 0;
};

// The result matrix in a stable order: models in file order, for each every method in file
// order. Throws harness::Error (place: the suite path) if two results share an id.
std::vector<ResultSpec> ExpandMethods(const Suite& suite);

// The display name of a method without a custom name: "fp32", "int8/entropy", and with options
// switched on, each appended in declaration order: "int8/minmax+per_channel_fc+equalization".
// A mixed method keeping int16x8 layers names its width after the method:
// "mixed+int16x8/minmax" (the report's `method` field reads "mixed+int16x8" alike).
std::string DefaultDisplayName(Method method, Calibrator calibrator,
                               const QuantOptions& options = {},
                               MixedKeep keep = MixedKeep::kFloat32);

}  // namespace harness::suite

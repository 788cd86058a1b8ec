#include "harness/suite/suite_parser.h"

#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "harness/common/error.h"
#include "harness/suite/did_you_mean.h"
#include "harness/suite/method_parser.h"
#include "harness/suite/target_parser.h"
#include "harness/suite/yaml_reader.h"

namespace harness::suite {
namespace {

namespace fs = std::filesystem;

constexpr auto kSuiteKeys = std::to_array<const char*>(
    {"suite", "target", "baseline", "defaults", "models", "methods", "tolerances"});
constexpr auto kDefaultsKeys = std::to_array<const char*>({"calibration", "validation", "latency"});
constexpr auto kDefaultSetKeys = std::to_array<const char*>({"samples", "seed"});
constexpr auto kSetKeys = std::to_array<const char*>({"data", "samples", "seed"});
constexpr auto kLatencyKeys = std::to_array<const char*>({"repeats", "warmup"});
constexpr auto kModelKeys =
    std::to_array<const char*>({"name", "path", "task", "calibration", "validation", "input",
                                "windows", "detection", "output", "latency"});
constexpr auto kInputKeys = std::to_array<const char*>({"scale", "offset"});
constexpr auto kWindowKeys = std::to_array<const char*>({"length", "stride"});
constexpr auto kDetectionKeys = std::to_array<const char*>(
    {"decoder", "score_threshold", "iou_threshold", "max_detections"});
constexpr auto kTaskNames = std::to_array<const char*>({"classification", "detection", "anomaly"});

// What `defaults:` supplies; a model's own settings win field by field.
struct Defaults {
  SetSpec calibration;  // `data` unused
  SetSpec validation;   // `data` unused
  LatencySpec latency;
};

class SuiteParser {
 public:
  explicit SuiteParser(const std::string& path)
      : reader_(path), folder_(fs::path(path).parent_path()) {}

  Suite Parse(const YAML::Node& root);

 private:
  void ReadSamplesAndSeed(const YAML::Node& node, SetSpec& set) const;
  SetSpec ReadDefaultSet(const YAML::Node& node, const char* key) const;
  LatencySpec ReadLatency(const YAML::Node& node, LatencySpec latency) const;
  SetSpec ReadSet(const YAML::Node& node, const char* key, const SetSpec& defaults) const;
  ModelSpec ReadModel(const YAML::Node& node) const;
  eval::Task ReadTask(const YAML::Node& node) const;
  DetectionSpec ReadDetection(const YAML::Node& node) const;
  Tolerances ReadTolerances(const YAML::Node& node) const;
  std::string Resolve(const std::string& written) const;
  // Reads a path under `key`, resolves it and fails at the node unless it names a file.
  std::string ReadExistingFile(const YAML::Node& node, const char* key) const;
  void CheckUniqueIds(const Suite& suite, const std::vector<YAML::Node>& model_nodes,
                      const std::vector<YAML::Node>& method_nodes) const;

  YamlReader reader_;
  fs::path folder_;
  Defaults defaults_;
  const MethodSpec* first_calibrated_method_ = nullptr;  // to say why calibration is needed
};

std::string SuiteParser::Resolve(const std::string& written) const {
  const fs::path path(written);
  if (path.is_absolute()) return path.lexically_normal().string();
  return (folder_ / path).lexically_normal().string();
}

std::string SuiteParser::ReadExistingFile(const YAML::Node& node, const char* key) const {
  const std::string written = reader_.ReadString(node, key);
  const std::string resolved = Resolve(written);
  std::error_code error;
  const fs::file_status status = fs::status(resolved, error);
  if (!fs::exists(status)) {
    reader_.Fail(node, "file not found: " + written + " (looked for " + resolved +
                           "; paths are relative to the suite file's folder)");
  }
  if (!fs::is_regular_file(status)) reader_.Fail(node, "not a file: " + written);
  return resolved;
}

void SuiteParser::ReadSamplesAndSeed(const YAML::Node& node, SetSpec& set) const {
  if (auto samples = YamlReader::Find(node, "samples")) {
    set.samples = reader_.ReadPositiveInteger(*samples, "samples");
    set.samples_place = reader_.Place(*samples);
  }
  if (auto seed = YamlReader::Find(node, "seed")) {
    const int64_t value = reader_.ReadInteger(*seed, "seed");
    if (value < 0) {
      reader_.Fail(*seed, "expected a non-negative integer for 'seed', got " + seed->Scalar());
    }
    set.seed = static_cast<uint64_t>(value);
  }
}

SetSpec SuiteParser::ReadDefaultSet(const YAML::Node& node, const char* key) const {
  reader_.ExpectMap(node, std::string("'") + key + "' in defaults", kDefaultSetKeys);
  SetSpec set;
  ReadSamplesAndSeed(node, set);
  set.samples_place.clear();  // a default is a limit, not a demand on any one set
  return set;
}

LatencySpec SuiteParser::ReadLatency(const YAML::Node& node, LatencySpec latency) const {
  reader_.ExpectMap(node, "'latency'", kLatencyKeys);
  if (auto repeats = YamlReader::Find(node, "repeats")) {
    latency.repeats = reader_.ReadPositiveInteger(*repeats, "repeats");
  }
  if (auto warmup = YamlReader::Find(node, "warmup")) {
    latency.warmup = reader_.ReadInteger(*warmup, "warmup");
    if (latency.warmup < 0) {
      reader_.Fail(*warmup, "expected a non-negative integer for 'warmup', got " +
                                warmup->Scalar());
    }
  }
  return latency;
}

SetSpec SuiteParser::ReadSet(const YAML::Node& node, const char* key,
                             const SetSpec& defaults) const {
  reader_.ExpectMap(node, std::string("'") + key + "'", kSetKeys);
  SetSpec set = defaults;
  set.data = ReadExistingFile(reader_.Require(node, "data", std::string("'") + key + "'"), "data");
  ReadSamplesAndSeed(node, set);
  return set;
}

eval::Task SuiteParser::ReadTask(const YAML::Node& node) const {
  const std::string text = reader_.ReadString(node, "task");
  if (text == "classification") return eval::Task::kClassification;
  if (text == "detection") return eval::Task::kDetection;
  if (text == "anomaly") return eval::Task::kAnomaly;
  reader_.Fail(node, "unknown task '" + text + "'" + DidYouMean(text, kTaskNames) +
                         "; valid tasks are " + QuotedList(kTaskNames));
}

DetectionSpec SuiteParser::ReadDetection(const YAML::Node& node) const {
  reader_.ExpectMap(node, "'detection'", kDetectionKeys);
  DetectionSpec detection;
  detection.decoder =
      reader_.ReadString(reader_.Require(node, "decoder", "'detection'"), "decoder");
  for (const char* key : {"score_threshold", "iou_threshold"}) {
    auto value = YamlReader::Find(node, key);
    if (!value) continue;
    const double threshold = reader_.ReadNumber(*value, key);
    if (threshold < 0 || threshold > 1) {
      reader_.Fail(*value, std::string("expected '") + key + "' in [0, 1], got " +
                               value->Scalar());
    }
    (std::string_view(key) == "score_threshold" ? detection.score_threshold
                                                : detection.iou_threshold) = threshold;
  }
  if (auto value = YamlReader::Find(node, "max_detections")) {
    detection.max_detections = reader_.ReadPositiveInteger(*value, "max_detections");
  }
  return detection;
}

ModelSpec SuiteParser::ReadModel(const YAML::Node& node) const {
  reader_.ExpectMap(node, "model", kModelKeys);
  ModelSpec model;
  model.place = reader_.Place(node);
  const YAML::Node path_node = reader_.Require(node, "path", "model");
  const std::string written = reader_.ReadString(path_node, "path");
  const std::string extension = fs::path(written).extension().string();
  if (extension != ".tflite" && extension != ".onnx") {
    reader_.Fail(path_node, "expected a .tflite or .onnx model for 'path', got '" + written + "'");
  }
  model.path = ReadExistingFile(path_node, "path");
  if (auto name = YamlReader::Find(node, "name")) {
    model.name = reader_.ReadString(*name, "name");
    CheckName(reader_, *name, model.name);
  } else {
    model.name = fs::path(written).stem().string();
    CheckName(reader_, path_node, model.name);
  }
  if (auto task = YamlReader::Find(node, "task")) model.task = ReadTask(*task);

  if (auto calibration = YamlReader::Find(node, "calibration")) {
    model.calibration = ReadSet(*calibration, "calibration", defaults_.calibration);
  } else if (first_calibrated_method_ != nullptr) {
    reader_.Fail(node, "missing required key 'calibration' in model '" + model.name +
                           "': method '" + first_calibrated_method_->display_name +
                           "' needs a calibration set");
  }
  model.validation = ReadSet(reader_.Require(node, "validation", "model"), "validation",
                             defaults_.validation);

  if (auto input = YamlReader::Find(node, "input")) {
    reader_.ExpectMap(*input, "'input'", kInputKeys);
    if (auto scale = YamlReader::Find(*input, "scale")) {
      model.input.scale = reader_.ReadNumber(*scale, "scale");
      if (*model.input.scale == 0) reader_.Fail(*scale, "expected a non-zero 'scale'");
    }
    if (auto offset = YamlReader::Find(*input, "offset")) {
      model.input.offset = reader_.ReadNumber(*offset, "offset");
    }
  }
  if (auto windows = YamlReader::Find(node, "windows")) {
    reader_.ExpectMap(*windows, "'windows'", kWindowKeys);
    WindowOverride window;
    window.length =
        reader_.ReadPositiveInteger(reader_.Require(*windows, "length", "'windows'"), "length");
    if (auto stride = YamlReader::Find(*windows, "stride")) {
      window.stride = reader_.ReadPositiveInteger(*stride, "stride");
    }
    model.windows = window;
  }
  if (auto detection = YamlReader::Find(node, "detection")) {
    // An unspecified task may still turn out to be detection (the set decides), so only a
    // task stated otherwise is a contradiction.
    if (model.task != eval::Task::kUnspecified && model.task != eval::Task::kDetection) {
      reader_.Fail(*detection, std::string("'detection' applies only to task 'detection', "
                                           "but this model's task is '") +
                                   eval::ToString(model.task) + "'");
    }
    model.detection = ReadDetection(*detection);
  }
  if (auto output = YamlReader::Find(node, "output")) {
    model.output = reader_.ReadString(*output, "output");
    if (model.output->empty()) reader_.Fail(*output, "expected an output name or index");
    model.output_place = reader_.Place(*output);
  }
  model.latency = defaults_.latency;
  if (auto latency = YamlReader::Find(node, "latency")) {
    model.latency = ReadLatency(*latency, defaults_.latency);
  }
  return model;
}

Tolerances SuiteParser::ReadTolerances(const YAML::Node& node) const {
  std::vector<const char*> keys(ToleranceMetricNames().begin(), ToleranceMetricNames().end());
  keys.push_back("default");
  keys.push_back("significance");
  reader_.ExpectMap(node, "'tolerances'", keys);
  Tolerances tolerances;
  for (const auto& entry : node) {
    const std::string key = entry.first.Scalar();
    const double value = reader_.ReadNumber(entry.second, key);
    if (key == "significance") {
      if (!(value > 0.0 && value < 1.0)) {
        reader_.Fail(entry.second,
                     "expected a significance level in (0, 1) for 'significance', got " +
                         entry.second.Scalar());
      }
      tolerances.significance = value;
      continue;
    }
    if (value < 0) {
      reader_.Fail(entry.second, "expected a non-negative tolerance for '" + key + "', got " +
                                     entry.second.Scalar());
    }
    if (key == "default") {
      tolerances.default_tolerance = value;
      continue;
    }
    const std::string metric = CanonicalToleranceName(key);
    if (tolerances.per_metric.count(metric)) {
      reader_.Fail(entry.first, "'" + key + "' and '" + metric + "' name the same metric; keep '" +
                                    metric + "'");
    }
    tolerances.per_metric[metric] = value;
  }
  return tolerances;
}

void SuiteParser::CheckUniqueIds(const Suite& suite, const std::vector<YAML::Node>& model_nodes,
                                 const std::vector<YAML::Node>& method_nodes) const {
  std::map<std::string, size_t> models;
  for (size_t i = 0; i < suite.models.size(); ++i) {
    auto [it, inserted] = models.emplace(suite.models[i].name, i);
    if (!inserted) {
      reader_.Fail(model_nodes[i],
                   "duplicate result ids: model name '" + suite.models[i].name +
                       "' is also used by the model at " + reader_.Place(model_nodes[it->second]) +
                       "; give one of them a different 'name'");
    }
  }
  std::map<std::string, size_t> methods;
  for (size_t i = 0; i < suite.methods.size(); ++i) {
    auto [it, inserted] = methods.emplace(suite.methods[i].display_name, i);
    if (!inserted) {
      const std::string id = suite.models.front().name + "/" + suite.methods[i].display_name;
      reader_.Fail(method_nodes[i],
                   "duplicate result id '" + id + "': the method at " +
                       reader_.Place(method_nodes[it->second]) + " makes the same id; give one "
                       "of them a different 'name'");
    }
  }
}

Suite SuiteParser::Parse(const YAML::Node& root) {
  if (!root.IsDefined() || root.IsNull()) {
    throw Error(reader_.file(), "the suite is empty; expected a mapping with 'target', "
                                "'models' and 'methods'");
  }
  reader_.ExpectMap(root, "the suite", kSuiteKeys);
  Suite suite;
  suite.path = reader_.file();
  if (auto name = YamlReader::Find(root, "suite")) {
    suite.name = reader_.ReadString(*name, "suite");
    CheckName(reader_, *name, suite.name);
  } else {
    suite.name = fs::path(reader_.file()).stem().string();
  }
  suite.target = ParseTarget(reader_, reader_.Require(root, "target", "the suite"));
  if (auto baseline = YamlReader::Find(root, "baseline")) {
    suite.baseline = Resolve(reader_.ReadString(*baseline, "baseline"));
  }

  // Methods first: whether a model needs a calibration set depends on them.
  const YAML::Node methods = reader_.Require(root, "methods", "the suite");
  reader_.ExpectSequence(methods, "methods");
  if (methods.size() == 0) reader_.Fail(methods, "expected at least one entry in 'methods'");
  std::vector<YAML::Node> method_nodes;
  for (const YAML::Node& entry : methods) {
    for (MethodSpec& spec : ParseMethodEntry(reader_, entry)) {
      suite.methods.push_back(std::move(spec));
      method_nodes.push_back(entry);
    }
  }
  for (const MethodSpec& method : suite.methods) {
    if (NeedsCalibrator(method.method)) {
      first_calibrated_method_ = &method;
      break;
    }
  }

  if (auto defaults = YamlReader::Find(root, "defaults")) {
    reader_.ExpectMap(*defaults, "'defaults'", kDefaultsKeys);
    if (auto set = YamlReader::Find(*defaults, "calibration")) {
      defaults_.calibration = ReadDefaultSet(*set, "calibration");
    }
    if (auto set = YamlReader::Find(*defaults, "validation")) {
      defaults_.validation = ReadDefaultSet(*set, "validation");
    }
    if (auto latency = YamlReader::Find(*defaults, "latency")) {
      defaults_.latency = ReadLatency(*latency, defaults_.latency);
    }
  }

  const YAML::Node models = reader_.Require(root, "models", "the suite");
  reader_.ExpectSequence(models, "models");
  if (models.size() == 0) reader_.Fail(models, "expected at least one entry in 'models'");
  std::vector<YAML::Node> model_nodes;
  for (const YAML::Node& entry : models) {
    suite.models.push_back(ReadModel(entry));
    model_nodes.push_back(entry);
  }

  if (auto tolerances = YamlReader::Find(root, "tolerances")) {
    suite.tolerances = ReadTolerances(*tolerances);
  }
  CheckUniqueIds(suite, model_nodes, method_nodes);
  return suite;
}

}  // namespace

Suite ParseSuite(std::string_view yaml, const std::string& path) {
  const YamlReader reader(path);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& error) {
    throw Error(reader.Place(error.mark), "YAML syntax error: " + error.msg);
  }
  try {
    return SuiteParser(path).Parse(root);
  } catch (const YAML::Exception& error) {
    // Any yaml-cpp surprise while walking the tree still names the place.
    throw Error(reader.Place(error.mark), error.msg);
  }
}

Suite LoadSuite(const std::string& path) {
  // An ifstream opens a folder without complaint and reads nothing from it.
  std::error_code status;
  if (std::filesystem::is_directory(path, status)) {
    throw Error(path, "is a folder, not a suite file");
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) throw Error(path, "cannot open the suite file");
  std::ostringstream text;
  text << file.rdbuf();
  return ParseSuite(text.str(), path);
}

}  // namespace harness::suite

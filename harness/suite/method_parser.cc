#include "harness/suite/method_parser.h"

#include <algorithm>
#include <array>
#include <optional>

#include "harness/suite/did_you_mean.h"

namespace harness::suite {
namespace {

constexpr auto kMethodKeys = std::to_array<const char*>(
    {"method", "calibrator", "calibrators", "percentile", "budget", "keep", "options", "name"});
constexpr auto kBudgetKeys = std::to_array<const char*>({"accuracy_drop"});
constexpr auto kOptionKeys = std::to_array<const char*>(
    {"per_channel_fc", "float_io", "bias_correction", "equalization"});

Method ReadMethod(const YamlReader& reader, const YAML::Node& node) {
  const std::string text = reader.ReadString(node, "method");
  std::optional<Method> method = ParseMethod(text);
  if (!method) {
    reader.Fail(node, "unknown method '" + text + "'" + DidYouMean(text, MethodNames()) +
                          "; valid methods are " + QuotedList(MethodNames()));
  }
  return *method;
}

Calibrator ReadCalibrator(const YamlReader& reader, const YAML::Node& node) {
  const std::string text = reader.ReadString(node, "calibrator");
  std::optional<Calibrator> calibrator = ParseCalibrator(text);
  if (!calibrator) {
    reader.Fail(node, "unknown calibrator '" + text + "'" +
                          DidYouMean(text, CalibratorNames()) + "; valid calibrators are " +
                          QuotedList(CalibratorNames()));
  }
  return *calibrator;
}

MixedKeep ReadMixedKeep(const YamlReader& reader, const YAML::Node& node) {
  const std::string text = reader.ReadString(node, "keep");
  std::optional<MixedKeep> keep = ParseMixedKeep(text);
  if (!keep) {
    reader.Fail(node, "unknown precision '" + text + "' for 'keep'" +
                          DidYouMean(text, MixedKeepNames()) + "; valid precisions are " +
                          QuotedList(MixedKeepNames()));
  }
  return *keep;
}

QuantOptions ReadOptions(const YamlReader& reader, const YAML::Node& node) {
  reader.ExpectMap(node, "'options'", kOptionKeys);
  QuantOptions options;
  auto read = [&](const char* key, bool& field) {
    if (auto value = YamlReader::Find(node, key)) field = reader.ReadBool(*value, key);
  };
  read("per_channel_fc", options.per_channel_fc);
  read("float_io", options.float_io);
  read("bias_correction", options.bias_correction);
  read("equalization", options.equalization);
  return options;
}

// The calibrators an entry names: `calibrator`, the `calibrators` list, or the default.
std::vector<Calibrator> ReadCalibrators(const YamlReader& reader, const YAML::Node& entry,
                                        Method method) {
  const std::optional<YAML::Node> single = YamlReader::Find(entry, "calibrator");
  const std::optional<YAML::Node> list = YamlReader::Find(entry, "calibrators");
  if (single && list) {
    reader.Fail(*list, "give either 'calibrator' or 'calibrators', not both");
  }
  if (!NeedsCalibrator(method)) {
    if (single || list) {
      reader.Fail(single ? *single : *list,
                  std::string("method '") + ToString(method) +
                      "' takes no calibrator (it measures no activation ranges); calibrators "
                      "apply to 'int8', 'int16x8' and 'mixed'");
    }
    return {Calibrator::kNone};
  }
  if (single) return {ReadCalibrator(reader, *single)};
  if (!list) return {Calibrator::kMinMax};
  reader.ExpectSequence(*list, "calibrators");
  if (list->size() == 0) reader.Fail(*list, "expected at least one calibrator in 'calibrators'");
  std::vector<Calibrator> calibrators;
  for (const YAML::Node& item : *list) {
    const Calibrator calibrator = ReadCalibrator(reader, item);
    if (std::find(calibrators.begin(), calibrators.end(), calibrator) != calibrators.end()) {
      reader.Fail(item, std::string("calibrator '") + ToString(calibrator) +
                            "' is listed twice in 'calibrators'");
    }
    calibrators.push_back(calibrator);
  }
  return calibrators;
}

}  // namespace

void CheckName(const YamlReader& reader, const YAML::Node& node, const std::string& name) {
  const bool valid = std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '+' || c == '-';
  });
  if (name.empty() || !valid) {
    reader.Fail(node, "invalid name '" + name +
                          "': names make result ids and file names, so use only letters, "
                          "digits and '.', '_', '+', '-'");
  }
}

std::vector<MethodSpec> ParseMethodEntry(const YamlReader& reader, const YAML::Node& entry) {
  if (entry.IsScalar()) {
    MethodSpec spec;
    spec.method = ReadMethod(reader, entry);
    spec.calibrator = NeedsCalibrator(spec.method) ? Calibrator::kMinMax : Calibrator::kNone;
    spec.display_name = DefaultDisplayName(spec.method, spec.calibrator);
    return {spec};
  }
  reader.ExpectMap(entry, "method", kMethodKeys);
  MethodSpec base;
  base.method = ReadMethod(reader, reader.Require(entry, "method", "method"));
  const std::vector<Calibrator> calibrators = ReadCalibrators(reader, entry, base.method);

  if (auto node = YamlReader::Find(entry, "percentile")) {
    if (std::find(calibrators.begin(), calibrators.end(), Calibrator::kPercentile) ==
        calibrators.end()) {
      reader.Fail(*node, "'percentile' applies only to the 'percentile' calibrator");
    }
    base.percentile = reader.ReadNumber(*node, "percentile");
    if (base.percentile <= 0 || base.percentile > 100) {
      reader.Fail(*node, "expected 'percentile' in (0, 100], got " + node->Scalar());
    }
  }
  if (auto node = YamlReader::Find(entry, "budget")) {
    if (base.method != Method::kMixed) {
      reader.Fail(*node, "'budget' applies only to method 'mixed'");
    }
    reader.ExpectMap(*node, "'budget'", kBudgetKeys);
    const YAML::Node drop = reader.Require(*node, "accuracy_drop", "'budget'");
    base.accuracy_drop_budget = reader.ReadNumber(drop, "accuracy_drop");
    if (base.accuracy_drop_budget < 0) {
      reader.Fail(drop, "expected a non-negative number for 'accuracy_drop', got " +
                            drop.Scalar());
    }
  }
  if (auto node = YamlReader::Find(entry, "keep")) {
    if (base.method != Method::kMixed) {
      reader.Fail(*node, "'keep' applies only to method 'mixed'");
    }
    base.keep = ReadMixedKeep(reader, *node);
  }
  if (auto node = YamlReader::Find(entry, "options")) {
    if (base.method == Method::kFp32) {
      reader.Fail(*node, "method 'fp32' takes no quantization options");
    }
    base.options = ReadOptions(reader, *node);
  }
  std::string custom_name;
  if (auto node = YamlReader::Find(entry, "name")) {
    custom_name = reader.ReadString(*node, "name");
    CheckName(reader, *node, custom_name);
  }

  std::vector<MethodSpec> specs;
  const bool from_list = YamlReader::Find(entry, "calibrators").has_value();
  for (Calibrator calibrator : calibrators) {
    MethodSpec spec = base;
    spec.calibrator = calibrator;
    if (custom_name.empty()) {
      spec.display_name = DefaultDisplayName(spec.method, calibrator, spec.options, spec.keep);
    } else if (from_list) {
      spec.display_name = custom_name + "/" + ToString(calibrator);  // one name per calibrator
    } else {
      spec.display_name = custom_name;
    }
    specs.push_back(std::move(spec));
  }
  return specs;
}

}  // namespace harness::suite

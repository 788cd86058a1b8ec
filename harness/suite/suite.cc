#include "harness/suite/suite.h"

#include <algorithm>
#include <array>
#include <set>

#include "harness/common/error.h"

namespace harness::suite {
namespace {

// Indexed by the enums, so the order must follow their declarations.
constexpr auto kMethodNames =
    std::to_array<const char*>({"fp32", "dynamic", "fp16", "int8", "int16x8", "mixed"});
constexpr auto kCalibratorNames =
    std::to_array<const char*>({"none", "minmax", "percentile", "entropy", "mse"});
constexpr auto kMixedKeepNames = std::to_array<const char*>({"float32", "int16x8"});

constexpr auto kToleranceMetrics = std::to_array<const char*>(
    {"accuracy", "top5", "macro_f1", "map", "map50", "auc", "top1_agreement", "sqnr_db",
     "class_recall", "size_bytes", "arena_bytes", "macs", "latency_us",
     // Short forms of earlier suites.
     "f1", "agreement"});

}  // namespace

const char* ToString(Method method) { return kMethodNames[static_cast<size_t>(method)]; }

const char* ToString(Calibrator calibrator) {
  return kCalibratorNames[static_cast<size_t>(calibrator)];
}

std::optional<Method> ParseMethod(std::string_view text) {
  for (size_t i = 0; i < kMethodNames.size(); ++i) {
    if (text == kMethodNames[i]) return static_cast<Method>(i);
  }
  return std::nullopt;
}

std::optional<Calibrator> ParseCalibrator(std::string_view text) {
  for (size_t i = 1; i < kCalibratorNames.size(); ++i) {
    if (text == kCalibratorNames[i]) return static_cast<Calibrator>(i);
  }
  return std::nullopt;
}

const char* ToString(MixedKeep keep) { return kMixedKeepNames[static_cast<size_t>(keep)]; }

std::optional<MixedKeep> ParseMixedKeep(std::string_view text) {
  for (size_t i = 0; i < kMixedKeepNames.size(); ++i) {
    if (text == kMixedKeepNames[i]) return static_cast<MixedKeep>(i);
  }
  return std::nullopt;
}

std::span<const char* const> MixedKeepNames() { return kMixedKeepNames; }

std::span<const char* const> MethodNames() { return kMethodNames; }

std::span<const char* const> CalibratorNames() {
  return std::span<const char* const>(kCalibratorNames).subspan(1);
}

bool NeedsCalibrator(Method method) {
  return method == Method::kInt8 || method == Method::kInt16x8 || method == Method::kMixed;
}

size_t UsedRows(const SetSpec& spec, size_t available) {
  if (!spec.samples) return available;
  const auto wanted = static_cast<size_t>(*spec.samples);
  if (wanted > available && !spec.samples_place.empty()) {
    throw Error(spec.samples_place, "samples: " + std::to_string(wanted) + ", but " + spec.data +
                                        " holds " + std::to_string(available) + " rows");
  }
  return std::min(wanted, available);
}

std::optional<double> Tolerances::Given(const std::string& metric) const {
  auto it = per_metric.find(metric);
  if (it != per_metric.end()) return it->second;
  return default_tolerance;
}

std::string CanonicalToleranceName(const std::string& key) {
  if (key == "f1") return "macro_f1";
  if (key == "agreement") return "top1_agreement";
  return key;
}

std::span<const char* const> ToleranceMetricNames() { return kToleranceMetrics; }

std::string DefaultDisplayName(Method method, Calibrator calibrator, const QuantOptions& options,
                               MixedKeep keep) {
  std::string name = ToString(method);
  // float32 is the default and keeps its old name, so existing baselines still match.
  if (method == Method::kMixed && keep != MixedKeep::kFloat32)
    name.append("+").append(ToString(keep));
  if (calibrator != Calibrator::kNone) name.append("/").append(ToString(calibrator));
  // Options are part of the name so that the same method with and without them gives two
  // results rather than a duplicate id.
  if (options.per_channel_fc) name.append("+per_channel_fc");
  if (options.float_io) name.append("+float_io");
  if (options.bias_correction) name.append("+bias_correction");
  if (options.equalization) name.append("+equalization");
  return name;
}

std::vector<ResultSpec> ExpandMethods(const Suite& suite) {
  std::vector<ResultSpec> results;
  std::set<std::string> seen;
  for (size_t m = 0; m < suite.models.size(); ++m) {
    for (size_t k = 0; k < suite.methods.size(); ++k) {
      ResultSpec result;
      result.id = suite.models[m].name + "/" + suite.methods[k].display_name;
      result.model_index = m;
      result.method_index = k;
      if (!seen.insert(result.id).second) {
        throw Error(suite.path, "duplicate result id '" + result.id + "'");
      }
      results.push_back(std::move(result));
    }
  }
  return results;
}

}  // namespace harness::suite

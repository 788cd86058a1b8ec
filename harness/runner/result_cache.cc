#include "harness/runner/result_cache.h"

#include <charconv>
#include <sstream>

#include "harness/common/sha256.h"
#include "harness/runner/build_info.h"

namespace harness::runner {
namespace {

// Shortest digits that read back to the same double: equal keys for equal values only.
std::string Exact(double value) {
  char text[32];
  const auto end = std::to_chars(text, text + sizeof text, value).ptr;
  return std::string(text, end);
}

template <typename T>
std::string OrNone(const std::optional<T>& value) {
  if (!value) return "none";
  if constexpr (std::is_floating_point_v<T>) return Exact(*value);
  return std::to_string(*value);
}

void PutSet(std::ostream& key, const char* role, const suite::SetSpec& set,
            const std::map<std::string, std::string>& file_sha256) {
  const auto digest = file_sha256.find(set.data);
  key << role << ' ' << (digest == file_sha256.end() ? "unhashed:" + set.data : digest->second)
      << " samples " << OrNone(set.samples) << " seed " << OrNone(set.seed) << '\n';
}

}  // namespace

std::string ResultKey(const suite::Suite& suite, const suite::ResultSpec& r,
                      const std::string& kernel_variant,
                      const std::map<std::string, std::string>& file_sha256, bool with_latency) {
  const BuildInfo& build = GetBuildInfo();
  const suite::ModelSpec& model = suite.models[r.model_index];
  const suite::MethodSpec& method = suite.methods[r.method_index];
  std::ostringstream key;
  key << "harness-result-cache/1\n"
      << "build " << build.version << ' ' << build.source_sha256 << ' ' << build.compiler << ' '
      << build.compiler_flags << '\n'
      << "kernels " << kernel_variant << '\n'
      << "id " << r.id << (with_latency ? " with latency" : " without latency") << '\n';
  const auto model_digest = file_sha256.find(model.path);
  key << "model "
      << (model_digest == file_sha256.end() ? "unhashed:" + model.path : model_digest->second)
      << " task " << static_cast<int>(model.task) << " scale " << OrNone(model.input.scale)
      << " offset " << OrNone(model.input.offset);
  if (model.windows) key << " windows " << model.windows->length << ' ' << model.windows->stride;
  if (model.detection) {
    const suite::DetectionSpec& d = *model.detection;
    key << " detection " << d.decoder << ' ' << Exact(d.score_threshold) << ' '
        << Exact(d.iou_threshold) << ' ' << d.max_detections;
  }
  key << " latency " << model.latency.repeats << ' ' << model.latency.warmup << '\n';
  PutSet(key, "validation", model.validation, file_sha256);
  if (model.calibration) PutSet(key, "calibration", *model.calibration, file_sha256);
  key << "method " << suite::ToString(method.method) << ' ' << suite::ToString(method.calibrator)
      << ' ' << Exact(method.percentile) << ' ' << Exact(method.accuracy_drop_budget) << ' '
      << suite::ToString(method.keep) << ' ' << method.options.per_channel_fc
      << method.options.float_io << method.options.bias_correction << method.options.equalization
      << ' ' << method.display_name << '\n';
  const suite::Target& target = suite.target;
  key << "target " << target.name << ' ' << target.sram_bytes << ' ' << target.flash_bytes;
  for (const std::string& op : target.ops) key << ' ' << op;
  key << " types";
  for (suite::ElementType t : target.types) key << ' ' << suite::ToString(t);
  key << " slow";
  for (suite::ElementType t : target.slow_types) key << ' ' << suite::ToString(t);
  key << '\n';
  return Sha256Hex(key.str());
}

}  // namespace harness::runner

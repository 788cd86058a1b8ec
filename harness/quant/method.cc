#include "harness/quant/method.h"

#include <array>
#include <utility>

#include "harness/common/error.h"
#include "harness/model/weight_dequantization.h"

// TODO(ptq): the dynamic and fp16 methods are written in parallel (dynamic_range.h, float16.h).
// Until their headers exist, those two methods report that they are not available; once they
// do, drop the __has_include guards.
#if __has_include("harness/quant/dynamic_range.h")
#include "harness/quant/dynamic_range.h"
#define HARNESS_HAS_DYNAMIC_RANGE 1
#endif
#if __has_include("harness/quant/float16.h")
#include "harness/quant/float16.h"
#define HARNESS_HAS_FLOAT16 1
#endif

namespace harness::quant {
namespace {

constexpr std::array<std::pair<Method, const char*>, 6> kNames = {{
    {Method::kFp32, "fp32"},
    {Method::kDynamic, "dynamic"},
    {Method::kFp16, "fp16"},
    {Method::kInt8, "int8"},
    {Method::kInt16x8, "int16x8"},
    {Method::kMixed, "mixed"},
}};

}  // namespace

const char* ToString(Method method) {
  for (const auto& [m, name] : kNames) {
    if (m == method) return name;
  }
  return "?";
}

Method ParseMethod(std::string_view name) {
  for (const auto& [m, n] : kNames) {
    if (name == n) return m;
  }
  std::string known;
  for (const auto& entry : kNames) known += std::string(known.empty() ? "" : ", ") + entry.second;
  throw Error("method", "unknown method '" + std::string(name) + "' (known: " + known + ")");
}

std::vector<std::string> MethodNames() {
  std::vector<std::string> names;
  for (const auto& entry : kNames) names.emplace_back(entry.second);
  return names;
}

bool NeedsCalibration(Method method) {
  return method == Method::kInt8 || method == Method::kInt16x8 || method == Method::kMixed;
}

model::Graph PrepareFloatGraph(model::Graph graph) {
  return model::DequantizeHybridWeights(std::move(graph));
}

model::Graph Quantize(const model::Graph& float_graph, Method method,
                      const QuantizeOptions& options, const CalibrationResult* calibration) {
  if (NeedsCalibration(method) && calibration == nullptr) {
    throw Error("method", std::string(ToString(method)) + " needs a calibration result");
  }
  switch (method) {
    case Method::kFp32:
      return float_graph;
    case Method::kDynamic:
#ifdef HARNESS_HAS_DYNAMIC_RANGE
      return QuantizeDynamicRange(float_graph);
#else
      throw Error("method", "dynamic is not available in this build yet");
#endif
    case Method::kFp16:
#ifdef HARNESS_HAS_FLOAT16
      return QuantizeFloat16(float_graph);
#else
      throw Error("method", "fp16 is not available in this build yet");
#endif
    case Method::kInt8: {
      const auto calibrator = MakeCalibrator(options.calibrator, options.calibrator_options);
      return QuantizeInt8(float_graph, *calibration, *calibrator, options.int8);
    }
    case Method::kInt16x8: {
      const auto calibrator = MakeCalibrator(options.calibrator, options.calibrator_options);
      Int8Options int16x8 = options.int8;
      int16x8.int16_activations = true;
      return QuantizeInt8(float_graph, *calibration, *calibrator, int16x8);
    }
    case Method::kMixed:
      break;
  }
  throw Error("method", "mixed needs a scorer of candidate models: quant::SelectMixedPrecision "
                       "(harness run, or harness quantize --method mixed)");
}

}  // namespace harness::quant

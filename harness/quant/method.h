#pragma once
// The quantization methods and one entry point that produces each method's model from a float
// graph. Which options each method reads:
// - fp32: none; the float graph as it is (a hybrid input model is dequantized first, so the
//   result runs float kernels only, as TFLite-Micro needs).
// - dynamic, fp16: none (dynamic_range.h, float16.h).
// - int8: calibrator, calibrator options and Int8Options; needs a CalibrationResult of the
//   float graph (RunCalibration on a CompiledModel of PrepareFloatGraph's result).
// - int16x8: as int8, with Int8Options::int16_activations set (TFLite's 16x8 mode: int16
//   activations, int8 weights, int64 bias; graph I/O int16, or float with float_io).
// - mixed: needs a scorer of candidate models (the task metric on labelled calibration data),
//   which this layer does not have: the runner (harness/runner/mixed_method.h) and
//   `harness quantize --method mixed` run quant::SelectMixedPrecision (mixed_precision.h);
//   Quantize throws harness::Error for it.

#include <string>
#include <string_view>
#include <vector>

#include "harness/model/graph.h"
#include "harness/quant/calibration.h"
#include "harness/quant/calibrators.h"
#include "harness/quant/int8_quantizer.h"

namespace harness::quant {

enum class Method { kFp32, kDynamic, kFp16, kInt8, kInt16x8, kMixed };

const char* ToString(Method method);
// "fp32", "dynamic", "fp16", "int8", "int16x8", "mixed"; throws harness::Error otherwise.
Method ParseMethod(std::string_view name);
std::vector<std::string> MethodNames();
// True for the methods that need a calibration pass.
bool NeedsCalibration(Method method);

struct QuantizeOptions {
  std::string calibrator = "minmax";
  CalibratorOptions calibrator_options;
  Int8Options int8;
};

// The float model every method starts from: `graph` with hybrid weights dequantized.
model::Graph PrepareFloatGraph(model::Graph graph);

// `float_graph` as PrepareFloatGraph returns it; `calibration` required (non-null) when
// NeedsCalibration(method). Throws harness::Error.
model::Graph Quantize(const model::Graph& float_graph, Method method,
                      const QuantizeOptions& options, const CalibrationResult* calibration);

}  // namespace harness::quant

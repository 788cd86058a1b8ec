#include "harness/runner/method_graph.h"

#include <utility>

#include "harness/common/error.h"
#include "harness/runner/mixed_method.h"

namespace harness::runner {

quant::QuantizeOptions QuantizeOptionsOf(const suite::MethodSpec& spec) {
  quant::QuantizeOptions options;
  if (spec.calibrator != suite::Calibrator::kNone) options.calibrator = suite::ToString(spec.calibrator);
  options.calibrator_options.percentile = spec.percentile;
  options.int8.float_io = spec.options.float_io;
  options.int8.per_channel_fully_connected = spec.options.per_channel_fc;
  options.int8.bias_correction = spec.options.bias_correction;
  return options;
}

MethodGraph BuildMethodGraph(const ModelContext& context, const suite::MethodSpec& spec,
                             const suite::Target& target) {
  const model::Graph* float_graph = &context.float_graph;
  const quant::CalibrationResult* calibration = context.calibration ? &*context.calibration : nullptr;
  if (spec.options.equalization) {
    if (!context.equalized) throw Error("equalization", "the model was prepared without its equalized variant");
    float_graph = &context.equalized->float_graph;
    calibration = context.equalized->calibration ? &*context.equalized->calibration : nullptr;
  }
  const quant::QuantizeOptions options = QuantizeOptionsOf(spec);
  MethodGraph result;
  if (spec.method == suite::Method::kMixed) {
    if (calibration == nullptr) throw Error("mixed", "the model was prepared without calibration");
    MixedOutcome mixed = RunMixedMethod(context, *float_graph, *calibration, spec, options.int8, target);
    result.graph = std::move(mixed.graph);
    result.mixed = std::move(mixed.record);
    return result;
  }
  const quant::Method method = quant::ParseMethod(suite::ToString(spec.method));
  result.graph = quant::Quantize(*float_graph, method, options, calibration);
  return result;
}

}  // namespace harness::runner

#pragma once
// Calibrating and running the small model of small_float_model.h (or a model quantized from it)
// on its seeded samples, for the quantizer tests that compare a quantized model with the float
// one sample by sample.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "harness/model/graph.h"
#include "harness/quant/calibration.h"
#include "harness/quant/quantization_params.h"
#include "harness/runtime/compiled_model.h"
#include "tests/quant/small_float_model.h"

namespace harness::quant::testing {

// Calibration of the float `graph` on the first `samples` seeded small-model samples.
inline CalibrationResult CalibrateOnSmallModelSamples(const model::Graph& graph,
                                                      size_t samples = 64,
                                                      const CalibrationOptions& options = {}) {
  const runtime::CompiledModel model(graph);
  return RunCalibration(
      model, samples,
      [](size_t sample, std::span<std::byte> input) {
        const std::vector<float> values = SmallModelSample(sample);
        std::memcpy(input.data(), values.data(), input.size());
      },
      options);
}

// Sample i through `model`, whose input is float or int8 (quantized with the input's
// parameters); its output (float, int8 or int16) as float values.
inline std::vector<float> RunSmallModelSample(const runtime::CompiledModel& model, size_t i) {
  const std::vector<float> x = SmallModelSample(i);
  auto session = model.NewSession();
  const model::Tensor& in = model.input(0);
  if (in.type == model::DataType::kFloat32) {
    std::memcpy(session->input(0).data(), x.data(), x.size() * sizeof(float));
  } else {
    const AffineParams p{in.quantization.scales[0],
                         static_cast<int32_t>(in.quantization.zero_points[0])};
    auto* dst = reinterpret_cast<int8_t*>(session->input(0).data());
    for (size_t k = 0; k < x.size(); ++k) dst[k] = QuantizeToInt8(x[k], p);
  }
  session->Invoke();
  const model::Tensor& out = model.output(0);
  std::vector<float> y(static_cast<size_t>(model::ElementCount(out.shape)));
  const auto bytes = session->output(0);
  for (size_t k = 0; k < y.size(); ++k) {
    if (out.type == model::DataType::kFloat32) {
      std::memcpy(&y[k], bytes.data() + k * sizeof(float), sizeof(float));
      continue;
    }
    int32_t q = 0;
    if (out.type == model::DataType::kInt16) {
      int16_t v = 0;
      std::memcpy(&v, bytes.data() + k * sizeof(int16_t), sizeof(int16_t));
      q = v;
    } else {
      q = static_cast<int8_t>(bytes[k]);
    }
    y[k] = out.quantization.scales[0] *
           static_cast<float>(q - static_cast<int32_t>(out.quantization.zero_points[0]));
  }
  return y;
}

// Every output of `quantized` on the first `samples` samples is within `tolerance` of the
// float model's.
inline void ExpectNearFloatModel(const model::Graph& quantized, const model::Graph& float_graph,
                                 size_t samples, float tolerance) {
  const runtime::CompiledModel model(quantized);
  const runtime::CompiledModel reference(float_graph);
  for (size_t i = 0; i < samples; ++i) {
    const std::vector<float> expected = RunSmallModelSample(reference, i);
    const std::vector<float> got = RunSmallModelSample(model, i);
    for (size_t k = 0; k < expected.size(); ++k) EXPECT_NEAR(got[k], expected[k], tolerance);
  }
}

}  // namespace harness::quant::testing

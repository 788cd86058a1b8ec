// LEAKY_RELU through the int8 and int16x8 quantizer: a float graph holding it is quantized, the
// written model passes the flatbuffers verifier, loads back, lints clean on the ESP32-S3 target,
// carries TFLite's op version, and stays close to the float model.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <span>
#include <vector>

#include "harness/model/schema/tflite_generated.h"
#include "harness/model/tflite_loader.h"
#include "harness/model/tflite_writer.h"
#include "harness/quant/calibrators.h"
#include "harness/quant/int8_quantizer.h"
#include "harness/quant/lint.h"
#include "harness/runtime/compiled_model.h"
#include "harness/runtime/ops/leaky_relu.h"

namespace harness::quant {
namespace {

using model::DataType;
constexpr int64_t kElements = 64;
constexpr float kAlpha = 0.2f;

model::Graph FloatLeakyReluGraph() {
  model::Graph g;
  for (const char* name : {"x", "y"}) {
    model::Tensor t;
    t.name = name;
    t.shape = {1, 4, 4, 4};
    g.tensors.push_back(t);
  }
  model::Op op;
  op.type = runtime::ops::kLeakyRelu;
  op.inputs = {0};
  op.outputs = {1};
  op.options = runtime::ops::LeakyReluOptions{kAlpha};
  g.ops.push_back(op);
  g.inputs = {0};
  g.outputs = {1};
  return g;
}

// Deterministic samples over [-4, 3].
std::vector<float> Sample(size_t i) {
  std::vector<float> x(kElements);
  for (int64_t k = 0; k < kElements; ++k) {
    x[static_cast<size_t>(k)] =
        -4.0f + 7.0f * static_cast<float>((k * 37 + static_cast<int64_t>(i) * 11) % 101) / 100.0f;
  }
  return x;
}

std::vector<float> RunFloat(const runtime::CompiledModel& model, size_t i) {
  auto session = model.NewSession();
  const std::vector<float> x = Sample(i);
  std::memcpy(session->input(0).data(), x.data(), x.size() * sizeof(float));
  session->Invoke();
  std::vector<float> y(kElements);
  std::memcpy(y.data(), session->output(0).data(), y.size() * sizeof(float));
  return y;
}

void CheckQuantized(bool int16) {
  const model::Graph float_graph = FloatLeakyReluGraph();
  const runtime::CompiledModel float_model(float_graph);
  const CalibrationResult calibration =
      RunCalibration(float_model, 16, [](size_t i, std::span<std::byte> input) {
        const std::vector<float> x = Sample(i);
        std::memcpy(input.data(), x.data(), input.size());
      });
  Int8Options options;
  options.float_io = true;
  options.int16_activations = int16;
  const model::Graph q = QuantizeInt8(float_graph, calibration, *MakeCalibrator("minmax"), options);

  const std::vector<uint8_t> bytes = model::WriteTflite(q);
  flatbuffers::Verifier verifier(bytes.data(), bytes.size());
  ASSERT_TRUE(tflite::VerifyModelBuffer(verifier));
  const model::Graph loaded = model::LoadTflite(bytes, "leaky_relu_quantized");

  const model::Op* leaky = nullptr;
  for (const model::Op& op : loaded.ops) {
    if (op.type == runtime::ops::kLeakyRelu) leaky = &op;
  }
  ASSERT_NE(leaky, nullptr);
  const model::Tensor& out = loaded.tensor(leaky->outputs[0]);
  EXPECT_EQ(out.type, int16 ? DataType::kInt16 : DataType::kInt8);
  EXPECT_EQ(leaky->version, int16 ? 2 : 1);  // TFLite's op_version.cc
  ASSERT_NE(leaky->options.get_if<runtime::ops::LeakyReluOptions>(), nullptr);
  EXPECT_EQ(leaky->options.get<runtime::ops::LeakyReluOptions>().alpha, kAlpha);

  const LintReport lint = Lint(loaded, LintTarget::Esp32S3());
  EXPECT_EQ(lint.errors(), 0u);

  // Within two output steps of the float model on every element (quantized input, one
  // requantization, the output's own rounding).
  const runtime::CompiledModel quantized(loaded);
  const double step = out.quantization.scales.at(0);
  for (size_t i = 0; i < 16; ++i) {
    const std::vector<float> expected = RunFloat(float_model, i);
    const std::vector<float> got = RunFloat(quantized, i);
    for (size_t k = 0; k < expected.size(); ++k) {
      ASSERT_NEAR(got[k], expected[k], 2.0 * step) << "sample " << i << " element " << k;
    }
  }
}

TEST(LeakyReluQuant, Int8) { CheckQuantized(false); }
TEST(LeakyReluQuant, Int16x8) { CheckQuantized(true); }

}  // namespace
}  // namespace harness::quant

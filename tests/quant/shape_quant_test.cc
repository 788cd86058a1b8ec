// SHAPE through the int8 and int16x8 quantizer: its INT32 output is not a quantized value, so it
// keeps its type with no parameters (and no DEQUANTIZE at the float edge) while its input becomes
// the quantized activation; the model verifies, reloads, lints clean and still reports the shape.
#include <gtest/gtest.h>

#include <cstring>
#include <span>
#include <vector>

#include "tests/quant/single_op_quant.h"

namespace harness::quant {
namespace {

constexpr auto kShape = static_cast<model::OpType>(77);

model::Graph FloatShapeGraph() {
  model::Graph g;
  const int32_t x = testing::AddFloatTensor(g, "x", {1, 4, 3});
  model::Tensor s;
  s.name = "s";
  s.type = model::DataType::kInt32;
  s.shape = {3};
  g.tensors.push_back(s);
  const auto y = static_cast<int32_t>(g.tensors.size() - 1);
  model::Op op;
  op.type = kShape;
  op.inputs = {x};
  op.outputs = {y};
  g.ops.push_back(op);
  g.inputs = {x};
  g.outputs = {y};
  return g;
}

void Check(bool int16) {
  const model::Graph float_graph = FloatShapeGraph();
  const runtime::CompiledModel float_model(float_graph);
  const CalibrationResult calibration =
      RunCalibration(float_model, 4, [](size_t i, std::span<std::byte> input) {
        const std::vector<float> x = testing::QuantSample(i, input.size() / sizeof(float));
        std::memcpy(input.data(), x.data(), input.size());
      });
  Int8Options options;
  options.float_io = true;
  options.int16_activations = int16;
  const model::Graph q = QuantizeInt8(float_graph, calibration, *MakeCalibrator("minmax"), options);
  const std::vector<uint8_t> bytes = model::WriteTflite(q);
  flatbuffers::Verifier verifier(bytes.data(), bytes.size());
  ASSERT_TRUE(tflite::VerifyModelBuffer(verifier));
  const model::Graph loaded = model::LoadTflite(bytes, "quantized");
  const model::Op* shape = nullptr;
  for (const model::Op& op : loaded.ops) {
    if (op.type == kShape) shape = &op;
  }
  ASSERT_NE(shape, nullptr);
  EXPECT_EQ(shape->version, 1);
  EXPECT_EQ(loaded.tensor(shape->inputs[0]).type,
            int16 ? model::DataType::kInt16 : model::DataType::kInt8);
  const model::Tensor& out = loaded.tensor(shape->outputs[0]);
  EXPECT_EQ(out.type, model::DataType::kInt32);
  EXPECT_TRUE(out.quantization.empty());
  ASSERT_EQ(loaded.outputs.size(), 1u);
  EXPECT_EQ(loaded.outputs[0], shape->outputs[0]);  // no DEQUANTIZE after it
  EXPECT_EQ(Lint(loaded, LintTarget::Esp32S3()).errors(), 0u);

  const runtime::CompiledModel quantized(loaded);
  auto session = quantized.NewSession();
  session->Invoke();
  std::vector<int32_t> dims(3);
  std::memcpy(dims.data(), session->output(0).data(), sizeof(int32_t) * dims.size());
  EXPECT_EQ(dims, (std::vector<int32_t>{1, 4, 3}));
}

TEST(ShapeQuant, Int8) { Check(false); }
TEST(ShapeQuant, Int16x8) { Check(true); }

}  // namespace
}  // namespace harness::quant

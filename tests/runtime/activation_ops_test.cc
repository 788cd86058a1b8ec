// The activation ops' glue end to end: tiny hand-built graphs compiled with CompiledModel and run
// in a Session, compared with the reference kernels called directly (or hand values), plus the
// prepare-time refusals that name the op and the tensor.
#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "harness/common/error.h"
#include "harness/model/graph.h"
#include "harness/runtime/compiled_model.h"
#include "harness/runtime/ops/leaky_relu.h"
#include "kernels/reference/activations.h"
#include "kernels/reference/softmax.h"

namespace harness::runtime {
namespace {

using model::DataType;
using model::OpType;

model::Tensor MakeTensor(std::string name, DataType type, std::vector<int32_t> shape,
                         float scale = 0.0f, int64_t zero_point = 0) {
  model::Tensor t;
  t.name = std::move(name);
  t.type = type;
  t.shape = std::move(shape);
  if (scale != 0.0f) {
    t.quantization.scales = {scale};
    t.quantization.zero_points = {zero_point};
  }
  return t;
}

// input -> op -> output, both activations.
model::Graph UnaryGraph(OpType type, model::Tensor input, model::Tensor output,
                        model::OpOptions options = {}) {
  model::Graph g;
  g.tensors = {std::move(input), std::move(output)};
  model::Op op;
  op.type = type;
  op.inputs = {0};
  op.outputs = {1};
  op.options = std::move(options);
  g.ops = {op};
  g.inputs = {0};
  g.outputs = {1};
  return g;
}

template <class Out, class In>
std::vector<Out> Execute(const CompiledModel& model, const std::vector<In>& input) {
  auto session = model.NewSession();
  auto in = session->input(0);
  EXPECT_EQ(in.size(), input.size() * sizeof(In));
  std::memcpy(in.data(), input.data(), in.size());
  session->Invoke();
  auto out = session->output(0);
  std::vector<Out> result(out.size() / sizeof(Out));
  std::memcpy(result.data(), out.data(), out.size());
  return result;
}

TEST(ActivationOps, SoftmaxInt8MatchesTheKernel) {
  const CompiledModel model(UnaryGraph(OpType::kSoftmax,
                                       MakeTensor("logits", DataType::kInt8, {2, 4}, 0.1f, 3),
                                       MakeTensor("probs", DataType::kInt8, {2, 4}, 1.0f / 256, -128),
                                       model::SoftmaxOptions{1.0f}));
  const std::vector<int8_t> input = {17, 17, 17, 17, -128, 127, -128, 0};
  const auto output = Execute<int8_t>(model, input);
  std::vector<int8_t> expected(8);
  kernels::reference::SoftmaxInt8(*kernels::reference::PrepareSoftmaxInt8(1.0, 0.1f),
                                  kernels::Shape{2, 4}, input.data(), expected.data());
  EXPECT_EQ(output, expected);
  EXPECT_EQ(output[0], -64);  // uniform row: 1/4
  EXPECT_EQ(output[5], 127);  // dominant input
}

TEST(ActivationOps, SoftmaxFloat) {
  const CompiledModel model(UnaryGraph(OpType::kSoftmax, MakeTensor("x", DataType::kFloat32, {3}),
                                       MakeTensor("y", DataType::kFloat32, {3}),
                                       model::SoftmaxOptions{1.0f}));
  const auto output = Execute<float>(model, std::vector<float>{0.0f, 0.0f, 0.0f});
  for (float v : output) EXPECT_FLOAT_EQ(v, 1.0f / 3);
}

TEST(ActivationOps, SoftmaxWithWrongOutputScaleIsRefused) {
  try {
    const CompiledModel model(UnaryGraph(OpType::kSoftmax,
                                         MakeTensor("logits", DataType::kInt8, {1, 4}, 0.1f, 0),
                                         MakeTensor("probs", DataType::kInt8, {1, 4}, 0.01f, -128),
                                         model::SoftmaxOptions{1.0f}));
    FAIL() << "expected harness::Error";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("op 0 (SOFTMAX)"), std::string::npos) << what;
    EXPECT_NE(what.find("'probs'"), std::string::npos) << what;
    EXPECT_NE(what.find("1/256"), std::string::npos) << what;
  }
}

TEST(ActivationOps, LogisticAndTanhCheckTheirFixedOutputs) {
  // Within TFLite's 0.1 % tolerance: accepted.
  EXPECT_NO_THROW(CompiledModel(UnaryGraph(OpType::kLogistic,
                                           MakeTensor("x", DataType::kInt8, {4}, 0.1f, 0),
                                           MakeTensor("y", DataType::kInt8, {4}, 0.0039063f, -128))));
  EXPECT_THROW(CompiledModel(UnaryGraph(OpType::kLogistic,
                                        MakeTensor("x", DataType::kInt8, {4}, 0.1f, 0),
                                        MakeTensor("y", DataType::kInt8, {4}, 1.0f / 256, 0))),
               Error);
  EXPECT_THROW(CompiledModel(UnaryGraph(OpType::kTanh,
                                        MakeTensor("x", DataType::kInt8, {4}, 0.1f, 0),
                                        MakeTensor("y", DataType::kInt8, {4}, 1.0f / 256, -128))),
               Error);
}

TEST(ActivationOps, LogisticAndTanhInt8) {
  const CompiledModel logistic(UnaryGraph(OpType::kLogistic,
                                          MakeTensor("x", DataType::kInt8, {3}, 0.1f, 0),
                                          MakeTensor("y", DataType::kInt8, {3}, 1.0f / 256, -128)));
  // 0 -> 1/2 = 128/256; +-12.7 saturate.
  EXPECT_EQ(Execute<int8_t>(logistic, std::vector<int8_t>{0, 127, -127}),
            (std::vector<int8_t>{0, 127, -128}));
  const CompiledModel tanh(UnaryGraph(OpType::kTanh, MakeTensor("x", DataType::kInt8, {3}, 0.1f, 0),
                                      MakeTensor("y", DataType::kInt8, {3}, 1.0f / 128, 0)));
  EXPECT_EQ(Execute<int8_t>(tanh, std::vector<int8_t>{0, 127, -127}),
            (std::vector<int8_t>{0, 127, -128}));
}

TEST(ActivationOps, QuantizeThenDequantize) {
  const CompiledModel quantize(UnaryGraph(OpType::kQuantize, MakeTensor("x", DataType::kFloat32, {4}),
                                          MakeTensor("q", DataType::kInt8, {4}, 0.5f, 1)));
  // 1.25 / 0.5 = 2.5 -> 3 (+1); -1.25 -> -3 (+1); 100 clamps.
  EXPECT_EQ(Execute<int8_t>(quantize, std::vector<float>{1.25f, -1.25f, 0.0f, 100.0f}),
            (std::vector<int8_t>{4, -2, 1, 127}));
  const CompiledModel dequantize(UnaryGraph(OpType::kDequantize,
                                            MakeTensor("q", DataType::kInt8, {3}, 0.5f, 1),
                                            MakeTensor("x", DataType::kFloat32, {3})));
  EXPECT_EQ(Execute<float>(dequantize, std::vector<int8_t>{4, -2, 1}),
            (std::vector<float>{1.5f, -1.5f, 0.0f}));
}

TEST(ActivationOps, RequantizeInt8) {
  const CompiledModel model(UnaryGraph(OpType::kQuantize,
                                       MakeTensor("a", DataType::kInt8, {3}, 0.5f, 0),
                                       MakeTensor("b", DataType::kInt8, {3}, 1.0f, -10)));
  EXPECT_EQ(Execute<int8_t>(model, std::vector<int8_t>{3, -3, 100}),
            (std::vector<int8_t>{-8, -11, 40}));
}

// A uint8 model input followed by QUANTIZE to int8, as the TFLite converter writes a model with
// uint8 input and TFLite-Micro runs it: (q - 128) * 0.5 / 0.25 + 3 = 2 (q - 128) + 3, clamped.
TEST(ActivationOps, RequantizeUint8InputToInt8) {
  const CompiledModel model(UnaryGraph(OpType::kQuantize,
                                       MakeTensor("image", DataType::kUInt8, {4}, 0.5f, 128),
                                       MakeTensor("q", DataType::kInt8, {4}, 0.25f, 3)));
  EXPECT_EQ(Execute<int8_t>(model, std::vector<uint8_t>{128, 130, 0, 255}),
            (std::vector<int8_t>{3, 7, -128, 127}));
  // TFLite-Micro has no uint8 -> int16 requantization: refused, naming the tensor.
  EXPECT_THROW(CompiledModel(UnaryGraph(OpType::kQuantize,
                                        MakeTensor("image", DataType::kUInt8, {4}, 0.5f, 128),
                                        MakeTensor("q16", DataType::kInt16, {4}, 0.25f, 0))),
               Error);
}

TEST(ActivationOps, Float16ConstantThroughDequantize) {
  // The converter's fp16 pattern: a constant FLOAT16 tensor feeding DEQUANTIZE, then an op.
  model::Graph g;
  g.tensors = {MakeTensor("w_fp16", DataType::kFloat16, {3}), MakeTensor("w", DataType::kFloat32, {3}),
               MakeTensor("y", DataType::kFloat32, {3})};
  const std::vector<uint16_t> halves = {0x3C00, 0xC000, 0x7BFF};  // 1, -2, 65504
  std::vector<uint8_t> bytes(6);
  std::memcpy(bytes.data(), halves.data(), bytes.size());
  g.tensors[0].buffer = g.AddBuffer(bytes);
  model::Op dequantize;
  dequantize.type = OpType::kDequantize;
  dequantize.inputs = {0};
  dequantize.outputs = {1};
  model::Op relu;
  relu.type = OpType::kRelu;
  relu.inputs = {1};
  relu.outputs = {2};
  g.ops = {dequantize, relu};
  g.outputs = {2};
  const CompiledModel model(std::move(g));
  auto session = model.NewSession();
  session->Invoke();
  std::vector<float> out(3);
  std::memcpy(out.data(), session->output(0).data(), 12);
  EXPECT_EQ(out, (std::vector<float>{1.0f, 0.0f, 65504.0f}));
}

TEST(ActivationOps, Relu6AndHardSwishInt8) {
  const CompiledModel relu6(UnaryGraph(OpType::kRelu6, MakeTensor("x", DataType::kInt8, {4}, 0.1f, 10),
                                       MakeTensor("y", DataType::kInt8, {4}, 0.1f, 10)));
  EXPECT_EQ(Execute<int8_t>(relu6, std::vector<int8_t>{-50, 10, 40, 100}),
            (std::vector<int8_t>{10, 10, 40, 70}));

  const CompiledModel hard_swish(UnaryGraph(OpType::kHardSwish,
                                            MakeTensor("x", DataType::kInt8, {256}, 0.05f, 0),
                                            MakeTensor("y", DataType::kInt8, {256}, 0.04f, -40)));
  std::vector<int8_t> input;
  for (int v = -128; v <= 127; ++v) input.push_back(static_cast<int8_t>(v));
  std::vector<int8_t> expected(256);
  kernels::reference::HardSwishInt8(*kernels::reference::PrepareHardSwishInt8(0.05f, 0, 0.04f, -40),
                                    256, input.data(), expected.data());
  EXPECT_EQ(Execute<int8_t>(hard_swish, input), expected);
}

TEST(ActivationOps, UnsupportedTypeNamesTheTensor) {
  try {
    const CompiledModel model(UnaryGraph(OpType::kRelu, MakeTensor("ints", DataType::kInt32, {2}),
                                         MakeTensor("out", DataType::kInt32, {2})));
    FAIL() << "expected harness::Error";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("op 0 (RELU)"), std::string::npos) << what;
    EXPECT_NE(what.find("'ints'"), std::string::npos) << what;
  }
}

std::string LeakyReluError(float input_scale, float output_scale, float alpha) {
  try {
    const CompiledModel model(UnaryGraph(
        ops::kLeakyRelu, MakeTensor("x", DataType::kInt16, {2}, input_scale),
        MakeTensor("y", DataType::kInt16, {2}, output_scale), ops::LeakyReluOptions{alpha}));
  } catch (const Error& e) {
    EXPECT_EQ(e.place(), "op 0 (LEAKY_RELU)");
    return e.what();
  }
  ADD_FAILURE() << "compiling succeeded";
  return {};
}

TEST(ActivationOps, LeakyReluRefusesMultipliersBeyondTwoToThe31) {
  // input scale / output scale = 2^79 became a left shift of 79 bits in the kernel.
  EXPECT_NE(LeakyReluError(1.0f, 0x1p-79f, 0.5f).find("input scale / output scale is "),
            std::string::npos);
  EXPECT_NE(LeakyReluError(1.0f, 1.0f, 0x1p40f).find("alpha * input scale / output scale is "),
            std::string::npos);
  EXPECT_NE(LeakyReluError(1.0f, 1.0f, std::numeric_limits<float>::infinity())
                .find("must be finite and below 2^31"),
            std::string::npos);
}

}  // namespace
}  // namespace harness::runtime

// Every op whose prepare turns quantization scales into a fixed-point multiplier refuses a
// scale that is NaN, infinite, zero, negative or subnormal, naming the op and the tensor, and
// refuses a finite scale whose multiplier does not fit the kernels' Q31 mantissa and 32-bit
// shift (1e30 on an input). Before, such scales became a multiplier of 0 (a silent constant
// output) or a shift far beyond 32 bits (undefined behaviour). Each case also compiles with
// ordinary scales, so a refusal of everything would fail.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "harness/common/error.h"
#include "harness/model/graph.h"
#include "harness/runtime/compiled_model.h"
#include "tests/runtime/single_op_graph.h"

namespace harness::runtime {
namespace {

using model::DataType;
using model::OpType;
using ::testing::HasSubstr;

using test::AddConstant;
using test::AddTensor;
using test::PerChannel;
using test::PerTensor;
using test::SetSingleOp;

// The scales of a case's tensors: input "x", second operand or filter "w" (if the op has
// one), output "y".
struct Scales {
  float x = 0.5f;
  float w = 0.25f;
  float y = 1.0f;
};

struct Case {
  const char* name;
  const char* place;  // the error's place
  bool has_w;         // a second scaled tensor "w"
  bool fixed_output;  // the output's scale is fixed by the spec (y is then not swept)
  std::function<model::Graph(const Scales&)> build;
};

model::Graph Conv(const Scales& s) {
  model::Graph g;
  const int32_t x = AddTensor(g, "x", DataType::kInt8, {1, 2, 2, 1}, PerTensor(s.x, 0));
  // Two channels, per-channel scales: the bad one sits on channel 1.
  const int32_t w = AddConstant<int8_t>(g, "w", DataType::kInt8, {2, 1, 1, 1}, {1, -1},
                                        PerChannel({0.5f, s.w}, 0));
  const int32_t y = AddTensor(g, "y", DataType::kInt8, {1, 2, 2, 2}, PerTensor(s.y, 0));
  SetSingleOp(g, OpType::kConv2D, {x, w}, y, model::Conv2DOptions{});
  return g;
}

model::Graph Conv16x8(const Scales& s) {
  model::Graph g;
  const int32_t x = AddTensor(g, "x", DataType::kInt16, {1, 2, 2, 1}, PerTensor(s.x, 0));
  const int32_t w =
      AddConstant<int8_t>(g, "w", DataType::kInt8, {1, 1, 1, 1}, {3}, PerChannel({s.w}, 0));
  const int32_t y = AddTensor(g, "y", DataType::kInt16, {1, 2, 2, 1}, PerTensor(s.y, 0));
  SetSingleOp(g, OpType::kConv2D, {x, w}, y, model::Conv2DOptions{});
  return g;
}

model::Graph Depthwise(const Scales& s) {
  model::Graph g;
  const int32_t x = AddTensor(g, "x", DataType::kInt8, {1, 2, 2, 2}, PerTensor(s.x, 0));
  const int32_t w = AddConstant<int8_t>(g, "w", DataType::kInt8, {1, 1, 1, 2}, {1, -1},
                                        PerChannel({0.5f, s.w}, 3));
  const int32_t y = AddTensor(g, "y", DataType::kInt8, {1, 2, 2, 2}, PerTensor(s.y, 0));
  SetSingleOp(g, OpType::kDepthwiseConv2D, {x, w}, y, model::DepthwiseConv2DOptions{});
  return g;
}

model::Graph FullyConnected(const Scales& s) {
  model::Graph g;
  const int32_t x = AddTensor(g, "x", DataType::kInt8, {1, 2}, PerTensor(s.x, 0));
  const int32_t w =
      AddConstant<int8_t>(g, "w", DataType::kInt8, {1, 2}, {1, -1}, PerChannel({s.w}, 0));
  const int32_t y = AddTensor(g, "y", DataType::kInt8, {1, 1}, PerTensor(s.y, 0));
  SetSingleOp(g, OpType::kFullyConnected, {x, w}, y, model::FullyConnectedOptions{});
  return g;
}

model::Graph Binary(OpType type, const Scales& s) {
  model::Graph g;
  const int32_t x = AddTensor(g, "x", DataType::kInt8, {1, 2}, PerTensor(s.x, 0));
  const int32_t w = AddTensor(g, "w", DataType::kInt8, {1, 2}, PerTensor(s.w, 0));
  const int32_t y = AddTensor(g, "y", DataType::kInt8, {1, 2}, PerTensor(s.y, 0));
  SetSingleOp(g, type, {x, w}, y,
              type == OpType::kMul ? model::OpOptions(model::MulOptions{})
                                   : model::OpOptions(model::AddOptions{}));
  g.inputs = {x, w};
  return g;
}

model::Graph Unary(OpType type, DataType in, DataType out, const Scales& s, int64_t y_zero = 0,
                   model::OpOptions options = {}) {
  model::Graph g;
  const int32_t x = AddTensor(g, "x", in, {1, 4}, PerTensor(s.x, 0));
  const int32_t y = AddTensor(g, "y", out, {1, 4}, PerTensor(s.y, y_zero));
  SetSingleOp(g, type, {x}, y, std::move(options));
  return g;
}

model::Graph Mean(const Scales& s) {
  model::Graph g;
  const int32_t x = AddTensor(g, "x", DataType::kInt8, {1, 4}, PerTensor(s.x, 0));
  const int32_t axis = AddConstant<int32_t>(g, "axis", DataType::kInt32, {1}, {1});
  const int32_t y = AddTensor(g, "y", DataType::kInt8, {1, 1}, PerTensor(s.y, 0));
  model::ReducerOptions options;
  options.keep_dims = true;
  SetSingleOp(g, OpType::kMean, {x, axis}, y, options);
  return g;
}

std::vector<Case> Cases() {
  auto with_y = [](float y) {
    return [y](Scales s) {
      s.y = y;
      return s;
    };
  };
  const auto softmax16 = with_y(1.0f / 32768.0f);
  const auto logistic8 = with_y(1.0f / 256.0f);
  return {
      {"Conv2D", "op 0 (CONV_2D)", true, false, Conv},
      {"Conv2DInt16x8", "op 0 (CONV_2D)", true, false, Conv16x8},
      {"DepthwiseConv2D", "op 0 (DEPTHWISE_CONV_2D)", true, false, Depthwise},
      {"FullyConnected", "op 0 (FULLY_CONNECTED)", true, false, FullyConnected},
      {"Mul", "op 0 (MUL)", true, false, [](const Scales& s) { return Binary(OpType::kMul, s); }},
      {"Add", "op 0 (ADD)", true, false, [](const Scales& s) { return Binary(OpType::kAdd, s); }},
      {"Requantize", "op 0 (QUANTIZE)", false, false,
       [](const Scales& s) {
         return Unary(OpType::kQuantize, DataType::kInt8, DataType::kInt8, s);
       }},
      {"Relu", "op 0 (RELU)", false, false,
       [](const Scales& s) { return Unary(OpType::kRelu, DataType::kInt8, DataType::kInt8, s); }},
      {"HardSwish", "op 0 (HARD_SWISH)", false, false,
       [](const Scales& s) {
         return Unary(OpType::kHardSwish, DataType::kInt8, DataType::kInt8, s);
       }},
      {"Mean", "op 0 (MEAN)", false, false, Mean},
      {"SoftmaxInt16", "op 0 (SOFTMAX)", false, true,
       [softmax16](const Scales& s) {
         return Unary(OpType::kSoftmax, DataType::kInt16, DataType::kInt16, softmax16(s), 0,
                      model::SoftmaxOptions{});
       }},
      {"LogisticInt8", "op 0 (LOGISTIC)", false, true,
       [logistic8](const Scales& s) {
         return Unary(OpType::kLogistic, DataType::kInt8, DataType::kInt8, logistic8(s), -128);
       }},
  };
}

// The error of compiling `graph`, or a test failure if it compiles.
Error CompileError(model::Graph graph) {
  try {
    const CompiledModel compiled(std::move(graph));
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "compiling succeeded";
  return Error("", "");
}

const std::vector<float> kUnusableScales = {std::numeric_limits<float>::quiet_NaN(),
                                            std::numeric_limits<float>::infinity(),
                                            -std::numeric_limits<float>::infinity(),
                                            0.0f,
                                            -0.5f,
                                            1e-45f};

class HostileScale : public ::testing::TestWithParam<Case> {};

TEST_P(HostileScale, CompilesWithOrdinaryScales) {
  EXPECT_NO_THROW(CompiledModel(GetParam().build(Scales{})));
}

TEST_P(HostileScale, RefusesUnusableScalesNamingOpAndTensor) {
  const Case& c = GetParam();
  std::vector<std::pair<const char*, float Scales::*>> targets = {{"x", &Scales::x}};
  if (c.has_w) targets.push_back({"w", &Scales::w});
  if (!c.fixed_output) targets.push_back({"y", &Scales::y});
  for (const auto& [tensor, member] : targets) {
    for (float bad : kUnusableScales) {
      SCOPED_TRACE(std::string(tensor) + " scale " + std::to_string(bad));
      Scales scales;
      scales.*member = bad;
      const Error e = CompileError(c.build(scales));
      EXPECT_EQ(e.place(), c.place);
      EXPECT_THAT(e.what(), HasSubstr("tensor '" + std::string(tensor) + "'"));
    }
  }
}

TEST_P(HostileScale, RefusesAHugeInputScaleAsAnUnrepresentableMultiplier) {
  Scales scales;
  scales.x = 1e30f;
  const Error e = CompileError(GetParam().build(scales));
  EXPECT_EQ(e.place(), GetParam().place);
  // ADD states its own limit on the output multiplier; the others the Q31 limit.
  EXPECT_THAT(e.what(), ::testing::AnyOf(HasSubstr("below 2^31"), HasSubstr("too small")));
}

TEST(HostileScale, PerChannelFilterScaleNamesItsChannel) {
  Scales scales;
  scales.w = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THAT(CompileError(Conv(scales)).what(), HasSubstr("scale of channel 1 nan"));
  scales.w = 1e30f;  // finite and normal, but 0.5 * 1e30 / 1 is no Q31 multiplier
  EXPECT_THAT(
      CompileError(Conv(scales)).what(),
      HasSubstr("input scale * filter scale / output scale of channel 1 is 5.00000008e+29"));
}

INSTANTIATE_TEST_SUITE_P(Ops, HostileScale, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<Case>& param) {
                           return std::string(param.param.name);
                         });

}  // namespace
}  // namespace harness::runtime

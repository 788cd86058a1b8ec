#pragma once
// A small float model for the calibration and quantizer tests: input [1, 8] -> FULLY_CONNECTED
// (4 units, ReLU) -> RESHAPE [1, 1, 1, 4] -> CONV_2D 1x1 (3 channels) -> RESHAPE [1, 3] ->
// SOFTMAX, with seeded weights, and seeded input samples.
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "harness/model/graph.h"

namespace harness::quant::testing {

inline std::vector<float> SeededValues(size_t n, uint64_t seed, float lo, float hi) {
  std::mt19937_64 engine(seed);
  std::vector<float> values(n);
  for (float& v : values) {
    v = lo +
        (hi - lo) * static_cast<float>(static_cast<double>(engine() >> 11) / 9007199254740992.0);
  }
  return values;
}

inline int32_t AddTensor(model::Graph& g, const std::string& name, std::vector<int32_t> shape,
                         model::DataType type = model::DataType::kFloat32) {
  model::Tensor t;
  t.name = name;
  t.type = type;
  t.shape = std::move(shape);
  g.tensors.push_back(std::move(t));
  return static_cast<int32_t>(g.tensors.size() - 1);
}

template <class T>
int32_t AddConstant(model::Graph& g, const std::string& name, std::vector<int32_t> shape,
                    const std::vector<T>& values, model::DataType type) {
  const int32_t index = AddTensor(g, name, std::move(shape), type);
  std::vector<uint8_t> bytes(values.size() * sizeof(T));
  std::memcpy(bytes.data(), values.data(), bytes.size());
  g.tensors.back().buffer = g.AddBuffer(std::move(bytes));
  return index;
}

inline model::Graph SmallFloatModel() {
  using model::DataType;
  using model::OpType;
  model::Graph g;
  g.AddBuffer({});  // buffer 0: the empty sentinel, as in a file
  const int32_t input = AddTensor(g, "input", {1, 8});
  const int32_t fc_w =
      AddConstant(g, "fc/weights", {4, 8}, SeededValues(32, 1, -1, 1), DataType::kFloat32);
  const int32_t fc_b =
      AddConstant(g, "fc/bias", {4}, SeededValues(4, 2, -0.5f, 0.5f), DataType::kFloat32);
  const int32_t fc_out = AddTensor(g, "fc/relu", {1, 4});
  const int32_t shape4 =
      AddConstant(g, "shape4", {4}, std::vector<int32_t>{1, 1, 1, 4}, DataType::kInt32);
  const int32_t reshaped = AddTensor(g, "reshape", {1, 1, 1, 4});
  const int32_t conv_w =
      AddConstant(g, "conv/weights", {3, 1, 1, 4}, SeededValues(12, 3, -2, 2), DataType::kFloat32);
  const int32_t conv_b =
      AddConstant(g, "conv/bias", {3}, SeededValues(3, 4, -1, 1), DataType::kFloat32);
  const int32_t conv_out = AddTensor(g, "conv", {1, 1, 1, 3});
  const int32_t shape2 =
      AddConstant(g, "shape2", {2}, std::vector<int32_t>{1, 3}, DataType::kInt32);
  const int32_t logits = AddTensor(g, "logits", {1, 3});
  const int32_t probabilities = AddTensor(g, "probabilities", {1, 3});

  model::Op fc;
  fc.type = OpType::kFullyConnected;
  fc.inputs = {input, fc_w, fc_b};
  fc.outputs = {fc_out};
  fc.options = model::FullyConnectedOptions{model::Activation::kRelu, false, false};
  model::Op reshape1;
  reshape1.type = OpType::kReshape;
  reshape1.inputs = {fc_out, shape4};
  reshape1.outputs = {reshaped};
  reshape1.options = model::ReshapeOptions{{1, 1, 1, 4}};
  model::Op conv;
  conv.type = OpType::kConv2D;
  conv.inputs = {reshaped, conv_w, conv_b};
  conv.outputs = {conv_out};
  conv.options = model::Conv2DOptions{};
  model::Op reshape2;
  reshape2.type = OpType::kReshape;
  reshape2.inputs = {conv_out, shape2};
  reshape2.outputs = {logits};
  reshape2.options = model::ReshapeOptions{{1, 3}};
  model::Op softmax;
  softmax.type = OpType::kSoftmax;
  softmax.inputs = {logits};
  softmax.outputs = {probabilities};
  softmax.options = model::SoftmaxOptions{1.0f};
  g.ops = {fc, reshape1, conv, reshape2, softmax};
  g.inputs = {input};
  g.outputs = {probabilities};
  return g;
}

// Input sample i of the small model: 8 values in [-3, 3).
inline std::vector<float> SmallModelSample(size_t i) { return SeededValues(8, 100 + i, -3, 3); }

}  // namespace harness::quant::testing

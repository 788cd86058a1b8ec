// Free functions that add tensors, constants and one weighted op to a model::Graph, for the
// tests of CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED whose quantization is per channel
// (which GraphBuilder's per-tensor scale cannot express).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "harness/model/graph.h"

namespace harness::test {

inline model::Quantization PerTensor(float scale, int64_t zero_point) {
  model::Quantization q;
  q.scales = {scale};
  q.zero_points = {zero_point};
  return q;
}

// Symmetric (zero point 0) scales along `dimension`; one scale is per-tensor.
inline model::Quantization PerChannel(std::vector<float> scales, int32_t dimension = 0) {
  model::Quantization q;
  q.zero_points.assign(scales.size(), 0);
  q.scales = std::move(scales);
  q.quantized_dimension = dimension;
  return q;
}

inline int32_t AddTensor(model::Graph& graph, const std::string& name, model::DataType type,
                         std::vector<int32_t> shape, model::Quantization q = {}) {
  model::Tensor t;
  t.name = name;
  t.type = type;
  t.shape = std::move(shape);
  t.quantization = std::move(q);
  graph.tensors.push_back(std::move(t));
  return static_cast<int32_t>(graph.tensors.size() - 1);
}

template <class T>
int32_t AddConstant(model::Graph& graph, const std::string& name, model::DataType type,
                    std::vector<int32_t> shape, const std::vector<T>& values,
                    model::Quantization q = {}) {
  const int32_t index = AddTensor(graph, name, type, std::move(shape), std::move(q));
  std::vector<uint8_t> bytes(values.size() * sizeof(T));
  std::memcpy(bytes.data(), values.data(), bytes.size());
  graph.tensors.back().buffer = graph.AddBuffer(std::move(bytes));
  return index;
}

// Makes `graph` a one-op graph: its input is the op's first input, its output the op's output.
inline void SetSingleOp(model::Graph& graph, model::OpType type, std::vector<int32_t> inputs,
                        int32_t output, model::OpOptions options) {
  model::Op op;
  op.type = type;
  op.inputs = std::move(inputs);
  op.outputs = {output};
  op.options = std::move(options);
  graph.inputs = {op.inputs[0]};
  graph.outputs = {output};
  graph.ops.push_back(std::move(op));
}

}  // namespace harness::test

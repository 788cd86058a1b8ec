// Builds small in-memory graphs tensor by tensor and op by op, so a runtime test reads as the
// graph it checks rather than as model::Graph bookkeeping.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "harness/model/graph.h"

namespace harness::test {

// The raw bytes of `values`, as a constant buffer or a session input holds them.
template <class T>
std::vector<uint8_t> Bytes(const std::vector<T>& values) {
  std::vector<uint8_t> bytes(values.size() * sizeof(T));
  if (!bytes.empty()) std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

class GraphBuilder {
 public:
  // A per-tensor quantized tensor when `scale` > 0, else an unquantized one.
  int32_t Tensor(const std::string& name, model::DataType type, std::vector<int32_t> shape,
                 float scale = 0.0f, int64_t zero_point = 0) {
    model::Tensor t;
    t.name = name;
    t.type = type;
    t.shape = std::move(shape);
    if (scale > 0.0f) {
      t.quantization.scales = {scale};
      t.quantization.zero_points = {zero_point};
    }
    graph_.tensors.push_back(std::move(t));
    return static_cast<int32_t>(graph_.tensors.size() - 1);
  }

  template <class T>
  int32_t Constant(const std::string& name, model::DataType type, std::vector<int32_t> shape,
                   const std::vector<T>& values, float scale = 0.0f, int64_t zero_point = 0) {
    const int32_t index = Tensor(name, type, std::move(shape), scale, zero_point);
    graph_.tensors.back().buffer = graph_.AddBuffer(Bytes(values));
    return index;
  }

  void Op(model::OpType type, std::vector<int32_t> inputs, std::vector<int32_t> outputs,
          model::OpOptions options = {}) {
    model::Op op;
    op.type = type;
    op.inputs = std::move(inputs);
    op.outputs = std::move(outputs);
    op.options = std::move(options);
    graph_.ops.push_back(std::move(op));
  }

  model::Graph Build(std::vector<int32_t> inputs, std::vector<int32_t> outputs) {
    graph_.inputs = std::move(inputs);
    graph_.outputs = std::move(outputs);
    return graph_;
  }

 private:
  model::Graph graph_;
};

}  // namespace harness::test

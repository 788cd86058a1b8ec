#include "harness/model/unused_tensors.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace harness::model {
namespace {

constexpr int32_t kDropped = -1;

// New index of every old one (kDropped when unused), old indices kept in order.
std::vector<int32_t> Renumbering(const std::vector<bool>& used) {
  std::vector<int32_t> renumbered(used.size(), kDropped);
  int32_t next = 0;
  for (size_t i = 0; i < used.size(); ++i) {
    if (used[i]) renumbered[i] = next++;
  }
  return renumbered;
}

}  // namespace

Graph DropUnusedTensors(Graph graph) {
  std::vector<bool> used_tensor(graph.tensors.size(), false);
  auto mark = [&](int32_t index) {
    if (index != kNoTensor) used_tensor[static_cast<size_t>(index)] = true;
  };
  for (const Op& op : graph.ops) {
    for (int32_t t : op.inputs) mark(t);
    for (int32_t t : op.outputs) mark(t);
  }
  for (int32_t t : graph.inputs) mark(t);
  for (int32_t t : graph.outputs) mark(t);

  const std::vector<int32_t> tensor_index = Renumbering(used_tensor);
  auto renumber = [&](std::vector<int32_t>& indices) {
    for (int32_t& t : indices) {
      if (t != kNoTensor) t = tensor_index[static_cast<size_t>(t)];
    }
  };
  for (Op& op : graph.ops) {
    renumber(op.inputs);
    renumber(op.outputs);
  }
  renumber(graph.inputs);
  renumber(graph.outputs);
  std::vector<Tensor> tensors;
  for (size_t i = 0; i < graph.tensors.size(); ++i) {
    if (used_tensor[i]) tensors.push_back(std::move(graph.tensors[i]));
  }
  graph.tensors = std::move(tensors);

  std::vector<bool> used_buffer(graph.buffers.size(), false);
  for (const Tensor& t : graph.tensors) {
    if (t.is_constant()) used_buffer[static_cast<size_t>(t.buffer)] = true;
  }
  const std::vector<int32_t> buffer_index = Renumbering(used_buffer);
  for (Tensor& t : graph.tensors) {
    if (t.is_constant()) t.buffer = buffer_index[static_cast<size_t>(t.buffer)];
  }
  std::vector<std::vector<uint8_t>> buffers;
  for (size_t i = 0; i < graph.buffers.size(); ++i) {
    if (used_buffer[i]) buffers.push_back(std::move(graph.buffers[i]));
  }
  graph.buffers = std::move(buffers);
  return graph;
}

}  // namespace harness::model

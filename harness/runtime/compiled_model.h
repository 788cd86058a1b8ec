#pragma once
// A model ready to run: every op's kernel prepared and the activation memory planned, once.
// A CompiledModel is immutable after construction; each thread executes it through its own
// Session, which owns an arena, so one model serves many threads at once.

#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "harness/model/graph.h"
#include "harness/runtime/op_kernel.h"

namespace harness::runtime {

class Session;

class CompiledModel {
 public:
  // Throws harness::Error naming the first op that cannot run.
  explicit CompiledModel(model::Graph graph);
  ~CompiledModel();
  CompiledModel(const CompiledModel&) = delete;
  CompiledModel& operator=(const CompiledModel&) = delete;

  const model::Graph& graph() const { return graph_; }
  // Bytes of the activation arena (planned tensors only, no per-tensor overhead).
  size_t arena_bytes() const { return arena_bytes_; }
  size_t scratch_bytes() const { return scratch_bytes_; }

  const model::Tensor& input(size_t i) const { return graph_.tensor(graph_.inputs.at(i)); }
  const model::Tensor& output(size_t i) const { return graph_.tensor(graph_.outputs.at(i)); }
  size_t input_bytes(size_t i) const;
  size_t output_bytes(size_t i) const;

  std::unique_ptr<Session> NewSession() const;

 private:
  friend class Session;
  model::Graph graph_;
  std::vector<std::unique_ptr<OpKernel>> kernels_;
  // Arena offset of each tensor; -1 for constants and tensors no op touches.
  std::vector<std::ptrdiff_t> arena_offsets_;
  size_t arena_bytes_ = 0;
  size_t scratch_bytes_ = 0;
};

// One thread's execution state. Write the inputs, Invoke, read the outputs.
class Session {
 public:
  explicit Session(const CompiledModel& model);

  std::span<std::byte> input(size_t i);
  std::span<const std::byte> output(size_t i) const;
  // Data of any tensor after Invoke (activations hold their last value until overwritten by a
  // later op that shares their memory; use for the graph's outputs and for debugging).
  std::span<const std::byte> tensor(int32_t index) const;
  void Invoke();
  // Invoke, calling `after_op(op_index)` once each op has run, while that op's outputs are
  // still valid (later ops may reuse their memory): calibration and per-layer fidelity read
  // intermediate tensors through it.
  void Invoke(const std::function<void(int op_index)>& after_op);

 private:
  const CompiledModel& model_;
  std::vector<std::byte> arena_storage_;
  std::vector<std::byte> scratch_storage_;
  std::vector<std::byte*> pointers_;
  std::byte* scratch_ = nullptr;
};

}  // namespace harness::runtime

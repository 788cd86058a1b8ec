#pragma once
// The interface between the runtime and the op glue. A kernel object is built once per op when
// a model is compiled (types checked, shapes resolved, quantization parameters precomputed) and
// is then immutable: Eval may run on many threads at once, each with its own tensor pointers.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "harness/model/graph.h"

namespace harness::runtime {

// The data of every graph tensor for one execution: constants point into the graph's buffers,
// activations into the executing session's arena.
class TensorPointers {
 public:
  explicit TensorPointers(std::span<std::byte* const> pointers) : pointers_(pointers) {}

  template <class T>
  const T* in(int32_t tensor) const {
    return reinterpret_cast<const T*>(pointers_[static_cast<size_t>(tensor)]);
  }
  template <class T>
  T* out(int32_t tensor) const {
    return reinterpret_cast<T*>(pointers_[static_cast<size_t>(tensor)]);
  }
  bool has(int32_t tensor) const {
    return tensor >= 0 && pointers_[static_cast<size_t>(tensor)] != nullptr;
  }

 private:
  std::span<std::byte* const> pointers_;
};

class OpKernel {
 public:
  virtual ~OpKernel() = default;
  // Bytes of per-execution scratch memory the kernel needs (quantized hybrid inputs and the
  // like); the session hands it a buffer of at least that size, aligned to 64 bytes.
  virtual size_t ScratchBytes() const { return 0; }
  virtual void Eval(const TensorPointers& tensors, std::span<std::byte> scratch) const = 0;
};

// Builds the kernel of graph.ops[op_index]. Throws harness::Error naming the op, its index and
// the reason when the op cannot run (unsupported types, bad shapes, missing constant data).
std::unique_ptr<OpKernel> MakeKernel(const model::Graph& graph, int op_index);

}  // namespace harness::runtime

#pragma once
// The kernel of the ops that only restate a shape (EXPAND_DIMS, SQUEEZE): the input's bytes are
// copied to the output unchanged, as TFLite-Micro's kernels copy them.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "harness/runtime/op_kernel.h"

namespace harness::runtime::ops {

class CopyKernel final : public OpKernel {
 public:
  CopyKernel(int32_t input, int32_t output, size_t bytes)
      : input_(input), output_(output), bytes_(bytes) {}

  void Eval(const TensorPointers& tensors, std::span<std::byte> /*scratch*/) const override {
    if (bytes_ == 0) return;
    std::memmove(tensors.out<std::byte>(output_), tensors.in<std::byte>(input_), bytes_);
  }

 private:
  int32_t input_, output_;
  size_t bytes_;
};

}  // namespace harness::runtime::ops

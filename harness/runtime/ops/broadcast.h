#pragma once
// Glue shared by the elementwise ops (ADD, MUL) and the shape ops (POOL, CONCATENATION, PAD,
// MEAN): checked shapes, the fused activations a clamp can express, equal-quantization checks,
// and the prepared kernel object of a broadcasting binary op.

#include <cstdint>
#include <span>

#include "harness/runtime/op_kernel.h"
#include "harness/runtime/ops/op_util.h"
#include "kernels/shape.h"

namespace harness::runtime::ops {

// ShapeOf with a check that the rank fits kernels::Shape.
kernels::Shape CheckedShape(const OpContext& ctx, const model::Tensor& t, const char* role);

// Throws unless the activation is NONE, RELU, RELU_N1_TO_1 or RELU6 (what a clamp expresses).
void ExpectClampableActivation(const OpContext& ctx, model::Activation activation);

// Throws unless `a` and `b` have the same per-tensor scale and zero point; the message names
// both tensors.
void ExpectSameQuantization(const OpContext& ctx, const model::Tensor& a, const char* role_a,
                            const model::Tensor& b, const char* role_b);

// "unsupported type INT8 -> FLOAT32" for the op's inputs and outputs.
Error UnsupportedTypes(const OpContext& ctx);

// The tensors of a two-input op whose inputs broadcast to its output.
struct BinaryTensors {
  int32_t input1 = 0, input2 = 0, output = 0;
  kernels::Shape shape1, shape2;
  model::DataType type = model::DataType::kFloat32;  // of all three tensors
};

// Checks counts (2 inputs, 1 output), equal types, ranks, that the inputs broadcast and that
// the output has the broadcast shape.
BinaryTensors PrepareBinary(const OpContext& ctx);

// A prepared binary op: Eval calls `function` with the precomputed params.
template <class T, class Params>
class BinaryKernel final : public OpKernel {
 public:
  using Function = void (*)(const Params&, const kernels::Shape&, const T*, const kernels::Shape&,
                            const T*, T*);

  BinaryKernel(Function function, const Params& params, const BinaryTensors& tensors)
      : function_(function), params_(params), tensors_(tensors) {}

  void Eval(const TensorPointers& tensors, std::span<std::byte> /*scratch*/) const override {
    function_(params_, tensors_.shape1, tensors.in<T>(tensors_.input1), tensors_.shape2,
              tensors.in<T>(tensors_.input2), tensors.out<T>(tensors_.output));
  }

 private:
  Function function_;
  Params params_;
  BinaryTensors tensors_;
};

}  // namespace harness::runtime::ops

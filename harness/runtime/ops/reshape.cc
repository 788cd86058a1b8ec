// RESHAPE: the data is copied unchanged; the output shape is the output tensor's own (the
// optional shape input and the new_shape option only restate it).
#include <cstring>

#include "harness/runtime/ops/broadcast.h"
#include "harness/runtime/ops/op_factories.h"

namespace harness::runtime::ops {
namespace {

class ReshapeKernel final : public OpKernel {
 public:
  ReshapeKernel(int32_t input, int32_t output, size_t bytes)
      : input_(input), output_(output), bytes_(bytes) {}

  void Eval(const TensorPointers& tensors, std::span<std::byte> /*scratch*/) const override {
    if (bytes_ == 0) return;
    // memmove: a planner may one day alias a reshape's output with its input.
    std::memmove(tensors.out<std::byte>(output_), tensors.in<std::byte>(input_), bytes_);
  }

 private:
  int32_t input_, output_;
  size_t bytes_;
};

}  // namespace

std::unique_ptr<OpKernel> MakeReshape(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  ctx.ExpectCounts(1, 2, 1);
  const model::Tensor& input = ctx.input(0);
  const model::Tensor& output = ctx.output(0);
  if (input.type != output.type) throw UnsupportedTypes(ctx);
  const int64_t input_count = model::ElementCount(input.shape);
  const int64_t output_count = model::ElementCount(output.shape);
  if (input_count != output_count) {
    throw ctx.Fail("input tensor '" + input.name + "' " + model::ShapeToString(input.shape) +
                   " and output tensor '" + output.name + "' " +
                   model::ShapeToString(output.shape) + " have different element counts");
  }
  if (!input.quantization.empty() && !output.quantization.empty()) {
    ExpectSameQuantization(ctx, input, "input", output, "output");
  }
  const auto bytes = static_cast<size_t>(output_count) * model::ElementSize(output.type);
  return std::make_unique<ReshapeKernel>(ctx.input_index(0), ctx.output_index(0), bytes);
}

}  // namespace harness::runtime::ops

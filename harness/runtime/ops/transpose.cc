// TRANSPOSE: float32, int8 and int16 (TFLite-Micro's types), input of rank 1 to 5, the
// permutation a constant INT32 vector read once here. Elements are moved unchanged, so a
// quantized output carries its input's parameters.
#include "harness/runtime/ops/transpose.h"

#include <memory>
#include <string>
#include <vector>

#include "harness/model/op_registry.h"
#include "harness/runtime/op_kernel.h"
#include "harness/runtime/ops/broadcast.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "harness/runtime/ops/int_constant.h"
#include "harness/runtime/ops/op_util.h"
#include "kernels/reference/transpose.h"

namespace harness::runtime::ops {
namespace {

namespace fb = ::tflite;
namespace ref = kernels::reference;

// TFLite-Micro's TransposePrepare: "Transpose op only supports 1D-5D input arrays".
constexpr int kMaxRank = 5;

class TransposeKernel final : public OpKernel {
 public:
  TransposeKernel(const ref::TransposeParams& params, int32_t input, int32_t output,
                  const kernels::Shape& input_shape, const kernels::Shape& output_shape,
                  size_t element_size)
      : params_(params),
        input_(input),
        output_(output),
        input_shape_(input_shape),
        output_shape_(output_shape),
        element_size_(element_size) {}

  void Eval(const TensorPointers& tensors, std::span<std::byte> /*scratch*/) const override {
    ref::Transpose(params_, input_shape_, tensors.in<std::byte>(input_), element_size_,
                   output_shape_, tensors.out<std::byte>(output_));
  }

 private:
  ref::TransposeParams params_;
  int32_t input_, output_;
  kernels::Shape input_shape_, output_shape_;
  size_t element_size_;
};

std::unique_ptr<OpKernel> MakeTranspose(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  ctx.ExpectCounts(2, 2, 1);
  const model::Tensor& input = ctx.input(0);
  const model::Tensor& output = ctx.output(0);
  if (input.type != model::DataType::kFloat32 && input.type != model::DataType::kInt8 &&
      input.type != model::DataType::kInt16) {
    throw ctx.Fail("input tensor '" + input.name + "' has type " + model::ToString(input.type) +
                   ", expected FLOAT32, INT8 or INT16");
  }
  ctx.ExpectType(output, input.type, "output");
  const kernels::Shape input_shape = CheckedShape(ctx, input, "input");
  const kernels::Shape output_shape = CheckedShape(ctx, output, "output");
  const int rank = input_shape.rank();
  if (rank < 1 || rank > kMaxRank) {
    throw ctx.Fail("input tensor '" + input.name + "' has shape " +
                   model::ShapeToString(input.shape) +
                   "; TFLite-Micro's TRANSPOSE takes ranks 1 to 5");
  }
  const std::vector<int64_t> perm = ReadIntConstant(ctx, 1, "perm", /*int64_allowed=*/false);
  const std::string perm_name = "perm tensor '" + ctx.input(1).name + "'";
  if (ctx.input(1).shape.size() != 1 || perm.size() != static_cast<size_t>(rank)) {
    throw ctx.Fail(perm_name + " has shape " + model::ShapeToString(ctx.input(1).shape) +
                   ", expected [" + std::to_string(rank) + "]");
  }
  ref::TransposeParams params;
  std::vector<int32_t> expected(static_cast<size_t>(rank));
  std::vector<bool> seen(static_cast<size_t>(rank), false);
  for (size_t d = 0; d < perm.size(); ++d) {
    if (perm[d] < 0 || perm[d] >= rank || seen[static_cast<size_t>(perm[d])]) {
      throw ctx.Fail(perm_name + " entry " + std::to_string(d) + " is " + std::to_string(perm[d]) +
                     "; expected a permutation of 0.." + std::to_string(rank - 1));
    }
    seen[static_cast<size_t>(perm[d])] = true;
    params.perm[d] = static_cast<int32_t>(perm[d]);
    expected[d] = input.shape[static_cast<size_t>(perm[d])];
  }
  if (output.shape != expected) {
    throw ctx.Fail("output tensor '" + output.name + "' has shape " +
                   model::ShapeToString(output.shape) + ", expected " +
                   model::ShapeToString(expected));
  }
  return std::make_unique<TransposeKernel>(params, ctx.input_index(0), ctx.output_index(0),
                                           input_shape, output_shape,
                                           model::ElementSize(input.type));
}

// TFLite's op_version.cc: 6 above rank 5, 5 for int16, 4 at rank 5, 2 for int8, else 1.
int32_t TransposeVersion(const model::Graph& graph, const model::Op& op) {
  const size_t rank = op.inputs.empty() ? 0 : graph.tensor(op.inputs[0]).shape.size();
  const model::DataType type = InputType(graph, op, 0);
  if (rank > 5) return 6;
  if (type == model::DataType::kInt16) return 5;
  if (rank > 4) return 4;
  return type == model::DataType::kInt8 ? 2 : 1;
}

const model::OpDescriptor kDescriptor{
    .type = kTranspose,
    .name = "TRANSPOSE",
    .read_options = &model::ReadEmptyOptions<fb::BuiltinOptions::TransposeOptions>,
    .write_options = &model::WriteEmptyOptions<fb::BuiltinOptions::TransposeOptions>,
    .make_kernel = &MakeTranspose,
    .version = &TransposeVersion,
    // TFLite's quantizer: restrict_same_input_output_scale; TFLite-Micro has an int16 kernel.
    .quant = SharedOutputRule(/*moves_data=*/true),
    // No builtin data (ParseTranspose), no Init, nothing allocated in Prepare.
    .arena = NoArenaNeeds(),
    .macs = &model::NoMacs,
    .micro_resolver_call = "AddTranspose",
};
const model::OpRegistration kRegistration(kDescriptor);

}  // namespace
}  // namespace harness::runtime::ops

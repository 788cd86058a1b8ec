// ADD: float with a fused clamp, int8 / int16 with TFLite's input rescaling; the multipliers
// and the activation range are computed once here.
#include "harness/runtime/ops/broadcast.h"
#include "harness/runtime/ops/op_factories.h"
#include "kernels/reference/add.h"

namespace harness::runtime::ops {

namespace ref = kernels::reference;

std::unique_ptr<OpKernel> MakeAdd(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  const BinaryTensors tensors = PrepareBinary(ctx);
  const model::Activation activation = ctx.options<model::AddOptions>().activation;
  ExpectClampableActivation(ctx, activation);

  switch (tensors.type) {
    case model::DataType::kFloat32: {
      const FloatActivationRange range = FloatRange(activation);
      BinaryKernel<float, ref::AddFloatParams>::Function add = &ref::Add;
      return std::make_unique<BinaryKernel<float, ref::AddFloatParams>>(
          add, ref::AddFloatParams{range.min, range.max}, tensors);
    }
    case model::DataType::kInt8:
    case model::DataType::kInt16: {
      const auto [scale1, zero1] = ctx.PerTensorQuantization(ctx.input(0), "input1");
      const auto [scale2, zero2] = ctx.PerTensorQuantization(ctx.input(1), "input2");
      const auto [output_scale, output_zero] = ctx.PerTensorQuantization(ctx.output(0), "output");
      const IntActivationRange range =
          QuantizedRange(activation, tensors.type, output_scale, output_zero);
      const bool is_int16 = tensors.type == model::DataType::kInt16;
      const ref::AddQuantizedParams params =
          ref::MakeAddQuantizedParams(scale1, zero1, scale2, zero2, output_scale, output_zero,
                                      is_int16, range.min, range.max);
      if (is_int16) {
        BinaryKernel<int16_t, ref::AddQuantizedParams>::Function add = &ref::Add;
        return std::make_unique<BinaryKernel<int16_t, ref::AddQuantizedParams>>(add, params,
                                                                                tensors);
      }
      BinaryKernel<int8_t, ref::AddQuantizedParams>::Function add = &ref::Add;
      return std::make_unique<BinaryKernel<int8_t, ref::AddQuantizedParams>>(add, params, tensors);
    }
    default:
      throw UnsupportedTypes(ctx);
  }
}

}  // namespace harness::runtime::ops

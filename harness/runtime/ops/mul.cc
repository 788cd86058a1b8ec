// MUL: float with a fused clamp, int8 / int16 requantizing the product by s1 * s2 / s_out; the
// multiplier and the activation range are computed once here.
#include "harness/runtime/ops/broadcast.h"
#include "harness/runtime/ops/op_factories.h"
#include "kernels/reference/mul.h"

namespace harness::runtime::ops {

namespace ref = kernels::reference;

std::unique_ptr<OpKernel> MakeMul(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  const BinaryTensors tensors = PrepareBinary(ctx);
  const model::Activation activation = ctx.options<model::MulOptions>().activation;
  ExpectClampableActivation(ctx, activation);

  switch (tensors.type) {
    case model::DataType::kFloat32: {
      const FloatActivationRange range = FloatRange(activation);
      BinaryKernel<float, ref::MulFloatParams>::Function mul = &ref::Mul;
      return std::make_unique<BinaryKernel<float, ref::MulFloatParams>>(
          mul, ref::MulFloatParams{range.min, range.max}, tensors);
    }
    case model::DataType::kInt8:
    case model::DataType::kInt16: {
      const auto [scale1, zero1] = ctx.PerTensorQuantization(ctx.input(0), "input1");
      const auto [scale2, zero2] = ctx.PerTensorQuantization(ctx.input(1), "input2");
      const auto [output_scale, output_zero] = ctx.PerTensorQuantization(ctx.output(0), "output");
      const IntActivationRange range =
          QuantizedRange(activation, tensors.type, output_scale, output_zero);
      const ref::MulQuantizedParams params = ref::MakeMulQuantizedParams(
          scale1, zero1, scale2, zero2, output_scale, output_zero, range.min, range.max);
      if (tensors.type == model::DataType::kInt16) {
        // TFLite's int16 MUL is symmetric; an offset would also risk overflowing the product.
        if (zero1 != 0 || zero2 != 0 || output_zero != 0) {
          throw ctx.Fail("int16 MUL needs zero points of 0");
        }
        BinaryKernel<int16_t, ref::MulQuantizedParams>::Function mul = &ref::Mul;
        return std::make_unique<BinaryKernel<int16_t, ref::MulQuantizedParams>>(mul, params,
                                                                                tensors);
      }
      BinaryKernel<int8_t, ref::MulQuantizedParams>::Function mul = &ref::Mul;
      return std::make_unique<BinaryKernel<int8_t, ref::MulQuantizedParams>>(mul, params, tensors);
    }
    default:
      throw UnsupportedTypes(ctx);
  }
}

}  // namespace harness::runtime::ops

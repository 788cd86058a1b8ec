// PAD: the paddings come from a constant INT32 or INT64 [rank, 2] tensor and are read once
// here; the pad value is 0 for float and int32 and the output zero point for int8 / int16 (the
// padding then reads as real 0, as in TFLite-Micro).
#include <array>
#include <cstring>

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/broadcast.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "harness/runtime/ops/op_factories.h"
#include "kernels/reference/pad.h"

namespace harness::runtime::ops {
namespace {

namespace ref = kernels::reference;

class PadKernel final : public OpKernel {
 public:
  PadKernel(const ref::PadParams& params, int32_t input, int32_t output,
            const kernels::Shape& input_shape, const kernels::Shape& output_shape,
            const std::array<std::byte, 8>& pad_value, size_t element_size)
      : params_(params),
        input_(input),
        output_(output),
        input_shape_(input_shape),
        output_shape_(output_shape),
        pad_value_(pad_value),
        element_size_(element_size) {}

  void Eval(const TensorPointers& tensors, std::span<std::byte> /*scratch*/) const override {
    ref::Pad(params_, input_shape_, tensors.in<std::byte>(input_), pad_value_.data(),
             element_size_, output_shape_, tensors.out<std::byte>(output_));
  }

 private:
  ref::PadParams params_;
  int32_t input_, output_;
  kernels::Shape input_shape_, output_shape_;
  std::array<std::byte, 8> pad_value_;  // one element, little-endian
  size_t element_size_;
};

// Paddings as int64 values, row-major [rank, 2], from a constant INT32 or INT64 tensor.
std::vector<int64_t> ReadPaddings(const OpContext& ctx) {
  const model::Tensor& paddings = ctx.input(1);
  if (paddings.type != model::DataType::kInt32 && paddings.type != model::DataType::kInt64) {
    throw ctx.Fail("paddings tensor '" + paddings.name + "' has type " +
                   model::ToString(paddings.type) + ", expected INT32 or INT64");
  }
  const std::vector<uint8_t>& bytes = ctx.ConstantData(1, "paddings");
  const size_t count = static_cast<size_t>(model::ElementCount(paddings.shape));
  std::vector<int64_t> values(count);
  for (size_t i = 0; i < count; ++i) {
    if (paddings.type == model::DataType::kInt32) {
      int32_t v = 0;
      std::memcpy(&v, bytes.data() + i * sizeof(v), sizeof(v));
      values[i] = v;
    } else {
      std::memcpy(&values[i], bytes.data() + i * sizeof(int64_t), sizeof(int64_t));
    }
  }
  return values;
}

}  // namespace

std::unique_ptr<OpKernel> MakePad(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  ctx.ExpectCounts(2, 2, 1);
  const model::Tensor& input = ctx.input(0);
  const model::Tensor& output = ctx.output(0);
  const model::Tensor& paddings = ctx.input(1);
  const kernels::Shape input_shape = CheckedShape(ctx, input, "input");
  const kernels::Shape output_shape = CheckedShape(ctx, output, "output");
  const int rank = input_shape.rank();
  if (paddings.shape != std::vector<int32_t>{rank, 2}) {
    throw ctx.Fail("paddings tensor '" + paddings.name + "' has shape " +
                   model::ShapeToString(paddings.shape) + ", expected [" +
                   std::to_string(rank) + ", 2]");
  }
  const std::vector<int64_t> values = ReadPaddings(ctx);

  ref::PadParams params;
  std::vector<int32_t> expected(static_cast<size_t>(rank));
  for (int d = 0; d < rank; ++d) {
    const auto k = static_cast<size_t>(d);
    const int64_t before = values[2 * k];
    const int64_t after = values[2 * k + 1];
    if (before < 0 || after < 0 || before > INT32_MAX / 2 || after > INT32_MAX / 2) {
      throw ctx.Fail("paddings tensor '" + paddings.name + "' holds an invalid padding (" +
                     std::to_string(before) + ", " + std::to_string(after) + ") for dimension " +
                     std::to_string(d));
    }
    params.before[k] = static_cast<int32_t>(before);
    params.after[k] = static_cast<int32_t>(after);
    expected[k] = input_shape.dim(d) + params.before[k] + params.after[k];
  }
  if (output.shape != expected) {
    throw ctx.Fail("output tensor '" + output.name + "' has shape " +
                   model::ShapeToString(output.shape) + ", expected " +
                   model::ShapeToString(expected));
  }
  if (input.type != output.type) throw UnsupportedTypes(ctx);

  std::array<std::byte, 8> pad_value{};  // zero: float 0.0f and int32 0
  switch (output.type) {
    case model::DataType::kFloat32:
    case model::DataType::kInt32:
      break;
    case model::DataType::kInt8:
    case model::DataType::kInt16: {
      ExpectSameQuantization(ctx, input, "input", output, "output");
      const int32_t zero_point = ctx.PerTensorQuantization(output, "output").second;
      if (output.type == model::DataType::kInt8) {
        const auto v = static_cast<int8_t>(zero_point);
        std::memcpy(pad_value.data(), &v, sizeof(v));
      } else {
        const auto v = static_cast<int16_t>(zero_point);
        std::memcpy(pad_value.data(), &v, sizeof(v));
      }
      break;
    }
    default:
      throw UnsupportedTypes(ctx);
  }
  return std::make_unique<PadKernel>(params, ctx.input_index(0), ctx.output_index(0),
                                     input_shape, output_shape, pad_value,
                                     model::ElementSize(output.type));
}

namespace {

int32_t PadVersion(const model::Graph& graph, const model::Op& op) {
  if (!op.inputs.empty() && graph.tensor(op.inputs[0]).shape.size() > 4) return 4;
  return VersionByActivationType(graph, op);
}

const model::OpDescriptor kPad{
    .type = model::OpType::kPad,
    .name = "PAD",
    .read_options = &model::ReadEmptyOptions<::tflite::BuiltinOptions::PadOptions>,
    .write_options = &model::WriteEmptyOptions<::tflite::BuiltinOptions::PadOptions>,
    .make_kernel = &MakePad,
    .version = &PadVersion,
    .quant = SharedOutputRule(/*moves_data=*/true),
    // PadInit's OpData: PadParams (two int8 counts, two int32[5] paddings, the uint8 resizing
    // category, each padded to four bytes: 13 ints) and the output zero point.
    .arena = {.builtin_data_bytes = 0,
              .op_data_bytes = [](size_t p) { return model::StructBytes(p, 0, 14); },
              .persistent_arrays = &model::NoPersistentArrays,
              .scratch_bytes = &model::NoScratch,
              .output_aliases_input = false},
    .macs = &model::NoMacs,
    .micro_resolver_call = "AddPad",
};
const model::OpRegistration kRegistration(kPad);

}  // namespace

}  // namespace harness::runtime::ops

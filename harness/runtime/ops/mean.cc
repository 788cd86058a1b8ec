// MEAN: the axes come from a constant INT32 tensor and are resolved once here (negative axes
// counted from the end, duplicates ignored, as TFLite's ResolveAxis); the output shape must be
// the input's with the reduced dimensions set to 1 (keep_dims) or dropped. The integer
// requantization parameters, which fold in the element count, are also computed here.
#include <cstring>

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/broadcast.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "harness/runtime/ops/op_factories.h"
#include "kernels/reference/mean.h"

namespace harness::runtime::ops {
namespace {

namespace ref = kernels::reference;

class MeanFloatKernel final : public OpKernel {
 public:
  MeanFloatKernel(int32_t input, int32_t output, const kernels::Shape& input_shape,
                  const ref::ReducedAxes& reduced)
      : input_(input), output_(output), input_shape_(input_shape), reduced_(reduced) {}

  void Eval(const TensorPointers& tensors, std::span<std::byte> /*scratch*/) const override {
    ref::Mean(input_shape_, tensors.in<float>(input_), reduced_, tensors.out<float>(output_));
  }

 private:
  int32_t input_, output_;
  kernels::Shape input_shape_;
  ref::ReducedAxes reduced_;
};

template <class T>
class MeanQuantizedKernel final : public OpKernel {
 public:
  MeanQuantizedKernel(const ref::MeanQuantizedParams& params, int32_t input, int32_t output,
                      const kernels::Shape& input_shape, const ref::ReducedAxes& reduced)
      : params_(params), input_(input), output_(output), input_shape_(input_shape),
        reduced_(reduced) {}

  // One int32 sum per output element.
  size_t ScratchBytes() const override {
    return static_cast<size_t>(ref::MeanOutputCount(input_shape_, reduced_)) * sizeof(int32_t);
  }

  void Eval(const TensorPointers& tensors, std::span<std::byte> scratch) const override {
    ref::Mean(params_, input_shape_, tensors.in<T>(input_), reduced_,
              reinterpret_cast<int32_t*>(scratch.data()), tensors.out<T>(output_));
  }

 private:
  ref::MeanQuantizedParams params_;
  int32_t input_, output_;
  kernels::Shape input_shape_;
  ref::ReducedAxes reduced_;
};

ref::ReducedAxes ResolveAxes(const OpContext& ctx, int rank) {
  const model::Tensor& axis = ctx.input(1);
  ctx.ExpectType(axis, model::DataType::kInt32, "axis");
  const std::vector<uint8_t>& bytes = ctx.ConstantData(1, "axis");
  ref::ReducedAxes reduced{};
  for (size_t i = 0; i < bytes.size() / sizeof(int32_t); ++i) {
    int32_t value = 0;
    std::memcpy(&value, bytes.data() + i * sizeof(value), sizeof(value));
    const int32_t resolved = value < 0 ? value + rank : value;
    if (resolved < 0 || resolved >= rank) {
      throw ctx.Fail("axis tensor '" + axis.name + "' holds axis " + std::to_string(value) +
                     ", out of range for rank " + std::to_string(rank));
    }
    reduced[static_cast<size_t>(resolved)] = true;
  }
  return reduced;
}

}  // namespace

std::unique_ptr<OpKernel> MakeMean(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  ctx.ExpectCounts(2, 2, 1);
  const bool keep_dims = ctx.options<model::ReducerOptions>().keep_dims;
  const model::Tensor& input = ctx.input(0);
  const model::Tensor& output = ctx.output(0);
  const kernels::Shape input_shape = CheckedShape(ctx, input, "input");
  const int rank = input_shape.rank();
  const ref::ReducedAxes reduced = ResolveAxes(ctx, rank);

  std::vector<int32_t> expected;
  for (int d = 0; d < rank; ++d) {
    if (!reduced[static_cast<size_t>(d)]) {
      expected.push_back(input_shape.dim(d));
    } else if (keep_dims) {
      expected.push_back(1);
    }
  }
  if (output.shape != expected) {
    throw ctx.Fail("output tensor '" + output.name + "' has shape " +
                   model::ShapeToString(output.shape) + ", expected " +
                   model::ShapeToString(expected));
  }
  if (input.type != output.type) throw UnsupportedTypes(ctx);

  switch (input.type) {
    case model::DataType::kFloat32:
      return std::make_unique<MeanFloatKernel>(ctx.input_index(0), ctx.output_index(0),
                                               input_shape, reduced);
    case model::DataType::kInt8:
    case model::DataType::kInt16: {
      const auto [input_scale, input_zero] = ctx.PerTensorQuantization(input, "input");
      const auto [output_scale, output_zero] = ctx.PerTensorQuantization(output, "output");
      ExpectRepresentableMultiplier(
          ctx, static_cast<double>(input_scale) / static_cast<double>(output_scale),
          "input scale / output scale");
      const ref::MeanQuantizedParams params = ref::MakeMeanQuantizedParams(
          input_scale, input_zero, output_scale, output_zero,
          ref::ReducedCount(input_shape, reduced));
      if (input.type == model::DataType::kInt16) {
        return std::make_unique<MeanQuantizedKernel<int16_t>>(
            params, ctx.input_index(0), ctx.output_index(0), input_shape, reduced);
      }
      return std::make_unique<MeanQuantizedKernel<int8_t>>(
          params, ctx.input_index(0), ctx.output_index(0), input_shape, reduced);
    }
    default:
      throw UnsupportedTypes(ctx);
  }
}

namespace {

namespace fb = ::tflite;

model::OpOptions ReadReducerOptions(const fb::Operator& op, const std::string& place) {
  model::ReducerOptions options;
  if (const auto* o =
          model::OptionsAs<fb::ReducerOptions>(op, fb::BuiltinOptions::ReducerOptions, place)) {
    options.keep_dims = o->keep_dims();
  }
  return options;
}

std::pair<fb::BuiltinOptions, flatbuffers::Offset<void>> WriteReducerOptions(
    flatbuffers::FlatBufferBuilder& builder, const model::Op& op, const std::string& place) {
  const auto o = model::OptionsOf<model::ReducerOptions>(op, place);
  return {fb::BuiltinOptions::ReducerOptions,
          fb::CreateReducerOptions(builder, o.keep_dims).Union()};
}

// TFLite-Micro's MEAN (reduce.cc, reduce_common.cc): Init allocates OpDataReduce (multiplier,
// shift, two scratch indices, zero points and scales, output element count, axis count: ten
// 4-byte fields); PrepareMeanOrSumHelper requests, for an int8 or int16 input, a scratch buffer of
// one int32 sum per output element, alive while the op runs. Float MEAN sums in its output.
size_t MeanScratchBytes(const model::Graph& graph, const model::Op& op) {
  const model::DataType input = InputType(graph, op, 0);
  if (input != model::DataType::kInt8 && input != model::DataType::kInt16) return 0;
  return sizeof(int32_t) * static_cast<size_t>(OutputElements(graph, op));
}

const model::OpDescriptor kMean{
    .type = model::OpType::kMean,
    .name = "MEAN",
    .read_options = &ReadReducerOptions,
    .write_options = &WriteReducerOptions,
    .make_kernel = &MakeMean,
    .version = &VersionByActivationType,
    .quant = OwnOutputRule(/*int16x8=*/true),
    .arena = {.builtin_data_bytes = 4,  // keep_dims
              .op_data_bytes = [](size_t p) { return model::StructBytes(p, 0, 10); },
              .persistent_arrays = &model::NoPersistentArrays,
              .scratch_bytes = &MeanScratchBytes,
              .output_aliases_input = false},
    .macs = &model::NoMacs,
    .micro_resolver_call = "AddMean",
};
const model::OpRegistration kRegistration(kMean);

}  // namespace

}  // namespace harness::runtime::ops

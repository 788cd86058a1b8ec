#include "harness/model/tflm_refusals.h"

#include <string_view>

#include "harness/common/error.h"

namespace harness::model {
namespace {

// The custom ops TFLite-Micro's op resolver registers (micro_mutable_op_resolver.h) that a
// model converted for an MCU may carry.
constexpr std::string_view kTflmCustomOps[] = {"TFLite_Detection_PostProcess"};

bool IsQuantizedUint8(const Tensor& tensor) {
  return tensor.type == DataType::kUInt8 && !tensor.quantization.empty();
}

}  // namespace

std::string CustomOpRefusal(const std::string& custom_code) {
  const std::string quoted = "'" + custom_code + "'";
  // The converter names TF-select ops "Flex" + the TensorFlow op name.
  if (custom_code.starts_with("Flex")) {
    return "TF-select (Flex) op " + quoted +
           " needs the TensorFlow runtime, which TFLite-Micro cannot run either; re-convert the "
           "model with builtin ops only (converter target_spec.supported_ops = "
           "[TFLITE_BUILTINS_INT8] or [TFLITE_BUILTINS], without SELECT_TF_OPS)";
  }
  for (std::string_view registered : kTflmCustomOps) {
    if (custom_code == registered) {
      return "custom op " + quoted + " runs on TFLite-Micro, but harness has no kernel for it yet";
    }
  }
  return "custom op " + quoted +
         " has no kernel in TFLite-Micro either (it registers only builtin ops and "
         "TFLite_Detection_PostProcess); re-convert the model without custom ops (replace the op "
         "by builtin ones), or run it where its vendor's kernel is registered";
}

std::string SparseTensorRefusal() {
  return "the tensor is stored sparse, which TFLite-Micro cannot run either; re-convert the model "
         "without sparsity (no tf.lite.Optimize.EXPERIMENTAL_SPARSITY) so that its weights are "
         "stored dense";
}

void CheckNoLegacyUint8(const Graph& graph, const Op& op, const OpDescriptor& descriptor,
                        const std::string& place) {
  if (*descriptor.quant.output == OutputParams::kConversion) return;
  auto check = [&](int32_t index) {
    if (index == kNoTensor || !IsQuantizedUint8(graph.tensor(index))) return;
    throw Error(place, "tensor '" + graph.tensor(index).name +
                           "' is quantized UINT8: legacy uint8 quantization, which "
                           "TFLite-Micro's kernels cannot run either (they take int8); "
                           "re-convert the model with int8 full-integer quantization, or "
                           "quantize its float model with `harness quantize --method int8`");
  };
  for (int32_t index : op.inputs) check(index);
  for (int32_t index : op.outputs) check(index);
}

}  // namespace harness::model

#pragma once
// What a model may hold that TFLite-Micro cannot run either, and the message that refuses it:
// it names the op or tensor, says that TFLite-Micro refuses it too (so a user does not wait for
// harness to add it) and what to do instead. The loader asks these while it reads a model.

#include <string>

#include "harness/model/graph.h"
#include "harness/model/op_descriptor.h"

namespace harness::model {

// The refusal of a CUSTOM op by its custom_code: a TF-select (Flex) op, or a custom op that
// TFLite-Micro registers no kernel for; for one it does register
// (TFLite_Detection_PostProcess), a message that harness does not run it yet.
std::string CustomOpRefusal(const std::string& custom_code);

// The refusal of a tensor stored sparse (it has sparsity parameters).
std::string SparseTensorRefusal();

// Throws harness::Error at `place` when `op`, a compute op (anything but a QUANTIZE or
// DEQUANTIZE conversion), reads or writes a quantized UINT8 tensor: the legacy uint8
// quantization that TFLite-Micro's kernels dropped for int8. A uint8 model input converted by
// QUANTIZE is fine.
void CheckNoLegacyUint8(const Graph& graph, const Op& op, const OpDescriptor& descriptor,
                        const std::string& place);

}  // namespace harness::model

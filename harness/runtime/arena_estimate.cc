#include "harness/runtime/arena_estimate.h"

#include <algorithm>
#include <vector>

#include "harness/common/error.h"
#include "harness/model/op_registry.h"

// Where each term comes from (tensorflow/tflite-micro, tensorflow/lite/micro/):
//
// - Activations: micro_allocator.cc CreatePlan() rounds every non-constant tensor up to
//   MicroArenaBufferAlignment() (16) and hands it to GreedyMemoryPlanner with the op index that
//   creates it and the last op index that reads it (graph inputs are created at 0, graph outputs
//   live to the last op). The planner sorts buffers by size, largest first, and places each at the
//   lowest offset that does not collide with an already placed buffer whose lifetime overlaps.
//   PlanMemory implements the same rule. RESHAPE's output is not given its own buffer here: a
//   reshape only relabels its input's bytes, and TFLite-Micro's reshape kernel skips the copy when
//   input and output share memory, so the estimate lets the output alias the input (the input's
//   lifetime is extended to the output's).
// - Scratch buffers: kernels call RequestScratchBufferInArena in Prepare; the requests are planned
//   with the activations, alive during the op that requests them. Each op's descriptor gives its
//   request; the reference (non-CMSIS, non-ESP-NN) kernels of most ops request none: reference
//   CONV_2D has no im2col buffer, int8 SOFTMAX uses no scratch; int8 and int16 MEAN request one
//   int32 per output element.
//   Optimized kernel libraries (CMSIS-NN, ESP-NN) do request some; they are not modelled.
// - TfLiteEvalTensor: MicroAllocator::AllocateTfLiteEvalTensors allocates one per tensor of the
//   subgraph, constants included ({data pointer, dims pointer, TfLiteType}).
// - NodeAndRegistration: AllocateNodeAndRegistrations allocates one per operator (a TfLiteNode,
//   built with TF_LITE_STATIC_MEMORY: six pointers and an int, plus the registration pointer).
// - Graph inputs and outputs: MicroInterpreter keeps a persistent TfLiteTensor for each
//   (AllocatePersistentTfLiteTensor), and a quantized one also gets a TfLiteAffineQuantization and
//   a zero-point TfLiteIntArray in the persistent section, each at its type's alignment.
// - Per-op data: the builtin options struct parsed by flatbuffer_conversions (allocated through
//   MicroBuiltinDataAllocator), the kernel's OpData from Init (AllocatePersistentBuffer, 16-byte
//   aligned), and the buffers Prepare allocates with AllocatePersistentBuffer (16-byte aligned):
//   CONV_2D's and DEPTHWISE_CONV_2D's two int32 arrays of one entry per output channel
//   (per_channel_output_multiplier and per_channel_output_shift), the same two arrays for an int8
//   FULLY_CONNECTED with per-channel weights, int16 SOFTMAX's two 513-entry lookup tables. Each
//   op's descriptor gives its sizes.
// - Fixed: the SimpleMemoryAllocator, MicroAllocator, MicroBuiltinDataAllocator,
//   SubgraphAllocations, GreedyMemoryPlanner and the interpreter's graph object, all placed in
//   the arena's tail (MicroAllocator::Create, StartModelAllocation).
//
// Struct sizes are not read from TFLite-Micro headers (the harness does not depend on them); they
// are counted from the field lists above for the given pointer width, and are therefore
// approximate to a few bytes per struct.

namespace harness::runtime {
namespace {

size_t AlignUp(size_t value, size_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

size_t TensorBytes(const model::Tensor& t) {
  return static_cast<size_t>(model::ElementCount(t.shape)) * model::ElementSize(t.type);
}

size_t StructBytes(const ArenaAbi& abi, size_t pointers, size_t ints) {
  return model::StructBytes(abi.pointer_bytes, pointers, ints);
}

size_t EvalTensorBytes(const ArenaAbi& abi) { return StructBytes(abi, 2, 1); }
size_t NodeAndRegistrationBytes(const ArenaAbi& abi) {
  return AlignUp(StructBytes(abi, 6, 1) + abi.pointer_bytes, abi.pointer_bytes);
}
// TfLiteTensor under TF_LITE_STATIC_MEMORY: type, data, dims, params {scale, zero_point},
// allocation_type, bytes, quantization {type, params}, is_variable. Each 4-byte field that sits
// between pointers takes a pointer's room on a 64-bit target.
size_t TfLiteTensorBytes(const ArenaAbi& abi) {
  const size_t p = abi.pointer_bytes;
  return p /*type*/ + p /*data*/ + p /*dims*/ + 8 /*params*/ + p /*allocation_type*/ +
         p /*bytes*/ + 2 * p /*quantization*/ + p /*is_variable*/;
}

// The builtin options struct, the kernel's OpData and Prepare's persistent arrays of one op, as
// its descriptor gives them, each aligned as the arena aligns it.
size_t OpDataBytes(const model::Graph& graph, const model::Op& op, const ArenaAbi& abi) {
  const model::ArenaNeeds& needs = model::GetOp(op.type).arena;
  size_t bytes = AlignUp(*needs.builtin_data_bytes, kTflmArenaAlignment);
  bytes += AlignUp((*needs.op_data_bytes)(abi.pointer_bytes), kTflmArenaAlignment);
  for (size_t array : (*needs.persistent_arrays)(graph, op))
    bytes += AlignUp(array, kTflmArenaAlignment);
  return bytes;
}

// The allocator places these structs at their own alignment (alignof, the pointer width), not at
// the 16 bytes of the buffers kernels request; each size below is already a multiple of it.
size_t PersistentTensorBytes(const model::Tensor& t, const ArenaAbi& abi) {
  size_t bytes = TfLiteTensorBytes(abi);
  if (!t.quantization.empty()) {
    bytes += StructBytes(abi, 2, 1);  // TfLiteAffineQuantization
    bytes += AlignUp(4 + 4 * t.quantization.scales.size(), abi.pointer_bytes);  // zero points
  }
  return bytes;
}

}  // namespace

size_t TflmGreedyPlanBytes(const std::vector<TflmBuffer>& buffers) {
  // Visiting order: GreedyMemoryPlanner fills its sort array from the back (buffer n-1 first)
  // and then runs a stable descending sort by size, so among equal sizes the buffer added last
  // is placed first. runtime::PlanMemory breaks ties the other way (first use, then index), which
  // on VWW changes the plan by a 9 KiB buffer; hence this separate, TFLM-ordered plan.
  std::vector<size_t> order(buffers.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = order.size() - 1 - i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return buffers[a].bytes > buffers[b].bytes; });

  struct Placed {
    size_t offset;
    size_t index;
  };
  std::vector<Placed> placed;  // sorted by offset; equal offsets keep placement order
  size_t total = 0;
  for (size_t index : order) {
    const TflmBuffer& wanted = buffers[index];
    size_t candidate = 0;
    for (const Placed& p : placed) {
      const TflmBuffer& other = buffers[p.index];
      if (other.first_step > wanted.last_step || wanted.first_step > other.last_step) continue;
      // `other` is the next buffer alive at the same time: take the gap before it if it is
      // large enough, otherwise move past it.
      if (p.offset >= candidate && p.offset - candidate >= wanted.bytes) break;
      candidate = std::max(candidate, p.offset + other.bytes);
    }
    total = std::max(total, candidate + wanted.bytes);
    const auto at = std::upper_bound(placed.begin(), placed.end(), candidate,
                                     [](size_t offset, const Placed& p) { return offset < p.offset; });
    placed.insert(at, Placed{candidate, index});
  }
  return total;
}

namespace {

std::vector<TflmBuffer> ActivationBuffers(const model::Graph& graph) {
  const size_t tensor_count = graph.tensors.size();
  const int op_count = static_cast<int>(graph.ops.size());
  const int last_op = std::max(op_count - 1, 0);
  std::vector<int> first(tensor_count, -1), last(tensor_count, -1);
  auto check = [&](int32_t t) {
    if (t < 0 || static_cast<size_t>(t) >= tensor_count)
      throw Error("arena estimate", "tensor index " + std::to_string(t) + " out of range");
  };
  auto touch = [&](int32_t t, int step) {
    if (t == model::kNoTensor) return;
    check(t);
    if (graph.tensor(t).is_constant()) return;
    const auto i = static_cast<size_t>(t);
    if (first[i] < 0 || step < first[i]) first[i] = step;
    last[i] = std::max(last[i], step);
  };
  for (int32_t t : graph.inputs) touch(t, 0);
  for (int i = 0; i < op_count; ++i) {
    for (int32_t t : graph.ops[static_cast<size_t>(i)].inputs) touch(t, i);
    for (int32_t t : graph.ops[static_cast<size_t>(i)].outputs) touch(t, i);
  }
  for (int32_t t : graph.outputs) touch(t, last_op);

  // RESHAPE outputs alias their input: merge the output's lifetime into the input's. Ops run in
  // order, so a chain of reshapes resolves to its first input.
  std::vector<int32_t> alias(tensor_count, -1);
  for (const model::Op& op : graph.ops) {
    if (!*model::GetOp(op.type).arena.output_aliases_input || op.inputs.empty() ||
        op.outputs.empty()) {
      continue;
    }
    int32_t source = op.inputs[0];
    const int32_t target = op.outputs[0];
    if (source < 0 || graph.tensor(source).is_constant()) continue;
    while (alias[static_cast<size_t>(source)] >= 0) source = alias[static_cast<size_t>(source)];
    alias[static_cast<size_t>(target)] = source;
    auto& s = last[static_cast<size_t>(source)];
    s = std::max(s, last[static_cast<size_t>(target)]);
  }

  std::vector<TflmBuffer> buffers;
  for (size_t t = 0; t < tensor_count; ++t) {
    if (first[t] < 0 || alias[t] >= 0) continue;
    buffers.push_back({AlignUp(TensorBytes(graph.tensors[t]), kTflmArenaAlignment), first[t],
                       last[t]});
  }
  return buffers;
}

// Scratch buffers each op requests in Prepare, alive while the op runs (its descriptor).
std::vector<TflmBuffer> ScratchBuffers(const model::Graph& graph) {
  std::vector<TflmBuffer> buffers;
  for (size_t i = 0; i < graph.ops.size(); ++i) {
    const model::Op& op = graph.ops[i];
    const size_t bytes = (*model::GetOp(op.type).arena.scratch_bytes)(graph, op);
    const int step = static_cast<int>(i);
    if (bytes > 0) buffers.push_back({AlignUp(bytes, kTflmArenaAlignment), step, step});
  }
  return buffers;
}

}  // namespace

ArenaEstimate EstimateArena(const model::Graph& graph, ArenaAbi abi) {
  ArenaEstimate estimate;
  // TFLite-Micro plans scratch buffers together with the activations (added after them); the
  // scratch term is what they add to the plan.
  std::vector<TflmBuffer> buffers = ActivationBuffers(graph);
  estimate.activation_bytes = TflmGreedyPlanBytes(buffers);
  const std::vector<TflmBuffer> scratch = ScratchBuffers(graph);
  if (!scratch.empty()) {
    buffers.insert(buffers.end(), scratch.begin(), scratch.end());
    estimate.scratch_bytes = TflmGreedyPlanBytes(buffers) - estimate.activation_bytes;
  }

  estimate.eval_tensor_bytes =
      AlignUp(EvalTensorBytes(abi) * graph.tensors.size(), kTflmArenaAlignment);
  estimate.node_bytes =
      AlignUp(NodeAndRegistrationBytes(abi) * graph.ops.size(), kTflmArenaAlignment);

  for (int32_t t : graph.inputs) estimate.io_tensor_bytes += PersistentTensorBytes(graph.tensor(t), abi);
  for (int32_t t : graph.outputs)
    estimate.io_tensor_bytes += PersistentTensorBytes(graph.tensor(t), abi);
  // The interpreter's arrays of pointers to those tensors.
  estimate.io_tensor_bytes +=
      AlignUp(abi.pointer_bytes * graph.inputs.size(), kTflmArenaAlignment) +
      AlignUp(abi.pointer_bytes * graph.outputs.size(), kTflmArenaAlignment);

  for (const model::Op& op : graph.ops) estimate.op_data_bytes += OpDataBytes(graph, op, abi);

  // Bookkeeping objects, in pointer-sized words (vtable and fields): SimpleMemoryAllocator 8,
  // MicroAllocator 10, MicroBuiltinDataAllocator 2, SubgraphAllocations 2,
  // GreedyMemoryPlanner 12 (array pointers, counters). Placed with placement new at their own
  // alignment, the pointer width.
  for (size_t words : {8, 10, 2, 2, 12}) estimate.fixed_bytes += words * abi.pointer_bytes;
  return estimate;
}

}  // namespace harness::runtime

#pragma once
// An estimate of the tensor arena TFLite-Micro needs for a model, before any device runs it:
// the number a firmware writes as kTensorArenaSize and a report prints as `arena_bytes`.
//
// TFLite-Micro carves one arena into a head (activations and scratch buffers, planned over tensor
// lifetimes by GreedyMemoryPlanner) and a tail (persistent structures: one TfLiteEvalTensor per
// tensor, one NodeAndRegistration per op, each op's builtin options and OpData with its
// per-channel multipliers and shifts, TfLiteTensor structs for the graph's inputs and outputs, and
// the allocator and planner objects themselves). Each term below mirrors one of those
// allocations; struct sizes depend on the pointer width, so the ABI is a parameter.

#include <cstddef>
#include <vector>

#include "harness/model/graph.h"

namespace harness::runtime {

// Sizes that depend on the target's pointer width. Host64 matches an x86-64 TFLite-Micro build
// (where the MLPerf Tiny arena figures were recorded); Mcu32 matches a 32-bit MCU (ESP32-S3,
// Cortex-M), where every pointer-holding struct is smaller.
struct ArenaAbi {
  size_t pointer_bytes = 8;
  static ArenaAbi Host64() { return {8}; }
  static ArenaAbi Mcu32() { return {4}; }
};

struct ArenaEstimate {
  size_t activation_bytes = 0;   // GreedyMemoryPlanner-like plan of the non-constant tensors
  size_t scratch_bytes = 0;      // scratch buffers the reference kernels request (planned too)
  size_t eval_tensor_bytes = 0;  // TfLiteEvalTensor per tensor of the subgraph
  size_t io_tensor_bytes = 0;    // persistent TfLiteTensor (+ quantization) per graph input/output
  size_t node_bytes = 0;         // NodeAndRegistration per op
  size_t op_data_bytes = 0;      // builtin options, kernel OpData, per-channel multipliers/shifts
  size_t fixed_bytes = 0;        // allocator, planner and interpreter bookkeeping objects

  size_t head_bytes() const { return activation_bytes + scratch_bytes; }
  size_t tail_bytes() const {
    return eval_tensor_bytes + io_tensor_bytes + node_bytes + op_data_bytes + fixed_bytes;
  }
  size_t total_bytes() const { return head_bytes() + tail_bytes(); }
};

// TFLite-Micro aligns arena buffers to 16 bytes (MicroArenaBufferAlignment).
inline constexpr size_t kTflmArenaAlignment = 16;

// One buffer for TflmGreedyPlanBytes: bytes (already rounded to the alignment) and the first and
// last op index during which it must stay intact (both inclusive).
struct TflmBuffer {
  size_t bytes = 0;
  int first_step = 0;
  int last_step = 0;
};

// The arena head that TFLite-Micro's GreedyMemoryPlanner needs for `buffers` (given in the order
// the allocator adds them: by tensor index): largest first, ties broken as that planner's sort
// breaks them, each placed in the first gap between simultaneously live buffers that fits.
size_t TflmGreedyPlanBytes(const std::vector<TflmBuffer>& buffers);

// Throws harness::Error when the graph names a tensor that does not exist.
ArenaEstimate EstimateArena(const model::Graph& graph, ArenaAbi abi = ArenaAbi::Host64());

// The arena on the device: 32-bit MCU struct sizes. The one number the report prints as
// `arena_bytes`, mixed precision weighs and `export-c` writes (with a margin) as
// kTensorArenaSize.
inline ArenaEstimate EstimateDeviceArena(const model::Graph& graph) {
  return EstimateArena(graph, ArenaAbi::Mcu32());
}

}  // namespace harness::runtime

#pragma once
// Per-layer benchmarks: each op of a compiled model cut out into a model of its own, with the
// input values the op sees in a full inference, so Google Benchmark can time one op in its own
// loop (real and CPU time both meaningful, no timer calls between ops of one inference, whose
// cost would swamp a small op).
//
// A one-op model holds only that op's tensors: its constant inputs keep their data, its other
// inputs become model inputs (in the order the op reads them, each once) and its outputs model
// outputs. The arena layout differs from the full model's; the arithmetic does not.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "harness/model/graph.h"
#include "harness/runtime/compiled_model.h"

namespace harness::bench {

// graph.ops[op_index] alone, as described above.
model::Graph ExtractOp(const model::Graph& graph, int op_index);

struct SingleOpModel {
  std::string name;  // "op07_CONV_2D": index zero-padded to the width of the largest index
  int op_index = 0;
  int64_t macs = 0;  // model::CostOf of the op
  std::unique_ptr<runtime::CompiledModel> model;
  std::vector<std::vector<std::byte>> inputs;  // one per model input
};

// Runs `model` once on `inputs` (the bytes of each model input, in order) and cuts out every
// op, with the values its non-constant inputs held just before it ran. Throws harness::Error
// unless there is one input of the right size per model input.
std::vector<SingleOpModel> SplitIntoOps(const runtime::CompiledModel& model,
                                        const std::vector<std::vector<std::byte>>& inputs);

}  // namespace harness::bench

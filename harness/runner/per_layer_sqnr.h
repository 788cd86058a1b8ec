#pragma once
// Per-layer fidelity: the SQNR of every activation of a quantized model against the fp32
// model's activation of the same name, over the first few validation samples. Tells which
// layer loses the signal when a result's output SQNR drops.

#include <vector>

#include "harness/eval/dataset.h"
#include "harness/runner/run_result.h"
#include "harness/runtime/compiled_model.h"

namespace harness::runner {

inline constexpr size_t kPerLayerSamples = 4;

// Tensors are matched by name; each op output of `quantized` that has a float32 counterpart in
// `reference` with as many elements gets one entry, in `quantized`'s op order. Windowed sets use
// each sample's first window.
std::vector<LayerSqnr> PerLayerSqnr(const runtime::CompiledModel& reference,
                                    const runtime::CompiledModel& quantized,
                                    const eval::Dataset& set, size_t samples = kPerLayerSamples);

}  // namespace harness::runner

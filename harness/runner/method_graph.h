#pragma once
// The model one method of a suite makes of a prepared model. `harness run` (result_job.h) and
// `harness bench` both build their models here, so the two always measure the same model.
//
// The method starts from the context's float graph and calibration or, with the
// `equalization` option, from the cross-layer-equalized graph and its own calibration; `mixed`
// runs its sensitivity search (mixed_method.h), every other method quant::Quantize.

#include <optional>

#include "harness/model/graph.h"
#include "harness/quant/method.h"
#include "harness/runner/model_context.h"
#include "harness/runner/run_result.h"
#include "harness/suite/suite.h"
#include "harness/suite/target.h"

namespace harness::runner {

struct MethodGraph {
  model::Graph graph;
  std::optional<MixedPrecision> mixed;  // the search's record, for `mixed` only
};

// The quantizer's options for a suite method entry.
quant::QuantizeOptions QuantizeOptionsOf(const suite::MethodSpec& spec);

// `context` prepared with the needs of `spec` (NeedsOf). Throws harness::Error.
MethodGraph BuildMethodGraph(const ModelContext& context, const suite::MethodSpec& spec,
                             const suite::Target& target);

}  // namespace harness::runner

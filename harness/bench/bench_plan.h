#pragma once
// What `harness bench` times: for every selected result of a suite (model x method, the ids of
// `harness run`), the model exactly as `harness run` writes it (quantized with the runner's
// per-model calibration, serialized and read back), its inputs (every model input from the
// first validation sample, as the runner's latency figure), and each of its ops cut out on its
// own (single_op_model.h).

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "harness/bench/single_op_model.h"
#include "harness/runtime/compiled_model.h"
#include "harness/suite/suite.h"

namespace harness::bench {

struct ModelBenchmark {
  std::string id;  // "digits/int8/minmax"
  std::unique_ptr<runtime::CompiledModel> model;
  // One per model input, in model order, prepared from validation sample 0.
  std::vector<std::vector<std::byte>> inputs;
  int64_t macs = 0;
  std::vector<SingleOpModel> ops;
};

// `only`: a glob over result ids as `harness run --only` (empty: all). Calibrates each model
// once, as the runner does. `log` (nullable) gets one line per model. Throws harness::Error
// naming the suite entry or the result at fault, or the command line when `only` selects none.
std::vector<ModelBenchmark> PrepareBenchmarks(const suite::Suite& suite, const std::string& only,
                                              std::ostream* log);

}  // namespace harness::bench

#pragma once
// Checks a model against the TFLite quantization spec
// (tensorflow.org/lite/performance/quantization_spec) and, optionally, against what a target
// runs, before anyone flashes it. Every finding names its rule, the op and the tensor.
//
// Rules (id: what is checked; severity):
//   weight-zero-point   int8 weights of CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED are
//                       symmetric: every zero point 0                                   error
//   weight-range        int8 weight values lie in [-127, 127]; -128 breaks the symmetric
//                       range the optimized kernels rely on                              error
//   per-axis            per-axis weights are quantized on the output-channel dimension
//                       (conv 0, depthwise 3, FC 0) with one scale per channel           error
//   bias-type           the bias of an int8 op is INT32 (INT64 for int16 activations)    error
//   bias-zero-point     bias zero points are 0                                           error
//   bias-scale          bias scale = input scale * weight scale[c], relative 1e-5 (the
//                       product rounded to float32 once or twice is within 2.4e-7)      error
//   accumulator-range   bias + worst-case products of every output channel fit the
//                       accumulator TFLite-Micro uses: int32, or [-2^47, 2^47) with an
//                       int64 bias (accumulator_check.h)                                 error
//   activation-zero-point  int8 activations: zero point in [-128, 127]; int16: 0;
//                       one scale per tensor                                             error
//   fixed-output        SOFTMAX / LOGISTIC int8 output 1/256, -128; TANH 1/128, 0;
//                       int16: 1/32768, 0                                                error
//   equal-params        RESHAPE, pooling, CONCATENATION, PAD: inputs and output share
//                       scale and zero point                                             error
//   op-version          the version TFLite assigns for the types (op_version.h): lower
//                       is an error (the runtime picks the wrong kernel), higher a warning
//   target-op           (with a target) the op is not registered on the target           error
//   target-type         (with a target) a tensor type the target does not have           error
//   hybrid-op           (with a target without hybrid kernels) float activations with int8
//                       weights                                                          error
//   float-op            (with a target) the op computes in float32                      warning

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "harness/model/graph.h"
#include "harness/quant/lint_target.h"

namespace harness::quant {

enum class LintSeverity { kWarning, kError };
const char* ToString(LintSeverity severity);

struct LintFinding {
  std::string rule;
  LintSeverity severity = LintSeverity::kError;
  int32_t op_index = -1;   // -1: not tied to one op
  std::string tensor;      // the tensor's name, empty when the finding is about the op
  std::string message;
};

struct LintReport {
  std::vector<LintFinding> findings;  // in op order, then in rule order within an op

  size_t errors() const;
  size_t warnings() const;
  bool has_errors() const { return errors() > 0; }
};

LintReport Lint(const model::Graph& graph, const LintTarget& target = LintTarget::SpecOnly());

// "op 3 CONV_2D, tensor 'conv/weights': weight-zero-point: error: ..." one line per finding.
void PrintLintReport(const model::Graph& graph, const LintReport& report, std::ostream& out);

}  // namespace harness::quant

#pragma once
// What a deployment target runs, for `harness lint --target`: the builtin ops and tensor types
// its TFLite-Micro build registers. The quant layer cannot see the suite layer's target
// definitions, so the known targets are listed here.

#include <optional>
#include <set>
#include <string>

#include "harness/model/graph.h"

namespace harness::quant {

struct LintTarget {
  std::string name;  // empty: check the quantization spec only, no target rules
  std::set<model::OpType> ops;
  std::set<model::DataType> types;
  // TFLite-Micro has no hybrid kernels (float activations, int8 weights) and refuses them.
  bool runs_hybrid_ops = true;
  // Ops computing in float run, but slowly on an MCU without a strong FPU: a warning.
  bool float_ops_are_slow = false;

  bool checks_target() const { return !name.empty(); }

  // Spec rules only.
  static LintTarget SpecOnly() { return {}; }
  // TFLite-Micro (esp-tflite-micro) on the ESP32-S3: every op the harness runs is registered
  // by TFLite-Micro's op resolver, with float32, int8, int16 activations, int32 / int64 biases
  // and shapes. It has no FLOAT16 tensors: its DEQUANTIZE takes int8, int16 and uint8 only.
  static LintTarget Esp32S3();
};

// The target of that name ("esp32-s3"), or nullopt.
std::optional<LintTarget> FindLintTarget(const std::string& name);
// The names FindLintTarget knows, for messages.
std::string KnownLintTargets();

}  // namespace harness::quant

#pragma once
// The device a suite measures for: how much memory it has, which builtin ops its TFLite-Micro
// build runs and which tensor types its kernels handle. The runner checks each quantized model
// against it (arena against SRAM, model size against flash, ops and types against the lists).
//
// Built-in targets (pick one by name, `target: esp32-s3`):
//
//   esp32-s3   512 KiB internal SRAM = 524288 bytes, 8 MiB flash = 8388608 bytes (the common
//              ESP32-S3-WROOM-1 N8 module; PSRAM is not counted: the tensor arena must fit the
//              internal SRAM to run at full speed). Ops: every builtin op TFLite-Micro's
//              MicroMutableOpResolver registers (TfLiteMicroOpNames()). Types: int8, int16
//              (the activations of int16x8 models) and float32; float32 is allowed but flagged
//              as slow, since the S3 has a single-precision FPU but no float SIMD, and
//              TFLite-Micro's optimized kernels (esp-nn) are integer-only.
//
// A custom target is a mapping in the suite (see docs/suite-format.md).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace harness::suite {

// The tensor element types a target's kernels compute in (activations; int32 biases and
// int8/float16 weights follow from the method and are not listed).
enum class ElementType { kInt8, kInt16, kFloat32 };
const char* ToString(ElementType type);
// Every accepted spelling, in declaration order: "int8", "int16", "float32".
std::span<const char* const> ElementTypeNames();

struct Target {
  std::string name;
  int64_t sram_bytes = 0;
  int64_t flash_bytes = 0;
  std::vector<std::string> ops;         // builtin op names as in the TFLite schema: "CONV_2D"
  std::vector<ElementType> types;       // types the kernels run
  std::vector<ElementType> slow_types;  // subset of `types` that runs, but slowly: flagged

  bool SupportsOp(std::string_view op) const;
  bool SupportsType(ElementType type) const;
  bool IsSlow(ElementType type) const;
};

// The builtin ops TFLite-Micro can run (the names of MicroMutableOpResolver's Add* builtins),
// sorted. A custom target's `ops` must be drawn from this list.
std::span<const char* const> TfLiteMicroOpNames();

// The built-in target with this name, or nullptr.
const Target* FindBuiltinTarget(std::string_view name);
// The names of the built-in targets, for "valid targets are ..." messages.
std::vector<std::string> BuiltinTargetNames();

}  // namespace harness::suite

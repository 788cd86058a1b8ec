#pragma once
// What a TFLite-Micro firmware needs to run a model the harness wrote, as C++ source
// (`harness export-c`): the model bytes as an aligned array laid out as `xxd -i` lays it out,
// the op resolver registrations the model needs, a tensor arena size, and golden test vectors
// (inputs as the model sees them and the outputs the harness computed) for an on-device
// host-versus-device parity check.
//
// The generated files compile without TFLite-Micro headers: the resolver function sits behind
// `#ifdef HARNESS_EXPORT_WITH_TFLM` in the header, for firmware that defines it.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "harness/eval/dataset.h"
#include "harness/model/graph.h"
#include "harness/runtime/arena_estimate.h"
#include "harness/runtime/compiled_model.h"

namespace harness::report {

// One model input of the golden vectors: every run's prepared bytes, in the input's type.
struct GoldenInput {
  std::string name;  // the model's input tensor
  model::DataType type = model::DataType::kFloat32;
  size_t elements = 0;           // per run
  std::vector<std::byte> bytes;  // count * elements elements
};

// The first `count` model runs over a set (sample-major, window by window for a windowed set):
// each run's prepared bytes of every model input (in model order) and output bytes, in the
// model's input and output types.
struct GoldenVectors {
  size_t count = 0;
  std::vector<GoldenInput> inputs;  // one per model input
  model::DataType output_type = model::DataType::kFloat32;
  size_t output_elements = 0;      // per run
  std::vector<std::byte> outputs;  // count * output_elements elements
};

// Throws harness::Error(set path, ...) when the set has fewer than `count` runs, lacks one of
// the model's inputs or does not fit one.
GoldenVectors ComputeGoldenVectors(const runtime::CompiledModel& model, const eval::Dataset& set,
                                   size_t count);

// The MicroMutableOpResolver methods the graph needs ("AddConv2D", ...), sorted, each once.
std::vector<std::string> ResolverCalls(const model::Graph& graph);

// kTensorArenaSize written to the header: the estimate plus a safety margin (see the .cc).
size_t ArenaSizeWithMargin(const runtime::ArenaEstimate& estimate);

struct CExportInput {
  std::string array_name = "g_model";       // a C identifier; other symbols take it as prefix
  std::string header_file = "model_data.h";  // the name the .cc includes
  std::string model_label;                   // where the bytes came from, for the comment
  const std::vector<uint8_t>* model_bytes = nullptr;
  const model::Graph* graph = nullptr;       // the graph loaded from model_bytes
  const GoldenVectors* vectors = nullptr;    // optional
};

struct CExportFiles {
  std::string source;  // model_data.cc
  std::string header;  // model_data.h
};

// Throws harness::Error("export-c", ...) when the name is not a C identifier or a golden value
// cannot be written as a C literal (a non-finite float).
CExportFiles RenderCExport(const CExportInput& input);

}  // namespace harness::report

#include "harness/report/c_export.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <set>
#include <span>
#include <sstream>

#include "harness/common/error.h"
#include "harness/eval/inference.h"
#include "harness/eval/input_feeder.h"
#include "harness/eval/input_preparer.h"
#include "harness/model/op_registry.h"

namespace harness::report {
namespace {

using model::DataType;

constexpr size_t kBytesPerLine = 12;  // as `xxd -i` writes them
constexpr size_t kValuesPerLine = 16;

bool IsCIdentifier(const std::string& name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

const char* CType(DataType type) {
  switch (type) {
    case DataType::kFloat32: return "float";
    case DataType::kInt8: return "int8_t";
    case DataType::kUInt8: return "uint8_t";
    case DataType::kInt16: return "int16_t";
    case DataType::kInt32: return "int32_t";
    default:
      throw Error("export-c", std::string("golden vectors of type ") + model::ToString(type) +
                                  " cannot be written");
  }
}

// Element `i` of `bytes` (holding `type` values) as a C literal. Floats use 9 significant digits,
// which round-trip every float32 exactly, so the firmware compares against the host's bits.
std::string Literal(const std::vector<std::byte>& bytes, DataType type, size_t i) {
  const std::byte* p = bytes.data() + i * model::ElementSize(type);
  char text[32];
  switch (type) {
    case DataType::kFloat32: {
      float v;
      std::memcpy(&v, p, sizeof v);
      if (!std::isfinite(v)) throw Error("export-c", "a golden output is not finite");
      std::snprintf(text, sizeof text, "%.9gf", static_cast<double>(v));
      // "1f" is not a float literal; make sure there is a '.' or an exponent.
      std::string s = text;
      if (s.find_first_of(".e") == std::string::npos) s.insert(s.size() - 1, ".0");
      return s;
    }
    case DataType::kInt8: return std::to_string(static_cast<int>(static_cast<int8_t>(*p)));
    case DataType::kUInt8: return std::to_string(static_cast<int>(static_cast<uint8_t>(*p)));
    case DataType::kInt16: {
      int16_t v;
      std::memcpy(&v, p, sizeof v);
      return std::to_string(v);
    }
    case DataType::kInt32: {
      int32_t v;
      std::memcpy(&v, p, sizeof v);
      // INT32_MIN has no literal of its own in C.
      return v == INT32_MIN ? "(-2147483647 - 1)" : std::to_string(v);
    }
    default: return CType(type);  // throws
  }
}

void WriteArray(std::ostream& out, const std::string& name, DataType type, size_t rows,
                size_t columns, const std::vector<std::byte>& bytes) {
  out << "alignas(16) const " << CType(type) << " " << name << "[" << rows << "][" << columns
      << "] = {\n";
  for (size_t r = 0; r < rows; ++r) {
    out << "  {";
    for (size_t c = 0; c < columns; ++c) {
      if (c % kValuesPerLine == 0) out << "\n    ";
      out << Literal(bytes, type, r * columns + c) << (c + 1 < columns ? "," : "");
      if (c + 1 < columns && (c + 1) % kValuesPerLine != 0) out << " ";
    }
    out << "\n  },\n";
  }
  out << "};\n";
}

std::string ArenaComment(const runtime::ArenaEstimate& e) {
  std::ostringstream s;
  s << "// Tensor arena: TFLite-Micro-like estimate (harness runtime/arena_estimate.h, 32-bit MCU\n"
    << "// struct sizes, the report's arena_bytes) " << e.total_bytes() << " bytes:\n"
    << "//   activations " << e.activation_bytes << ", scratch " << e.scratch_bytes
    << ", eval tensors " << e.eval_tensor_bytes << ", input/output tensors "
    << e.io_tensor_bytes << ",\n"
    << "//   nodes " << e.node_bytes << ", op data " << e.op_data_bytes << ", allocator objects "
    << e.fixed_bytes << ".\n"
    << "// kTensorArenaSize adds 10 % + 1 KiB: the estimate was within 3.1 % of TFLite-Micro's\n"
    << "// recording allocator on the MLPerf Tiny models, and optimized kernels (CMSIS-NN, ESP-NN)\n"
    << "// request scratch buffers the estimate does not model. Check\n"
    << "// MicroInterpreter::arena_used_bytes() on the device and trim if memory is tight.\n";
  return s.str();
}

}  // namespace

GoldenVectors ComputeGoldenVectors(const runtime::CompiledModel& model, const eval::Dataset& set,
                                   size_t count) {
  const size_t windows = set.windows_per_sample();
  const size_t available = set.size() * windows;
  if (count == 0 || count > available) {
    throw Error(set.path(), "asked for " + std::to_string(count) + " golden vectors, the set has " +
                                std::to_string(available) + " model runs");
  }
  GoldenVectors v;
  v.count = count;
  v.output_type = model.output(0).type;
  // Each model input from the set input that feeds it, as `harness infer` feeds them.
  const eval::InputFeeder feeder(set, model);
  for (size_t k = 0; k < feeder.input_count(); ++k) {
    const eval::InputPreparer& preparer = feeder.preparer(k);
    GoldenInput& input = v.inputs.emplace_back();
    input.name = model.input(k).name;
    input.type = model.input(k).type;
    input.elements = preparer.element_count();
    input.bytes.resize(count * preparer.byte_size());
    for (size_t run = 0; run < count; ++run) {
      preparer.Prepare(run / windows, run % windows,
                       std::span<std::byte>(input.bytes.data() + run * preparer.byte_size(),
                                            preparer.byte_size()));
    }
  }
  // The outputs come from the same path as `harness infer`, so they are its outputs.
  const size_t samples = (count + windows - 1) / windows;
  const eval::OutputBatch batch = eval::RunOnDataset(model, set, samples);
  v.output_elements = batch.run_bytes / model::ElementSize(v.output_type);
  v.outputs.assign(batch.data.begin(),
                   batch.data.begin() + static_cast<std::ptrdiff_t>(count * batch.run_bytes));
  return v;
}

std::vector<std::string> ResolverCalls(const model::Graph& graph) {
  std::set<std::string> calls;
  for (const model::Op& op : graph.ops) calls.insert(*model::GetOp(op.type).micro_resolver_call);
  return {calls.begin(), calls.end()};
}

size_t ArenaSizeWithMargin(const runtime::ArenaEstimate& estimate) {
  const size_t total = estimate.total_bytes();
  const size_t with_margin = total + total / 10 + 1024;
  return (with_margin + 15) / 16 * 16;
}

CExportFiles RenderCExport(const CExportInput& in) {
  if (!IsCIdentifier(in.array_name)) {
    throw Error("export-c", "--name '" + in.array_name + "' is not a C identifier");
  }
  if (!in.model_bytes || !in.graph) throw Error("export-c", "no model given");
  const std::string& name = in.array_name;
  const std::vector<uint8_t>& bytes = *in.model_bytes;
  const std::vector<std::string> calls = ResolverCalls(*in.graph);
  // The same estimate as the report's arena_bytes.
  const runtime::ArenaEstimate arena = runtime::EstimateDeviceArena(*in.graph);

  std::ostringstream h;
  h << "// Generated by `harness export-c` from " << in.model_label << ". Do not edit.\n"
    << "#pragma once\n\n#include <stdint.h>\n\n"
    << "extern const unsigned char " << name << "[];\n"
    << "extern const unsigned int " << name << "_len;\n\n"
    << ArenaComment(arena)
    << "constexpr int kTensorArenaSize = " << ArenaSizeWithMargin(arena) << ";\n\n"
    << "// The ops this model needs. Define HARNESS_EXPORT_WITH_TFLM before including this header\n"
    << "// (after the TFLite-Micro headers are available) to get RegisterOps:\n"
    << "//   tflite::MicroMutableOpResolver<" << calls.size() << "> resolver;\n"
    << "//   RegisterOps(resolver);\n"
    << "constexpr int " << name << "_op_count = " << calls.size() << ";\n"
    << "#ifdef HARNESS_EXPORT_WITH_TFLM\n"
    << "#include \"tensorflow/lite/micro/micro_mutable_op_resolver.h\"\n"
    << "static inline TfLiteStatus RegisterOps(tflite::MicroMutableOpResolver<" << calls.size()
    << ">& r) {\n";
  for (const std::string& call : calls) h << "  TF_LITE_ENSURE_STATUS(r." << call << "());\n";
  h << "  return kTfLiteOk;\n}\n#endif  // HARNESS_EXPORT_WITH_TFLM\n";

  std::ostringstream cc;
  cc << "// Generated by `harness export-c` from " << in.model_label << ". Do not edit.\n"
     << "#include \"" << in.header_file << "\"\n\n"
     << "// TFLite-Micro reads the flatbuffer in place; 16-byte alignment keeps its tensors aligned.\n"
     << "alignas(16) const unsigned char " << name << "[] = {";
  char hex[8];
  for (size_t i = 0; i < bytes.size(); ++i) {
    cc << (i % kBytesPerLine == 0 ? "\n  " : " ");
    std::snprintf(hex, sizeof hex, "0x%02x", bytes[i]);
    cc << hex << (i + 1 < bytes.size() ? "," : "");
  }
  cc << "\n};\n"
     << "const unsigned int " << name << "_len = " << bytes.size() << ";\n";

  if (in.vectors) {
    const GoldenVectors& v = *in.vectors;
    h << "\n// Golden vectors: the first " << v.count
      << " model inputs of the set, prepared as the\n"
      << "// model sees them, and the outputs the harness computed for them. Run each input on\n"
      << "// the device and compare the output"
      << (v.output_type == DataType::kFloat32 ? " (float: within a small tolerance)"
                                              : " (integer kernels: exactly)")
      << ".\n"
      << "constexpr int " << name << "_golden_count = " << v.count << ";\n";
    // A model of one input keeps the names firmware already uses (_golden_inputs); a model of
    // several gets one array per input, _golden_inputs_<k> for model input k.
    const bool several = v.inputs.size() > 1;
    if (several) {
      h << "constexpr int " << name << "_golden_input_count = " << v.inputs.size() << ";\n";
    }
    for (size_t k = 0; k < v.inputs.size(); ++k) {
      const GoldenInput& input = v.inputs[k];
      std::string array = name;
      array += "_golden_inputs";
      std::string elements = name;
      elements += "_golden_input_elements";
      if (several) {
        array += '_';
        array += std::to_string(k);
        elements = array;
        elements += "_elements";
        h << "// Model input " << k << ": '" << input.name << "'.\n";
      }
      h << "constexpr int " << elements << " = " << input.elements << ";\n"
        << "extern const " << CType(input.type) << " " << array << "[" << v.count << "]["
        << input.elements << "];\n";
      cc << "\n";
      WriteArray(cc, array, input.type, v.count, input.elements, input.bytes);
    }
    h << "constexpr int " << name << "_golden_output_elements = " << v.output_elements << ";\n"
      << "extern const " << CType(v.output_type) << " " << name << "_golden_outputs[" << v.count
      << "][" << v.output_elements << "];\n";
    cc << "\n";
    WriteArray(cc, name + "_golden_outputs", v.output_type, v.count, v.output_elements,
               v.outputs);
  }
  return {cc.str(), h.str()};
}

}  // namespace harness::report

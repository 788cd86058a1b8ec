// `harness inspect MODEL.tflite`: what a model holds, as a table a reviewer can read.

#include <iomanip>
#include <ostream>
#include <sstream>

#include "harness/cli/args.h"
#include "harness/cli/commands.h"
#include "harness/common/error.h"
#include "harness/model/model_file.h"
#include "harness/model/op_costs.h"
#include "harness/runtime/compiled_model.h"

namespace harness::cli {
namespace {

std::string Quantization(const model::Tensor& t) {
  const auto& q = t.quantization;
  if (q.empty()) return "-";
  std::ostringstream s;
  s << std::setprecision(6);
  if (q.per_axis()) {
    s << q.scales.size() << " scales on axis " << q.quantized_dimension;
  } else {
    s << "scale " << q.scales[0] << " zp " << (q.zero_points.empty() ? 0 : q.zero_points[0]);
  }
  return s.str();
}

std::string Describe(const model::Tensor& t) {
  return "'" + t.name + "' " + model::ToString(t.type) + " " + model::ShapeToString(t.shape) +
         "  " + Quantization(t);
}

// The type and quantization of an op's first constant input (its weights), if any.
std::string WeightsOf(const model::Graph& graph, const model::Op& op) {
  for (size_t i = 1; i < op.inputs.size(); ++i) {
    const int32_t t = op.inputs[i];
    if (t >= 0 && graph.tensor(t).is_constant()) {
      const auto& w = graph.tensor(t);
      return std::string(model::ToString(w.type)) + " " + model::ShapeToString(w.shape);
    }
  }
  return "-";
}

}  // namespace

int RunInspect(const std::vector<std::string>& args, std::ostream& out) {
  const Args parsed(FindCommand("inspect"), args);
  const std::string& path = parsed.positional()[0];
  const model::Graph graph = model::LoadModelFile(path);
  const model::GraphCost cost = model::CostOf(graph);

  out << "model: " << path << "\n";
  if (!graph.description.empty()) out << "description: " << graph.description << "\n";
  out << "inputs:\n";
  for (int32_t t : graph.inputs) out << "  " << Describe(graph.tensor(t)) << "\n";
  out << "outputs:\n";
  for (int32_t t : graph.outputs) out << "  " << Describe(graph.tensor(t)) << "\n";

  out << "ops:\n";
  out << "  " << std::left << std::setw(4) << "#" << std::setw(19) << "op" << std::setw(4) << "v"
      << std::setw(20) << "output shape" << std::setw(9) << "type" << std::setw(30)
      << "output quantization" << std::setw(22) << "weights" << std::right << std::setw(12)
      << "MACs" << std::setw(12) << "param bytes"
      << "\n";
  for (size_t i = 0; i < graph.ops.size(); ++i) {
    const model::Op& op = graph.ops[i];
    const model::Tensor* output = op.outputs.empty() ? nullptr : &graph.tensor(op.outputs[0]);
    out << "  " << std::left << std::setw(4) << i << std::setw(19) << model::ToString(op.type)
        << std::setw(4) << op.version << std::setw(20)
        << (output ? model::ShapeToString(output->shape) : "-") << std::setw(9)
        << (output ? model::ToString(output->type) : "-") << std::setw(30)
        << (output ? Quantization(*output) : "-") << std::setw(22) << WeightsOf(graph, op)
        << std::right << std::setw(12) << cost.ops[i].macs << std::setw(12)
        << cost.ops[i].parameter_bytes << "\n";
  }

  out << "totals: " << graph.ops.size() << " ops, " << cost.macs << " MACs, "
      << cost.parameter_bytes << " parameter bytes";
  // The activation plan needs every op to be runnable; a model harness cannot run still
  // inspects, without the arena figure.
  try {
    const runtime::CompiledModel compiled{model::Graph(graph)};
    out << ", " << compiled.arena_bytes() << " activation bytes (planned)";
  } catch (const Error& e) {
    out << "\nnot runnable: " << e.what();
  }
  out << "\n";
  return 0;
}

}  // namespace harness::cli

#include "harness/runner/per_layer_sqnr.h"

#include <algorithm>
#include <cstring>
#include <map>

#include "harness/eval/input_feeder.h"
#include "harness/eval/metrics/fidelity.h"
#include "harness/eval/task_metrics.h"

namespace harness::runner {
namespace {

// Every op output of `model` on one prepared input, as float, keyed by tensor index.
std::map<int32_t, std::vector<float>> Activations(const runtime::CompiledModel& model,
                                                  const eval::InputFeeder& feeder, size_t sample) {
  std::map<int32_t, std::vector<float>> values;
  auto session = model.NewSession();
  feeder.Fill(sample, 0, *session);
  const model::Graph& graph = model.graph();
  session->Invoke([&](int op_index) {
    for (int32_t t : graph.ops[static_cast<size_t>(op_index)].outputs) {
      const model::Tensor& tensor = graph.tensor(t);
      if (tensor.type == model::DataType::kFloat32 || !tensor.quantization.empty())
        values[t] = eval::DequantizeOutputs(tensor, session->tensor(t));
    }
  });
  return values;
}

}  // namespace

std::vector<LayerSqnr> PerLayerSqnr(const runtime::CompiledModel& reference,
                                    const runtime::CompiledModel& quantized,
                                    const eval::Dataset& set, size_t samples) {
  const model::Graph& ref_graph = reference.graph();
  const model::Graph& q_graph = quantized.graph();
  std::map<std::string, int32_t> ref_by_name;
  for (size_t t = 0; t < ref_graph.tensors.size(); ++t)
    ref_by_name.emplace(ref_graph.tensors[t].name, static_cast<int32_t>(t));

  const eval::InputFeeder ref_inputs(set, reference);
  const eval::InputFeeder q_inputs(set, quantized);
  // Concatenated over samples, so each layer gets one SQNR over all of them.
  std::map<int32_t, std::pair<std::vector<float>, std::vector<float>>> pairs;
  for (size_t s = 0; s < std::min(samples, set.size()); ++s) {
    auto ref = Activations(reference, ref_inputs, s);
    auto q = Activations(quantized, q_inputs, s);
    for (auto& [t, values] : q) {
      auto it = ref_by_name.find(q_graph.tensor(t).name);
      if (it == ref_by_name.end() || !ref.count(it->second)) continue;
      const auto& r = ref.at(it->second);
      if (r.size() != values.size()) continue;
      auto& [ref_all, q_all] = pairs[t];
      ref_all.insert(ref_all.end(), r.begin(), r.end());
      q_all.insert(q_all.end(), values.begin(), values.end());
    }
  }
  std::vector<LayerSqnr> result;
  for (size_t op = 0; op < q_graph.ops.size(); ++op) {
    for (int32_t t : q_graph.ops[op].outputs) {
      auto it = pairs.find(t);
      if (it == pairs.end()) continue;
      result.push_back({q_graph.tensor(t).name, eval::SqnrDb(it->second.first, it->second.second),
                        static_cast<int32_t>(op), model::ToString(q_graph.ops[op].type)});
    }
  }
  return result;
}

}  // namespace harness::runner

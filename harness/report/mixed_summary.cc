#include "harness/report/mixed_summary.h"

#include <map>

#include "harness/report/text_format.h"

namespace harness::report {
namespace {

std::string Fixed(double value) {
  std::string text = FormatSigned(value, 2);
  // Scores are levels, not changes: no sign unless negative.
  if (!text.empty() && text.front() == '+') text.erase(0, 1);
  return text;
}

std::string LayerName(const runner::MixedLayer& layer) {
  return "op " + std::to_string(layer.op_index) + " " + layer.op_type;
}

}  // namespace

std::string DescribeMixedSelection(const runner::MixedPrecision& mixed) {
  // Kept layers grouped by precision, each group in the order the selection chose them.
  std::map<std::string, std::string> kept;
  for (int32_t op : mixed.kept_ops) {
    for (const runner::MixedLayer& layer : mixed.layers) {
      if (layer.op_index != op) continue;
      std::string& group = kept[layer.precision];
      group += (group.empty() ? "" : ", ") + LayerName(layer) + " (" + layer.tensor + ")";
    }
  }
  std::string text;
  if (kept.empty()) text = "every layer int8";
  for (const auto& [precision, layers] : kept) {
    text += (text.empty() ? "kept " : "; kept ") + precision + ": " + layers;
  }
  text += "; " + mixed.metric + " on the calibration set: fp32 " + Fixed(mixed.fp32_score) +
          ", int8 " + Fixed(mixed.int8_score) + ", mixed " + Fixed(mixed.final_score) + " " +
          mixed.unit + "; budget " + Fixed(mixed.budget) + " " + mixed.unit + ": " +
          (mixed.budget_met ? "met" : "not met");
  return text;
}

std::string DescribeMixedSensitivities(const runner::MixedPrecision& mixed) {
  std::string text = "sensitivity (" + mixed.unit + "):";
  std::string separator = " ";
  for (const runner::MixedLayer& layer : mixed.layers) {
    text += separator + LayerName(layer) + " " + FormatSigned(layer.sensitivity, 2);
    separator = ", ";
  }
  return text;
}

}  // namespace harness::report

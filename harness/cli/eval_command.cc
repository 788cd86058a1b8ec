// `harness eval MODEL --data SET.h5 [--task T] [--json] [--samples N] [--dequantize-weights]`:
// the task metrics of one model on one set (eval/task_metrics.h), as a table or as one JSON
// object whose `metrics` use DESIGN.md's names.

#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>

#include "harness/cli/args.h"
#include "harness/cli/commands.h"
#include "harness/common/error.h"
#include "harness/eval/dataset.h"
#include "harness/eval/task_metrics.h"
#include "harness/model/weight_dequantization.h"
#include "harness/runtime/compiled_model.h"
#include "harness/runtime/runnable_graph.h"

namespace harness::cli {
namespace {

eval::Task ParseTask(const std::string& name) {
  if (name == "classification") return eval::Task::kClassification;
  if (name == "anomaly") return eval::Task::kAnomaly;
  if (name == "detection") return eval::Task::kDetection;
  throw Error("command line",
              "--task '" + name + "': expected classification, anomaly or detection");
}

// A JSON string literal: quotes, backslashes and control characters escaped.
std::string JsonString(const std::string& text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      quoted += '\\';
      quoted += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\u%04x", static_cast<unsigned>(c));
      quoted += escaped;
    } else {
      quoted += c;
    }
  }
  return quoted + "\"";
}

// 17 significant digits: the double reads back exactly. JSON has no NaN or infinity.
std::string JsonNumber(double value) {
  if (!std::isfinite(value)) return "null";
  char text[32];
  std::snprintf(text, sizeof(text), "%.17g", value);
  return text;
}

std::string ClassName(const eval::Dataset& set, int index) {
  const auto& names = set.class_names();
  return static_cast<size_t>(index) < names.size() ? names[static_cast<size_t>(index)]
                                                   : std::to_string(index);
}

void PrintJson(const std::string& model_path, const eval::Dataset& set, const eval::TaskMetrics& m,
               std::ostream& out) {
  out << "{\"model\": " << JsonString(model_path) << ", \"data\": " << JsonString(set.path())
      << ", \"task\": " << JsonString(eval::ToString(m.task)) << ", \"samples\": " << m.samples
      << ", \"metrics\": {";
  if (m.task == eval::Task::kClassification) {
    out << "\"accuracy\": " << JsonNumber(m.accuracy) << ", \"top5\": " << JsonNumber(m.top5)
        << ", \"confusion_matrix\": [";
    for (int t = 0; t < m.num_classes; ++t) {
      out << (t ? ", [" : "[");
      for (int p = 0; p < m.num_classes; ++p) {
        out << (p ? ", " : "") << m.confusion_matrix->count(t, p);
      }
      out << "]";
    }
    out << "], \"per_class\": [";
    for (size_t c = 0; c < m.per_class.size(); ++c) {
      const eval::ClassScores& s = m.per_class[c];
      out << (c ? ", " : "") << "{\"class\": " << JsonString(ClassName(set, static_cast<int>(c)))
          << ", \"precision\": " << JsonNumber(s.precision)
          << ", \"recall\": " << JsonNumber(s.recall) << ", \"f1\": " << JsonNumber(s.f1)
          << ", \"support\": " << s.support << "}";
    }
    out << "], \"macro_f1\": " << JsonNumber(m.macro_f1);
  } else if (m.task == eval::Task::kDetection) {
    out << "\"map\": " << JsonNumber(m.map) << ", \"map50\": " << JsonNumber(m.map50);
  } else {
    out << "\"auc\": " << JsonNumber(m.auc);
  }
  out << "}}\n";
}

void PrintTable(const std::string& model_path, const eval::Dataset& set, const eval::TaskMetrics& m,
                std::ostream& out) {
  out << "model: " << model_path << "\ndata: " << set.path() << "\ntask: " << eval::ToString(m.task)
      << ", " << m.samples << " samples\n";
  char text[160];
  if (m.task == eval::Task::kAnomaly) {
    std::snprintf(text, sizeof(text), "auc       %.4f\n", m.auc);
    out << text;
    return;
  }
  if (m.task == eval::Task::kDetection) {
    std::snprintf(text, sizeof(text), "map       %.4f\nmap50     %.4f\n", m.map, m.map50);
    out << text;
    return;
  }
  std::snprintf(text, sizeof(text), "accuracy  %.2f %%\ntop5      %.2f %%\nmacro_f1  %.4f\n",
                100.0 * m.accuracy, 100.0 * m.top5, m.macro_f1);
  out << text << "\nclass                 precision  recall     f1  support\n";
  for (size_t c = 0; c < m.per_class.size(); ++c) {
    const eval::ClassScores& s = m.per_class[c];
    std::snprintf(text, sizeof(text), "%-20s  %9.4f  %6.4f  %6.4f  %7lld\n",
                  ClassName(set, static_cast<int>(c)).c_str(), s.precision, s.recall, s.f1,
                  static_cast<long long>(s.support));
    out << text;
  }
  out << "\nconfusion matrix (rows: true class, columns: predicted)\n";
  for (int t = 0; t < m.num_classes; ++t) {
    for (int p = 0; p < m.num_classes; ++p) {
      std::snprintf(text, sizeof(text), "%6lld",
                    static_cast<long long>(m.confusion_matrix->count(t, p)));
      out << text;
    }
    out << "\n";
  }
}

}  // namespace

int RunEval(const std::vector<std::string>& args, std::ostream& out) {
  const Args parsed(FindCommand("eval"), args);
  const std::string& model_path = parsed.positional()[0];
  eval::EvalOptions options;
  if (auto task = parsed.option("--task")) options.task = ParseTask(*task);
  options.max_samples = parsed.count("--samples");

  model::Graph graph = runtime::LoadRunnableModel(model_path);
  // As `harness infer`: a hybrid model runs with hybrid kernels unless its float-dequantized
  // equivalent is asked for.
  if (parsed.flag("--dequantize-weights")) graph = model::DequantizeHybridWeights(std::move(graph));
  const runtime::CompiledModel compiled(std::move(graph));
  const eval::Dataset set = eval::Dataset::Open(parsed.required("--data"));
  const eval::TaskMetrics metrics = eval::EvaluateTask(compiled, set, options);
  if (parsed.flag("--json")) {
    PrintJson(model_path, set, metrics, out);
  } else {
    PrintTable(model_path, set, metrics, out);
  }
  return 0;
}

}  // namespace harness::cli

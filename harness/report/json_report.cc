#include "harness/report/json_report.h"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include "harness/common/error.h"
#include "harness/report/atomic_file.h"
#include "harness/report/comparison_json.h"

namespace harness::report {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;
using runner::RunReport;

// ---- writing ----

ordered_json Number(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return value;
}

template <typename T>
void PutOptional(ordered_json& object, const char* key, const std::optional<T>& value) {
  if (!value) return;
  if constexpr (std::is_same_v<T, double>) {
    object[key] = Number(*value);
  } else {
    object[key] = *value;
  }
}

ordered_json MetricsJson(const runner::TaskMetrics& m) {
  ordered_json j = ordered_json::object();
  PutOptional(j, "accuracy", m.accuracy);
  PutOptional(j, "top5", m.top5);
  if (!m.confusion_matrix.empty()) j["confusion_matrix"] = m.confusion_matrix;
  if (!m.per_class.empty()) {
    ordered_json rows = ordered_json::array();
    for (const auto& c : m.per_class) {
      rows.push_back({{"class", c.class_index},
                      {"precision", Number(c.precision)},
                      {"recall", Number(c.recall)},
                      {"f1", Number(c.f1)},
                      {"support", c.support}});
    }
    j["per_class"] = std::move(rows);
  }
  PutOptional(j, "macro_f1", m.macro_f1);
  PutOptional(j, "map", m.map);
  PutOptional(j, "map50", m.map50);
  PutOptional(j, "auc", m.auc);
  return j;
}

ordered_json FidelityJson(const runner::Fidelity& f) {
  ordered_json j = ordered_json::object();
  PutOptional(j, "top1_agreement", f.top1_agreement);
  PutOptional(j, "sqnr_db", f.sqnr_db);
  if (!f.per_layer_sqnr.empty()) {
    ordered_json layers = ordered_json::array();
    for (const auto& layer : f.per_layer_sqnr) {
      ordered_json entry = {{"tensor", layer.tensor}, {"sqnr_db", Number(layer.sqnr_db)}};
      if (layer.op_index >= 0) {
        entry["op_index"] = layer.op_index;
        entry["op"] = layer.op_type;
      }
      layers.push_back(std::move(entry));
    }
    j["per_layer_sqnr"] = std::move(layers);
  }
  return j;
}

ordered_json ComparisonJson(const runner::PairedComparison& c) {
  ordered_json j = {{"other", c.other_id},
                    {"test", c.test},
                    {"metric", c.metric},
                    {"difference", Number(c.difference)}};
  PutOptional(j, "p_value", c.p_value);
  PutOptional(j, "ci_low", c.ci_low);
  PutOptional(j, "ci_high", c.ci_high);
  j["significant"] = c.significant;
  return j;
}

ordered_json MixedJson(const runner::MixedPrecision& m) {
  ordered_json layers = ordered_json::array();
  for (const auto& layer : m.layers) {
    layers.push_back({{"op_index", layer.op_index},
                      {"op_type", layer.op_type},
                      {"tensor", layer.tensor},
                      {"sensitivity", Number(layer.sensitivity)},
                      {"precision", layer.precision}});
  }
  return {{"metric", m.metric},
          {"unit", m.unit},
          {"budget", Number(m.budget)},
          {"budget_met", m.budget_met},
          {"fp32_score", Number(m.fp32_score)},
          {"int8_score", Number(m.int8_score)},
          {"final_score", Number(m.final_score)},
          {"layers", std::move(layers)},
          {"kept_ops", m.kept_ops}};
}

std::string Bits(const std::vector<uint8_t>& values) {
  std::string bits;
  bits.reserve(values.size());
  for (uint8_t b : values) bits.push_back(b ? '1' : '0');
  return bits;
}

// The per-sample outcomes a later run (or another tool) pairs with: bit strings for 0/1 values,
// arrays for scores, and per detection image [class, score, true-positive bits] triples and
// [class, boxes] pairs.
ordered_json PerSampleJson(const runner::ResultRecord& r) {
  ordered_json j = ordered_json::object();
  if (!r.per_sample_correct.empty()) j["correct"] = Bits(r.per_sample_correct);
  if (!r.per_sample_top5.empty()) j["top5_correct"] = Bits(r.per_sample_top5);
  if (!r.per_sample_agrees.empty()) j["agrees_with_fp32"] = Bits(r.per_sample_agrees);
  if (!r.per_sample_label.empty()) j["label"] = Bits(r.per_sample_label);
  if (!r.per_sample_score.empty()) {
    ordered_json scores = ordered_json::array();
    for (double score : r.per_sample_score) scores.push_back(Number(score));
    j["score"] = std::move(scores);
  }
  if (!r.per_image.empty()) {
    ordered_json images = ordered_json::array();
    for (const auto& image : r.per_image) {
      ordered_json detections = ordered_json::array();
      for (const auto& d : image.detections) {
        detections.push_back(ordered_json::array(
            {d.class_id, Number(static_cast<double>(d.score)), d.true_positive}));
      }
      ordered_json truth = ordered_json::array();
      for (const auto& [class_id, count] : image.truth) truth.push_back({class_id, count});
      images.push_back({{"detections", std::move(detections)}, {"truth", std::move(truth)}});
    }
    j["images"] = std::move(images);
  }
  return j;
}

ordered_json ResultJson(const runner::ResultRecord& r, const JsonOptions& options) {
  ordered_json j = {{"id", r.id},
                    {"model", r.model},
                    {"method", r.method},
                    {"calibrator", r.calibrator},
                    {"task", r.task},
                    {"metrics", MetricsJson(r.metrics)},
                    {"fidelity", FidelityJson(r.fidelity)}};
  PutOptional(j, "size_bytes", r.size_bytes);
  PutOptional(j, "arena_bytes", r.arena_bytes);
  PutOptional(j, "macs", r.macs);
  if (r.latency_us) {
    j["latency_us"] = {{"median", Number(r.latency_us->median_us)},
                       {"p90", Number(r.latency_us->p90_us)},
                       {"repeats", r.latency_us->repeats}};
  }
  j["artifact"] = r.artifact;
  if (r.validation_samples) {
    ordered_json samples = {{"validation", *r.validation_samples}};
    if (r.calibration_samples) samples["calibration"] = *r.calibration_samples;
    j["samples"] = std::move(samples);
  }
  j["deployable"] = {{"ok", r.deployable.deployable}, {"reasons", r.deployable.reasons}};
  j["alarms"] = r.alarms;
  ordered_json comparisons = ordered_json::array();
  for (const auto& c : r.comparisons) comparisons.push_back(ComparisonJson(c));
  j["comparisons"] = std::move(comparisons);
  if (r.mixed) j["mixed"] = MixedJson(*r.mixed);
  if (options.comparison) {
    if (const ResultComparison* rc = options.comparison->Find(r.id)) {
      j["baseline"] = ResultComparisonJson(*rc);
    }
  }
  if (options.include_per_sample) {
    ordered_json samples = PerSampleJson(r);
    if (!samples.empty()) j["per_sample"] = std::move(samples);
  }
  if (r.error) {
    j["status"] = "error";
    j["error"] = *r.error;
  }
  return j;
}

// Puts every array that holds only numbers, strings and literals on one line ("[0, 12, 3]"),
// so per-sample outcomes and confusion-matrix rows take a line each instead of one per value.
// Strings are copied untouched (a '[' inside one is text).
std::string CompactScalarArrays(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\') {
        out += text[++i];
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') in_string = true;
    if (c != '[') {
      out += c;
      continue;
    }
    // Find the closing bracket; give up at a nested array or object.
    size_t j = i + 1;
    bool quoted = false, flat = true;
    for (; j < text.size(); ++j) {
      const char d = text[j];
      if (quoted) {
        if (d == '\\') ++j;
        else if (d == '"') quoted = false;
      } else if (d == '"') {
        quoted = true;
      } else if (d == '[' || d == '{') {
        flat = false;
        break;
      } else if (d == ']') {
        break;
      }
    }
    if (!flat || j >= text.size()) {
      out += c;
      continue;
    }
    // Copy text[i..j] without the line breaks and indentation between values.
    quoted = false;
    for (size_t k = i; k <= j; ++k) {
      const char d = text[k];
      if (quoted) {
        out += d;
        if (d == '\\') out += text[++k];
        else if (d == '"') quoted = false;
        continue;
      }
      if (d == '"') quoted = true;
      if (d == '\n') {
        while (k + 1 <= j && text[k + 1] == ' ') ++k;
        if (out.back() == ',') out += ' ';
        continue;
      }
      out += d;
    }
    i = j;
  }
  return out;
}

// ---- reading ----

// A JSON value with the path that leads to it, so every error names the offending key.
class Node {
 public:
  Node(const json& value, std::string path, const std::string& source)
      : value_(value), path_(std::move(path)), source_(source) {}

  [[noreturn]] void Fail(const std::string& message) const {
    throw Error(source_ + ": " + (path_.empty() ? "(top level)" : path_), message);
  }

  bool Has(const char* key) const { return value_.is_object() && value_.contains(key); }

  Node operator[](const char* key) const {
    if (!value_.is_object()) Fail("expected an object");
    auto it = value_.find(key);
    if (it == value_.end()) Fail(std::string("missing key '") + key + "'");
    return Node(*it, path_.empty() ? key : path_ + "." + key, source_);
  }

  std::vector<Node> Items() const {
    if (!value_.is_array()) Fail("expected an array");
    std::vector<Node> items;
    for (size_t i = 0; i < value_.size(); ++i) {
      items.emplace_back(value_[i], path_ + "[" + std::to_string(i) + "]", source_);
    }
    return items;
  }

  std::string String() const {
    if (!value_.is_string()) Fail("expected a string");
    return value_.get<std::string>();
  }

  bool Bool() const {
    if (!value_.is_boolean()) Fail("expected true or false");
    return value_.get<bool>();
  }

  int64_t Integer() const {
    if (!value_.is_number_integer()) Fail("expected an integer");
    return value_.get<int64_t>();
  }

  double Double() const {
    if (value_.is_number()) return value_.get<double>();
    if (value_.is_string()) {
      const auto& text = value_.get_ref<const std::string&>();
      if (text == "inf") return std::numeric_limits<double>::infinity();
      if (text == "-inf") return -std::numeric_limits<double>::infinity();
      if (text == "nan") return std::numeric_limits<double>::quiet_NaN();
    }
    Fail("expected a number (or \"inf\", \"-inf\", \"nan\")");
  }

  std::vector<std::string> Strings() const {
    std::vector<std::string> out;
    for (const Node& item : Items()) out.push_back(item.String());
    return out;
  }

  std::optional<double> OptionalDouble(const char* key) const {
    if (!Has(key)) return std::nullopt;
    return (*this)[key].Double();
  }
  std::optional<int64_t> OptionalInteger(const char* key) const {
    if (!Has(key)) return std::nullopt;
    return (*this)[key].Integer();
  }

  const json& value() const { return value_; }

 private:
  const json& value_;
  std::string path_;
  const std::string& source_;
};

runner::TaskMetrics ReadMetrics(const Node& j) {
  runner::TaskMetrics m;
  m.accuracy = j.OptionalDouble("accuracy");
  m.top5 = j.OptionalDouble("top5");
  if (j.Has("confusion_matrix")) {
    for (const Node& row : j["confusion_matrix"].Items()) {
      std::vector<int64_t> counts;
      for (const Node& count : row.Items()) counts.push_back(count.Integer());
      m.confusion_matrix.push_back(std::move(counts));
    }
  }
  if (j.Has("per_class")) {
    for (const Node& c : j["per_class"].Items()) {
      runner::ClassMetrics scores;
      scores.class_index = static_cast<int>(c["class"].Integer());
      scores.precision = c["precision"].Double();
      scores.recall = c["recall"].Double();
      scores.f1 = c["f1"].Double();
      scores.support = c["support"].Integer();
      m.per_class.push_back(scores);
    }
  }
  m.macro_f1 = j.OptionalDouble("macro_f1");
  m.map = j.OptionalDouble("map");
  m.map50 = j.OptionalDouble("map50");
  m.auc = j.OptionalDouble("auc");
  return m;
}

runner::Fidelity ReadFidelity(const Node& j) {
  runner::Fidelity f;
  f.top1_agreement = j.OptionalDouble("top1_agreement");
  f.sqnr_db = j.OptionalDouble("sqnr_db");
  if (j.Has("per_layer_sqnr")) {
    for (const Node& layer : j["per_layer_sqnr"].Items()) {
      runner::LayerSqnr entry;
      entry.tensor = layer["tensor"].String();
      entry.sqnr_db = layer["sqnr_db"].Double();
      if (layer.Has("op_index")) {  // reports written before the op was recorded lack it
        entry.op_index = static_cast<int32_t>(layer["op_index"].Integer());
        entry.op_type = layer["op"].String();
      }
      f.per_layer_sqnr.push_back(std::move(entry));
    }
  }
  return f;
}

runner::MixedPrecision ReadMixed(const Node& j) {
  runner::MixedPrecision m;
  m.metric = j["metric"].String();
  m.unit = j["unit"].String();
  m.budget = j["budget"].Double();
  m.budget_met = j["budget_met"].Bool();
  m.fp32_score = j["fp32_score"].Double();
  m.int8_score = j["int8_score"].Double();
  m.final_score = j["final_score"].Double();
  for (const Node& layer : j["layers"].Items()) {
    m.layers.push_back({static_cast<int32_t>(layer["op_index"].Integer()),
                        layer["op_type"].String(), layer["tensor"].String(),
                        layer["sensitivity"].Double(), layer["precision"].String()});
  }
  for (const Node& op : j["kept_ops"].Items())
    m.kept_ops.push_back(static_cast<int32_t>(op.Integer()));
  return m;
}

std::vector<uint8_t> ReadBits(const Node& node) {
  std::vector<uint8_t> values;
  for (char bit : node.String()) {
    if (bit != '0' && bit != '1') node.Fail("expected a string of '0' and '1'");
    values.push_back(bit == '1' ? 1 : 0);
  }
  return values;
}

void ReadPerSample(const Node& j, runner::ResultRecord& r) {
  if (j.Has("correct")) r.per_sample_correct = ReadBits(j["correct"]);
  if (j.Has("top5_correct")) r.per_sample_top5 = ReadBits(j["top5_correct"]);
  if (j.Has("agrees_with_fp32")) r.per_sample_agrees = ReadBits(j["agrees_with_fp32"]);
  if (j.Has("label")) r.per_sample_label = ReadBits(j["label"]);
  if (j.Has("score")) {
    for (const Node& score : j["score"].Items()) r.per_sample_score.push_back(score.Double());
  }
  if (j.Has("images")) {
    for (const Node& image : j["images"].Items()) {
      runner::ImageOutcome outcome;
      for (const Node& d : image["detections"].Items()) {
        const std::vector<Node> fields = d.Items();
        if (fields.size() != 3) d.Fail("expected [class, score, true-positive bits]");
        const int64_t bits = fields[2].Integer();
        if (bits < 0 || bits > 0xFFFF) fields[2].Fail("expected 16 true-positive bits");
        outcome.detections.push_back({static_cast<int32_t>(fields[0].Integer()),
                                      static_cast<float>(fields[1].Double()),
                                      static_cast<uint16_t>(bits)});
      }
      for (const Node& t : image["truth"].Items()) {
        const std::vector<Node> fields = t.Items();
        if (fields.size() != 2) t.Fail("expected [class, boxes]");
        outcome.truth.emplace_back(static_cast<int32_t>(fields[0].Integer()), fields[1].Integer());
      }
      r.per_image.push_back(std::move(outcome));
    }
  }
}

runner::ResultRecord ReadResult(const Node& j) {
  runner::ResultRecord r;
  r.id = j["id"].String();
  r.model = j["model"].String();
  r.method = j["method"].String();
  r.calibrator = j["calibrator"].String();
  r.task = j["task"].String();
  r.metrics = ReadMetrics(j["metrics"]);
  r.fidelity = ReadFidelity(j["fidelity"]);
  r.size_bytes = j.OptionalInteger("size_bytes");
  r.arena_bytes = j.OptionalInteger("arena_bytes");
  r.macs = j.OptionalInteger("macs");
  if (j.Has("latency_us")) {
    const Node latency = j["latency_us"];
    r.latency_us = runner::Latency{latency["median"].Double(), latency["p90"].Double(),
                                   latency["repeats"].Integer()};
  }
  r.artifact = j["artifact"].String();
  if (j.Has("samples")) {  // absent from reports written before it existed
    r.validation_samples = j["samples"]["validation"].Integer();
    r.calibration_samples = j["samples"].OptionalInteger("calibration");
  }
  r.deployable.deployable = j["deployable"]["ok"].Bool();
  r.deployable.reasons = j["deployable"]["reasons"].Strings();
  r.alarms = j["alarms"].Strings();
  for (const Node& c : j["comparisons"].Items()) {
    runner::PairedComparison comparison;
    comparison.other_id = c["other"].String();
    comparison.test = c["test"].String();
    comparison.metric = c["metric"].String();
    comparison.difference = c["difference"].Double();
    comparison.p_value = c.OptionalDouble("p_value");
    comparison.ci_low = c.OptionalDouble("ci_low");
    comparison.ci_high = c.OptionalDouble("ci_high");
    comparison.significant = c["significant"].Bool();
    r.comparisons.push_back(std::move(comparison));
  }
  if (j.Has("mixed")) r.mixed = ReadMixed(j["mixed"]);
  if (j.Has("per_sample")) ReadPerSample(j["per_sample"], r);
  // Baselines written before per_sample existed kept the correctness bits on their own.
  if (j.Has("per_sample_correct")) r.per_sample_correct = ReadBits(j["per_sample_correct"]);
  if (j.Has("error")) r.error = j["error"].String();
  return r;
}

// What the JSON syntax cannot say: ids are unique (a comparison pairs results by id) and a
// confusion matrix is square, with counts a validation set can have.
void CheckResults(const RunReport& report, const std::string& source) {
  // Far above any validation set; the collapse check replays the counts one sample at a time.
  constexpr int64_t kMaxSamples = int64_t{1} << 27;
  std::set<std::string> ids;
  for (size_t i = 0; i < report.results.size(); ++i) {
    const runner::ResultRecord& r = report.results[i];
    const std::string place = source + ": results[" + std::to_string(i) + "] '" + r.id + "'";
    if (!ids.insert(r.id).second) throw Error(place, "duplicate result id");
    const auto& matrix = r.metrics.confusion_matrix;
    int64_t total = 0;
    for (size_t row = 0; row < matrix.size(); ++row) {
      if (matrix[row].size() != matrix.size()) {
        throw Error(place + ": metrics.confusion_matrix",
                    "row " + std::to_string(row) + " has " + std::to_string(matrix[row].size()) +
                        " entries, the matrix has " + std::to_string(matrix.size()) + " rows");
      }
      for (int64_t count : matrix[row]) {
        if (count < 0 || count > kMaxSamples || (total += count) > kMaxSamples) {
          throw Error(place + ": metrics.confusion_matrix",
                      "row " + std::to_string(row) + " holds a count of " + std::to_string(count) +
                          " (counts must be from 0 to " + std::to_string(kMaxSamples) + " in all)");
        }
      }
    }
  }
}

// Line and column (both from 1) of a byte offset, for parse errors.
std::string LineColumn(std::string_view text, size_t offset) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

}  // namespace

std::string ToJson(const RunReport& report, const JsonOptions& options) {
  const auto& env = report.environment;
  ordered_json j;
  j["schema"] = report.schema;
  j["suite"] = {
      {"name", report.suite_name}, {"file", report.suite_file}, {"sha256", report.suite_sha256}};
  if (report.target) {
    j["target"] = {{"name", report.target->name},
                   {"flash_bytes", report.target->flash_bytes},
                   {"sram_bytes", report.target->sram_bytes}};
  }
  j["environment"] = {{"host", env.host},
                      {"harness_version", env.harness_version},
                      {"git_commit", env.git_commit},
                      {"compiler", env.compiler},
                      {"compiler_flags", env.compiler_flags},
                      {"cpu_features", env.cpu_features},
                      {"kernels", env.kernel_variant},
                      {"threads", env.threads},
                      {"start_time", env.start_time}};
  ordered_json inputs = ordered_json::array();
  for (const auto& input : report.inputs) {
    inputs.push_back(
        {{"path", input.path}, {"sha256", input.sha256}, {"role", runner::ToString(input.role)}});
  }
  j["inputs"] = std::move(inputs);
  ordered_json tolerances = ordered_json::object();
  for (const auto& [metric, value] : report.tolerances.per_metric) {  // std::map: sorted keys
    tolerances[metric] = Number(value);
  }
  if (report.tolerances.default_tolerance) {
    tolerances["default"] = Number(*report.tolerances.default_tolerance);
  }
  tolerances["significance"] = Number(report.tolerances.significance);
  j["tolerances"] = std::move(tolerances);
  if (report.shard) {
    const runner::ShardRecord& s = *report.shard;
    j["shard"] = {
        {"index", s.index},     {"count", s.count},           {"only", s.only},
        {"balance", s.balance}, {"result_ids", s.result_ids}, {"result_shards", s.result_shards}};
  }
  if (report.cache) j["cache"] = {{"reused", report.cache->reused}};
  if (options.comparison) j["baseline"] = RunComparisonJson(*options.comparison);
  ordered_json results = ordered_json::array();
  for (const auto& result : report.results) results.push_back(ResultJson(result, options));
  j["results"] = std::move(results);
  return CompactScalarArrays(j.dump(2)) + "\n";
}

RunReport FromJson(std::string_view text, const std::string& source) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& e) {
    // e.byte is one past the offending character.
    const size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    throw Error(source + ":" + LineColumn(text, offset),
                "malformed JSON: " + std::string(e.what()));
  } catch (const json::out_of_range& e) {
    // A number beyond double range: the library names the number but not where it is.
    const std::string what = e.what();
    const size_t open = what.find("parsing '");
    const size_t close = what.rfind('\'');
    std::string number;
    if (open != std::string::npos && close > open + 9)
      number = what.substr(open + 9, close - open - 9);
    const size_t at = number.empty() ? std::string_view::npos : text.find(number);
    if (number.size() > 24) number = number.substr(0, 24) + "...";
    throw Error(at == std::string_view::npos ? source : source + ":" + LineColumn(text, at),
                "number " + number + " is out of the range of a double");
  }
  const Node root(document, "", source);
  if (!document.is_object()) root.Fail("expected a JSON object (a harness report)");
  RunReport report;
  report.schema = root["schema"].String();
  if (report.schema != runner::kReportSchema) return report;  // the caller says what it expected
  report.suite_name = root["suite"]["name"].String();
  report.suite_file = root["suite"]["file"].String();
  report.suite_sha256 = root["suite"]["sha256"].String();
  if (root.Has("target")) {
    const Node target = root["target"];
    report.target = runner::TargetRecord{target["name"].String(), target["flash_bytes"].Integer(),
                                         target["sram_bytes"].Integer()};
  }
  const Node env = root["environment"];
  report.environment.host = env["host"].String();
  report.environment.harness_version = env["harness_version"].String();
  report.environment.git_commit = env["git_commit"].String();
  report.environment.compiler = env["compiler"].String();
  report.environment.compiler_flags = env["compiler_flags"].String();
  report.environment.cpu_features = env["cpu_features"].Strings();
  // Reports written before the variant was recorded lack it.
  if (env.Has("kernels")) report.environment.kernel_variant = env["kernels"].String();
  report.environment.threads = env["threads"].Integer();
  report.environment.start_time = env["start_time"].String();
  for (const Node& input : root["inputs"].Items()) {
    const Node role = input["role"];
    const auto parsed = runner::ParseInputRole(role.String());
    if (!parsed) role.Fail("expected model, calibration or validation");
    report.inputs.push_back({input["path"].String(), input["sha256"].String(), *parsed});
  }
  const Node tolerances = root["tolerances"];
  if (!tolerances.value().is_object()) tolerances.Fail("expected an object");
  for (const auto& item : tolerances.value().items()) {
    const std::string& metric = item.key();
    const Node entry = tolerances[metric.c_str()];
    if (metric == "default") {
      report.tolerances.default_tolerance = entry.Double();
    } else if (metric == "significance") {
      report.tolerances.significance = entry.Double();
    } else {
      report.tolerances.per_metric[metric] = entry.Double();
    }
  }
  if (root.Has("shard")) {
    const Node shard = root["shard"];
    runner::ShardRecord s;
    s.index = shard["index"].Integer();
    s.count = shard["count"].Integer();
    s.only = shard["only"].String();
    s.balance = shard["balance"].String();
    s.result_ids = shard["result_ids"].Strings();
    for (const Node& k : shard["result_shards"].Items()) s.result_shards.push_back(k.Integer());
    if (s.count < 1 || s.index < 1 || s.index > s.count)
      shard.Fail("index " + std::to_string(s.index) + " of " + std::to_string(s.count) +
                 " is not a part 1..N");
    if (s.result_shards.size() != s.result_ids.size())
      shard["result_shards"].Fail("expected one part per result id");
    report.shard = std::move(s);
  }
  if (root.Has("cache")) report.cache = runner::CacheRecord{root["cache"]["reused"].Strings()};
  for (const Node& result : root["results"].Items()) report.results.push_back(ReadResult(result));
  CheckResults(report, source);
  return report;
}

RunReport ReadJsonReport(const std::string& path) { return FromJson(ReadWholeFile(path), path); }

void WriteJsonReport(const RunReport& report, const std::string& path, const JsonOptions& options) {
  WriteFileAtomically(path, ToJson(report, options));
}

}  // namespace harness::report

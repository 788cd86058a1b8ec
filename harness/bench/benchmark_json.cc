#include "harness/bench/benchmark_json.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "harness/common/error.h"
#include "harness/report/atomic_file.h"

namespace harness::bench {
namespace {

using Json = nlohmann::json;

double NanosecondsPer(const std::string& unit, const std::string& source, const std::string& field) {
  if (unit == "ns") return 1.0;
  if (unit == "us") return 1e3;
  if (unit == "ms") return 1e6;
  if (unit == "s") return 1e9;
  throw Error(source, field + ": unknown time unit '" + unit + "' (expected ns, us, ms or s)");
}

const Json& Field(const Json& object, const char* key, const std::string& source, const std::string& where) {
  const auto it = object.find(key);
  if (it == object.end()) throw Error(source, where + "." + key + ": missing");
  return *it;
}

std::string StringField(const Json& object, const char* key, const std::string& source,
                        const std::string& where) {
  const Json& value = Field(object, key, source, where);
  if (!value.is_string()) throw Error(source, where + "." + key + ": expected a string");
  return value.get<std::string>();
}

double TimeField(const Json& object, const char* key, const std::string& source, const std::string& where) {
  const Json& value = Field(object, key, source, where);
  if (!value.is_number() || !std::isfinite(value.get<double>()) || value.get<double>() < 0.0) {
    throw Error(source, where + "." + key + ": expected a non-negative number");
  }
  return value.get<double>();
}

}  // namespace

BenchmarkFile ParseBenchmarkJson(std::string_view text, const std::string& source) {
  Json root;
  try {
    root = Json::parse(text);
  } catch (const Json::parse_error& e) {
    throw Error(source, std::string("not JSON: ") + e.what());
  }
  if (!root.is_object()) throw Error(source, "expected a JSON object with 'context' and 'benchmarks'");
  BenchmarkFile file;
  file.source = source;
  if (const auto context = root.find("context"); context != root.end() && context->is_object()) {
    for (const auto& [key, value] : context->items())
      if (value.is_string()) file.context[key] = value.get<std::string>();
  }
  const auto runs = root.find("benchmarks");
  if (runs == root.end() || !runs->is_array()) throw Error(source, "benchmarks: missing or not an array");

  std::map<std::string, size_t> index_of;
  for (size_t i = 0; i < runs->size(); ++i) {
    const Json& run = (*runs)[i];
    const std::string where = "benchmarks[" + std::to_string(i) + "]";
    if (!run.is_object()) throw Error(source, where + ": expected an object");
    if (run.value("error_occurred", false)) {
      throw Error(source, where + ".error_occurred: benchmark '" + run.value("name", std::string("?")) +
                              "' failed: " + run.value("error_message", std::string()));
    }
    // Files written without repetitions have no run_type: every run is an iteration then.
    if (run.contains("run_type") && StringField(run, "run_type", source, where) != "iteration") continue;
    const std::string name =
        run.contains("run_name") ? StringField(run, "run_name", source, where) : StringField(run, "name", source, where);
    const double scale = NanosecondsPer(StringField(run, "time_unit", source, where), source, where + ".time_unit");
    auto [it, inserted] = index_of.try_emplace(name, file.benchmarks.size());
    if (inserted) file.benchmarks.push_back({name, {}, {}});
    BenchmarkSamples& samples = file.benchmarks[it->second];
    samples.cpu_ns.push_back(TimeField(run, "cpu_time", source, where) * scale);
    samples.real_ns.push_back(TimeField(run, "real_time", source, where) * scale);
  }
  if (file.benchmarks.empty()) {
    throw Error(source, "benchmarks: no run of run_type 'iteration' (written with aggregates only?)");
  }
  return file;
}

BenchmarkFile ReadBenchmarkJson(const std::string& path) {
  return ParseBenchmarkJson(report::ReadWholeFile(path), path);
}

}  // namespace harness::bench

#include "harness/bench/benchmark_flags.h"

#include <benchmark/benchmark.h>

#include <exception>
#include <set>
#include <string_view>

#include "harness/common/error.h"

namespace harness::bench {
namespace {

constexpr std::string_view kPrefix = "--benchmark_";

// "--benchmark_out=x.json" -> {"benchmark_out", "x.json"}; a flag without '=' has no value.
struct Flag {
  std::string name;
  std::optional<std::string> value;
};
Flag SplitFlag(const std::string& arg) {
  const size_t equals = arg.find('=');
  if (equals == std::string::npos) return {arg.substr(2), std::nullopt};
  return {arg.substr(2, equals - 2), arg.substr(equals + 1)};
}

std::string ValueOf(const Flag& flag) {
  if (!flag.value) {
    throw Error("command line", "--" + flag.name + " takes its value after '=' (--" + flag.name +
                                    "=VALUE), as Google Benchmark reads it");
  }
  return *flag.value;
}

std::string OneOf(const Flag& flag, const std::set<std::string>& allowed) {
  const std::string value = ValueOf(flag);
  if (allowed.count(value) == 0) {
    std::string list;
    for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
    throw Error("command line", "--" + flag.name + "=" + value + ": expected one of " + list);
  }
  return value;
}

int PositiveInt(const Flag& flag) {
  const std::string text = ValueOf(flag);
  size_t used = 0;
  int value = 0;
  try {
    value = std::stoi(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (text.empty() || used != text.size() || value < 1) {
    throw Error("command line", "--" + flag.name + " expects a positive integer, got '" + text + "'");
  }
  return value;
}

double PositiveDouble(const Flag& flag) {
  const std::string text = ValueOf(flag);
  size_t used = 0;
  double value = 0.0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (text.empty() || used != text.size() || !(value > 0.0)) {
    throw Error("command line", "--" + flag.name + " expects a positive number of seconds, got '" + text + "'");
  }
  return value;
}

}  // namespace

BenchmarkFlags SplitBenchmarkFlags(const std::vector<std::string>& args) {
  BenchmarkFlags flags;
  for (const std::string& arg : args) {
    if (arg.rfind(kPrefix, 0) != 0) {
      flags.harness_args.push_back(arg);
      continue;
    }
    const Flag flag = SplitFlag(arg);
    if (flag.name == "benchmark_repetitions") {
      flags.repetitions = PositiveInt(flag);
    } else if (flag.name == "benchmark_min_time") {
      flags.min_time_s = PositiveDouble(flag);
    } else if (flag.name == "benchmark_format") {
      flags.display_format = OneOf(flag, {"console", "json", "csv"});
    } else if (flag.name == "benchmark_out_format") {
      flags.out_format = OneOf(flag, {"console", "json", "csv"});
    } else if (flag.name == "benchmark_out") {
      flags.out_file = ValueOf(flag);
      if (flags.out_file.empty()) throw Error("command line", "--benchmark_out needs a file name");
    } else {
      // Initialize would exit() on an unknown time unit: checked here instead.
      if (flag.name == "benchmark_time_unit") OneOf(flag, {"ns", "us", "ms", "s"});
      if (flag.name == "benchmark_filter") flags.filter = ValueOf(flag);
      flags.passed.push_back(arg);
    }
  }
  // Fails now, before any model is prepared, on a flag Google Benchmark does not take.
  InitializeBenchmarkFlags(1, 1.0, flags.passed);
  return flags;
}

void InitializeBenchmarkFlags(int repetitions, double min_time_s,
                              const std::vector<std::string>& passed) {
  // Repetitions and minimum time go through the flags rather than per benchmark (Repetitions(),
  // MinTime()): set there, they would be appended to every name ("model/min_time:0.010/
  // repeats:3") and runs with different settings could not be compared. The resets come first
  // (Google Benchmark's flags are process globals), then the user's flags, which may override
  // any of them. --benchmark_out stays empty: the harness writes that file itself, since
  // RunSpecifiedBenchmarks would exit() on a file it cannot open.
  std::vector<std::string> flags = {"harness",
                                    "--benchmark_repetitions=" + std::to_string(repetitions),
                                    "--benchmark_min_time=" + std::to_string(min_time_s),
                                    "--benchmark_filter=.",
                                    "--benchmark_list_tests=false",
                                    "--benchmark_enable_random_interleaving=false",
                                    "--benchmark_report_aggregates_only=false",
                                    "--benchmark_display_aggregates_only=false",
                                    "--benchmark_counters_tabular=false",
                                    "--benchmark_min_warmup_time=0",
                                    "--benchmark_perf_counters=",
                                    "--benchmark_format=console",
                                    "--benchmark_out=",
                                    "--benchmark_out_format=json",
                                    "--benchmark_time_unit="};
  flags.insert(flags.end(), passed.begin(), passed.end());
  benchmark::SetDefaultTimeUnit(benchmark::kNanosecond);
  std::vector<char*> argv;
  for (std::string& flag : flags) argv.push_back(flag.data());
  argv.push_back(nullptr);
  int argc = static_cast<int>(flags.size());
  benchmark::Initialize(&argc, argv.data());
  // Initialize removes what it parsed; what is left it did not recognize or could not parse
  // (ReportUnrecognizedArguments would print these and the caller exit).
  if (argc > 1) {
    throw Error("command line", std::string("unrecognized or malformed Google Benchmark flag '") + argv[1] +
                                    "' (Google Benchmark's flags: https://github.com/google/benchmark/blob/main/docs/user_guide.md)");
  }
  // Initialize keeps argv[0] as the executable's name, which the JSON context prints: it must
  // outlive every report.
  static std::string kept_name = "harness";
  benchmark::BenchmarkReporter::Context::executable_name = kept_name.c_str();
}

}  // namespace harness::bench

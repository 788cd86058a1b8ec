// Run-level determinism within one process: `harness run` of the same one-model suite twice in
// the same process gives the same report.json apart from timing fields. A second run sees a
// heap shaped by the first (freed arenas, packed weights, scratch), so a kernel that reads
// uninitialized padding or past a buffer's end, or a static cache keyed wrongly, shows up
// here as a difference. The second run uses more threads than this machine has cores (the
// failing CI tests ran with the default --jobs, the machine's thread count, while the passing
// one used 1 and 2), so thread-count-dependent packing or summation shows up too. CTest runs this
// file once per variant it forces through HARNESS_KERNELS (tests/CMakeLists.txt); unset, it checks
// the automatic choice.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "harness/report/json_report.h"
#include "kernels/optimized/dispatch.h"
#include "tests/cli/cli_test_support.h"

namespace harness {
namespace {

namespace fs = std::filesystem;
using test::CliOutcome;
using test::FreshTempDir;
using test::RunCli;

const fs::path kData = fs::path(HARNESS_SOURCE_DIR) / "datasets" / "digits";

// The report without its timing fields (latency, start time, thread count), as JSON text.
std::string WithoutTiming(const fs::path& report_json) {
  runner::RunReport report = report::ReadJsonReport(report_json.string());
  report.environment.start_time.clear();
  report.environment.threads = 0;
  for (auto& r : report.results) r.latency_us.reset();
  return report::ToJson(report);
}

TEST(RunTwiceInOneProcess, GivesTheSameReport) {
  if (const std::string problem = kernels::optimized::KernelRequestProblem(); !problem.empty()) {
    GTEST_SKIP() << "this CPU cannot run the requested variant: " << problem;
  }
  const fs::path dir = FreshTempDir("harness_run_twice");
  // int8 (GEMM, depthwise-free digits model, requantization) and int16x8 (the 16-bit GEMM):
  // the integer paths whose vector kernels read packed and padded buffers.
  const fs::path suite = dir / "twice.yaml";
  std::ofstream(suite) << "target: esp32-s3\n"
                          "defaults:\n"
                          "  calibration: {samples: 50}\n"
                          "methods:\n"
                          "  - {method: int8, calibrator: minmax}\n"
                          "  - {method: int16x8, calibrator: minmax}\n"
                          "models:\n"
                          "  - name: digits\n"
                          "    path: " +
                              (kData / "digits.onnx").string() +
                              "\n"
                              "    task: classification\n"
                              "    calibration: {data: " +
                              (kData / "calib.h5").string() +
                              "}\n"
                              "    validation: {data: " +
                              (kData / "val.h5").string() + "}\n";
  const CliOutcome first = RunCli(
      {"run", suite.string(), "--out", (dir / "first").string(), "--jobs", "1", "--no-latency"});
  ASSERT_EQ(first.code, 0) << first.out << first.err;
  const CliOutcome second = RunCli(
      {"run", suite.string(), "--out", (dir / "second").string(), "--jobs", "8", "--no-latency"});
  ASSERT_EQ(second.code, 0) << second.out << second.err;
  const std::string a = WithoutTiming(dir / "first" / "report.json");
  EXPECT_NE(a.find("digits/int8/minmax"), std::string::npos) << a;
  EXPECT_NE(a.find("digits/int16x8/minmax"), std::string::npos) << a;
  EXPECT_EQ(a, WithoutTiming(dir / "second" / "report.json"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace harness

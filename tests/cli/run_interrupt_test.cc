// Ctrl-C during `harness run --update-baseline`, at 20 moments drawn at random over the length
// of a run (a fixed seed, so a failure reproduces): the process ends with exit code 130 (or 0
// when it finished before the signal), an interrupted run leaves the baseline byte for byte as
// it was and writes no report, and no temporary file is left behind.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "harness/report/baseline.h"
#include "tests/cli/child_process.h"
#include "tests/cli/cli_test_support.h"

namespace harness {
namespace {

namespace fs = std::filesystem;

const fs::path kDigits = fs::path(HARNESS_SOURCE_DIR) / "datasets" / "digits";

void WriteSuite(const fs::path& suite) {
  std::ofstream out(suite);
  out << "suite: interrupt\ntarget: esp32-s3\ndefaults:\n  calibration: {samples: 100}\n"
      << "  latency: {repeats: 5, warmup: 1}\nmodels:\n  - name: digits\n    path: "
      << (kDigits / "digits.tflite").string() << "\n    task: classification\n"
      << "    calibration: {data: " << (kDigits / "calib.h5").string() << "}\n"
      << "    validation: {data: " << (kDigits / "val.h5").string() << "}\n"
      << "methods:\n  - fp32\n  - {method: int8, calibrators: [minmax, entropy]}\n";
}

// Files whose name marks them temporary (".NAME.tmp.PID") anywhere under `dir`.
std::vector<std::string> Temporaries(const fs::path& dir) {
  std::vector<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.path().filename().string().find(".tmp.") != std::string::npos) {
      found.push_back(entry.path().string());
    }
  }
  return found;
}

std::vector<std::string> RunArgs(const fs::path& suite, const fs::path& baseline,
                                 const fs::path& out) {
  return {"run",
          suite.string(),
          "--out",
          out.string(),
          "--baseline",
          baseline.string(),
          "--update-baseline",
          "--jobs",
          "2"};
}

TEST(RunInterrupt, TwentyRandomInterruptsLeaveTheBaselineIntact) {
  const fs::path dir = test::FreshTempDir("harness_run_interrupt");
  const fs::path suite = dir / "suite.yaml";
  WriteSuite(suite);
  const fs::path baseline = dir / "baseline.json";

  // The first run writes the baseline and tells how long a run takes here.
  test::ChildProcess first(RunArgs(suite, baseline, dir / "first"), dir / "first.err");
  const test::ProcessEnd first_end = first.Wait(std::chrono::minutes(5));
  ASSERT_TRUE(first_end.exited && first_end.code == 0) << first_end.err;
  std::string old_baseline = test::ReadText(baseline);
  ASSERT_FALSE(old_baseline.empty());
  const double run_seconds = first_end.wall_seconds;

  std::mt19937 random(20261207);
  std::uniform_real_distribution<double> moment(0.0, 1.1 * run_seconds);
  int interrupted = 0, killed = 0, finished = 0;
  for (int attempt = 0; attempt < 20; ++attempt) {
    const fs::path out = dir / ("out" + std::to_string(attempt));
    const double delay = moment(random);
    test::ChildProcess child(RunArgs(suite, baseline, out), dir / "child.err");
    std::this_thread::sleep_for(std::chrono::duration<double>(delay));
    child.Signal(SIGINT);
    const test::ProcessEnd end = child.Wait(std::chrono::minutes(5));
    SCOPED_TRACE("attempt " + std::to_string(attempt) + ", SIGINT after " + std::to_string(delay) +
                 " s of a " + std::to_string(run_seconds) + " s run");
    ASSERT_FALSE(end.timed_out);
    const bool baseline_old = test::ReadText(baseline) == old_baseline;
    int reports = 0;
    for (const char* name : {"report.json", "report.md", "report.html", "junit.xml"}) {
      reports += fs::exists(out / name) ? 1 : 0;
    }
    if (end.exited && end.code == 130) {
      // The run saw the interrupt: nothing is written.
      ++interrupted;
      EXPECT_TRUE(baseline_old) << "the baseline changed";
      EXPECT_EQ(reports, 0) << "an interrupted run wrote reports";
    } else if (!end.exited && end.signal == SIGINT) {
      // The signal came while no handler was installed: before the run command started, or
      // after it returned, while the process exits. Either nothing or everything is written.
      ++killed;
      if (baseline_old) {
        EXPECT_EQ(reports, 0) << "reports without their baseline";
      } else {
        EXPECT_NO_THROW(report::ReadBaseline(baseline.string()));
        EXPECT_EQ(reports, 4) << "a baseline without its reports";
      }
    } else {
      ASSERT_TRUE(end.exited) << "signal " << end.signal << "\n" << end.err;
      ASSERT_EQ(end.code, 0) << end.err;
      ++finished;
      EXPECT_NO_THROW(report::ReadBaseline(baseline.string()));
      EXPECT_EQ(reports, 4);
    }
    EXPECT_EQ(Temporaries(dir), std::vector<std::string>{});
    old_baseline = test::ReadText(baseline);  // what the next attempt must leave intact
  }
  RecordProperty("interrupted", interrupted);
  RecordProperty("killed", killed);
  RecordProperty("finished", finished);
  // Moments over 110 % of a run: most land inside it, while the handler is installed.
  EXPECT_GE(interrupted, 8) << killed << " ended by the signal, " << finished
                            << " finished before it";
  fs::remove_all(dir);
}

TEST(RunInterrupt, StaleTemporaryOfAKilledRunIsRemoved) {
  const fs::path dir = test::FreshTempDir("harness_run_stale_temporary");
  const fs::path suite = dir / "suite.yaml";
  WriteSuite(suite);
  const fs::path baseline = dir / "baseline.json";
  // The process id of a process that has ended: a run killed while writing its baseline.
  const pid_t dead = fork();
  if (dead == 0) _exit(0);
  ASSERT_GT(dead, 0);
  waitpid(dead, nullptr, 0);
  const fs::path stale = dir / (".baseline.json.tmp." + std::to_string(dead));
  std::ofstream(stale) << "{half a baseline";

  test::ChildProcess run(RunArgs(suite, baseline, dir / "out"), dir / "run.err");
  const test::ProcessEnd end = run.Wait(std::chrono::minutes(5));
  ASSERT_TRUE(end.exited && end.code == 0) << end.err;
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_NO_THROW(report::ReadBaseline(baseline.string()));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace harness

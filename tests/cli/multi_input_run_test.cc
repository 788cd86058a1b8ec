// `harness run` on a model of two inputs (an ADD of `a` and `b` into three logits, written with
// the project's writer) with a labelled set holding /inputs/a and /inputs/b: fp32, int8 and
// int16x8 results score the hand-computed accuracy of argmax(a + b). The labels are chosen so
// that argmax(a) alone, what feeding zeros to `b` would give, scores differently.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "harness/model/tflite_writer.h"
#include "harness/report/json_report.h"
#include "tests/cli/cli_test_support.h"
#include "tests/eval/h5_test_util.h"
#include "tests/support/two_input_add.h"

namespace harness {
namespace {

namespace fs = std::filesystem;

TEST(MultiInputRun, EveryMethodScoresTheSumOfBothInputs) {
  const fs::path dir = test::FreshTempDir("harness_multi_input_run");
  test::WriteTwoInputAdd((dir / "add.tflite").string(), "logits");
  // 8 samples: a peaks at class 0, b adds 3 to class (i % 3); a + b peaks at class i % 3 when
  // that is 1 or 2 (3 > 1) and at 0 otherwise. Labels: argmax(a + b) for the first 6 samples,
  // a wrong class for the last 2: accuracy 6 / 8. argmax(a) = 0 everywhere would score
  // the labels equal to 0: samples 0 and 3 (and 6, labelled 1): 2 / 8.
  std::vector<float> a, b;
  std::vector<int32_t> labels;
  for (int i = 0; i < 8; ++i) {
    const int boosted = i % 3;
    for (int c = 0; c < 3; ++c) {
      a.push_back(c == 0 ? 1.0f : 0.25f * static_cast<float>(c) - 0.5f);
      b.push_back(c == boosted ? 3.0f : 0.0f);
    }
    labels.push_back(i < 6 ? boosted : (boosted + 1) % 3);
  }
  for (const char* file : {"calib.h5", "val.h5"}) {
    eval::testing::SetWriter((dir / file).string())
        .Group("/inputs")
        .Dataset("/inputs/a", H5T_NATIVE_FLOAT, {8, 3}, a)
        .Dataset("/inputs/b", H5T_NATIVE_FLOAT, {8, 3}, b)
        .Dataset("/labels", H5T_NATIVE_INT32, {8}, labels);
  }
  std::ofstream(dir / "suite.yaml") << "suite: pairs\n"
                                       "target: esp32-s3\n"
                                       "models:\n"
                                       "  - name: add\n"
                                       "    path: add.tflite\n"
                                       "    task: classification\n"
                                       "    calibration: {data: calib.h5}\n"
                                       "    validation: {data: val.h5}\n"
                                       "methods:\n"
                                       "  - fp32\n"
                                       "  - int8\n"
                                       "  - int16x8\n";
  const test::CliOutcome run = test::RunCli(
      {"run", (dir / "suite.yaml").string(), "--out", (dir / "out").string(), "--jobs", "1"});
  ASSERT_EQ(run.code, 0) << run.out << run.err;
  const runner::RunReport report = report::ReadJsonReport((dir / "out" / "report.json").string());
  ASSERT_EQ(report.results.size(), 3u);
  for (const runner::ResultRecord& r : report.results) {
    ASSERT_TRUE(r.metrics.accuracy.has_value()) << r.id;
    EXPECT_DOUBLE_EQ(*r.metrics.accuracy, 0.75) << r.id;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace harness

// `harness bench` on a model of two inputs (a + b): the whole-model benchmark gets every input
// from the first validation row, each from the set input named after it, and the cut-out ADD
// gets both operands; run on them it gives a + b of that row. The bench used to fill input 0
// only, timing a model whose other inputs held whatever the arena did.
#include "harness/bench/bench_plan.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "harness/suite/suite_parser.h"
#include "tests/eval/h5_test_util.h"
#include "tests/support/two_input_add.h"

namespace harness::bench {
namespace {

namespace fs = std::filesystem;

std::vector<float> Floats(const std::vector<std::byte>& bytes) {
  std::vector<float> values(bytes.size() / sizeof(float));
  std::memcpy(values.data(), bytes.data(), values.size() * sizeof(float));
  return values;
}

TEST(BenchPlan, FeedsEveryModelInput) {
  const fs::path dir = fs::temp_directory_path() / "harness_bench_plan_two_inputs";
  fs::remove_all(dir);
  fs::create_directories(dir);
  test::WriteTwoInputAdd((dir / "add.tflite").string());
  // Row 0: a = {1, 2, 3}, b = {10, 20, 30}. Stored as /inputs/b before /inputs/a: the model's
  // input names, not the order in the file, decide.
  eval::testing::SetWriter((dir / "val.h5").string())
      .Group("/inputs")
      .Dataset("/inputs/b", H5T_NATIVE_FLOAT, {2, 3}, std::vector<float>{10, 20, 30, 0, 0, 0})
      .Dataset("/inputs/a", H5T_NATIVE_FLOAT, {2, 3}, std::vector<float>{1, 2, 3, 0, 0, 0})
      .Dataset("/labels", H5T_NATIVE_INT32, {2}, std::vector<int32_t>{2, 0});
  std::ofstream(dir / "suite.yaml") << "target: esp32-s3\n"
                                       "methods: [fp32]\n"
                                       "models:\n"
                                       "  - path: add.tflite\n"
                                       "    task: classification\n"
                                       "    validation: {data: val.h5}\n";
  const suite::Suite suite = suite::LoadSuite((dir / "suite.yaml").string());
  const std::vector<ModelBenchmark> benchmarks = PrepareBenchmarks(suite, "", nullptr);
  ASSERT_EQ(benchmarks.size(), 1u);
  const ModelBenchmark& m = benchmarks[0];
  ASSERT_EQ(m.inputs.size(), 2u);
  EXPECT_EQ(Floats(m.inputs[0]), (std::vector<float>{1, 2, 3}));
  EXPECT_EQ(Floats(m.inputs[1]), (std::vector<float>{10, 20, 30}));

  ASSERT_EQ(m.ops.size(), 1u);
  const SingleOpModel& add = m.ops[0];
  ASSERT_EQ(add.inputs.size(), 2u);
  auto session = add.model->NewSession();
  for (size_t i = 0; i < 2; ++i) {
    std::memcpy(session->input(i).data(), add.inputs[i].data(), add.inputs[i].size());
  }
  session->Invoke();
  const auto out = session->output(0);
  EXPECT_EQ(Floats(std::vector<std::byte>(out.begin(), out.end())),
            (std::vector<float>{11, 22, 33}));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace harness::bench

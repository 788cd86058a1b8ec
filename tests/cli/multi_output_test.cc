// A model of two outputs, written by the test: x -> RELU -> "relu" and x * -1 -> "negated".
// `harness infer` writes both (/outputs/0 and /outputs/1, named in attributes), each equal to
// its closed form; a suite's `output:` chooses the output the task metrics read, by name or by
// index. The labels are the argmax of x, so scoring "relu" gives accuracy 1 and scoring
// "negated" (whose argmax is x's argmin) gives 0.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "harness/eval/hdf5_file.h"
#include "harness/model/tflite_writer.h"
#include "tests/cli/cli_test_support.h"
#include "tests/eval/h5_test_util.h"
#include "tests/runtime/single_op_graph.h"

namespace harness::cli {
namespace {

namespace fs = std::filesystem;
using model::DataType;
using test::CliOutcome;
using test::RunCli;

constexpr int kSamples = 12;

void WriteTwoOutputModel(const std::string& path) {
  model::Graph graph;
  const int32_t x = test::AddTensor(graph, "x", DataType::kFloat32, {1, 4});
  const int32_t relu = test::AddTensor(graph, "relu", DataType::kFloat32, {1, 4});
  const int32_t minus_one =
      test::AddConstant(graph, "minus_one", DataType::kFloat32, {1}, std::vector<float>{-1.0f});
  const int32_t negated = test::AddTensor(graph, "negated", DataType::kFloat32, {1, 4});
  test::SetSingleOp(graph, model::OpType::kRelu, {x}, relu, {});
  model::Op mul;
  mul.type = model::OpType::kMul;
  mul.inputs = {x, minus_one};
  mul.outputs = {negated};
  mul.options = model::MulOptions{};
  graph.ops.push_back(std::move(mul));
  graph.outputs = {negated, relu};  // the first output is the wrong one for the labels
  model::WriteTfliteFile(graph, path);
}

// Distinct positive values per sample; label = argmax.
std::vector<float> Inputs() {
  std::vector<float> values(kSamples * 4);
  for (int s = 0; s < kSamples; ++s) {
    for (int c = 0; c < 4; ++c)
      values[static_cast<size_t>(s * 4 + c)] = float(1 + (s + c * 5) % 4) + 0.25f * c;
  }
  return values;
}

std::vector<int32_t> Labels(const std::vector<float>& inputs) {
  std::vector<int32_t> labels;
  for (int s = 0; s < kSamples; ++s) {
    const auto first = inputs.begin() + s * 4;
    labels.push_back(static_cast<int32_t>(std::max_element(first, first + 4) - first));
  }
  return labels;
}

class MultiOutput : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::FreshTempDir("harness_multi_output");
    model_ = (dir_ / "two.tflite").string();
    set_ = (dir_ / "set.h5").string();
    WriteTwoOutputModel(model_);
    inputs_ = Inputs();
    eval::testing::SetWriter writer(set_);
    writer.Dataset("/inputs", H5T_NATIVE_FLOAT, {kSamples, 1, 4}, inputs_)
        .Dataset("/labels", H5T_NATIVE_INT32, {kSamples}, Labels(inputs_))
        .Strings("task", {"classification"}, true);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // report.json of a one-model fp32 suite with `output_line` added to the model.
  CliOutcome Run(const std::string& name, const std::string& output_line) {
    const fs::path suite = dir_ / (name + ".yaml");
    std::ofstream(suite) << "suite: " << name
                         << "\ntarget: esp32-s3\nmodels:\n  - name: two\n    path: " << model_
                         << "\n    validation: {data: " << set_ << "}\n"
                         << output_line << "methods:\n  - fp32\n";
    return RunCli({"run", suite.string(), "--out", (dir_ / name).string()});
  }
  double Accuracy(const std::string& name, const std::string& output_line) {
    const CliOutcome run = Run(name, output_line);
    EXPECT_EQ(run.code, kExitOk) << run.err;
    return test::JsonValue(test::ReadText(dir_ / name / "report.json"), "accuracy");
  }

  fs::path dir_;
  std::string model_, set_;
  std::vector<float> inputs_;
};

TEST_F(MultiOutput, InferWritesEveryOutput) {
  const std::string out = (dir_ / "out.h5").string();
  const CliOutcome infer = RunCli({"infer", model_, "--data", set_, "--out", out});
  ASSERT_EQ(infer.code, kExitOk) << infer.err;
  const eval::hdf5::File file = eval::hdf5::File::OpenReadOnly(out);
  std::vector<float> negated(inputs_.size()), relu(inputs_.size());
  for (size_t i = 0; i < inputs_.size(); ++i) {
    negated[i] = -inputs_[i];
    relu[i] = std::max(inputs_[i], 0.0f);
  }
  EXPECT_EQ(file.ReadDataset<float>("/outputs/0"), negated);
  EXPECT_EQ(file.ReadDataset<float>("/outputs/1"), relu);
  EXPECT_EQ(file.DatasetShape("/outputs/1"), (std::vector<uint64_t>{kSamples, 4}));
  EXPECT_EQ(file.ReadStringAttribute("output_0"), "negated");
  EXPECT_EQ(file.ReadStringAttribute("output_1"), "relu");
}

TEST_F(MultiOutput, SuiteOutputChoosesWhatTheMetricsRead) {
  EXPECT_EQ(Accuracy("first", ""), 0.0);
  EXPECT_EQ(Accuracy("by_name", "    output: relu\n"), 1.0);
  EXPECT_EQ(Accuracy("by_index", "    output: 1\n"), 1.0);
}

TEST_F(MultiOutput, UnknownOutputIsNamedWithItsLine) {
  const CliOutcome run = Run("unknown", "    output: logits\n");
  const std::string text = run.err + test::ReadText(dir_ / "unknown" / "report.json");
  EXPECT_NE(text.find("unknown.yaml:7:13"), std::string::npos) << text;
  EXPECT_NE(text.find("output 'logits' is neither the name nor the index"), std::string::npos)
      << text;
  EXPECT_NE(text.find("0 'negated', 1 'relu'"), std::string::npos) << text;
}

}  // namespace
}  // namespace harness::cli

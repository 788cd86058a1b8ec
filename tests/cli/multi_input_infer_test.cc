// `harness infer` on TFLite-Micro's two-input int16 ADD conformance models (tflm-models/seanet,
// made by the TFLite converter): a set with /inputs/0 and /inputs/1 built from the inputs the
// goldens were made with gives TFLite-Micro's outputs exactly; the same set without input 1 is
// refused with the set and the input named, where the harness used to feed zeros; and
// `export-c --data` writes C golden vectors of both inputs and TFLite-Micro's outputs.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "harness/eval/hdf5_file.h"
#include "tests/cli/c_source_parsing.h"
#include "tests/cli/cli_test_support.h"
#include "tests/eval/h5_test_util.h"

namespace harness::cli {
namespace {

using test::CliOutcome;
using test::RunCli;

namespace fs = std::filesystem;

const fs::path kSeanetAdd = fs::path(HARNESS_SHARED_DIR) / "tflm-models";

struct Golden {
  std::vector<hsize_t> shape;
  std::vector<int16_t> input0, input1, output0;
  float scale0 = 0, scale1 = 0;
};

Golden ReadGolden(const std::string& name) {
  const eval::hdf5::File file =
      eval::hdf5::File::OpenReadOnly((kSeanetAdd / "golden/seanet/add" / (name + ".h5")).string());
  Golden g;
  const std::vector<uint64_t> shape = file.DatasetShape("/input_0");
  g.shape.assign(shape.begin(), shape.end());
  g.input0 = file.ReadDataset<int16_t>("/input_0");
  g.input1 = file.ReadDataset<int16_t>("/input_1");
  g.output0 = file.ReadDataset<int16_t>("/output_0");
  g.scale0 = static_cast<float>(file.ReadNumberAttribute("input_0_scale"));
  g.scale1 = static_cast<float>(file.ReadNumberAttribute("input_1_scale"));
  return g;
}

// The float values whose quantization with `scale` (zero point 0) gives back `q`: q * scale is
// within a relative 2^-24 of the exact product, so q * scale / scale rounds back to q.
std::vector<float> Dequantized(const std::vector<int16_t>& q, float scale) {
  std::vector<float> values(q.size());
  for (size_t i = 0; i < q.size(); ++i) values[i] = static_cast<float>(q[i]) * scale;
  return values;
}

class SeanetAdd : public ::testing::TestWithParam<const char*> {};

TEST_P(SeanetAdd, InferFeedsBothInputsAndMatchesTflmBitForBit) {
  const std::string name = GetParam();
  const Golden g = ReadGolden(name);
  const fs::path dir = test::FreshTempDir("multi_input_" + name);
  const std::string set = (dir / "pairs.h5").string();
  {
    eval::testing::SetWriter writer(set);
    writer.Group("/inputs")
        .Dataset("/inputs/0", H5T_NATIVE_FLOAT, g.shape, Dequantized(g.input0, g.scale0))
        .Dataset("/inputs/1", H5T_NATIVE_FLOAT, g.shape, Dequantized(g.input1, g.scale1));
  }
  const std::string model = (kSeanetAdd / "seanet/add" / (name + ".tflite")).string();
  const std::string out = (dir / "out.h5").string();
  const CliOutcome infer = RunCli({"infer", model, "--data", set, "--out", out});
  ASSERT_EQ(infer.code, kExitOk) << infer.err;
  const eval::hdf5::File outputs = eval::hdf5::File::OpenReadOnly(out);
  EXPECT_EQ(outputs.ReadDataset<int16_t>("/outputs"), g.output0);

  // C golden vectors: one array per model input, each TFLite-Micro's input as fed, and its
  // output, for every row of the set.
  const size_t rows = static_cast<size_t>(g.shape[0]);
  const std::string cc_path = (dir / "model_data.cc").string();
  const CliOutcome vectors =
      RunCli({"export-c", model, "-o", cc_path, "--data", set, "--vectors", std::to_string(rows)});
  ASSERT_EQ(vectors.code, kExitOk) << vectors.err;
  const std::string cc = test::ReadText(cc_path);
  const std::string header = test::ReadText(dir / "model_data.h");
  EXPECT_NE(header.find("g_model_golden_input_count = 2;"), std::string::npos) << header;
  auto numbers = [&](const std::string& array) {
    std::vector<int16_t> values;
    for (const std::string& n : test::ParseNumbers(test::InitializerOf(cc, array + "[")))
      values.push_back(static_cast<int16_t>(std::stoi(n)));
    return values;
  };
  EXPECT_EQ(numbers("g_model_golden_inputs_0"), g.input0);
  EXPECT_EQ(numbers("g_model_golden_inputs_1"), g.input1);
  EXPECT_EQ(numbers("g_model_golden_outputs"), g.output0);

  // Input 1 missing: refused, not zero-filled.
  const std::string half = (dir / "half.h5").string();
  {
    eval::testing::SetWriter writer(half);
    writer.Group("/inputs").Dataset("/inputs/0", H5T_NATIVE_FLOAT, g.shape,
                                    Dequantized(g.input0, g.scale0));
  }
  const CliOutcome refused = RunCli({"infer", model, "--data", half, "--out", out});
  EXPECT_EQ(refused.code, kExitBadInput);
  EXPECT_NE(refused.err.find(half), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("no data for model input 1"), std::string::npos) << refused.err;
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(TflmConformance, SeanetAdd,
                         ::testing::Values("add0", "add1", "add4", "add7", "add16"));

}  // namespace
}  // namespace harness::cli

// TFLite-Micro's person_detect.tflite, whose per-channel bias tensors carry the depthwise
// filter's quantized_dimension (3) on their rank-1 shape: it loads, and `harness infer` on the
// inputs of golden/models/person_detect.h5 (the two test images, then 20 random ones) writes
// exactly the int8 scores TFLite-Micro's reference kernels computed.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "harness/eval/hdf5_file.h"
#include "tests/cli/cli_test_support.h"
#include "tests/eval/h5_test_util.h"

namespace harness::cli {
namespace {

namespace fs = std::filesystem;
using test::RunCli;

const fs::path kTflm = fs::path(HARNESS_SHARED_DIR) / "tflm-models";

TEST(TflmPersonDetect, InferMatchesTflmGoldenByteForByte) {
  const eval::hdf5::File golden =
      eval::hdf5::File::OpenReadOnly((kTflm / "golden/models/person_detect.h5").string());
  const std::vector<int8_t> input = golden.ReadDataset<int8_t>("/input_0");
  const std::vector<int8_t> expected = golden.ReadDataset<int8_t>("/output_0");
  const std::vector<uint64_t> shape = golden.DatasetShape("/input_0");
  const auto scale = static_cast<float>(golden.ReadNumberAttribute("input_0_scale"));
  const auto zero_point = static_cast<int>(golden.ReadNumberAttribute("input_0_zero_point"));
  ASSERT_EQ(shape.size(), 5u);
  ASSERT_EQ(shape[0], 22u);

  // Floats that the input's own quantization turns back into the golden bytes:
  // (q - zp) * scale / scale lies within 2^-24 relative of q - zp and rounds back to it.
  std::vector<float> values(input.size());
  for (size_t i = 0; i < input.size(); ++i) {
    values[i] = static_cast<float>(input[i] - zero_point) * scale;
  }
  const fs::path dir = test::FreshTempDir("tflm_person_detect");
  const std::string set = (dir / "set.h5").string();
  {
    eval::testing::SetWriter writer(set);
    writer.Dataset("/inputs", H5T_NATIVE_FLOAT, std::vector<hsize_t>(shape.begin(), shape.end()),
                   values);
  }
  const std::string model = (kTflm / "models/person_detect.tflite").string();
  const std::string out = (dir / "out.h5").string();
  const test::CliOutcome infer = RunCli({"infer", model, "--data", set, "--out", out});
  ASSERT_EQ(infer.code, kExitOk) << infer.err;
  const std::vector<int8_t> outputs =
      eval::hdf5::File::OpenReadOnly(out).ReadDataset<int8_t>("/outputs");
  EXPECT_EQ(outputs, expected);
  // The README's figures for the two test images: person.bmp scores person 113 (output 1),
  // no_person.bmp scores not-a-person 57 (output 0).
  ASSERT_GE(outputs.size(), 4u);
  EXPECT_EQ(outputs[1], 113);
  EXPECT_EQ(outputs[2], 57);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace harness::cli

// The MLPerf Tiny VWW model in TFLite's 16x8 mode under every calibrator, written by
// `harness quantize` as the suites do: every CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED
// accumulator stays inside the ±2^47 that TFLite-Micro's MultiplyByQuantizedMultiplier(int64_t)
// asserts, for any int16 input. The VWW float model has channels whose weights trained to
// ~1e-31; quantized at a weight scale of ~1e-33 their int64 biases reached ~4.6e18 and
// TFLite-Micro aborted on the first Invoke. The bound is computed here from the written model's
// own weights and biases, independently of lint, which must agree that the model is clean.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "harness/model/tflite_loader.h"
#include "tests/cli/cli_test_support.h"

namespace harness::cli {
namespace {

using test::CliOutcome;
using test::kMlperfTinyDir;
using test::RunCli;

namespace fs = std::filesystem;

template <class T>
std::vector<double> Values(const model::Graph& g, int32_t tensor) {
  const std::vector<uint8_t>& bytes = g.data(tensor);
  std::vector<double> values(bytes.size() / sizeof(T));
  for (size_t i = 0; i < values.size(); ++i) {
    T v;
    std::memcpy(&v, bytes.data() + i * sizeof(T), sizeof(T));
    values[i] = static_cast<double>(v);
  }
  return values;
}

class VwwInt16x8 : public ::testing::TestWithParam<const char*> {};

TEST_P(VwwInt16x8, EveryAccumulatorFitsTwoToThe47) {
  const std::string calibrator = GetParam();
  const fs::path out = test::FreshTempDir("int16x8_accumulator_" + calibrator) / "vww.tflite";
  const CliOutcome quantize = RunCli({"quantize", kMlperfTinyDir + "models/vww_96_float.tflite",
                                      "--method", "int16x8", "--calibrator", calibrator, "--calib",
                                      kMlperfTinyDir + "data/vww01_coco_person1000_calib.h5",
                                      "--samples", "4", "-o", out.string()});
  ASSERT_EQ(quantize.code, kExitOk) << quantize.err;

  const model::Graph g = model::LoadTfliteFile(out.string());
  const double limit = std::ldexp(1.0, 47);
  size_t weighted_ops = 0, channels = 0;
  double largest = 0.0;
  for (const model::Op& op : g.ops) {
    if (op.type != model::OpType::kConv2D && op.type != model::OpType::kDepthwiseConv2D &&
        op.type != model::OpType::kFullyConnected) {
      continue;
    }
    ++weighted_ops;
    ASSERT_EQ(g.tensor(op.inputs[0]).type, model::DataType::kInt16);
    ASSERT_EQ(g.tensor(op.inputs[2]).type, model::DataType::kInt64);
    const std::vector<double> w = Values<int8_t>(g, op.inputs[1]);
    const std::vector<double> bias = Values<int64_t>(g, op.inputs[2]);
    // |acc| <= |bias[c]| + 32768 * sum of |w| over channel c's taps (int16 input, zero point 0).
    std::vector<double> bound(bias.size());
    for (size_t c = 0; c < bias.size(); ++c) bound[c] = std::fabs(bias[c]);
    const bool depthwise = op.type == model::OpType::kDepthwiseConv2D;  // [1, H, W, C]
    for (size_t i = 0; i < w.size(); ++i) {
      const size_t c = depthwise ? i % bias.size() : i / (w.size() / bias.size());
      bound[c] += 32768.0 * std::fabs(w[i]);
    }
    for (size_t c = 0; c < bound.size(); ++c) {
      ++channels;
      largest = std::max(largest, bound[c]);
      EXPECT_LT(bound[c], limit) << model::ToString(op.type) << " channel " << c;
    }
  }
  EXPECT_EQ(weighted_ops, 28u);  // 14 CONV_2D, 13 DEPTHWISE_CONV_2D, 1 FULLY_CONNECTED
  std::printf("VWW int16x8 %s: %zu channels, largest accumulator bound 2^%.1f\n",
              calibrator.c_str(), channels, std::log2(largest));

  const CliOutcome lint = RunCli({"lint", out.string(), "--target", "esp32-s3"});
  EXPECT_EQ(lint.code, kExitOk) << lint.out << lint.err;
  fs::remove_all(out.parent_path());
}

INSTANTIATE_TEST_SUITE_P(Calibrators, VwwInt16x8,
                         ::testing::Values("minmax", "percentile", "entropy", "mse"));

}  // namespace
}  // namespace harness::cli

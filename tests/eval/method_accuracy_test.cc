// The fp16 and dynamic methods keep the float model's accuracy on the MLPerf Tiny validation
// sets (issue: fp16 within 0.1 points, dynamic within 0.5), after a write and reload.

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "harness/eval/dataset.h"
#include "harness/eval/task_metrics.h"
#include "harness/model/tflite_loader.h"
#include "harness/model/tflite_writer.h"
#include "harness/model/weight_dequantization.h"
#include "harness/quant/dynamic_range.h"
#include "harness/quant/float16.h"
#include "harness/quant/lint.h"
#include "harness/runtime/compiled_model.h"
#include "harness/runtime/runnable_graph.h"

namespace harness::eval {
namespace {

const std::string kShared = std::string(HARNESS_SHARED_DIR) + "/mlperf-tiny/";

double Accuracy(const model::Graph& graph, const Dataset& set) {
  // Through the file format, as the harness hands the model on.
  const std::vector<uint8_t> bytes = model::WriteTflite(graph);
  model::Graph reloaded = model::LoadTflite(bytes, "written");
  EXPECT_FALSE(quant::Lint(reloaded).has_errors());
  // fp16: the DEQUANTIZE of constant weights folded, as TFLite does at prepare time.
  const runtime::CompiledModel compiled(runtime::FoldFloat16Weights(reloaded));
  return EvaluateTask(compiled, set).accuracy;
}

struct Case {
  const char* model;
  const char* data;
};

class MethodAccuracy : public ::testing::TestWithParam<Case> {};

TEST_P(MethodAccuracy, Fp16AndDynamicStayCloseToFp32) {
  const model::Graph float_graph = model::DequantizeHybridWeights(
      model::LoadTfliteFile(kShared + "models/" + GetParam().model));
  const Dataset set = Dataset::Open(kShared + "data/" + GetParam().data);
  const double fp32 = Accuracy(float_graph, set);
  const double fp16 = Accuracy(quant::QuantizeFloat16(float_graph), set);
  const double dynamic = Accuracy(quant::QuantizeDynamicRange(float_graph), set);
  RecordProperty("fp32", std::to_string(fp32));
  RecordProperty("fp16", std::to_string(fp16));
  RecordProperty("dynamic", std::to_string(dynamic));
  EXPECT_LE(std::fabs(fp16 - fp32), 0.001 + 1e-12) << "fp32 " << fp32 << " fp16 " << fp16;
  EXPECT_LE(std::fabs(dynamic - fp32), 0.005 + 1e-12) << "fp32 " << fp32 << " dyn " << dynamic;
}

INSTANTIATE_TEST_SUITE_P(MlperfTiny, MethodAccuracy,
                         ::testing::Values(Case{"kws_ref_model_float32.tflite",
                                                "kws01_speechcmd1000_val.h5"},
                                           Case{"vww_96_float.tflite",
                                                "vww01_coco_person1000_val.h5"}));

TEST(TaskMetrics, DequantizesInt8OutputsWithTheTensorParams) {
  model::Tensor output;
  output.type = model::DataType::kInt8;
  output.quantization.scales = {0.5f};
  output.quantization.zero_points = {-3};
  const std::byte bytes[] = {std::byte{0x7f}, std::byte{0x80}, std::byte{0xfd}};  // 127 -128 -3
  EXPECT_EQ(DequantizeOutputs(output, bytes), (std::vector<float>{65.0f, -62.5f, 0.0f}));
}

TEST(TaskMetrics, AnomalyScoreIsMeanOverWindowsOfWindowMse) {
  // Sample 0's score recomputed from the raw outputs kept for fidelity.
  const Dataset set = Dataset::Open(kShared + "data/ad01_toyadmos_car248_val.h5");
  const runtime::CompiledModel model(model::LoadTfliteFile(kShared + "models/ad01_fp32.tflite"));
  EvalOptions options;
  options.task = Task::kAnomaly;
  const TaskMetrics m = EvaluateTask(model, set, options);
  ASSERT_EQ(m.anomaly_scores.size(), set.size());
  double expected = 0.0;
  const size_t windows = set.windows_per_sample();
  for (size_t w = 0; w < windows; ++w) {
    const auto input = set.FloatWindow(0, w);
    double squared = 0.0;
    for (size_t i = 0; i < input.size(); ++i) {
      const double d = static_cast<double>(m.outputs[w * input.size() + i]) - static_cast<double>(input[i]);
      squared += d * d;
    }
    expected += squared / static_cast<double>(input.size());
  }
  EXPECT_DOUBLE_EQ(m.anomaly_scores.at(0), expected / static_cast<double>(windows));
}

}  // namespace
}  // namespace harness::eval

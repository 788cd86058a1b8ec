// Per-op precision on the MLPerf Tiny KWS model (Int8Options::op_precision), measured against the
// float model on real validation samples: keeping the first CONV_2D float, or computing it in
// 16x8, brings the output at least as close to the float model (SQNR) as the all-int8 model; an
// all-float op_precision gives the float model's outputs bit for bit. (In tests/cli because it
// reads the HDF5 sets, which the quant test binary cannot.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <span>
#include <string>
#include <vector>

#include "harness/eval/dataset.h"
#include "harness/eval/input_preparer.h"
#include "harness/eval/metrics/fidelity.h"
#include "harness/eval/task_metrics.h"
#include "harness/model/tflite_loader.h"
#include "harness/quant/calibration.h"
#include "harness/quant/int8_quantizer.h"
#include "harness/quant/lint.h"
#include "harness/quant/method.h"
#include "harness/runtime/compiled_model.h"
#include "tests/cli/cli_test_support.h"

namespace harness {
namespace {

using test::kMlperfTinyDir;

using quant::LayerPrecision;

constexpr size_t kCalibrationRows = 200;
constexpr size_t kValidationSamples = 200;

class KwsLayerPrecision : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    float_graph_ = new model::Graph(quant::PrepareFloatGraph(
        model::LoadTfliteFile(kMlperfTinyDir + "models/kws_ref_model_float32.tflite")));
    const runtime::CompiledModel float_model(*float_graph_);
    const eval::Dataset calib = eval::Dataset::Open(kMlperfTinyDir + "data/kws01_speechcmd1000_calib.h5");
    const eval::InputPreparer preparer(calib, float_model.input(0));
    calibration_ = new quant::CalibrationResult(quant::RunCalibration(
        float_model, std::min(kCalibrationRows, calib.size()),
        [&](size_t row, std::span<std::byte> input) { preparer.Prepare(row, 0, input); }));
    val_ = new eval::Dataset(eval::Dataset::Open(kMlperfTinyDir + "data/kws01_speechcmd1000_val.h5"));
    float_outputs_ = new eval::TaskMetrics(Run(float_model));
  }
  static void TearDownTestSuite() {
    delete float_graph_;
    delete calibration_;
    delete val_;
    delete float_outputs_;
  }

  static eval::TaskMetrics Run(const runtime::CompiledModel& model) {
    eval::EvalOptions options;
    options.max_samples = kValidationSamples;
    return eval::EvaluateTask(model, *val_, options);
  }

  static model::Graph Quantize(std::vector<LayerPrecision> precision) {
    const auto minmax = quant::MakeCalibrator("minmax");
    quant::Int8Options options;
    options.op_precision = std::move(precision);
    return quant::QuantizeInt8(*float_graph_, *calibration_, *minmax, options);
  }

  // Output SQNR (dB) of `graph` against the float model on the validation samples.
  static double OutputSqnr(const model::Graph& graph) {
    const eval::TaskMetrics outputs = Run(runtime::CompiledModel(graph));
    return eval::SqnrDb(float_outputs_->outputs, outputs.outputs);
  }

  static size_t FirstOp(model::OpType type) {
    for (size_t i = 0; i < float_graph_->ops.size(); ++i) {
      if (float_graph_->ops[i].type == type) return i;
    }
    throw std::runtime_error("no such op");
  }

  static std::vector<LayerPrecision> OneOp(size_t op, LayerPrecision precision) {
    std::vector<LayerPrecision> all(float_graph_->ops.size(), LayerPrecision::kDefault);
    all[op] = precision;
    return all;
  }

  static inline model::Graph* float_graph_ = nullptr;
  static inline quant::CalibrationResult* calibration_ = nullptr;
  static inline eval::Dataset* val_ = nullptr;
  static inline eval::TaskMetrics* float_outputs_ = nullptr;
};

// With float I/O nothing is left to quantize: no conversion op, and the float kernels on the
// float weights give the float model's outputs exactly.
TEST_F(KwsLayerPrecision, AllFloatIsTheFloatModelBitForBit) {
  quant::Int8Options options;
  options.float_io = true;
  options.op_precision.assign(float_graph_->ops.size(), LayerPrecision::kFloat);
  const auto minmax = quant::MakeCalibrator("minmax");
  const model::Graph q = quant::QuantizeInt8(*float_graph_, *calibration_, *minmax, options);
  EXPECT_EQ(q.ops.size(), float_graph_->ops.size());
  const eval::TaskMetrics outputs = Run(runtime::CompiledModel(q));
  ASSERT_EQ(outputs.outputs.size(), float_outputs_->outputs.size());
  EXPECT_EQ(outputs.outputs, float_outputs_->outputs);
}

TEST_F(KwsLayerPrecision, FirstConvFloatOrInt16IsAtLeastAsCloseAsAllInt8) {
  const size_t conv = FirstOp(model::OpType::kConv2D);
  const model::Graph int8 = Quantize({});
  const model::Graph conv_float = Quantize(OneOp(conv, LayerPrecision::kFloat));
  const model::Graph conv_int16 = Quantize(OneOp(conv, LayerPrecision::kInt16x8));
  const double int8_sqnr = OutputSqnr(int8);
  const double float_sqnr = OutputSqnr(conv_float);
  const double int16_sqnr = OutputSqnr(conv_int16);
  std::printf("KWS output SQNR vs fp32 (%zu samples): all int8 %.2f dB, first conv float %.2f dB, "
              "first conv int16x8 %.2f dB\n",
              kValidationSamples, int8_sqnr, float_sqnr, int16_sqnr);
  EXPECT_GE(float_sqnr, int8_sqnr);
  EXPECT_GE(int16_sqnr, int8_sqnr);

  // The 16x8 conv: int16 in and out, int8 weights, int64 bias; the model still int8 at its
  // edges; lint clean.
  size_t int16_convs = 0;
  for (const model::Op& op : conv_int16.ops) {
    if (op.type != model::OpType::kConv2D) continue;
    if (conv_int16.tensor(op.outputs[0]).type != model::DataType::kInt16) continue;
    ++int16_convs;
    EXPECT_EQ(conv_int16.tensor(op.inputs[0]).type, model::DataType::kInt16);
    EXPECT_EQ(conv_int16.tensor(op.inputs[1]).type, model::DataType::kInt8);
    EXPECT_EQ(conv_int16.tensor(op.inputs[2]).type, model::DataType::kInt64);
  }
  EXPECT_EQ(int16_convs, 1u);
  EXPECT_EQ(conv_int16.tensor(conv_int16.inputs[0]).type, model::DataType::kInt8);
  EXPECT_EQ(conv_int16.tensor(conv_int16.outputs[0]).type, model::DataType::kInt8);
  EXPECT_EQ(quant::Lint(conv_int16, quant::LintTarget::Esp32S3()).errors(), 0u);
}

}  // namespace
}  // namespace harness

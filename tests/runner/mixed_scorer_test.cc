// The score the mixed method ranks candidates by, on the shipped digits classifier: accuracy in
// points on a labelled set, and output SQNR in dB against fp32 (capped at the fp32 model's own
// 60 dB) on the same inputs without labels, recomputed here from the raw outputs.
#include "harness/runner/mixed_scorer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "harness/eval/inference.h"
#include "harness/eval/input_preparer.h"
#include "harness/model/model_file.h"
#include "harness/quant/method.h"
#include "tests/eval/h5_test_util.h"

namespace harness::runner {
namespace {

namespace fs = std::filesystem;
const fs::path kDigits = fs::path(HARNESS_SOURCE_DIR) / "datasets" / "digits";

class MixedScorerOnDigits : public ::testing::Test {
 protected:
  MixedScorerOnDigits()
      : float_graph_(quant::PrepareFloatGraph(model::LoadModelFile((kDigits / "digits.onnx").string()))),
        float_model_(model::Graph(float_graph_)),
        validation_(eval::Dataset::Open((kDigits / "val.h5").string())) {
    const eval::Dataset calibration_set = eval::Dataset::Open((kDigits / "calib.h5").string());
    const eval::InputPreparer preparer(calibration_set, float_model_.input(0));
    const quant::CalibrationResult calibration = quant::RunCalibration(
        float_model_, calibration_set.size(),
        [&](size_t sample, std::span<std::byte> input) { preparer.Prepare(sample, 0, input); });
    int8_graph_ = quant::Quantize(float_graph_, quant::Method::kInt8, {}, &calibration);
  }

  model::Graph float_graph_;
  runtime::CompiledModel float_model_;
  eval::Dataset validation_;
  model::Graph int8_graph_;
};

TEST_F(MixedScorerOnDigits, ScoresAccuracyInPointsWhenTheSetHasLabels) {
  const MixedScorer scorer(float_model_, validation_, {});
  EXPECT_EQ(scorer.kind(), MixedScoreKind::kTaskMetric);
  EXPECT_EQ(scorer.metric(), "accuracy");
  EXPECT_STREQ(scorer.unit(), "points");
  const runtime::CompiledModel int8{model::Graph(int8_graph_)};
  const eval::Dataset& set = validation_;
  // Accuracy from the raw outputs: argmax (first of equal scores) against the labels.
  auto accuracy_points = [&](const runtime::CompiledModel& model) {
    const eval::OutputBatch batch = eval::RunOnDataset(model, set);
    const std::vector<float> outputs = eval::DequantizeOutputs(model.output(0), batch.data);
    const size_t classes = outputs.size() / set.size();
    size_t correct = 0;
    for (size_t i = 0; i < set.size(); ++i) {
      size_t best = 0;
      for (size_t c = 1; c < classes; ++c) {
        if (outputs[i * classes + c] > outputs[i * classes + best]) best = c;
      }
      correct += static_cast<int32_t>(best) == set.labels()[i] ? 1 : 0;
    }
    return 100.0 * static_cast<double>(correct) / static_cast<double>(set.size());
  };
  EXPECT_NEAR(scorer.fp32_score(), accuracy_points(float_model_), 1e-9);
  EXPECT_NEAR(scorer.Score(int8_graph_), accuracy_points(int8), 1e-9);
}

TEST_F(MixedScorerOnDigits, ScoresOutputSqnrInDbWithoutLabels) {
  // The validation inputs again, as float32, with no /labels and no task.
  eval::testing::TempDir dir;
  const std::string path = dir.File("unlabelled.h5");
  {
    std::vector<hsize_t> shape = {validation_.size()};
    for (int64_t d : validation_.sample_shape()) shape.push_back(static_cast<hsize_t>(d));
    std::vector<float> values;
    for (size_t i = 0; i < validation_.size(); ++i) {
      const auto sample = validation_.FloatSample(i);
      values.insert(values.end(), sample.begin(), sample.end());
    }
    eval::testing::SetWriter(path).Dataset("inputs", H5T_NATIVE_FLOAT, shape, values);
  }
  const eval::Dataset unlabelled = eval::Dataset::Open(path);
  const MixedScorer scorer(float_model_, unlabelled, {});
  EXPECT_EQ(scorer.kind(), MixedScoreKind::kOutputFidelity);
  EXPECT_EQ(scorer.metric(), "output_fidelity");
  EXPECT_STREQ(scorer.unit(), "points");
  EXPECT_EQ(scorer.fp32_score(), 100.0);
  EXPECT_EQ(scorer.Score(float_graph_), 100.0);  // noise-free

  const runtime::CompiledModel int8{model::Graph(int8_graph_)};
  const eval::OutputBatch reference_batch = eval::RunOnDataset(float_model_, unlabelled);
  const eval::OutputBatch int8_batch = eval::RunOnDataset(int8, unlabelled);
  const std::vector<float> reference = eval::DequantizeOutputs(float_model_.output(0), reference_batch.data);
  const std::vector<float> quantized = eval::DequantizeOutputs(int8.output(0), int8_batch.data);
  ASSERT_EQ(reference.size(), quantized.size());
  double signal = 0.0, noise = 0.0;
  for (size_t i = 0; i < reference.size(); ++i) {
    const double r = reference[i], q = quantized[i];
    signal += r * r;
    const double error = r - q;
    noise += error * error;
  }
  ASSERT_GT(noise, 0.0);
  const double expected = 100.0 * (1.0 - noise / signal);
  EXPECT_NEAR(scorer.Score(int8_graph_), expected, 1e-9);
}

}  // namespace
}  // namespace harness::runner

#include "harness/quant/calibration.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <new>
#include <string>

#include "harness/common/error.h"
#include "tests/quant/small_float_model.h"

namespace harness::quant {
namespace {

using testing::SmallFloatModel;
using testing::SmallModelSample;

void FillSample(size_t sample, std::span<std::byte> input) {
  const std::vector<float> values = SmallModelSample(sample);
  ASSERT_EQ(input.size(), values.size() * sizeof(float));
  std::memcpy(input.data(), values.data(), input.size());
}

CalibrationResult CalibrateWithThreads(const runtime::CompiledModel& model, size_t samples,
                                       int threads) {
  const tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                                  static_cast<size_t>(threads));
  CalibrationOptions options;
  options.collect_channel_means = true;
  return RunCalibration(model, samples, FillSample, options);
}

TEST(Calibration, StatisticsOfTheInputMatchTheSamples) {
  const runtime::CompiledModel model(SmallFloatModel());
  const size_t samples = 21;  // not a multiple of the chunk size
  const CalibrationResult result = CalibrateWithThreads(model, samples, 2);
  float lo = 0, hi = 0;
  std::vector<double> sums(8, 0.0);
  for (size_t i = 0; i < samples; ++i) {
    const std::vector<float> values = SmallModelSample(i);
    if (i == 0) lo = hi = values[0];
    for (size_t k = 0; k < values.size(); ++k) {
      lo = std::min(lo, values[k]);
      hi = std::max(hi, values[k]);
      sums[k] += static_cast<double>(values[k]);
    }
  }
  const TensorStatistics& input = result.of(model.graph().inputs[0]);
  EXPECT_EQ(input.count(), samples * 8);
  EXPECT_EQ(input.min(), lo);
  EXPECT_EQ(input.max(), hi);
  const std::vector<double>& means = result.channel_means[0];
  ASSERT_EQ(means.size(), 8u);
  for (size_t k = 0; k < 8; ++k) EXPECT_NEAR(means[k], sums[k] / samples, 1e-12);
}

TEST(Calibration, EveryFloatActivationHasStatisticsAndConstantsNone) {
  const runtime::CompiledModel model(SmallFloatModel());
  const CalibrationResult result = CalibrateWithThreads(model, 5, 1);
  const model::Graph& g = model.graph();
  for (size_t i = 0; i < g.tensors.size(); ++i) {
    const bool activation = !g.tensors[i].is_constant();
    EXPECT_EQ(result.statistics[i].has_value(), activation) << g.tensors[i].name;
  }
  // The ReLU output is never negative; softmax outputs lie in [0, 1].
  EXPECT_GE(result.of(3).min(), 0.0f);
  const TensorStatistics& probabilities = result.of(g.outputs[0]);
  EXPECT_GE(probabilities.min(), 0.0f);
  EXPECT_LE(probabilities.max(), 1.0f);
}

TEST(Calibration, OneAndTwoThreadsGiveBitIdenticalResults) {
  const runtime::CompiledModel model(SmallFloatModel());
  const CalibrationResult one = CalibrateWithThreads(model, 77, 1);
  const CalibrationResult two = CalibrateWithThreads(model, 77, 2);
  ASSERT_EQ(one.statistics.size(), two.statistics.size());
  for (size_t i = 0; i < one.statistics.size(); ++i) {
    EXPECT_EQ(one.statistics[i], two.statistics[i]) << "tensor " << i;
  }
  ASSERT_EQ(one.channel_means.size(), two.channel_means.size());
  for (size_t i = 0; i < one.channel_means.size(); ++i) {
    ASSERT_EQ(one.channel_means[i].size(), two.channel_means[i].size());
    for (size_t c = 0; c < one.channel_means[i].size(); ++c) {
      // Bitwise: the chunked sums are added in a fixed order.
      EXPECT_EQ(std::memcmp(&one.channel_means[i][c], &two.channel_means[i][c], sizeof(double)), 0);
    }
  }
}

// The small model's samples, but sample `bad` (and the later sample `bad + 27`, in another
// chunk) replaced by `value` in every element.
SampleFiller FillWithBadSample(size_t bad, float value) {
  return [bad, value](size_t sample, std::span<std::byte> input) {
    std::vector<float> values = SmallModelSample(sample);
    if (sample == bad || sample == bad + 27) std::fill(values.begin(), values.end(), value);
    std::memcpy(input.data(), values.data(), input.size());
  };
}

Error CalibrationError(const runtime::CompiledModel& model, const SampleFiller& fill, int threads) {
  const tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                                  static_cast<size_t>(threads));
  CalibrationOptions options;
  options.source = "calib.h5";
  options.sample_place = [](size_t sample) { return "row " + std::to_string(sample); };
  try {
    RunCalibration(model, 48, fill, options);
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "calibration succeeded";
  return Error("", "");
}

TEST(Calibration, NonFiniteInputNamesTheSetTheRowAndTheTensor) {
  const runtime::CompiledModel model(SmallFloatModel());
  for (int threads : {1, 2}) {
    // Rows 13 and 40 are bad; the first is named whatever the thread count.
    const Error e = CalibrationError(
        model, FillWithBadSample(13, std::numeric_limits<float>::quiet_NaN()), threads);
    EXPECT_EQ(e.place(), "calib.h5: row 13: tensor 'input' (model input 0)") << threads;
    EXPECT_EQ(e.message(), "non-finite value nan in the model's input") << threads;
  }
}

TEST(Calibration, NonFiniteActivationNamesTheTensorAndItsOp) {
  // x + x overflows to infinity for x = FLT_MAX: the model's first activation is the culprit.
  model::Graph g;
  g.AddBuffer({});
  const int32_t x = testing::AddTensor(g, "x", {1, 8});
  const int32_t twice = testing::AddTensor(g, "twice", {1, 8});
  model::Op add;
  add.type = model::OpType::kAdd;
  add.inputs = {x, x};
  add.outputs = {twice};
  add.options = model::AddOptions{};
  g.ops = {add};
  g.inputs = {x};
  g.outputs = {twice};
  const runtime::CompiledModel model(std::move(g));
  for (int threads : {1, 2}) {
    const Error e =
        CalibrationError(model, FillWithBadSample(5, std::numeric_limits<float>::max()), threads);
    EXPECT_EQ(e.place(), "calib.h5: row 5: tensor 'twice' (output of op 0, ADD)") << threads;
    EXPECT_EQ(e.message(), "non-finite value inf in the float model's activations") << threads;
  }
}

TEST(Calibration, OutOfMemoryNamesTheSet) {
  // An allocation failing inside the pass (injected through the filler) becomes an error that
  // names the set, instead of a bare std::bad_alloc.
  const runtime::CompiledModel model(SmallFloatModel());
  const SampleFiller fill = [](size_t sample, std::span<std::byte> input) {
    if (sample == 9) throw std::bad_alloc();
    FillSample(sample, input);
  };
  const Error e = CalibrationError(model, fill, 2);
  EXPECT_EQ(e.place(), "calib.h5");
  EXPECT_NE(e.message().find("out of memory collecting calibration statistics"), std::string::npos)
      << e.message();
}

TEST(Calibration, RefusesNoSamples) {
  const runtime::CompiledModel model(SmallFloatModel());
  EXPECT_THROW(RunCalibration(model, 0, FillSample), Error);
}

}  // namespace
}  // namespace harness::quant

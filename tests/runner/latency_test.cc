// The latency pass: percentiles by their definitions, and every timed invocation runs on the
// prepared input, even where the arena planner lets an activation overwrite the input's memory
// (the cause of the non-finite hybrid CONV_2D input the sanitizer build once reported).
#include "harness/runner/latency.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "harness/common/error.h"
#include "harness/eval/dataset.h"
#include "harness/eval/input_preparer.h"
#include "harness/model/model_file.h"
#include "harness/quant/method.h"
#include "tests/runtime/chain_graph.h"

namespace harness::runner {
namespace {

using test::ChainGraph;

std::vector<std::byte> AsBytes(const std::vector<float>& values) {
  std::vector<std::byte> bytes(values.size() * sizeof(float));
  std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

std::vector<float> OutputOf(const runtime::Session& session) {
  const auto bytes = session.output(0);
  std::vector<float> out(bytes.size() / sizeof(float));
  std::memcpy(out.data(), bytes.data(), bytes.size());
  return out;
}

TEST(Latency, MedianAndNearestRankPercentile) {
  EXPECT_EQ(Median({3.0, 1.0, 2.0}), 2.0);
  EXPECT_EQ(Median({4.0, 1.0, 2.0, 3.0}), 2.5);
  // Ten values 1..10: the 90th percentile is the 9th smallest, the 91st the 10th.
  std::vector<double> ten;
  for (int i = 10; i >= 1; --i) ten.push_back(i);
  EXPECT_EQ(NearestRankPercentile(ten, 90.0), 9.0);
  EXPECT_EQ(NearestRankPercentile(ten, 91.0), 10.0);
  EXPECT_EQ(NearestRankPercentile(ten, 0.0), 1.0);
}

TEST(Latency, TheChainGraphInputSharesMemoryWithALaterActivation) {
  // The premise of the next test: a plain re-invocation sees the overwritten input.
  const runtime::CompiledModel model{ChainGraph()};
  auto session = model.NewSession();
  const auto input = AsBytes({-1.0f, 0.5f, 2.0f, 10.0f});
  std::memcpy(session->input(0).data(), input.data(), input.size());
  session->Invoke();
  session->Invoke();
  EXPECT_NE(OutputOf(*session), (std::vector<float>{0.0f, 1.0f, 4.0f, 6.0f}));
}

TEST(Latency, EveryInvocationRunsOnThePreparedInput) {
  const runtime::CompiledModel model{ChainGraph()};
  auto session = model.NewSession();
  const std::vector<double> micros =
      TimeInvocations(*session, AsBytes({-1.0f, 0.5f, 2.0f, 10.0f}), 2, 3);
  EXPECT_EQ(micros.size(), 3u);
  // min(6, 2 * max(0, x)), the closed form of a single invocation.
  EXPECT_EQ(OutputOf(*session), (std::vector<float>{0.0f, 1.0f, 4.0f, 6.0f}));
}

TEST(Latency, RejectsAnInputOfTheWrongSize) {
  const runtime::CompiledModel model{ChainGraph()};
  auto session = model.NewSession();
  EXPECT_THROW(TimeInvocations(*session, AsBytes({1.0f, 2.0f}), 0, 1), Error);
  const Latency latency = MeasureLatency(model, AsBytes({1.0f, 2.0f, 3.0f, 4.0f}), 1, 4);
  EXPECT_EQ(latency.repeats, 4);
  EXPECT_LE(latency.median_us, latency.p90_us);
}

// The esp32 suite's detector under the dynamic method, as the latency pass runs it: the outputs
// after repeated invocations are those of one invocation on a fresh session.
TEST(Latency, RepeatedDetectorInvocationsMatchASingleOne) {
  const std::string folder = std::string(HARNESS_SOURCE_DIR) + "/datasets/detector/";
  const model::Graph float_graph =
      quant::PrepareFloatGraph(model::LoadModelFile(folder + "detector.tflite"));
  const runtime::CompiledModel model(
      quant::Quantize(float_graph, quant::Method::kDynamic, {}, nullptr));
  const eval::Dataset set = eval::Dataset::Open(folder + "val.h5");
  const eval::InputPreparer preparer(set, model.input(0));
  std::vector<std::byte> input(preparer.byte_size());
  preparer.Prepare(0, 0, input);

  auto single = model.NewSession();
  TimeInvocations(*single, input, 0, 1);
  auto repeated = model.NewSession();
  TimeInvocations(*repeated, input, 1, 3);
  const auto expected = single->output(0);
  const auto actual = repeated->output(0);
  ASSERT_EQ(expected.size(), actual.size());
  EXPECT_EQ(std::memcmp(expected.data(), actual.data(), actual.size()), 0);
}

}  // namespace
}  // namespace harness::runner

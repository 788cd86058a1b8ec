#include "harness/runtime/arena_estimate.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "harness/model/tflite_loader.h"

namespace harness::runtime {
namespace {

// `arena_used_bytes` that TFLite-Micro reports after AllocateTensors (reference kernels, 32-bit
// and 64-bit builds), from the table in the shared tflm-models README. The estimate sizes a
// firmware's arena: it must never be below TFLite-Micro's figure, and at most 5 % above it.
struct RecordedArena {
  const char* path;  // under the shared folder
  size_t tflm_mcu32_bytes;
  size_t tflm_host64_bytes;
};

constexpr double kMaxExcess = 0.05;

class ArenaEstimateVersusTflmTest : public testing::TestWithParam<RecordedArena> {};

void ExpectNeverBelowAndWithinExcess(const model::Graph& graph, const char* path, ArenaAbi abi,
                                     size_t tflm_bytes) {
  const ArenaEstimate estimate = EstimateArena(graph, abi);
  const double excess =
      (static_cast<double>(estimate.total_bytes()) - static_cast<double>(tflm_bytes)) /
      static_cast<double>(tflm_bytes);
  const std::string context = std::string(path) + " (" + std::to_string(abi.pointer_bytes * 8) +
                              "-bit): estimate " + std::to_string(estimate.total_bytes()) +
                              " (head " + std::to_string(estimate.head_bytes()) + ", tail " +
                              std::to_string(estimate.tail_bytes()) + "), TFLite-Micro " +
                              std::to_string(tflm_bytes);
  EXPECT_GE(estimate.total_bytes(), tflm_bytes) << context;
  EXPECT_LE(excess, kMaxExcess) << context;
  EXPECT_EQ(estimate.activation_bytes % kTflmArenaAlignment, 0u) << context;
}

TEST_P(ArenaEstimateVersusTflmTest, NeverBelowAndAtMostFivePercentAbove) {
  const RecordedArena& c = GetParam();
  const model::Graph graph = model::LoadTfliteFile(std::string(HARNESS_SHARED_DIR) + "/" + c.path);
  ExpectNeverBelowAndWithinExcess(graph, c.path, ArenaAbi::Mcu32(), c.tflm_mcu32_bytes);
  ExpectNeverBelowAndWithinExcess(graph, c.path, ArenaAbi::Host64(), c.tflm_host64_bytes);
}

// Every model of the README's table that harness loads. Not listed: the SVDF keyword models, the
// three LSTM models and DTLN (ops harness does not run).
INSTANTIATE_TEST_SUITE_P(
    TflmModels, ArenaEstimateVersusTflmTest,
    testing::Values(RecordedArena{"mlperf-tiny/models/ad01_int8.tflite", 2380, 3424},
                    RecordedArena{"mlperf-tiny/models/ad01_fp32.tflite", 4648, 5664},
                    RecordedArena{"mlperf-tiny/models/kws_ref_model.tflite", 22780, 24000},
                    RecordedArena{"mlperf-tiny/models/vww_96_int8.tflite", 100668, 103392},
                    RecordedArena{"mlperf-tiny/models/vww_96_float.tflite", 321816, 324512},
                    RecordedArena{"mlperf-tiny/models/pretrainedResnet_quant.tflite", 54364, 55712},
                    RecordedArena{"mlperf-tiny/models/pretrainedResnet.tflite", 201784, 203104},
                    RecordedArena{"tflm-models/models/micro_speech_quantized.tflite", 6812, 7312},
                    RecordedArena{"tflm-models/models/hello_world_float.tflite", 776, 1216},
                    RecordedArena{"tflm-models/models/hello_world_int8.tflite", 716, 1184},
                    RecordedArena{"tflm-models/models/mobilenet_v2_quantized_1x3x224x224.tflite",
                                  2600604, 2606896},
                    RecordedArena{"tflm-models/models/person_detect.tflite", 82300, 85024}));

// Hand-checked plans of GreedyMemoryPlanner's rule.
TEST(TflmGreedyPlanTest, DisjointLifetimesShareOffsetZero) {
  EXPECT_EQ(TflmGreedyPlanBytes({{64, 0, 0}, {48, 1, 1}, {32, 2, 2}}), 64u);
}

TEST(TflmGreedyPlanTest, OverlappingLifetimesStack) {
  // 64 at 0; 48 overlaps it and goes to 64; 32 overlaps only the 48 and fits below it at 0.
  EXPECT_EQ(TflmGreedyPlanBytes({{64, 0, 1}, {48, 1, 2}, {32, 2, 3}}), 112u);
}

TEST(TflmGreedyPlanTest, SmallBufferFillsGapBetweenLargerOnes) {
  // A [0,64) alive 0..1, B [64,96) alive 1..3 (placed after A), C alive 2..3 fits A's old room.
  EXPECT_EQ(TflmGreedyPlanBytes({{64, 0, 1}, {32, 1, 3}, {16, 2, 3}}), 96u);
}

TEST(TflmGreedyPlanTest, EqualSizesPlaceTheLaterBufferFirst) {
  // Hand trace of GreedyMemoryPlanner's order (48; then the 32s as 3, 1, 0): buffer 2 at 0,
  // buffer 3 at 0 (no overlap with 2), buffer 1 at 32 (after 3), buffer 0 past 2, 3 and 1 at 64:
  // 96 bytes. Taking equal sizes by first use and index instead (2, 0, 1, 3, as
  // runtime::PlanMemory does) puts 0 at 48, 1 at 0, 3 at 80: 112 bytes.
  EXPECT_EQ(TflmGreedyPlanBytes({{32, 0, 1}, {32, 0, 0}, {48, 1, 2}, {32, 0, 0}}), 96u);
}

TEST(ArenaEstimateTest, ReshapeOutputAliasesItsInput) {
  // input -> RESHAPE -> t1 -> SOFTMAX -> output; float 1x64.
  model::Graph g;
  for (const char* name : {"in", "shape", "mid", "out"}) {
    model::Tensor t;
    t.name = name;
    t.shape = {1, 64};
    g.tensors.push_back(t);
  }
  g.tensors[1].type = model::DataType::kInt32;
  g.tensors[1].shape = {2};
  g.tensors[1].buffer = g.AddBuffer(std::vector<uint8_t>(8, 0));
  g.ops.push_back({model::OpType::kReshape, 1, {0, 1}, {2}, model::ReshapeOptions{{1, 64}}});
  g.ops.push_back({model::OpType::kSoftmax, 1, {2}, {3}, model::SoftmaxOptions{}});
  g.inputs = {0};
  g.outputs = {3};
  // "in" and "mid" share one 256-byte buffer alive ops 0..1, "out" another: 512, not 768.
  EXPECT_EQ(EstimateArena(g).activation_bytes, 512u);
}

// MEAN over axes 1 and 2 of [1, 4, 4, 8]: TFLite-Micro's PrepareMeanOrSumHelper requests, for an
// int8 or int16 input, a scratch buffer of one int32 per output element, planned with the
// activations while MEAN runs; float MEAN requests none.
model::Graph MeanGraph(model::DataType type) {
  model::Graph g;
  for (const char* name : {"in", "axis", "out"}) {
    model::Tensor t;
    t.name = name;
    t.type = type;
    g.tensors.push_back(t);
  }
  g.tensors[0].shape = {1, 4, 4, 8};
  g.tensors[1].type = model::DataType::kInt32;
  g.tensors[1].shape = {2};
  g.tensors[1].buffer = g.AddBuffer(std::vector<uint8_t>(8, 0));
  g.tensors[2].shape = {1, 1, 1, 8};
  g.ops.push_back({model::OpType::kMean, 1, {0, 1}, {2}, model::ReducerOptions{true}});
  g.inputs = {0};
  g.outputs = {2};
  return g;
}

TEST(ArenaEstimateTest, QuantizedMeanPlansItsSumBufferWithTheActivations) {
  for (const model::DataType type : {model::DataType::kInt8, model::DataType::kInt16}) {
    const size_t element = type == model::DataType::kInt8 ? 1 : 2;
    const size_t in = (4 * 4 * 8 * element + 15) / 16 * 16;
    const size_t out = (8 * element + 15) / 16 * 16;
    const size_t sums = 8 * sizeof(int32_t);  // 32, already aligned
    const ArenaEstimate e = EstimateArena(MeanGraph(type));
    EXPECT_EQ(e.activation_bytes, in + out);
    EXPECT_EQ(e.scratch_bytes, sums);
    EXPECT_EQ(e.head_bytes(), in + out + sums);
  }
  const ArenaEstimate f = EstimateArena(MeanGraph(model::DataType::kFloat32));
  EXPECT_EQ(f.activation_bytes, 4u * 4 * 8 * 4 + 8 * 4);
  EXPECT_EQ(f.scratch_bytes, 0u);
}

// CONCATENATION of three [1, 4] tensors: TFLite-Micro allocates an OpData of ConcatenationParams
// (24 bytes on a 32-bit target, 40 on a 64-bit one) and, for int8, two arrays of one 4-byte entry
// per input (scales, zero points), each rounded to 16 bytes; the builtin options take 8.
model::Graph ConcatenationGraph(model::DataType type) {
  model::Graph g;
  for (const char* name : {"a", "b", "c", "out"}) {
    model::Tensor t;
    t.name = name;
    t.type = type;
    t.shape = {1, 4};
    g.tensors.push_back(t);
  }
  g.tensors[3].shape = {1, 12};
  g.ops.push_back({model::OpType::kConcatenation,
                   1,
                   {0, 1, 2},
                   {3},
                   model::ConcatenationOptions{1, model::Activation::kNone}});
  g.inputs = {0, 1, 2};
  g.outputs = {3};
  return g;
}

TEST(ArenaEstimateTest, ConcatenationOpDataAndInt8Arrays) {
  const size_t params32 = 32, params64 = 48;  // 24 and 40 rounded to 16
  const size_t options = 16, arrays = 2 * 16;
  EXPECT_EQ(
      EstimateArena(ConcatenationGraph(model::DataType::kFloat32), ArenaAbi::Mcu32()).op_data_bytes,
      options + params32);
  EXPECT_EQ(EstimateArena(ConcatenationGraph(model::DataType::kFloat32), ArenaAbi::Host64())
                .op_data_bytes,
            options + params64);
  EXPECT_EQ(
      EstimateArena(ConcatenationGraph(model::DataType::kInt8), ArenaAbi::Mcu32()).op_data_bytes,
      options + params32 + arrays);
  EXPECT_EQ(
      EstimateArena(ConcatenationGraph(model::DataType::kInt8), ArenaAbi::Host64()).op_data_bytes,
      options + params64 + arrays);
}

TEST(ArenaEstimateTest, Mcu32StructsAreSmallerThanHost64) {
  const model::Graph graph = model::LoadTfliteFile(std::string(HARNESS_SHARED_DIR) +
                                                   "/mlperf-tiny/models/ad01_int8.tflite");
  const ArenaEstimate host = EstimateArena(graph, ArenaAbi::Host64());
  const ArenaEstimate mcu = EstimateArena(graph, ArenaAbi::Mcu32());
  EXPECT_EQ(host.activation_bytes, mcu.activation_bytes);
  EXPECT_LT(mcu.tail_bytes(), host.tail_bytes());
  // TfLiteEvalTensor: {data, dims, type} is 12 bytes on a 32-bit target, 24 on a 64-bit one.
  EXPECT_EQ(mcu.eval_tensor_bytes, (12 * graph.tensors.size() + 15) / 16 * 16);
  EXPECT_EQ(host.eval_tensor_bytes, (24 * graph.tensors.size() + 15) / 16 * 16);
}

}  // namespace
}  // namespace harness::runtime

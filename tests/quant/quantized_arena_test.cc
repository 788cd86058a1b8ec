// The arena estimate of models the quantizer writes, against a closed-form count of the buffers
// TFLite-Micro's kernels allocate for them (tensorflow/lite/micro/kernels/): per-channel
// FULLY_CONNECTED's multiplier and shift arrays (fully_connected_common.cc) and int16 SOFTMAX's
// lookup tables (softmax_common.cc). The counts below come from the model's tensors and those
// kernels' sources, not from the descriptors the estimate reads.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "harness/model/graph.h"
#include "harness/quant/int8_quantizer.h"
#include "harness/runtime/arena_estimate.h"
#include "tests/quant/small_float_model.h"
#include "tests/quant/small_model_runs.h"

namespace harness::quant {
namespace {

using model::DataType;
using model::OpType;
using runtime::ArenaAbi;
using runtime::EstimateArena;

// AllocatePersistentBuffer and the memory planner round every buffer up to 16 bytes.
size_t Aligned16(size_t bytes) { return (bytes + 15) / 16 * 16; }

size_t TensorBytes(const model::Tensor& t) {
  return static_cast<size_t>(model::ElementCount(t.shape)) * model::ElementSize(t.type);
}

class QuantizedArenaTest : public ::testing::Test {
 protected:
  model::Graph float_graph_ = testing::SmallFloatModel();
  CalibrationResult calibration_ = testing::CalibrateOnSmallModelSamples(float_graph_, 64);
  std::unique_ptr<Calibrator> minmax_ = MakeCalibrator("minmax");

  model::Graph Quantize(const Int8Options& options) const {
    return QuantizeInt8(float_graph_, calibration_, *minmax_, options);
  }
};

TEST_F(QuantizedArenaTest, PerChannelFullyConnectedAddsMultiplierAndShiftArrays) {
  Int8Options per_channel;
  per_channel.per_channel_fully_connected = true;
  const model::Graph per_tensor_model = Quantize({});
  const model::Graph per_channel_model = Quantize(per_channel);
  ASSERT_EQ(per_tensor_model.tensors.size(), per_channel_model.tensors.size());
  ASSERT_EQ(per_tensor_model.ops.size(), per_channel_model.ops.size());

  // Per int8 FULLY_CONNECTED whose filter has one scale per unit: two int32 arrays of one entry
  // per unit (filter dimension 0), each its own 16-byte-aligned persistent buffer.
  size_t arrays = 0;
  int per_channel_ops = 0;
  for (const model::Op& op : per_channel_model.ops) {
    if (op.type != OpType::kFullyConnected) continue;
    const model::Tensor& filter = per_channel_model.tensor(op.inputs[1]);
    const auto units = static_cast<size_t>(filter.shape[0]);
    ASSERT_EQ(filter.quantization.scales.size(), units);
    arrays += 2 * Aligned16(units * sizeof(int32_t));
    ++per_channel_ops;
  }
  ASSERT_EQ(per_channel_ops, 1);
  EXPECT_EQ(arrays, 2 * Aligned16(4 * 4));  // the small model's FC has 4 units

  for (const ArenaAbi abi : {ArenaAbi::Mcu32(), ArenaAbi::Host64()}) {
    const runtime::ArenaEstimate per_tensor = EstimateArena(per_tensor_model, abi);
    const runtime::ArenaEstimate per_channel_estimate = EstimateArena(per_channel_model, abi);
    // Same tensors, same plan: the arrays are the whole difference.
    EXPECT_EQ(per_channel_estimate.head_bytes(), per_tensor.head_bytes());
    EXPECT_EQ(per_channel_estimate.total_bytes(), per_tensor.total_bytes() + arrays)
        << abi.pointer_bytes * 8 << "-bit";
  }
}

TEST_F(QuantizedArenaTest, Int16SoftmaxAddsItsTwoLookupTables) {
  Int8Options int16x8;
  int16x8.int16_activations = true;
  const model::Graph int8_model = Quantize({});
  const model::Graph int16_model = Quantize(int16x8);
  ASSERT_EQ(int8_model.tensors.size(), int16_model.tensors.size());
  ASSERT_EQ(int8_model.ops.size(), int16_model.ops.size());
  for (size_t i = 0; i < int8_model.ops.size(); ++i)
    ASSERT_EQ(int8_model.ops[i].type, int16_model.ops[i].type) << "op " << i;

  // The activations: input -> FC -> (RESHAPE, aliased) -> CONV_2D -> (RESHAPE) -> SOFTMAX is a
  // chain, so the plan is the largest pair of buffers alive during one op, each rounded to 16.
  for (const model::Graph* g : {&int8_model, &int16_model}) {
    const auto bytes = [&](const char* name) {
      for (const model::Tensor& t : g->tensors)
        if (t.name == name) return Aligned16(TensorBytes(t));
      ADD_FAILURE() << "no tensor " << name;
      return size_t{0};
    };
    const size_t fc_step = bytes("input") + bytes("fc/relu");
    const size_t conv_step = bytes("fc/relu") + bytes("conv");
    const size_t softmax_step = bytes("conv") + bytes("probabilities");
    const size_t head = std::max({fc_step, conv_step, softmax_step});
    EXPECT_EQ(EstimateArena(*g, ArenaAbi::Mcu32()).head_bytes(), head);
    EXPECT_EQ(EstimateArena(*g, ArenaAbi::Host64()).head_bytes(), head);
  }

  // int16 SOFTMAX: exp_lut and one_over_one_plus_x_lut, 513 int16 entries each
  // (kInt16LUTArraySize); int8 SOFTMAX allocates neither. Nothing else in the tail depends on
  // the activation type here (FC, CONV_2D and SOFTMAX keep the same OpData; every quantized
  // graph input and output has one scale and one zero point either way).
  size_t tables = 0;
  for (const model::Op& op : int16_model.ops) {
    if (op.type == OpType::kSoftmax && int16_model.tensor(op.inputs[0]).type == DataType::kInt16) {
      tables += 2 * Aligned16(513 * sizeof(int16_t));
    }
  }
  EXPECT_EQ(tables, 2u * 1040u);
  for (const ArenaAbi abi : {ArenaAbi::Mcu32(), ArenaAbi::Host64()}) {
    const runtime::ArenaEstimate int8 = EstimateArena(int8_model, abi);
    const runtime::ArenaEstimate int16 = EstimateArena(int16_model, abi);
    EXPECT_EQ(int16.tail_bytes(), int8.tail_bytes() + tables) << abi.pointer_bytes * 8 << "-bit";
  }
}

}  // namespace
}  // namespace harness::quant

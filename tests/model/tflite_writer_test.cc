// Writer: load -> write -> load gives the same graph for every reference model, output is
// deterministic, and the file has the properties TFLite-Micro relies on (checked on the written
// bytes with the flatbuffers API, independently of the loader).

#include "harness/model/tflite_writer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "harness/common/error.h"
#include "harness/model/schema/tflite_generated.h"
#include "harness/model/tflite_loader.h"

namespace harness::model {
namespace {

std::string ModelPath(const std::string& name) {
  return std::string(HARNESS_SHARED_DIR) + "/mlperf-tiny/models/" + name;
}

// Flatbuffers accessors return pointers; the written files are checked to have these fields.
template <typename T>
const T& NotNull(const T* pointer) {
  if (pointer == nullptr) throw std::runtime_error("missing flatbuffer field");
  return *pointer;
}

const std::vector<std::string> kModels = {
    "kws_ref_model.tflite", "kws_ref_model_float32.tflite", "vww_96_int8.tflite",
    "vww_96_float.tflite",  "ad01_int8.tflite",             "ad01_fp32.tflite"};

// Options compare field by field (each options struct's defaulted ==).
bool SameOptions(const OpOptions& a, const OpOptions& b) { return a == b; }

void ExpectSameGraph(const Graph& expected, const Graph& actual) {
  ASSERT_EQ(expected.tensors.size(), actual.tensors.size());
  for (size_t i = 0; i < expected.tensors.size(); ++i) {
    const Tensor& e = expected.tensors[i];
    const Tensor& a = actual.tensors[i];
    SCOPED_TRACE("tensor " + std::to_string(i) + " " + e.name);
    EXPECT_EQ(e.name, a.name);
    EXPECT_EQ(e.type, a.type);
    EXPECT_EQ(e.shape, a.shape);
    EXPECT_EQ(e.quantization.scales, a.quantization.scales);  // bit-exact floats
    EXPECT_EQ(e.quantization.zero_points, a.quantization.zero_points);
    EXPECT_EQ(e.quantization.quantized_dimension, a.quantization.quantized_dimension);
    EXPECT_EQ(e.is_constant(), a.is_constant());
    EXPECT_EQ(expected.data(static_cast<int32_t>(i)), actual.data(static_cast<int32_t>(i)));
  }
  ASSERT_EQ(expected.ops.size(), actual.ops.size());
  for (size_t i = 0; i < expected.ops.size(); ++i) {
    SCOPED_TRACE("op " + std::to_string(i));
    EXPECT_EQ(expected.ops[i].type, actual.ops[i].type);
    EXPECT_EQ(expected.ops[i].version, actual.ops[i].version);
    EXPECT_EQ(expected.ops[i].inputs, actual.ops[i].inputs);
    EXPECT_EQ(expected.ops[i].outputs, actual.ops[i].outputs);
    EXPECT_TRUE(SameOptions(expected.ops[i].options, actual.ops[i].options));
  }
  EXPECT_EQ(expected.inputs, actual.inputs);
  EXPECT_EQ(expected.outputs, actual.outputs);
  EXPECT_EQ(expected.description, actual.description);
}

TEST(TfliteWriter, RoundTripEveryModel) {
  for (const std::string& name : kModels) {
    SCOPED_TRACE(name);
    const Graph original = LoadTfliteFile(ModelPath(name));
    const std::vector<uint8_t> bytes = WriteTflite(original);
    const Graph reloaded = LoadTflite(bytes, name + " (rewritten)");
    ExpectSameGraph(original, reloaded);
    // Buffer indices too: the loader numbers buffers by first use, the writer keeps that order.
    for (size_t i = 0; i < original.tensors.size(); ++i) {
      EXPECT_EQ(original.tensors[i].buffer, reloaded.tensors[i].buffer);
    }
    // Deterministic, and a second round trip is a fixed point.
    EXPECT_EQ(WriteTflite(original), bytes);
    EXPECT_EQ(WriteTflite(reloaded), bytes);
  }
}

// What TFLite-Micro relies on, read from the written bytes with the flatbuffers API.
TEST(TfliteWriter, OutputHasTheLayoutTfliteMicroExpects) {
  for (const std::string& name : kModels) {
    SCOPED_TRACE(name);
    const Graph graph = LoadTfliteFile(ModelPath(name));
    const std::vector<uint8_t> bytes = WriteTflite(graph);
    ASSERT_GE(bytes.size(), 8u);
    EXPECT_EQ(std::string(bytes.begin() + 4, bytes.begin() + 8), "TFL3");
    flatbuffers::Verifier verifier(bytes.data(), bytes.size());
    ASSERT_TRUE(tflite::VerifyModelBuffer(verifier));
    const tflite::Model& model = NotNull(tflite::GetModel(bytes.data()));
    EXPECT_EQ(model.version(), 3u);

    const auto& buffers = NotNull(model.buffers());
    ASSERT_GE(buffers.size(), 1u);
    const auto* sentinel = NotNull(buffers.Get(0)).data();
    EXPECT_TRUE(sentinel == nullptr || sentinel->size() == 0);
    for (flatbuffers::uoffset_t i = 1; i < buffers.size(); ++i) {
      const auto& data = NotNull(NotNull(buffers.Get(i)).data());
      EXPECT_EQ((data.data() - bytes.data()) % 16, 0) << "buffer " << i;
    }

    // One OperatorCode per distinct (op, version); both code fields set.
    std::set<std::pair<int32_t, int32_t>> distinct;
    for (const Op& op : graph.ops) distinct.emplace(static_cast<int32_t>(op.type), op.version);
    const auto& codes = NotNull(model.operator_codes());
    EXPECT_EQ(codes.size(), distinct.size());
    for (const tflite::OperatorCode* code : codes) {
      const auto builtin = static_cast<int32_t>(NotNull(code).builtin_code());
      EXPECT_EQ(code->deprecated_builtin_code(), std::min(builtin, 127));
      EXPECT_EQ(distinct.count({builtin, code->version()}), 1u);
    }

    const tflite::SubGraph& subgraph = NotNull(NotNull(model.subgraphs()).Get(0));
    const auto& operators = NotNull(subgraph.operators());
    ASSERT_EQ(operators.size(), graph.ops.size());
    for (flatbuffers::uoffset_t i = 0; i < operators.size(); ++i) {
      const tflite::Operator& op = NotNull(operators.Get(i));
      const tflite::OperatorCode& code = NotNull(codes.Get(op.opcode_index()));
      EXPECT_EQ(static_cast<int32_t>(code.builtin_code()), static_cast<int32_t>(graph.ops[i].type));
      EXPECT_EQ(code.version(), graph.ops[i].version);
    }
  }
}

// Every op type with non-default options survives a round trip, and each is written with the
// union type value of the public schema (numbers from TFLite's schema_generated.h).
TEST(TfliteWriter, EveryOpTypeRoundTripsWithItsOptions) {
  Graph graph;
  graph.description = "every op";
  for (int i = 0; i < 3; ++i) {
    Tensor t;
    t.name = "t" + std::to_string(i);
    t.shape = {1, 4};
    graph.tensors.push_back(t);
  }
  Tensor weights;
  weights.name = "w";
  weights.type = DataType::kInt8;
  weights.shape = {2, 1, 1, 2};
  weights.quantization = {{0.5f, 0.25f}, {0, 0}, 0};
  weights.buffer = graph.AddBuffer({1, 2, 3, 4});
  graph.tensors.push_back(weights);
  graph.inputs = {0};
  graph.outputs = {1};  // written by every op (the loader refuses an output nothing writes)

  struct Case {
    OpType type;
    OpOptions options;
    int union_type;  // tflite::BuiltinOptions value, 0 = none
  };
  const std::vector<Case> cases = {
      {OpType::kConv2D, Conv2DOptions{Padding::kValid, 2, 3, Activation::kRelu6, 4, 5}, 1},
      {OpType::kDepthwiseConv2D,
       DepthwiseConv2DOptions{Padding::kValid, 3, 2, 4, Activation::kRelu, 2, 3}, 2},
      {OpType::kAveragePool2D, Pool2DOptions{Padding::kValid, 1, 2, 3, 4, Activation::kRelu}, 5},
      {OpType::kMaxPool2D, Pool2DOptions{Padding::kSame, 2, 1, 4, 3, Activation::kNone}, 5},
      {OpType::kFullyConnected, FullyConnectedOptions{Activation::kTanh, true, true}, 8},
      {OpType::kSoftmax, SoftmaxOptions{0.5f}, 9},
      {OpType::kConcatenation, ConcatenationOptions{-1, Activation::kReluN1To1}, 10},
      {OpType::kAdd, AddOptions{Activation::kRelu}, 11},
      {OpType::kReshape, ReshapeOptions{{4, -1}}, 17},
      {OpType::kMul, MulOptions{Activation::kRelu6}, 21},
      {OpType::kPad, std::monostate{}, 22},
      {OpType::kMean, ReducerOptions{true}, 27},
      {OpType::kDequantize, std::monostate{}, 38},
      {OpType::kQuantize, std::monostate{}, 89},
      {OpType::kHardSwish, std::monostate{}, 91},
      {OpType::kLogistic, std::monostate{}, 0},
      {OpType::kRelu, std::monostate{}, 0},
      {OpType::kRelu6, std::monostate{}, 0},
      {OpType::kTanh, std::monostate{}, 0},
  };
  for (const Case& c : cases) {
    Op op;
    op.type = c.type;
    op.version = 2;
    op.inputs = {0, 3, kNoTensor};
    op.outputs = {1};
    op.options = c.options;
    graph.ops.push_back(op);
  }
  const std::vector<uint8_t> bytes = WriteTflite(graph);
  ExpectSameGraph(graph, LoadTflite(bytes, "every-op"));

  const tflite::Model& model = NotNull(tflite::GetModel(bytes.data()));
  const auto& operators =
      NotNull(NotNull(NotNull(model.subgraphs()).Get(0)).operators());
  ASSERT_EQ(operators.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    const auto& op = NotNull(operators.Get(static_cast<flatbuffers::uoffset_t>(i)));
    EXPECT_EQ(static_cast<int>(op.builtin_options_type()), cases[i].union_type)
        << ToString(cases[i].type);
  }
}

TEST(TfliteWriter, OptionsOfAnotherOpAreRefused) {
  Graph graph;
  graph.tensors.resize(2);
  Op op;
  op.type = OpType::kConv2D;
  op.inputs = {0};
  op.outputs = {1};
  op.options = SoftmaxOptions{};
  graph.ops.push_back(op);
  try {
    WriteTflite(graph);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.place(), "op 0 (CONV_2D)");
  }
}

TEST(TfliteWriter, DanglingIndicesAreRefused) {
  Graph graph;
  graph.tensors.resize(2);
  Op op;
  op.type = OpType::kRelu;
  op.inputs = {0};
  op.outputs = {5};
  graph.ops.push_back(op);
  EXPECT_THROW(WriteTflite(graph), Error);
  graph.ops[0].outputs = {1};
  graph.tensors[0].buffer = 3;
  EXPECT_THROW(WriteTflite(graph), Error);
}

// Buffers no tensor uses are not written; shared buffers are written once.
TEST(TfliteWriter, WritesOnlyUsedBuffersOnce) {
  Graph graph;
  graph.buffers = {{9, 9, 9, 9}, {1, 0, 0, 0}};
  Tensor a;
  a.name = "a";
  a.type = DataType::kInt32;
  a.shape = {1};
  a.buffer = 1;
  graph.tensors = {a, a};
  Tensor input;  // the loader refuses a model without inputs and outputs
  input.name = "in";
  input.shape = {1};
  graph.tensors.push_back(input);
  graph.inputs = {2};
  graph.outputs = {2};
  const std::vector<uint8_t> bytes = WriteTflite(graph);
  const tflite::Model& model = NotNull(tflite::GetModel(bytes.data()));
  ASSERT_EQ(NotNull(model.buffers()).size(), 2u);  // the sentinel and {1,0,0,0}
  const Graph reloaded = LoadTflite(bytes, "shared");
  ASSERT_EQ(reloaded.buffers.size(), 1u);
  EXPECT_EQ(reloaded.buffers[0], (std::vector<uint8_t>{1, 0, 0, 0}));
  EXPECT_EQ(reloaded.tensors[0].buffer, 0);
  EXPECT_EQ(reloaded.tensors[1].buffer, 0);
}

class TfliteWriterFile : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = std::filesystem::temp_directory_path() /
              ("harness_writer_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
               "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(folder_);
    std::filesystem::create_directories(folder_);
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }
  std::filesystem::path folder_;
};

TEST_F(TfliteWriterFile, WritesAtomicallyAndLeavesNoTemporaryFile) {
  const Graph graph = LoadTfliteFile(ModelPath("ad01_int8.tflite"));
  const std::string path = (folder_ / "out.tflite").string();
  WriteTfliteFile(graph, path);
  WriteTfliteFile(graph, path);  // replaces the existing file
  ExpectSameGraph(graph, LoadTfliteFile(path));
  int entries = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder_)) {
    ++entries;
    EXPECT_EQ(entry.path().filename(), "out.tflite");
  }
  EXPECT_EQ(entries, 1);
}

TEST_F(TfliteWriterFile, MissingFolderIsAnError) {
  const Graph graph = LoadTfliteFile(ModelPath("ad01_int8.tflite"));
  const std::string path = (folder_ / "no" / "such" / "out.tflite").string();
  try {
    WriteTfliteFile(graph, path);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.place(), path);
  }
}

}  // namespace
}  // namespace harness::model

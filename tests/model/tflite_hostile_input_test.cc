// The loader on input it must refuse: every case throws harness::Error naming the problem, and
// none crashes (this binary also runs under AddressSanitizer and UBSan).
//
// Malformed-but-verifiable models are built here directly with the flatbuffers API, so each
// case changes exactly one thing in an otherwise valid model.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "harness/common/error.h"
#include "harness/model/schema/tflite_generated.h"
#include "harness/model/tflite_loader.h"

namespace harness::model {
namespace {

namespace fb = ::tflite;

std::string SharedPath(const std::string& relative) {
  return std::string(HARNESS_SHARED_DIR) + "/mlperf-tiny/" + relative;
}

std::vector<uint8_t> ReadAll(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

// Loads and returns the error; fails the test if nothing is thrown.
Error LoadError(const std::vector<uint8_t>& bytes, const std::string& source = "m.tflite") {
  try {
    LoadTflite(bytes, source);
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << "no error";
  return Error("", "");
}

Error LoadFileError(const std::string& path) {
  try {
    LoadTfliteFile(path);
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << "no error for " << path;
  return Error("", "");
}

// A small valid model: tensor 0 (input, float [1,4]) -> op 0 (RELU) -> tensor 1 -> op 1 (the op
// under test) -> tensor 2 (output). Tensor 3 is a float constant [2] in buffer 1. Each field
// can be altered by a test.
struct ModelSpec {
  uint32_t version = 3;
  int8_t deprecated_code = 19;  // RELU
  int32_t builtin_code = 19;
  std::string custom_code;
  uint32_t opcode_index = 1;
  std::vector<int32_t> op_inputs = {1, 3};
  std::vector<int32_t> graph_outputs = {2};
  std::vector<int32_t> mid_shape = {1, 4};
  fb::TensorType constant_type = fb::TensorType::FLOAT32;
  uint32_t constant_buffer = 1;
  std::vector<uint8_t> constant_data = std::vector<uint8_t>(8, 0);
  uint64_t constant_offset = 0;
  uint64_t constant_size = 0;
  bool conv_options = false;  // attach Conv2DOptions to op 1
};

std::vector<uint8_t> BuildModel(const ModelSpec& spec) {
  flatbuffers::FlatBufferBuilder b;
  std::vector<flatbuffers::Offset<fb::Buffer>> buffers = {fb::CreateBuffer(b)};
  if (spec.constant_offset != 0) {
    buffers.push_back(fb::CreateBuffer(b, 0, spec.constant_offset, spec.constant_size));
  } else {
    buffers.push_back(fb::CreateBuffer(b, b.CreateVector(spec.constant_data)));
  }
  auto tensor = [&](const char* name, std::vector<int32_t> shape, fb::TensorType type,
                    uint32_t buffer) {
    return fb::CreateTensor(b, b.CreateVector(shape), type, buffer, b.CreateString(name));
  };
  std::vector<flatbuffers::Offset<fb::Tensor>> tensors = {
      tensor("in", {1, 4}, fb::TensorType::FLOAT32, 0),
      tensor("mid", spec.mid_shape, fb::TensorType::FLOAT32, 0),
      tensor("out", {1, 4}, fb::TensorType::FLOAT32, 0),
      tensor("weights", {2}, spec.constant_type, spec.constant_buffer)};
  std::vector<flatbuffers::Offset<fb::OperatorCode>> codes = {
      fb::CreateOperatorCode(b, 19, 0, 1, fb::BuiltinOperator::RELU),
      fb::CreateOperatorCode(
          b, spec.deprecated_code,
          spec.custom_code.empty() ? 0 : b.CreateString(spec.custom_code), 1,
          static_cast<fb::BuiltinOperator>(spec.builtin_code))};
  auto options_type = fb::BuiltinOptions::NONE;
  flatbuffers::Offset<void> options = 0;
  if (spec.conv_options) {
    options_type = fb::BuiltinOptions::Conv2DOptions;
    options = fb::CreateConv2DOptions(b).Union();
  }
  std::vector<flatbuffers::Offset<fb::Operator>> ops = {
      fb::CreateOperator(b, 0, b.CreateVector(std::vector<int32_t>{0}),
                         b.CreateVector(std::vector<int32_t>{1})),
      fb::CreateOperator(b, spec.opcode_index, b.CreateVector(spec.op_inputs),
                         b.CreateVector(std::vector<int32_t>{2}), options_type, options)};
  auto subgraph = fb::CreateSubGraph(b, b.CreateVector(tensors),
                                     b.CreateVector(std::vector<int32_t>{0}),
                                     b.CreateVector(spec.graph_outputs), b.CreateVector(ops));
  std::vector<flatbuffers::Offset<fb::SubGraph>> subgraphs = {subgraph};
  auto model = fb::CreateModel(b, spec.version, b.CreateVector(codes), b.CreateVector(subgraphs),
                               b.CreateString("test"), b.CreateVector(buffers));
  b.Finish(model, fb::ModelIdentifier());
  return {b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize()};
}

TEST(TfliteHostileInput, TheBaseModelLoads) {
  const Graph graph = LoadTflite(BuildModel({}), "m.tflite");
  EXPECT_EQ(graph.ops.size(), 2u);
  EXPECT_EQ(graph.ops[1].type, OpType::kRelu);
  EXPECT_TRUE(graph.tensor(3).is_constant());
}

TEST(TfliteHostileInput, TruncatedFiles) {
  const std::vector<uint8_t> model = ReadAll(SharedPath("models/kws_ref_model.tflite"));
  ASSERT_GT(model.size(), 50000u);
  for (size_t length : {size_t{1}, size_t{4}, size_t{7}, size_t{8}, size_t{12}, size_t{64},
                        size_t{1000}, model.size() / 2, model.size() - 1000}) {
    SCOPED_TRACE(length);
    const std::vector<uint8_t> prefix(model.begin(), model.begin() + static_cast<long>(length));
    const Error error = LoadError(prefix);
    EXPECT_EQ(error.place(), "m.tflite");
    EXPECT_NE(error.message().find("not a valid TFLite flatbuffer"), std::string::npos)
        << error.what();
  }
}

TEST(TfliteHostileInput, RandomBytes) {
  std::mt19937 random(12345);
  for (size_t size : {size_t{9}, size_t{100}, size_t{4096}, size_t{100000}}) {
    for (bool with_identifier : {false, true}) {
      SCOPED_TRACE(std::to_string(size) + (with_identifier ? " with TFL3" : ""));
      std::vector<uint8_t> bytes(size);
      for (uint8_t& byte : bytes) byte = static_cast<uint8_t>(random());
      // With the identifier in place the verifier itself has to reject the structure.
      if (with_identifier) std::copy_n("TFL3", 4, bytes.begin() + 4);
      const Error error = LoadError(bytes);
      EXPECT_NE(error.message().find("not a valid TFLite flatbuffer"), std::string::npos)
          << error.what();
    }
  }
}

TEST(TfliteHostileInput, Hdf5FileGivenAsModel) {
  const std::string path = SharedPath("data/kws01_speechcmd1000_calib.h5");
  const Error error = LoadFileError(path);
  EXPECT_EQ(error.place(), path);
  EXPECT_NE(error.message().find("file identifier"), std::string::npos) << error.what();
}

TEST(TfliteHostileInput, EmptyAndMissingFiles) {
  const auto empty = std::filesystem::temp_directory_path() / "harness_loader_test_empty.tflite";
  { std::ofstream create(empty); }
  Error error = LoadFileError(empty.string());
  EXPECT_EQ(error.place(), empty.string());
  EXPECT_NE(error.message().find("empty"), std::string::npos) << error.what();
  std::filesystem::remove(empty);

  const std::string missing = SharedPath("models/no_such_model.tflite");
  error = LoadFileError(missing);
  EXPECT_EQ(error.place(), missing);
  EXPECT_NE(error.message().find("no such file"), std::string::npos) << error.what();

  error = LoadFileError(SharedPath("models"));
  EXPECT_NE(error.message().find("not a regular file"), std::string::npos) << error.what();
}

TEST(TfliteHostileInput, UnsupportedBuiltinOp) {
  ModelSpec spec;
  spec.deprecated_code = 30;
  spec.builtin_code = 30;
  const Error error = LoadError(BuildModel(spec));
  EXPECT_EQ(error.place(), "m.tflite: op 1 (SKIP_GRAM)");
  EXPECT_EQ(error.message().rfind("operator is not supported by harness (supported: ADD, ", 0), 0u)
      << error.what();
  EXPECT_NE(error.message().find("HARD_SWISH"), std::string::npos);
}

TEST(TfliteHostileInput, OpCodeAbove127UsesTheInt32Field) {
  // New-style file: the byte field saturates at 127 (PLACEHOLDER_FOR_GREATER_OP_CODES).
  ModelSpec spec;
  spec.deprecated_code = 127;
  spec.builtin_code = 150;
  EXPECT_EQ(LoadError(BuildModel(spec)).place(), "m.tflite: op 1 (GELU)");
  // Old-style file: only the byte field is set.
  spec.deprecated_code = 117;
  spec.builtin_code = 0;
  const Graph graph = LoadTflite(BuildModel(spec), "m.tflite");
  EXPECT_EQ(graph.ops[1].type, OpType::kHardSwish);
}

TEST(TfliteHostileInput, CustomOp) {
  ModelSpec spec;
  spec.deprecated_code = 32;
  spec.builtin_code = 32;
  spec.custom_code = "TFLite_Detection_PostProcess";
  const Error error = LoadError(BuildModel(spec));
  EXPECT_EQ(error.place(), "m.tflite: op 1 (custom 'TFLite_Detection_PostProcess')");
  EXPECT_NE(error.message().find("runs on TFLite-Micro, but harness has no kernel for it yet"),
            std::string::npos)
      << error.what();
}

TEST(TfliteHostileInput, OutOfRangeIndices) {
  ModelSpec spec;
  spec.op_inputs = {1, 4};
  Error error = LoadError(BuildModel(spec));
  EXPECT_EQ(error.place(), "m.tflite: op 1 (RELU): inputs");
  EXPECT_NE(error.message().find("tensor index 4 is out of range (4 tensors)"), std::string::npos)
      << error.what();

  spec = {};
  spec.op_inputs = {1, -2};
  EXPECT_NE(LoadError(BuildModel(spec)).message().find("tensor index -2"), std::string::npos);

  spec = {};
  spec.op_inputs = {-1, 3};  // -1 is an omitted optional input, not an error
  EXPECT_EQ(LoadTflite(BuildModel(spec), "m").ops[1].inputs[0], kNoTensor);

  spec = {};
  spec.graph_outputs = {-1};
  EXPECT_EQ(LoadError(BuildModel(spec)).place(), "m.tflite: subgraph outputs");

  spec = {};
  spec.opcode_index = 2;
  error = LoadError(BuildModel(spec));
  EXPECT_EQ(error.place(), "m.tflite: op 1");
  EXPECT_NE(error.message().find("opcode index 2"), std::string::npos) << error.what();

  spec = {};
  spec.constant_buffer = 7;
  error = LoadError(BuildModel(spec));
  EXPECT_EQ(error.place(), "m.tflite: tensor 3 'weights'");
  EXPECT_NE(error.message().find("buffer index 7"), std::string::npos) << error.what();
}

TEST(TfliteHostileInput, ConstantDataOfTheWrongSize) {
  ModelSpec spec;
  spec.constant_data = std::vector<uint8_t>(7, 0);  // float [2] needs 8
  const Error error = LoadError(BuildModel(spec));
  EXPECT_EQ(error.place(), "m.tflite: tensor 3 'weights'");
  EXPECT_NE(error.message().find("holds 7 bytes but FLOAT32 [2] needs 8"), std::string::npos)
      << error.what();
}

TEST(TfliteHostileInput, TensorTooLarge) {
  ModelSpec spec;
  // 2^80 elements: the product of the dimensions overflows int64.
  spec.mid_shape = {65536, 65536, 65536, 65536, 65536};
  Error error = LoadError(BuildModel(spec));
  EXPECT_EQ(error.place(), "m.tflite: tensor 1 'mid'");
  EXPECT_NE(error.message().find("holds more than 2^62 bytes"), std::string::npos) << error.what();
  // 2^29 floats are 2 GiB, one byte over the bound; one element less loads.
  spec.mid_shape = {1, 536870912};
  error = LoadError(BuildModel(spec));
  EXPECT_EQ(error.place(), "m.tflite: tensor 1 'mid'");
  EXPECT_NE(error.message().find("FLOAT32 [1, 536870912] holds 2147483648 bytes"),
            std::string::npos)
      << error.what();
  spec.mid_shape = {1, 536870911};
  EXPECT_EQ(LoadTflite(BuildModel(spec), "m.tflite").tensor(1).shape, spec.mid_shape);
}

TEST(TfliteHostileInput, ExternalBufferOutsideTheFile) {
  ModelSpec spec;
  spec.constant_offset = 1u << 20;
  spec.constant_size = 8;
  const Error error = LoadError(BuildModel(spec));
  EXPECT_EQ(error.place(), "m.tflite: tensor 3 'weights'");
  EXPECT_NE(error.message().find("outside the file"), std::string::npos) << error.what();
}

TEST(TfliteHostileInput, UnsupportedTensorType) {
  ModelSpec spec;
  spec.constant_type = fb::TensorType::STRING;
  const Error error = LoadError(BuildModel(spec));
  EXPECT_EQ(error.place(), "m.tflite: tensor 3 'weights'");
  EXPECT_NE(error.message().find("type STRING is not supported"), std::string::npos)
      << error.what();
}

TEST(TfliteHostileInput, WrongSchemaVersion) {
  ModelSpec spec;
  spec.version = 2;
  EXPECT_NE(LoadError(BuildModel(spec)).message().find("schema version 2"), std::string::npos);
}

TEST(TfliteHostileInput, OptionsOfAnotherOp) {
  ModelSpec spec;
  spec.deprecated_code = 25;  // SOFTMAX carrying Conv2DOptions
  spec.builtin_code = 25;
  spec.conv_options = true;
  const Error error = LoadError(BuildModel(spec));
  EXPECT_EQ(error.place(), "m.tflite: op 1 (SOFTMAX)");
  EXPECT_NE(error.message().find("Conv2DOptions, expected SoftmaxOptions"), std::string::npos)
      << error.what();
}

// Unaligned input (a span into the middle of some other buffer) is handled, not misread.
TEST(TfliteHostileInput, UnalignedSpan) {
  const std::vector<uint8_t> model = BuildModel({});
  std::vector<uint8_t> shifted(model.size() + 1);
  std::copy(model.begin(), model.end(), shifted.begin() + 1);
  const Graph graph = LoadTflite(std::span<const uint8_t>(shifted).subspan(1), "shifted");
  EXPECT_EQ(graph.ops.size(), 2u);
}

TEST(TfliteHostileInput, OpReadingATensorNotYetWritten) {
  ModelSpec spec;
  spec.op_inputs = {2, 3};  // op 1 reads its own output, which nothing has written before it
  const Error error = LoadError(BuildModel(spec));
  EXPECT_EQ(error.place(), "m.tflite: op 1 (RELU)");
  EXPECT_NE(error.message().find("tensor 2 'out'"), std::string::npos) << error.message();
  EXPECT_NE(error.message().find("execution order"), std::string::npos) << error.message();
}

TEST(TfliteHostileInput, NoOutputs) {
  ModelSpec spec;
  spec.graph_outputs = {};
  const Error error = LoadError(BuildModel(spec));
  EXPECT_EQ(error.place(), "m.tflite");
  EXPECT_EQ(error.message(), "the subgraph has no outputs");
}

TEST(TfliteHostileInput, OutputsThatAreWrittenOrInputsLoad) {
  ModelSpec spec;
  spec.graph_outputs = {2, 1, 0};
  EXPECT_NO_THROW(LoadTflite(BuildModel(spec), "m.tflite"));  // every one is written
}

}  // namespace
}  // namespace harness::model

// What TFLite-Micro cannot run either is refused with exit code 2 and a message that names the
// op or tensor, says TFLite-Micro refuses it too and what to do instead. Each model is written
// here with the flatbuffers API: input float [1, 4] -> op 0 -> output, with the op, its custom
// code, the tensor types and a sparsity table chosen per case.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "harness/model/schema/tflite_generated.h"
#include "tests/cli/cli_test_support.h"

namespace harness::cli {
namespace {

namespace fb = ::tflite;
namespace fs = std::filesystem;

struct Case {
  fb::BuiltinOperator op = fb::BuiltinOperator::RELU;
  std::string custom_code;
  fb::TensorType type = fb::TensorType::FLOAT32;
  bool quantized = false;  // scale 0.5, zero point 128 on both tensors
  bool sparse_output = false;
};

std::vector<uint8_t> Build(const Case& c) {
  flatbuffers::FlatBufferBuilder b;
  std::vector<flatbuffers::Offset<fb::Buffer>> buffers = {fb::CreateBuffer(b)};
  auto tensor = [&](const char* name, bool sparse) {
    flatbuffers::Offset<fb::QuantizationParameters> q = 0;
    if (c.quantized) {
      q = fb::CreateQuantizationParameters(b, 0, 0, b.CreateVector(std::vector<float>{0.5f}),
                                           b.CreateVector(std::vector<int64_t>{128}));
    }
    const auto shape = b.CreateVector(std::vector<int32_t>{1, 4});
    const auto text = b.CreateString(name);
    const auto sparsity = sparse ? fb::CreateSparsityParameters(b) : 0;
    fb::TensorBuilder t(b);
    t.add_shape(shape);
    t.add_type(c.type);
    t.add_buffer(0);
    t.add_name(text);
    if (c.quantized) t.add_quantization(q);
    if (sparse) t.add_sparsity(sparsity);
    return t.Finish();
  };
  std::vector<flatbuffers::Offset<fb::Tensor>> tensors = {tensor("in", false),
                                                          tensor("out", c.sparse_output)};
  const auto code = static_cast<int8_t>(std::min<int32_t>(static_cast<int32_t>(c.op), 127));
  std::vector<flatbuffers::Offset<fb::OperatorCode>> codes = {fb::CreateOperatorCode(
      b, code, c.custom_code.empty() ? 0 : b.CreateString(c.custom_code), 1, c.op)};
  std::vector<flatbuffers::Offset<fb::Operator>> ops = {fb::CreateOperator(
      b, 0, b.CreateVector(std::vector<int32_t>{0}), b.CreateVector(std::vector<int32_t>{1}))};
  auto subgraph =
      fb::CreateSubGraph(b, b.CreateVector(tensors), b.CreateVector(std::vector<int32_t>{0}),
                         b.CreateVector(std::vector<int32_t>{1}), b.CreateVector(ops));
  std::vector<flatbuffers::Offset<fb::SubGraph>> subgraphs = {subgraph};
  b.Finish(fb::CreateModel(b, 3, b.CreateVector(codes), b.CreateVector(subgraphs),
                           b.CreateString("refusal test"), b.CreateVector(buffers)),
           fb::ModelIdentifier());
  return {b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize()};
}

// `harness inspect` and `harness lint` on the written model: both refuse it with exit code 2
// and every one of `parts` in the message.
void ExpectRefused(const Case& c, const std::string& name, const std::vector<std::string>& parts) {
  const fs::path dir = test::FreshTempDir("harness_tflm_refusals_" + name);
  const fs::path model = dir / (name + ".tflite");
  const std::vector<uint8_t> bytes = Build(c);
  std::ofstream(model, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
  for (const char* command : {"inspect", "lint"}) {
    const test::CliOutcome outcome = test::RunCli({command, model.string()});
    EXPECT_EQ(outcome.code, kExitBadInput) << command << ": " << outcome.out << outcome.err;
    EXPECT_NE(outcome.err.find(model.string()), std::string::npos) << outcome.err;
    for (const std::string& part : parts) {
      EXPECT_NE(outcome.err.find(part), std::string::npos) << command << ": " << outcome.err;
    }
  }
  fs::remove_all(dir);
}

TEST(TflmRefusals, LegacyUint8Conv) {
  // RELU stands for any compute op: uint8 CONV_2D, DEPTHWISE_CONV_2D ... get the same check.
  Case c;
  c.type = fb::TensorType::UINT8;
  c.quantized = true;
  ExpectRefused(c, "uint8_relu",
                {"op 0 (RELU)", "tensor 'in' is quantized UINT8",
                 "TFLite-Micro's kernels cannot run either", "re-convert the model with int8"});
  c.op = fb::BuiltinOperator::CONV_2D;
  ExpectRefused(c, "uint8_conv", {"op 0 (CONV_2D)", "legacy uint8 quantization"});
}

TEST(TflmRefusals, FlexOp) {
  Case c;
  c.op = fb::BuiltinOperator::CUSTOM;
  c.custom_code = "FlexErf";
  ExpectRefused(c, "flex",
                {"op 0 (custom 'FlexErf')", "TF-select (Flex) op 'FlexErf'",
                 "TFLite-Micro cannot run either", "without SELECT_TF_OPS"});
}

TEST(TflmRefusals, UnknownCustomOp) {
  Case c;
  c.op = fb::BuiltinOperator::CUSTOM;
  c.custom_code = "VendorNpuDelegate";
  ExpectRefused(c, "custom",
                {"op 0 (custom 'VendorNpuDelegate')", "has no kernel in TFLite-Micro either",
                 "re-convert the model without custom ops"});
}

TEST(TflmRefusals, SparseTensor) {
  Case c;
  c.sparse_output = true;
  ExpectRefused(
      c, "sparse",
      {"tensor 1 'out'", "stored sparse", "TFLite-Micro cannot run either", "without sparsity"});
}

}  // namespace
}  // namespace harness::cli

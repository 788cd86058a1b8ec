// ONNX import: each small PyTorch-exported graph (tests/model/onnx_data, made by
// make_onnx_cases.py) converted and run by the harness must give PyTorch's recorded output
// within 1e-4 of the output's largest magnitude. Inputs are recorded NCHW and fed NHWC; 4-D
// outputs come back NHWC and are compared after transposing to NCHW.

#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "harness/common/error.h"
#include "harness/model/model_file.h"
#include "harness/model/onnx_importer.h"
#include "harness/model/onnx_layout.h"
#include "harness/model/tflite_loader.h"
#include "harness/model/tflite_writer.h"
#include "harness/runtime/compiled_model.h"

namespace harness::model {
namespace {

const std::string kDataDir = std::string(HARNESS_SOURCE_DIR) + "/tests/model/onnx_data/";

struct Array {
  std::vector<int64_t> shape;
  std::vector<float> data;
};

Array ReadH5(const std::string& file, const char* dataset) {
  Array a;
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  EXPECT_GE(f, 0) << file;
  const hid_t d = H5Dopen2(f, dataset, H5P_DEFAULT);
  const hid_t space = H5Dget_space(d);
  hsize_t dims[8] = {};
  const int rank = H5Sget_simple_extent_ndims(space);
  H5Sget_simple_extent_dims(space, dims, nullptr);
  size_t count = 1;
  for (int i = 0; i < rank; ++i) {
    a.shape.push_back(static_cast<int64_t>(dims[i]));
    count *= dims[i];
  }
  a.data.resize(count);
  H5Dread(d, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, a.data.data());
  H5Sclose(space);
  H5Dclose(d);
  H5Fclose(f);
  return a;
}

std::vector<float> RunModel(const Graph& graph, const Array& input) {
  runtime::CompiledModel model(graph);
  auto session = model.NewSession();
  std::vector<float> stored = input.data;
  if (input.shape.size() == 4) stored = onnx_layout::Transpose(input.data, input.shape, {0, 2, 3, 1}, nullptr);
  auto in = session->input(0);
  EXPECT_EQ(in.size(), stored.size() * sizeof(float));
  std::memcpy(in.data(), stored.data(), std::min(in.size(), stored.size() * sizeof(float)));
  session->Invoke();
  auto out = session->output(0);
  std::vector<float> result(out.size() / sizeof(float));
  std::memcpy(result.data(), out.data(), result.size() * sizeof(float));
  const auto& shape = model.output(0).shape;
  if (shape.size() == 4) {
    const std::vector<int64_t> nhwc(shape.begin(), shape.end());
    result = onnx_layout::Transpose(result, nhwc, {0, 3, 1, 2}, nullptr);
  }
  return result;
}

void ExpectClose(const std::vector<float>& actual, const Array& expected, const std::string& name) {
  ASSERT_EQ(actual.size(), expected.data.size()) << name;
  float largest = 0.0f;
  for (float v : expected.data) largest = std::max(largest, std::fabs(v));
  const float tolerance = 1e-4f * std::max(largest, 1e-6f);
  for (size_t i = 0; i < actual.size(); ++i) {
    ASSERT_NEAR(actual[i], expected.data[i], tolerance) << name << " element " << i;
  }
}

class OnnxCase : public testing::TestWithParam<std::string> {};

TEST_P(OnnxCase, MatchesPyTorch) {
  const std::string base = kDataDir + GetParam();
  const Graph graph = LoadOnnxFile(base + ".onnx");
  const Array input = ReadH5(base + ".h5", "/input");
  const Array expected = ReadH5(base + ".h5", "/output");
  ExpectClose(RunModel(graph, input), expected, GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    Ops, OnnxCase,
    testing::Values("conv", "conv_stride2_valid", "conv_asym_pad", "conv_opset11", "depthwise",
                    "depthwise_multiplier", "linear", "matmul", "relu", "relu_alone", "relu6",
                    "relu6_opset11", "sigmoid", "tanh", "hardswish", "add", "add_const",
                    "mul_const", "mul", "maxpool", "maxpool_same", "avgpool", "avgpool_pad",
                    "global_avgpool", "flatten_linear", "view_linear", "reshape", "concat", "pad",
                    "softmax", "softmax_opset11", "batchnorm", "identity_constant",
                    "small_cnn_opset17"));

int CountOps(const Graph& g, OpType type) {
  return static_cast<int>(std::count_if(g.ops.begin(), g.ops.end(), [&](const Op& op) { return op.type == type; }));
}

TEST(OnnxImport, MapsLayoutsAndFusesAsTflite) {
  const Graph conv = LoadOnnxFile(kDataDir + "conv.onnx");
  EXPECT_EQ(conv.tensor(conv.inputs[0]).shape, (std::vector<int32_t>{1, 6, 5, 3}));  // NHWC
  EXPECT_EQ(conv.tensor(conv.ops[0].inputs[1]).shape, (std::vector<int32_t>{4, 3, 3, 3}));
  const Graph dw = LoadOnnxFile(kDataDir + "depthwise_multiplier.onnx");
  // Stride 2 with pads (1, 1): TFLite's SAME would pad (0, 1), so an explicit PAD comes first.
  ASSERT_EQ(dw.ops.size(), 2u);
  EXPECT_EQ(dw.ops[0].type, OpType::kPad);
  EXPECT_EQ(dw.ops[1].options.get<DepthwiseConv2DOptions>().depth_multiplier, 2);
  EXPECT_EQ(dw.ops[1].options.get<DepthwiseConv2DOptions>().padding, Padding::kValid);
  // Conv + BatchNorm + Relu: one CONV_2D with the BN folded and the RELU fused.
  const Graph bn = LoadOnnxFile(kDataDir + "batchnorm.onnx");
  ASSERT_EQ(bn.ops.size(), 1u);
  EXPECT_EQ(bn.ops[0].options.get<Conv2DOptions>().activation, Activation::kRelu);
  const Graph relu6 = LoadOnnxFile(kDataDir + "relu6.onnx");
  ASSERT_EQ(relu6.ops.size(), 1u);
  EXPECT_EQ(relu6.ops[0].options.get<Conv2DOptions>().activation, Activation::kRelu6);
  // A Relu with no op before it stays an op.
  EXPECT_EQ(CountOps(LoadOnnxFile(kDataDir + "relu_alone.onnx"), OpType::kRelu), 1);
}

void ExpectRefused(const std::string& file, const std::string& place_part, const std::string& message_part) {
  try {
    LoadOnnxFile(file);
    ADD_FAILURE() << file << " was accepted";
  } catch (const Error& e) {
    EXPECT_NE(e.place().find(place_part), std::string::npos) << e.what();
    EXPECT_NE(e.message().find(message_part), std::string::npos) << e.what();
  }
}

TEST(OnnxImport, RefusesUnsupportedNodesWithNameOpTypeAndOpset) {
  ExpectRefused(kDataDir + "grouped.onnx", "grouped.onnx: node '", "group 2");
  ExpectRefused(kDataDir + "grouped.onnx", "(Conv, opset 13)", "not supported");
  // The LSTM graph fails at the first node the importer cannot express, which still names
  // itself, its op type and the opset.
  ExpectRefused(kDataDir + "lstm.onnx", "lstm.onnx: node '", "");
  ExpectRefused(kDataDir + "lstm.onnx", ", opset 13)", "");
}

TEST(OnnxImport, TruncatedFileIsRefusedNamingIt) {
  const std::string source = kDataDir + "small_cnn_opset17.onnx";
  std::string bytes(static_cast<size_t>(std::filesystem::file_size(source)), '\0');
  std::ifstream(source, std::ios::binary).read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ASSERT_GT(bytes.size(), 100u);
  const std::string path = testing::TempDir() + "truncated.onnx";
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size() / 2));
  try {
    LoadOnnxFile(path);
    ADD_FAILURE() << "truncated file accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
  std::filesystem::remove(path);
}

TEST(OnnxImport, ModelFileChoosesByExtension) {
  EXPECT_EQ(LoadModelFile(kDataDir + "linear.onnx").ops.size(), 1u);
  try {
    LoadModelFile(kDataDir + "linear.h5");
    ADD_FAILURE() << ".h5 accepted as a model";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("'.h5'"), std::string::npos) << e.what();
  }
}

TEST(OnnxImport, TfliteRoundTripGivesTheSameOutputs) {
  for (const std::string name : {"small_cnn_opset17", "flatten_linear", "concat"}) {
    const Graph graph = LoadOnnxFile(kDataDir + name + ".onnx");
    const std::vector<uint8_t> bytes = WriteTflite(graph);
    const Graph reloaded = LoadTflite(bytes, name + ".tflite");
    const Array input = ReadH5(kDataDir + name + ".h5", "/input");
    const std::vector<float> direct = RunModel(graph, input);
    const std::vector<float> round_trip = RunModel(reloaded, input);
    EXPECT_EQ(direct, round_trip) << name;
    ExpectClose(round_trip, ReadH5(kDataDir + name + ".h5", "/output"), name);
  }
}

}  // namespace
}  // namespace harness::model

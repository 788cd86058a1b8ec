// Bad input never crashes the tool: each case exits with code 2 and a message that names the
// file and the problem. Run in-process (so the sanitizer build checks the parsers) and once
// through the real binary to check the process exit status.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "harness/cli/cli.h"
#include "harness/model/graph.h"
#include "harness/model/tflite_writer.h"
#include "tests/cli/cli_test_support.h"
#include "tests/eval/h5_test_util.h"

namespace harness {
namespace {

using test::CliOutcome;
using test::kMlperfTiny;
using test::RunCli;

namespace fs = std::filesystem;

fs::path TempFile(const std::string& name, const std::vector<char>& bytes) {
  const fs::path path = fs::temp_directory_path() / ("harness_hostile_" + name);
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return path;
}

std::vector<char> ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void ExpectBadInput(const CliOutcome& o, const std::string& must_mention) {
  EXPECT_EQ(o.code, 2) << o.err;
  EXPECT_NE(o.err.find("harness: error: "), std::string::npos) << o.err;
  EXPECT_NE(o.err.find(must_mention), std::string::npos) << "message: " << o.err;
}

TEST(HostileInput, TruncatedModel) {
  const auto model = ReadAll(kMlperfTiny / "models" / "kws_ref_model.tflite");
  ASSERT_GT(model.size(), 1000u);
  for (size_t length : {size_t{0}, size_t{3}, size_t{16}, size_t{200}, size_t{1000}, model.size() / 2,
                        model.size() - 1}) {
    const fs::path path = TempFile("truncated.tflite", std::vector<char>(model.begin(), model.begin() + static_cast<long>(length)));
    ExpectBadInput(RunCli({"inspect", path.string()}), path.string());
    fs::remove(path);
  }
}

TEST(HostileInput, RandomBytes) {
  std::mt19937 rng(42);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<char> bytes(64 + rng() % 4096);
    for (char& b : bytes) b = static_cast<char>(rng());
    if (trial % 2) {  // a valid-looking identifier so the verifier, not the header check, decides
      bytes[4] = 'T'; bytes[5] = 'F'; bytes[6] = 'L'; bytes[7] = '3';
    }
    const fs::path path = TempFile("random.tflite", bytes);
    ExpectBadInput(RunCli({"inspect", path.string()}), path.string());
    fs::remove(path);
  }
}

TEST(HostileInput, Hdf5GivenAsModel) {
  const fs::path set = kMlperfTiny / "data" / "kws01_speechcmd1000_calib.h5";
  ExpectBadInput(RunCli({"inspect", set.string()}), set.string());
}

TEST(HostileInput, MissingModel) {
  ExpectBadInput(RunCli({"inspect", "no/such/model.tflite"}), "no/such/model.tflite");
}

TEST(HostileInput, ModelGivenAsSet) {
  const fs::path model = kMlperfTiny / "models" / "kws_ref_model.tflite";
  const fs::path out = fs::temp_directory_path() / "harness_hostile_out.h5";
  ExpectBadInput(RunCli({"infer", model.string(), "--data", model.string(), "--out", out.string()}),
                 model.string());
  EXPECT_FALSE(fs::exists(out));
}

TEST(HostileInput, SetWithTheWrongShape) {
  const fs::path model = kMlperfTiny / "models" / "vww_96_int8.tflite";
  const fs::path set = kMlperfTiny / "data" / "kws01_speechcmd1000_calib.h5";
  const fs::path out = fs::temp_directory_path() / "harness_hostile_out.h5";
  const CliOutcome o = RunCli({"infer", model.string(), "--data", set.string(), "--out", out.string()});
  ExpectBadInput(o, "[49, 10, 1]");
  EXPECT_NE(o.err.find("[1, 96, 96, 3]"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(out));
}

// float "x" [1, 2] -> QUANTIZE -> "xq" int8 (0.5) -> FULLY_CONNECTED with filter "w" (scale
// `filter_scale`) -> "y" int8 (1.0) -> DEQUANTIZE -> "out": the model the int8 method writes,
// with one hostile scale.
void WriteFullyConnectedModel(const std::string& path, float filter_scale) {
  model::Graph g;
  g.AddBuffer({});
  auto tensor = [&](const char* name, model::DataType type, std::vector<int32_t> shape,
                    std::vector<float> scales) {
    model::Tensor t;
    t.name = name;
    t.type = type;
    t.shape = std::move(shape);
    t.quantization.zero_points.assign(scales.size(), 0);
    t.quantization.scales = std::move(scales);
    g.tensors.push_back(std::move(t));
    return static_cast<int32_t>(g.tensors.size() - 1);
  };
  const int32_t x = tensor("x", model::DataType::kFloat32, {1, 2}, {});
  const int32_t xq = tensor("xq", model::DataType::kInt8, {1, 2}, {0.5f});
  const int32_t w = tensor("w", model::DataType::kInt8, {1, 2}, {filter_scale});
  g.tensors[static_cast<size_t>(w)].buffer = g.AddBuffer({1, 0xff});
  const int32_t y = tensor("y", model::DataType::kInt8, {1, 1}, {1.0f});
  const int32_t out = tensor("out", model::DataType::kFloat32, {1, 1}, {});
  auto op = [&](model::OpType type, std::vector<int32_t> inputs, int32_t output,
                model::OpOptions options) {
    model::Op o;
    o.type = type;
    o.inputs = std::move(inputs);
    o.outputs = {output};
    o.options = std::move(options);
    o.version = 1;
    g.ops.push_back(std::move(o));
  };
  op(model::OpType::kQuantize, {x}, xq, {});
  op(model::OpType::kFullyConnected, {xq, w}, y, model::FullyConnectedOptions{});
  op(model::OpType::kDequantize, {y}, out, {});
  g.inputs = {x};
  g.outputs = {out};
  model::WriteTfliteFile(g, path);
}

TEST(HostileInput, ScalesThatGiveNoMultiplier) {
  // NaN, Inf, 0 and a subnormal scale are no scale at all; 1e30 makes the requantization
  // multiplier 0.5 * 1e30 / 1, far beyond the kernels' 2^31. Each used to become a multiplier
  // of 0 (a constant output that looked valid) or a shift of undefined behaviour.
  const fs::path dir = test::FreshTempDir("harness_hostile_scales");
  const std::string set = (dir / "set.h5").string();
  eval::testing::SetWriter(set).Dataset("/inputs", H5T_NATIVE_FLOAT, {2, 2},
                                        std::vector<float>{1, 2, 3, 4});
  const std::string good = (dir / "good.tflite").string();
  WriteFullyConnectedModel(good, 0.25f);
  const CliOutcome ok = RunCli({"infer", good, "--data", set, "--out", (dir / "ok.h5").string()});
  EXPECT_EQ(ok.code, 0) << ok.err;
  for (float scale : {std::numeric_limits<float>::quiet_NaN(),
                      std::numeric_limits<float>::infinity(), 0.0f, 1e-45f, 1e30f}) {
    SCOPED_TRACE(scale);
    const std::string model = (dir / "bad.tflite").string();
    WriteFullyConnectedModel(model, scale);
    const fs::path out = dir / "out.h5";
    const CliOutcome o = RunCli({"infer", model, "--data", set, "--out", out.string()});
    ExpectBadInput(o, model);
    EXPECT_NE(o.err.find("op 1 (FULLY_CONNECTED)"), std::string::npos) << o.err;
    EXPECT_NE(o.err.find(scale == 1e30f ? "below 2^31" : "filter tensor 'w'"), std::string::npos)
        << o.err;
    EXPECT_FALSE(fs::exists(out));
  }
  fs::remove_all(dir);
}

TEST(HostileInput, CalibrationOverflowNamesTheSetRowAndTensor) {
  // x + x is infinite for x = FLT_MAX: the calibration pass cannot histogram it. The message
  // names the set, the row and the activation, where it used to say "histogram: non-finite
  // value inf".
  const fs::path dir = test::FreshTempDir("harness_hostile_calibration");
  const std::string model = (dir / "twice.tflite").string();
  {
    model::Graph g;
    g.AddBuffer({});
    for (const char* name : {"x", "twice"}) {
      model::Tensor t;
      t.name = name;
      t.shape = {1, 2};
      g.tensors.push_back(t);
    }
    model::Op add;
    add.type = model::OpType::kAdd;
    add.inputs = {0, 0};
    add.outputs = {1};
    add.options = model::AddOptions{};
    add.version = 1;
    g.ops = {add};
    g.inputs = {0};
    g.outputs = {1};
    model::WriteTfliteFile(g, model);
  }
  const std::string set = (dir / "calib.h5").string();
  const float huge = std::numeric_limits<float>::max();
  eval::testing::SetWriter(set).Dataset("/inputs", H5T_NATIVE_FLOAT, {3, 2},
                                        std::vector<float>{1, 2, 3, 4, huge, 0});
  const fs::path out = dir / "out.tflite";
  const CliOutcome o =
      RunCli({"quantize", model, "--method", "int8", "--calib", set, "-o", out.string()});
  ExpectBadInput(o, set + ": row 2: tensor 'twice' (output of op 0, ADD)");
  EXPECT_NE(o.err.find("non-finite value inf"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(out));
  fs::remove_all(dir);
}

TEST(HostileInput, BadCommandLine) {
  ExpectBadInput(RunCli({"infer", "m.tflite", "--data"}), "--data");
  ExpectBadInput(RunCli({"infer", "m.tflite", "--bogus", "1"}), "--bogus");
  ExpectBadInput(RunCli({"infer", "m.tflite", "--data", "x.h5", "--out", "y.h5", "--jobs", "two"}), "--jobs");
  ExpectBadInput(RunCli({"frobnicate"}), "frobnicate");
}

TEST(HostileInput, RealProcessExitsWithCodeTwo) {
  const fs::path path = TempFile("process.tflite", {'n', 'o', 't', ' ', 'a', ' ', 'm', 'o', 'd', 'e', 'l'});
  const std::string command = std::string(HARNESS_BINARY) + " inspect " + path.string() + " 2>/dev/null";
  const int status = std::system(command.c_str());
  fs::remove(path);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
}

}  // namespace
}  // namespace harness

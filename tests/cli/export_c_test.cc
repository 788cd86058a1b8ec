// `harness export-c`: the generated C++ is parsed back and compared with the model file byte for
// byte, the golden vectors with `harness infer` and with TFLite-Micro's own goldens, the resolver
// list with the ops `harness inspect` lists, and the generated source is compiled by the system
// compiler to show that it is valid C++.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "harness/cli/cli.h"
#include "harness/eval/hdf5_file.h"
#include "harness/model/tflite_loader.h"
#include "harness/report/c_export.h"
#include "tests/cli/c_source_parsing.h"
#include "tests/cli/cli_test_support.h"

namespace harness {
namespace {

using test::kMlperfTiny;

namespace fs = std::filesystem;
using test::InitializerOf;
using test::ParseNumbers;

class ExportCTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() / ("harness_export_c_" + std::to_string(::getpid()) + "_" +
                                     testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  int Run(const std::vector<std::string>& args) {
    std::ostringstream out, err;
    const int code = cli::Main(args, out, err);
    last_error_ = err.str();
    return code;
  }

  fs::path dir_;
  std::string last_error_;
};

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  std::string text(static_cast<size_t>(std::max<std::streamoff>(in.tellg(), 0)), '\0');
  in.seekg(0);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  return text;
}

// Every "0x.." byte in an xxd-style initializer.
std::vector<uint8_t> ParseHexBytes(const std::string& body) {
  std::vector<uint8_t> bytes;
  for (size_t at = body.find("0x"); at != std::string::npos; at = body.find("0x", at + 2)) {
    bytes.push_back(static_cast<uint8_t>(std::stoul(body.substr(at + 2, 2), nullptr, 16)));
  }
  return bytes;
}

uint64_t ParseUnsignedConstant(const std::string& text, const std::string& name) {
  const size_t at = text.find(name + " = ");
  if (at == std::string::npos) return 0;
  return std::stoull(text.substr(at + name.size() + 3));
}

std::vector<uint8_t> ReadBytes(const fs::path& path) {
  const std::string text = ReadText(path);
  return {text.begin(), text.end()};
}

TEST_F(ExportCTest, ArrayEqualsModelFileAndGoldensEqualInferAndTflm) {
  const fs::path model = kMlperfTiny / "models" / "kws_ref_model.tflite";
  const fs::path data = kMlperfTiny / "data" / "kws01_speechcmd1000_val.h5";
  const fs::path source = dir_ / "model_data.cc";
  constexpr size_t kVectors = 3;
  ASSERT_EQ(Run({"export-c", model.string(), "-o", source.string(), "--data", data.string(),
                 "--vectors", std::to_string(kVectors)}),
            0)
      << last_error_;
  const std::string cc = ReadText(source);
  const std::string h = ReadText(dir_ / "model_data.h");

  // The array, byte for byte, its length, and the xxd layout (12 bytes per line).
  const std::vector<uint8_t> file_bytes = ReadBytes(model);
  EXPECT_EQ(ParseHexBytes(InitializerOf(cc, "const unsigned char g_model[]")), file_bytes);
  EXPECT_EQ(ParseUnsignedConstant(cc, "const unsigned int g_model_len"), file_bytes.size());
  EXPECT_NE(cc.find("alignas(16) const unsigned char g_model[] = {\n  0x"), std::string::npos);
  const std::string first_line =
      cc.substr(cc.find("= {\n") + 4, cc.find('\n', cc.find("= {\n") + 4) - cc.find("= {\n") - 4);
  EXPECT_EQ(ParseHexBytes(first_line).size(), 12u) << first_line;
  // The arena is the report's number (32-bit MCU struct sizes), plus the margin.
  const runtime::ArenaEstimate device =
      runtime::EstimateArena(model::LoadTfliteFile(model.string()), runtime::ArenaAbi::Mcu32());
  EXPECT_EQ(device.total_bytes(), 22896u);  // the KWS model's arena_bytes in a suite report
  EXPECT_EQ(ParseUnsignedConstant(h, "constexpr int kTensorArenaSize"),
            report::ArenaSizeWithMargin(device));
  EXPECT_NE(h.find(std::to_string(device.total_bytes()) + " bytes:"), std::string::npos);

  // Golden outputs equal `harness infer` on the same samples.
  const fs::path infer_out = dir_ / "infer.h5";
  ASSERT_EQ(Run({"infer", model.string(), "--data", data.string(), "--out", infer_out.string(),
                 "--samples", std::to_string(kVectors)}),
            0)
      << last_error_;
  const auto infer =
      eval::hdf5::File::OpenReadOnly(infer_out.string()).ReadDataset<int8_t>("/outputs");
  const std::vector<std::string> outputs =
      ParseNumbers(InitializerOf(cc, "g_model_golden_outputs[3][12]"));
  ASSERT_EQ(outputs.size(), infer.size());
  for (size_t i = 0; i < outputs.size(); ++i) EXPECT_EQ(std::stoi(outputs[i]), infer[i]) << i;

  // And both equal TFLite-Micro's golden, inputs as fed and outputs.
  const auto golden =
      eval::hdf5::File::OpenReadOnly((kMlperfTiny / "golden" / "kws_ref_model.h5").string());
  const auto golden_inputs = golden.ReadDataset<int8_t>("/inputs_raw");
  const auto golden_outputs = golden.ReadDataset<int8_t>("/outputs");
  const std::vector<std::string> inputs =
      ParseNumbers(InitializerOf(cc, "g_model_golden_inputs[3][490]"));
  ASSERT_EQ(inputs.size(), kVectors * 490);
  for (size_t i = 0; i < inputs.size(); ++i) EXPECT_EQ(std::stoi(inputs[i]), golden_inputs[i]) << i;
  for (size_t i = 0; i < outputs.size(); ++i)
    EXPECT_EQ(std::stoi(outputs[i]), golden_outputs[i]) << i;

  // Valid C++: the system compiler accepts the source with the header next to it.
  const std::string command = "c++ -std=c++17 -Wall -Werror -c -x c++ '" + source.string() +
                              "' -o '" + (dir_ / "model_data.o").string() + "'";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
}

TEST_F(ExportCTest, WindowedFloatVectorsRoundTripExactly) {
  const fs::path model = kMlperfTiny / "models" / "ad01_fp32.tflite";
  const fs::path data = kMlperfTiny / "data" / "ad01_toyadmos_car248_val.h5";
  const fs::path source = dir_ / "ad.cc";
  ASSERT_EQ(Run({"export-c", model.string(), "-o", source.string(), "--data", data.string(),
                 "--vectors", "2", "--name", "ad_model"}),
            0)
      << last_error_;
  const std::string cc = ReadText(source);
  EXPECT_EQ(ParseHexBytes(InitializerOf(cc, "const unsigned char ad_model[]")), ReadBytes(model));
  EXPECT_NE(cc.find("#include \"ad.h\""), std::string::npos);

  // Two runs are the first two windows of clip 0: `harness infer --samples 1` gives them first.
  const fs::path infer_out = dir_ / "infer.h5";
  ASSERT_EQ(Run({"infer", model.string(), "--data", data.string(), "--out", infer_out.string(),
                 "--samples", "1"}),
            0)
      << last_error_;
  const auto infer =
      eval::hdf5::File::OpenReadOnly(infer_out.string()).ReadDataset<float>("/outputs");
  const std::vector<std::string> outputs =
      ParseNumbers(InitializerOf(cc, "ad_model_golden_outputs[2][640]"));
  ASSERT_EQ(outputs.size(), 2u * 640u);
  for (size_t i = 0; i < outputs.size(); ++i) {
    // 9 significant digits round-trip a float32 exactly.
    EXPECT_EQ(std::strtof(outputs[i].c_str(), nullptr), infer[i]) << i << " " << outputs[i];
  }
  const std::string command = "c++ -std=c++17 -Wall -Werror -c -x c++ '" + source.string() +
                              "' -o '" + (dir_ / "ad.o").string() + "'";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
}

TEST_F(ExportCTest, VwwResolverListsExactlyTheOpsInspectShows) {
  const fs::path model = kMlperfTiny / "models" / "vww_96_int8.tflite";
  const model::Graph graph = model::LoadTfliteFile(model.string());
  const std::vector<std::string> expected = {"AddAveragePool2D",   "AddConv2D",
                                             "AddDepthwiseConv2D", "AddFullyConnected",
                                             "AddReshape",         "AddSoftmax"};
  EXPECT_EQ(report::ResolverCalls(graph), expected);

  const fs::path source = dir_ / "vww.cc";
  ASSERT_EQ(Run({"export-c", model.string(), "-o", source.string()}), 0) << last_error_;
  const std::string h = ReadText(dir_ / "vww.h");
  EXPECT_NE(h.find("MicroMutableOpResolver<6>& r"), std::string::npos);
  for (const std::string& call : expected)
    EXPECT_NE(h.find("r." + call + "()"), std::string::npos) << call;
  EXPECT_EQ(h.find("golden"), std::string::npos) << "no vectors without --data";
}

TEST_F(ExportCTest, ArenaSizeIsTheEstimateWithMargin) {
  runtime::ArenaEstimate e;
  e.activation_bytes = 9984;  // 9984 + 998 (10 %, truncated) + 1024 = 12006, up to 12016
  EXPECT_EQ(report::ArenaSizeWithMargin(e), 12016u);
  e.activation_bytes = 10000;
  e.fixed_bytes = 240;  // 10240 + 1024 + 1024 = 12288, already a multiple of 16
  EXPECT_EQ(report::ArenaSizeWithMargin(e), 12288u);
}

TEST_F(ExportCTest, BadUsageIsRefused) {
  const std::string model = (kMlperfTiny / "models" / "ad01_int8.tflite").string();
  const std::string out = (dir_ / "x.cc").string();
  EXPECT_EQ(Run({"export-c", model, "-o", out, "--name", "3d"}), cli::kExitBadInput);
  EXPECT_NE(last_error_.find("not a C identifier"), std::string::npos) << last_error_;
  EXPECT_EQ(Run({"export-c", model, "-o", out, "--vectors", "2"}), cli::kExitBadInput);
  EXPECT_NE(last_error_.find("--vectors needs --data"), std::string::npos) << last_error_;
  EXPECT_EQ(Run({"export-c", model, "-o", (dir_ / "x.h").string()}), cli::kExitBadInput);
  EXPECT_FALSE(fs::exists(out)) << "nothing written on a refused command";
}

}  // namespace
}  // namespace harness

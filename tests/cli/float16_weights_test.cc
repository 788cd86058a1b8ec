// A model whose float16 weights sit behind DEQUANTIZE (the TFLite converter's float16 models,
// made here by `harness quantize --method fp16` from the shipped digits model) works in every
// command that runs a model. The independent truth is a second model written by the test: the
// float model with every float32 constant rounded to float16 and back, which holds the same
// numbers in plain float32 constants without any DEQUANTIZE.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "harness/eval/hdf5_file.h"
#include "harness/model/tflite_loader.h"
#include "harness/model/tflite_writer.h"
#include "kernels/float16.h"
#include "tests/cli/cli_test_support.h"

namespace harness::cli {
namespace {

namespace fs = std::filesystem;
using test::CliOutcome;
using test::RunCli;

const fs::path kDigits = fs::path(HARNESS_SOURCE_DIR) / "datasets" / "digits";

// The float model with its float32 constants rounded to the nearest float16.
void WriteRoundedModel(const std::string& path) {
  model::Graph graph = model::LoadTfliteFile((kDigits / "digits.tflite").string());
  for (const model::Tensor& t : graph.tensors) {
    if (!t.is_constant() || t.type != model::DataType::kFloat32) continue;
    std::vector<uint8_t>& bytes = graph.buffers[static_cast<size_t>(t.buffer)];
    for (size_t i = 0; i + 4 <= bytes.size(); i += 4) {
      float value = 0;
      std::memcpy(&value, bytes.data() + i, 4);
      value = kernels::HalfToFloat(kernels::FloatToHalf(value));
      std::memcpy(bytes.data() + i, &value, 4);
    }
  }
  model::WriteTfliteFile(graph, path);
}

// Float32 and int8 outputs both read exactly as floats.
std::vector<float> Outputs(const std::string& h5) {
  return eval::hdf5::File::OpenReadOnly(h5).ReadDataset<float>("/outputs");
}

std::vector<float> Infer(const std::string& model, const fs::path& out) {
  const CliOutcome infer = RunCli({"infer", model, "--data", (kDigits / "val.h5").string(), "--out",
                                   out.string(), "--samples", "50"});
  EXPECT_EQ(infer.code, kExitOk) << infer.err;
  return infer.code == kExitOk ? Outputs(out.string()) : std::vector<float>{};
}

int CountTensors(const std::string& path, model::DataType type) {
  int count = 0;
  for (const model::Tensor& t : model::LoadTfliteFile(path).tensors) count += t.type == type;
  return count;
}

class Float16Weights : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::FreshTempDir("harness_float16_weights");
    half_ = (dir_ / "half.tflite").string();
    rounded_ = (dir_ / "rounded.tflite").string();
    const CliOutcome fp16 =
        RunCli({"quantize", (kDigits / "digits.tflite").string(), "--method", "fp16", "-o", half_});
    ASSERT_EQ(fp16.code, kExitOk) << fp16.err;
    ASSERT_GT(CountTensors(half_, model::DataType::kFloat16), 0);
    WriteRoundedModel(rounded_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Int8Of(const std::string& model, const std::string& name) {
    const std::string out = (dir_ / name).string();
    const CliOutcome q = RunCli({"quantize", model, "--method", "int8", "--calib",
                                 (kDigits / "calib.h5").string(), "--samples", "20", "-o", out});
    EXPECT_EQ(q.code, kExitOk) << q.err;
    return out;
  }

  fs::path dir_;
  std::string half_, rounded_;
};

TEST_F(Float16Weights, InferGivesTheRoundedFloatModelsOutputs) {
  const std::vector<float> half = Infer(half_, dir_ / "half.h5");
  ASSERT_EQ(half.size(), 50u * 10u);
  EXPECT_EQ(half, Infer(rounded_, dir_ / "rounded.h5"));
}

TEST_F(Float16Weights, QuantizeDropsTheFloat16TensorsAndMatchesTheRoundedModel) {
  const std::string from_half = Int8Of(half_, "q_half.tflite");
  const std::string from_rounded = Int8Of(rounded_, "q_rounded.tflite");
  EXPECT_EQ(CountTensors(from_half, model::DataType::kFloat16), 0);
  EXPECT_EQ(CountTensors(from_half, model::DataType::kFloat32), 0);
  EXPECT_EQ(model::LoadTfliteFile(from_half).tensors.size(),
            model::LoadTfliteFile(from_rounded).tensors.size());
  EXPECT_EQ(Infer(from_half, dir_ / "qh.h5"), Infer(from_rounded, dir_ / "qr.h5"));
}

TEST_F(Float16Weights, RunMeasuresItLikeTheRoundedModel) {
  auto suite = [&](const std::string& name, const std::string& model) {
    const fs::path path = dir_ / (name + ".yaml");
    std::ofstream(path)
        << "suite: " << name << "\ntarget: esp32-s3\nmodels:\n  - name: digits\n"
        << "    path: " << model << "\n    task: classification\n"
        << "    calibration: {data: " << (kDigits / "calib.h5").string()
        << ", samples: 20}\n    validation: {data: " << (kDigits / "val.h5").string()
        << ", samples: 100}\nmethods:\n  - fp32\n  - {method: int8, calibrator: minmax}\n";
    const CliOutcome run = RunCli({"run", path.string(), "--out", (dir_ / name).string()});
    EXPECT_EQ(run.code, kExitOk) << run.err;
    return test::ReadText(dir_ / name / "report.json");
  };
  const std::string half = suite("half", half_);
  const std::string rounded = suite("rounded", rounded_);
  ASSERT_NE(half.find("\"accuracy\""), std::string::npos) << half.substr(0, 400);
  EXPECT_EQ(test::JsonValue(half, "accuracy"), test::JsonValue(rounded, "accuracy"));
  EXPECT_EQ(half.find("\"error\""), std::string::npos) << half.substr(0, 2000);
}

// `harness bench` runs Google Benchmark, whose flags are process-wide: run the binary.
TEST_F(Float16Weights, BenchRunsIt) {
  const fs::path suite = dir_ / "bench.yaml";
  std::ofstream(suite) << "suite: bench\ntarget: esp32-s3\nmodels:\n  - name: digits\n    path: "
                       << half_ << "\n    task: classification\n    calibration: {data: "
                       << (kDigits / "calib.h5").string()
                       << ", samples: 20}\n    validation: {data: " << (kDigits / "val.h5").string()
                       << ", samples: 20}\nmethods:\n  - fp32\n";
  const fs::path capture = dir_ / "bench.txt";
  const std::string command = std::string(HARNESS_BINARY) + " bench '" + suite.string() +
                              "' --out '" + (dir_ / "bench").string() +
                              "' --repetitions 1 --min-time 0.01 > '" + capture.string() + "' 2>&1";
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << test::ReadText(capture);
  EXPECT_TRUE(fs::exists(dir_ / "bench" / "bench.json")) << test::ReadText(capture);
}

}  // namespace
}  // namespace harness::cli

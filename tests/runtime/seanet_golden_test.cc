// TFLite-Micro's int16x8 integration models of the SEANet layers (seanet/<op>/, made by the
// TFLite converter): every sample of every golden file (the CSV input and 20 random ones, fed to
// every model input, and the outputs of TFLite-Micro's reference kernels) is reproduced byte for
// byte. One test per op folder; LEAKY_RELU has its own file.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "harness/eval/hdf5_file.h"
#include "harness/model/tflite_loader.h"
#include "harness/runtime/compiled_model.h"

namespace harness::runtime {
namespace {

namespace fs = std::filesystem;

const fs::path kTflm = fs::path(HARNESS_SHARED_DIR) / "tflm-models";

// The dataset's values as raw bytes of `type` (the model tensor's own type).
std::vector<std::byte> ReadRaw(const eval::hdf5::File& file, const std::string& name,
                               model::DataType type) {
  const auto bytes_of = [](const auto& values) {
    std::vector<std::byte> bytes(values.size() * sizeof(values[0]));
    std::memcpy(bytes.data(), values.data(), bytes.size());
    return bytes;
  };
  switch (type) {
    case model::DataType::kInt16:
      return bytes_of(file.ReadDataset<int16_t>(name));
    case model::DataType::kInt32:
      return bytes_of(file.ReadDataset<int32_t>(name));
    default:
      ADD_FAILURE() << name << ": unexpected tensor type " << model::ToString(type);
      return {};
  }
}

// Runs every golden of seanet/<op>/ and returns how many models it checked.
size_t CheckFolder(const std::string& op) {
  const fs::path golden_dir = kTflm / "golden" / "seanet" / op;
  size_t models = 0;
  for (const auto& entry : fs::directory_iterator(golden_dir)) {
    if (entry.path().extension() != ".h5") continue;
    const std::string name = entry.path().stem().string();
    SCOPED_TRACE(name);
    const fs::path model_path = kTflm / "seanet" / op / (name + ".tflite");
    const CompiledModel model(model::LoadTfliteFile(model_path.string()));
    const auto golden = eval::hdf5::File::OpenReadOnly(entry.path().string());
    const size_t num_inputs = model.graph().inputs.size();
    std::vector<std::vector<std::byte>> inputs;
    for (size_t k = 0; k < num_inputs; ++k) {
      inputs.push_back(ReadRaw(golden, "input_" + std::to_string(k), model.input(k).type));
    }
    const std::vector<std::byte> outputs = ReadRaw(golden, "output_0", model.output(0).type);
    const size_t out_bytes = model.output_bytes(0);
    EXPECT_EQ(outputs.size() % out_bytes, 0u);
    const size_t samples = outputs.size() / out_bytes;
    EXPECT_EQ(samples, 21u);
    for (size_t k = 0; k < num_inputs; ++k) {
      EXPECT_EQ(inputs[k].size(), samples * model.input_bytes(k)) << "input " << k;
    }
    auto session = model.NewSession();
    for (size_t s = 0; s < samples; ++s) {
      for (size_t k = 0; k < num_inputs; ++k) {
        const size_t in_bytes = model.input_bytes(k);
        std::memcpy(session->input(k).data(), inputs[k].data() + s * in_bytes, in_bytes);
      }
      session->Invoke();
      const std::byte* expected = outputs.data() + s * out_bytes;
      if (std::memcmp(session->output(0).data(), expected, out_bytes) != 0) {
        ADD_FAILURE() << "sample " << s << " differs from TFLite-Micro";
        break;
      }
    }
    ++models;
  }
  return models;
}

class SeanetGolden : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kTflm / "golden" / "seanet")) {
      GTEST_SKIP() << "no TFLite-Micro goldens under " << kTflm;
    }
  }
};

TEST_F(SeanetGolden, Sub) { EXPECT_EQ(CheckFolder("sub"), 5u); }
TEST_F(SeanetGolden, StridedSlice) { EXPECT_EQ(CheckFolder("strided_slice"), 34u); }
TEST_F(SeanetGolden, TransposeConv) { EXPECT_EQ(CheckFolder("transpose_conv"), 5u); }

}  // namespace
}  // namespace harness::runtime

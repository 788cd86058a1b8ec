// TFLite-Micro's int16x8 LEAKY_RELU integration models (seanet/leaky_relu/, made by the TFLite
// converter): every sample of every golden file (the CSV input and 20 random ones, outputs of
// TFLite-Micro's reference kernels) is reproduced byte for byte.
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

const fs::path kSeanet = fs::path(HARNESS_SHARED_DIR) / "tflm-models";

TEST(LeakyReluSeanetGolden, EveryModelMatchesTflmByteForByte) {
  const fs::path golden_dir = kSeanet / "golden" / "seanet" / "leaky_relu";
  if (!fs::exists(golden_dir)) GTEST_SKIP() << "no TFLite-Micro goldens at " << golden_dir;
  size_t models = 0;
  for (const auto& entry : fs::directory_iterator(golden_dir)) {
    if (entry.path().extension() != ".h5") continue;
    const std::string name = entry.path().stem().string();
    SCOPED_TRACE(name);
    const fs::path model_path = kSeanet / "seanet" / "leaky_relu" / (name + ".tflite");
    const CompiledModel model(model::LoadTfliteFile(model_path.string()));
    const auto golden = eval::hdf5::File::OpenReadOnly(entry.path().string());
    const std::vector<int16_t> inputs = golden.ReadDataset<int16_t>("input_0");
    const std::vector<int16_t> outputs = golden.ReadDataset<int16_t>("output_0");
    const size_t in_bytes = model.input_bytes(0), out_bytes = model.output_bytes(0);
    ASSERT_EQ(inputs.size() * sizeof(int16_t) % in_bytes, 0u);
    const size_t samples = inputs.size() * sizeof(int16_t) / in_bytes;
    ASSERT_EQ(outputs.size() * sizeof(int16_t), samples * out_bytes);
    auto session = model.NewSession();
    for (size_t s = 0; s < samples; ++s) {
      std::memcpy(session->input(0).data(),
                  reinterpret_cast<const std::byte*>(inputs.data()) + s * in_bytes, in_bytes);
      session->Invoke();
      ASSERT_EQ(std::memcmp(session->output(0).data(),
                            reinterpret_cast<const std::byte*>(outputs.data()) + s * out_bytes,
                            out_bytes),
                0)
          << "sample " << s;
    }
    ++models;
  }
  EXPECT_EQ(models, 23u);
}

}  // namespace
}  // namespace harness::runtime

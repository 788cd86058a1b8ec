// TFLite-Micro's mobilenet_v2_quantized_1x3x224x224 example model (PyTorch export, NCHW input
// behind a TRANSPOSE): all 20 golden samples of TFLite-Micro's reference kernels, byte for byte.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
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

const fs::path kModels = fs::path(HARNESS_SHARED_DIR) / "tflm-models";

TEST(TflmMobilenetV2Golden, EverySampleMatchesTflmByteForByte) {
  const std::string name = "mobilenet_v2_quantized_1x3x224x224";
  const fs::path golden_path = kModels / "golden" / "models" / (name + ".h5");
  if (!fs::exists(golden_path)) GTEST_SKIP() << "no TFLite-Micro golden at " << golden_path;
  const CompiledModel model(
      model::LoadTfliteFile((kModels / "models" / (name + ".tflite")).string()));
  const auto golden = eval::hdf5::File::OpenReadOnly(golden_path.string());
  const std::vector<int8_t> inputs = golden.ReadDataset<int8_t>("input_0");
  const std::vector<int8_t> outputs = golden.ReadDataset<int8_t>("output_0");
  const size_t in_bytes = model.input_bytes(0), out_bytes = model.output_bytes(0);
  ASSERT_EQ(in_bytes, 3u * 224 * 224);
  ASSERT_EQ(out_bytes, 1000u);
  const size_t samples = inputs.size() / in_bytes;
  ASSERT_EQ(samples, 20u);
  ASSERT_EQ(outputs.size(), samples * out_bytes);
  auto session = model.NewSession();
  for (size_t s = 0; s < samples; ++s) {
    std::memcpy(session->input(0).data(), inputs.data() + s * in_bytes, in_bytes);
    session->Invoke();
    const auto* got = reinterpret_cast<const int8_t*>(session->output(0).data());
    const int8_t* expected = outputs.data() + s * out_bytes;
    size_t differing = 0;
    int max_difference = 0;
    for (size_t k = 0; k < out_bytes; ++k) {
      differing += got[k] != expected[k];
      max_difference = std::max(max_difference, std::abs(got[k] - expected[k]));
    }
    ASSERT_EQ(differing, 0u) << "sample " << s << ": largest difference " << max_difference;
  }
}

}  // namespace
}  // namespace harness::runtime

// ONNX import fidelity on the repository's zoo: the harness's fp32 outputs of each shipped ONNX
// model (imported, NCHW turned NHWC) match the PyTorch outputs recorded when it was exported,
// within 1e-4 of the largest recorded magnitude.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "harness/eval/dataset.h"
#include "harness/eval/inference.h"
#include "harness/model/model_file.h"
#include "harness/runtime/compiled_model.h"

namespace harness {
namespace {

namespace fs = std::filesystem;
const fs::path kZoo = fs::path(HARNESS_SOURCE_DIR) / "datasets";

// A whole dataset of the file as `memory_type` (H5T_NATIVE_FLOAT or H5T_NATIVE_INT32).
template <class T>
std::vector<T> ReadDataset(const fs::path& file, const char* name, hid_t memory_type) {
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
  const hid_t space = H5Dget_space(d);
  std::vector<T> values(static_cast<size_t>(H5Sget_simple_extent_npoints(space)));
  H5Dread(d, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
  H5Sclose(space);
  H5Dclose(d);
  H5Fclose(f);
  return values;
}

struct ZooModel {
  const char* folder;
  const char* model;
};

class ZooFidelity : public ::testing::TestWithParam<ZooModel> {};

TEST_P(ZooFidelity, MatchesPyTorch) {
  const fs::path folder = kZoo / GetParam().folder;
  const runtime::CompiledModel model(model::LoadModelFile((folder / GetParam().model).string()));
  const eval::Dataset set = eval::Dataset::Open((folder / "val.h5").string());
  const eval::OutputBatch ours = eval::RunOnDataset(model, set);
  ASSERT_EQ(ours.type, model::DataType::kFloat32);
  const size_t per_sample = ours.data.size() / sizeof(float) / set.size();

  const fs::path recorded_file = folder / "val_torch_outputs.h5";
  const std::vector<float> recorded = ReadDataset<float>(recorded_file, "/outputs", H5T_NATIVE_FLOAT);
  // Sets whose recorded outputs cover a few samples name them in /output_samples.
  std::vector<int32_t> samples;
  {
    const hid_t f = H5Fopen(recorded_file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    const bool partial = H5Lexists(f, "/output_samples", H5P_DEFAULT) > 0;
    H5Fclose(f);
    if (partial) samples = ReadDataset<int32_t>(recorded_file, "/output_samples", H5T_NATIVE_INT32);
  }
  if (samples.empty()) {
    for (size_t i = 0; i < set.size(); ++i) samples.push_back(static_cast<int32_t>(i));
  }
  ASSERT_EQ(recorded.size(), samples.size() * per_sample);

  float largest = 0.0f, worst = 0.0f;
  for (size_t k = 0; k < samples.size(); ++k) {
    std::vector<float> row(per_sample);
    std::memcpy(row.data(), ours.data.data() + static_cast<size_t>(samples[k]) * per_sample * sizeof(float),
                per_sample * sizeof(float));
    for (size_t i = 0; i < per_sample; ++i) {
      const float expected = recorded[k * per_sample + i];
      largest = std::max(largest, std::fabs(expected));
      worst = std::max(worst, std::fabs(row[i] - expected));
    }
  }
  EXPECT_LE(worst, 1e-4f * largest) << "largest recorded magnitude " << largest;
}

INSTANTIATE_TEST_SUITE_P(Datasets, ZooFidelity,
                         ::testing::Values(ZooModel{"digits", "digits.onnx"},
                                           ZooModel{"detector", "detector.onnx"},
                                           ZooModel{"windowed", "windowed.onnx"}),
                         [](const auto& test_info) { return std::string(test_info.param.folder); });

}  // namespace
}  // namespace harness

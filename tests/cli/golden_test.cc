// Data-driven conformance: for every golden file of TFLite-Micro reference-kernel outputs in
// the shared MLPerf Tiny folder, `harness infer` on the validation set reproduces it: integer
// models byte for byte, float models within 1e-5 of the largest golden magnitude.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "harness/cli/cli.h"
#include "tests/cli/cli_test_support.h"

namespace harness {
namespace {

using test::kMlperfTiny;

namespace fs = std::filesystem;

std::string StringAttribute(hid_t file, const char* name) {
  if (H5Aexists(file, name) <= 0) return "";
  const hid_t attr = H5Aopen(file, name, H5P_DEFAULT);
  const hid_t type = H5Aget_type(attr);
  std::string value;
  if (H5Tis_variable_str(type) > 0) {
    char* text = nullptr;
    // Read with the attribute's own type: HDF5 does not convert between ASCII and UTF-8.
    H5Aread(attr, type, &text);
    value = text ? text : "";
    H5free_memory(text);
  }
  H5Tclose(type);
  H5Aclose(attr);
  return value;
}

struct Array {
  std::vector<hsize_t> dims;
  std::vector<char> bytes;
  bool is_float = false;
};

Array ReadOutputs(const fs::path& path) {
  Array a;
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  EXPECT_GE(file, 0) << path;
  const hid_t set = H5Dopen2(file, "/outputs", H5P_DEFAULT);
  const hid_t space = H5Dget_space(set);
  a.dims.resize(static_cast<size_t>(H5Sget_simple_extent_ndims(space)));
  H5Sget_simple_extent_dims(space, a.dims.data(), nullptr);
  const hid_t type = H5Dget_type(set);
  a.is_float = H5Tget_class(type) == H5T_FLOAT;
  const hid_t native = a.is_float ? H5T_NATIVE_FLOAT : H5T_NATIVE_INT8;
  hsize_t count = 1;
  for (hsize_t d : a.dims) count *= d;
  a.bytes.resize(count * (a.is_float ? 4 : 1));
  H5Dread(set, native, H5S_ALL, H5S_ALL, H5P_DEFAULT, a.bytes.data());
  H5Tclose(type);
  H5Sclose(space);
  H5Dclose(set);
  H5Fclose(file);
  return a;
}

struct Golden {
  std::string name;  // golden file stem
  fs::path golden;
  fs::path model;
  fs::path data;
  bool dequantize_weights = false;
};

std::vector<Golden> FindGoldens() {
  std::vector<Golden> goldens;
  if (!fs::exists(kMlperfTiny / "golden")) return goldens;
  for (const auto& entry : fs::directory_iterator(kMlperfTiny / "golden")) {
    if (entry.path().extension() != ".h5") continue;
    const hid_t file = H5Fopen(entry.path().c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    Golden g;
    g.name = entry.path().stem().string();
    g.golden = entry.path();
    g.model = kMlperfTiny / "models" / StringAttribute(file, "model");
    // The golden names the full set; the validation split carries the suffix _val.
    g.data = kMlperfTiny / "data" / (fs::path(StringAttribute(file, "dataset")).stem().string() + "_val.h5");
    // A golden made from a derived model (the hybrid KWS model with its filters dequantized)
    // says so with the hash of the model TFLite-Micro actually ran.
    g.dequantize_weights = H5Aexists(file, "model_run_by_tflm_sha256") > 0;
    H5Fclose(file);
    goldens.push_back(g);
  }
  std::sort(goldens.begin(), goldens.end(), [](const Golden& a, const Golden& b) { return a.name < b.name; });
  return goldens;
}

// The shared data is part of the test environment: its absence is a failure, not a skip.
TEST(GoldenFiles, EveryReferenceModelHasOne) {
  const auto goldens = FindGoldens();
  ASSERT_FALSE(goldens.empty()) << "expected the MLPerf Tiny goldens in " << kMlperfTiny;
  std::set<fs::path> covered;
  for (const Golden& g : goldens) {
    EXPECT_TRUE(fs::exists(g.model)) << g.model;
    EXPECT_TRUE(fs::exists(g.data)) << g.data;
    covered.insert(g.model.filename());
  }
  for (const auto& entry : fs::directory_iterator(kMlperfTiny / "models")) {
    if (entry.path().extension() != ".tflite") continue;
    EXPECT_TRUE(covered.count(entry.path().filename())) << "no golden for " << entry.path();
  }
}

class GoldenTest : public ::testing::TestWithParam<Golden> {};

TEST_P(GoldenTest, InferReproducesTfliteMicro) {
  const Golden& g = GetParam();
  const Array golden = ReadOutputs(g.golden);
  const fs::path out = fs::temp_directory_path() / ("harness_golden_" + g.name + ".h5");
  std::vector<std::string> args = {"infer", g.model.string(), "--data", g.data.string(), "--out",
                                   out.string()};
  // The anomaly goldens cover the first 20 validation clips (all their windows).
  const size_t golden_rows = golden.dims[0];
  if (golden.dims.size() == 2 && golden.dims[1] == 640) args.insert(args.end(), {"--samples", "20"});
  if (g.dequantize_weights) args.push_back("--dequantize-weights");
  std::ostringstream sink, errors;
  ASSERT_EQ(cli::Main(args, sink, errors), 0) << errors.str();
  const Array ours = ReadOutputs(out);
  fs::remove(out);

  // Ours is [N, W, ...] for a windowed set where the golden flattens runs into rows.
  hsize_t our_rows = ours.dims[0];
  if (ours.dims.size() == golden.dims.size() + 1) our_rows *= ours.dims[1];
  ASSERT_EQ(our_rows, golden_rows);
  ASSERT_EQ(ours.bytes.size(), golden.bytes.size());
  ASSERT_EQ(ours.is_float, golden.is_float);

  if (!golden.is_float) {
    size_t differing = 0, first = 0;
    for (size_t i = 0; i < golden.bytes.size(); ++i) {
      if (ours.bytes[i] != golden.bytes[i] && differing++ == 0) first = i;
    }
    EXPECT_EQ(differing, 0u) << "first difference at element " << first << ": ours "
                             << int(static_cast<int8_t>(ours.bytes[first])) << ", golden "
                             << int(static_cast<int8_t>(golden.bytes[first]));
    return;
  }
  const size_t n = golden.bytes.size() / 4;
  std::vector<float> a(n), b(n);
  std::memcpy(a.data(), ours.bytes.data(), n * 4);
  std::memcpy(b.data(), golden.bytes.data(), n * 4);
  float largest = 0.0f, worst = 0.0f;
  for (size_t i = 0; i < n; ++i) {
    largest = std::max(largest, std::fabs(b[i]));
    worst = std::max(worst, std::fabs(a[i] - b[i]));
  }
  EXPECT_LE(worst, 1e-5f * largest) << "largest golden magnitude " << largest;
}

std::string NameOf(const ::testing::TestParamInfo<Golden>& info) { return info.param.name; }

INSTANTIATE_TEST_SUITE_P(MlperfTiny, GoldenTest, ::testing::ValuesIn(FindGoldens()), NameOf);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(GoldenTest);

}  // namespace
}  // namespace harness

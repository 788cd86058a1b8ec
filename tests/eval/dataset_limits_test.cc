// Sets that claim more than they hold, or transform every input into nonsense, are refused
// before anything is allocated or evaluated, with the file and the dataset or attribute named.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "harness/common/error.h"
#include "harness/eval/dataset.h"
#include "tests/eval/h5_test_util.h"

namespace harness::eval {
namespace {

using testing::SetWriter;
using testing::TempDir;

Error OpenError(const std::string& path) {
  try {
    Dataset::Open(path);
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << "no error for " << path;
  return Error("", "");
}

// A chunked /inputs of `shape` with no chunk ever written: HDF5 would return fill values for
// all of it, however large the shape.
void WriteUnbackedInputs(const std::string& path, std::vector<hsize_t> shape) {
  const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  const hid_t space = H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr);
  const hid_t properties = H5Pcreate(H5P_DATASET_CREATE);
  std::vector<hsize_t> chunk(shape.size(), 1);
  H5Pset_chunk(properties, static_cast<int>(chunk.size()), chunk.data());
  const hid_t set =
      H5Dcreate2(file, "/inputs", H5T_NATIVE_FLOAT, space, H5P_DEFAULT, properties, H5P_DEFAULT);
  ASSERT_GE(set, 0);
  H5Dclose(set);
  H5Pclose(properties);
  H5Sclose(space);
  H5Fclose(file);
}

TEST(DatasetLimits, ElementCountThatWrapsIsRefused) {
  TempDir dir;
  const std::string path = dir.File("wrap.h5");
  WriteUnbackedInputs(path, {hsize_t{1} << 62, 28, 28});
  const Error error = OpenError(path);
  EXPECT_EQ(error.place(), path + ": /inputs");
  EXPECT_NE(error.message().find("more bytes than memory can address"), std::string::npos)
      << error.message();
}

TEST(DatasetLimits, ShapeTheFileDoesNotStoreIsRefused) {
  TempDir dir;
  const std::string path = dir.File("unbacked.h5");
  WriteUnbackedInputs(path, {hsize_t{1} << 30, 1024});  // 4 TiB of float32, none stored
  const Error error = OpenError(path);
  EXPECT_EQ(error.place(), path + ": /inputs");
  EXPECT_NE(error.message().find("the file stores only 0 bytes"), std::string::npos)
      << error.message();
}

TEST(DatasetLimits, SmallUnwrittenDatasetStillReads) {
  // Fill values of a few KB are harmless (and what a set written lazily may hold).
  TempDir dir;
  const std::string path = dir.File("small.h5");
  WriteUnbackedInputs(path, {4, 3});
  const Dataset set = Dataset::Open(path);
  EXPECT_EQ(set.size(), 4u);
  EXPECT_EQ(set.FloatSample(3)[2], 0.0f);
}

TEST(DatasetLimits, NonFiniteOrZeroScaleAndNonFiniteOffsetAreRefused) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  struct Case {
    const char* attribute;
    double value;
  };
  for (const Case c : {Case{"scale", nan}, Case{"scale", inf}, Case{"scale", 0.0},
                       Case{"scale", 1e300}, Case{"offset", -inf}, Case{"offset", nan}}) {
    TempDir dir;
    const std::string path = dir.File("transform.h5");
    SetWriter(path)
        .Dataset("/inputs", H5T_NATIVE_FLOAT, {2, 1}, std::vector<float>{1, 2})
        .Scalar(c.attribute, H5T_NATIVE_DOUBLE, c.value);
    const Error error = OpenError(path);
    EXPECT_EQ(error.place(), path + ": attribute '" + c.attribute + "'") << c.value;
  }
}

TEST(DatasetLimits, ModerateScaleAndZeroOffsetStillRead) {
  TempDir dir;
  const std::string path = dir.File("fine.h5");
  SetWriter(path)
      .Dataset("/inputs", H5T_NATIVE_FLOAT, {2, 1}, std::vector<float>{1, 2})
      .Scalar("scale", H5T_NATIVE_DOUBLE, 0.5)
      .Scalar("offset", H5T_NATIVE_DOUBLE, 0.0);
  const Dataset set = Dataset::Open(path);
  EXPECT_EQ(set.FloatSample(1)[0], 1.0f);
}

TEST(DatasetLimits, NonFiniteInputsAreCountedAndRefused) {
  TempDir dir;
  const std::string path = dir.File("nan.h5");
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  SetWriter(path).Dataset("/inputs", H5T_NATIVE_FLOAT, {3, 2},
                          std::vector<float>{1, 2, 3, nan, -inf, nan});
  const Error error = OpenError(path);
  EXPECT_EQ(error.place(), path + ": /inputs");
  EXPECT_EQ(error.message(),
            "3 values are NaN or infinite after scale and offset (the first in sample 1)");
}

TEST(DatasetLimits, NonFiniteValuesOfASecondInputNameItsDataset) {
  TempDir dir;
  const std::string path = dir.File("two_inputs.h5");
  const float inf = std::numeric_limits<float>::infinity();
  SetWriter(path)
      .Group("/inputs")
      .Dataset("/inputs/a", H5T_NATIVE_FLOAT, {3, 2}, std::vector<float>{1, 2, 3, 4, 5, 6})
      .Dataset("/inputs/b", H5T_NATIVE_FLOAT, {3, 1}, std::vector<float>{0, inf, 0});
  const Error error = OpenError(path);
  EXPECT_EQ(error.place(), path + ": /inputs/b");
  EXPECT_EQ(error.message(),
            "1 values are NaN or infinite after scale and offset (the first in sample 1)");
}

TEST(DatasetLimits, FiniteStoredValuesThatOverflowTheScaleAreRefused) {
  // 1e30 * 1e10 is beyond float32: the model would see infinities.
  TempDir dir;
  const std::string path = dir.File("overflow.h5");
  SetWriter(path)
      .Dataset("/inputs", H5T_NATIVE_FLOAT, {2, 1}, std::vector<float>{1, 1e30f})
      .Scalar("scale", H5T_NATIVE_DOUBLE, 1e10);
  EXPECT_EQ(OpenError(path).place(), path + ": /inputs");
}

}  // namespace
}  // namespace harness::eval

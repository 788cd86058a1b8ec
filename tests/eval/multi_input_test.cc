// Sets for models of several inputs (DESIGN.md "HDF5 set", docs/datasets.md): a group /inputs
// with one dataset per model input, named by the input tensor's name or its index. A model
// input the set does not provide, or inputs whose row counts differ, are refused with the file
// and the input named, never zero-filled. A two-input ADD written with the project's writer
// gives the hand-computed sums.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "harness/common/error.h"
#include "harness/eval/dataset.h"
#include "harness/eval/inference.h"
#include "harness/eval/input_feeder.h"
#include "harness/model/tflite_loader.h"
#include "harness/model/tflite_writer.h"
#include "harness/runtime/compiled_model.h"
#include "tests/eval/h5_test_util.h"
#include "tests/support/two_input_add.h"

namespace harness::eval {
namespace {

using ::testing::HasSubstr;
using testing::SetWriter;
using testing::TempDir;

// The two-input ADD of tests/support, read back from its file as a user's model would be.
runtime::CompiledModel TwoInputAdd(const TempDir& dir) {
  const std::string path = dir.File("add.tflite");
  test::WriteTwoInputAdd(path);
  return runtime::CompiledModel(model::LoadTfliteFile(path));
}

const std::vector<float> kA = {1.0f, 2.0f, 3.0f, -4.0f, 0.5f, 6.0f};        // 2 rows of 3
const std::vector<float> kB = {10.0f, 20.0f, 30.0f, 0.25f, -0.5f, 100.0f};  // 2 rows of 3

std::vector<float> Sums(const OutputBatch& batch) {
  std::vector<float> values(batch.data.size() / sizeof(float));
  std::memcpy(values.data(), batch.data.data(), batch.data.size());
  return values;
}

TEST(MultiInputSet, InputsByIndexFeedEveryModelInput) {
  TempDir dir;
  const std::string path = dir.File("indexed.h5");
  SetWriter(path)
      .Group("/inputs")
      .Dataset("/inputs/0", H5T_NATIVE_FLOAT, {2, 3}, kA)
      .Dataset("/inputs/1", H5T_NATIVE_FLOAT, {2, 3}, kB);
  const Dataset set = Dataset::Open(path);
  EXPECT_EQ(set.size(), 2u);
  ASSERT_EQ(set.input_count(), 2u);
  EXPECT_EQ(set.input_place(set.InputFor("b", 1)), "/inputs/1");
  const runtime::CompiledModel model = TwoInputAdd(dir);
  EXPECT_THAT(Sums(RunOnDataset(model, set)),
              ::testing::ElementsAre(11.0f, 22.0f, 33.0f, -3.75f, 0.0f, 106.0f));
}

TEST(MultiInputSet, InputsByTensorNameWinOverIndices) {
  TempDir dir;
  const std::string path = dir.File("named.h5");
  // /inputs/0 holds b's values on purpose: the name "a" must win for model input 0.
  SetWriter(path)
      .Group("/inputs")
      .Dataset("/inputs/a", H5T_NATIVE_FLOAT, {2, 3}, kA)
      .Dataset("/inputs/0", H5T_NATIVE_FLOAT, {2, 3}, kB)
      .Dataset("/inputs/b", H5T_NATIVE_FLOAT, {2, 3}, kA);
  const Dataset set = Dataset::Open(path);
  EXPECT_EQ(set.input_place(set.InputFor("a", 0)), "/inputs/a");
  EXPECT_EQ(set.input_place(set.InputFor("b", 1)), "/inputs/b");
  const runtime::CompiledModel model = TwoInputAdd(dir);
  EXPECT_THAT(Sums(RunOnDataset(model, set)),
              ::testing::ElementsAre(2.0f, 4.0f, 6.0f, -8.0f, 1.0f, 12.0f));  // a + a
}

TEST(MultiInputSet, ScaleAndOffsetApplyToEveryInput) {
  TempDir dir;
  const std::string path = dir.File("pixels.h5");
  SetWriter(path)
      .Group("/inputs")
      .Dataset("/inputs/0", H5T_NATIVE_UINT8, {1, 3}, std::vector<uint8_t>{0, 2, 4})
      .Dataset("/inputs/1", H5T_NATIVE_UINT8, {1, 3}, std::vector<uint8_t>{6, 8, 10})
      .Scalar("scale", H5T_NATIVE_FLOAT, 0.5f)
      .Scalar("offset", H5T_NATIVE_FLOAT, -1.0f);
  const Dataset set = Dataset::Open(path);
  const runtime::CompiledModel model = TwoInputAdd(dir);
  // (0*0.5-1) + (6*0.5-1) = 1, (1-1) + (4-1) = 3, (2-1) + (5-1) = 5
  EXPECT_THAT(Sums(RunOnDataset(model, set)), ::testing::ElementsAre(1.0f, 3.0f, 5.0f));
}

TEST(MultiInputSet, ASingleInputSetIsRefusedForATwoInputModel) {
  TempDir dir;
  const std::string path = dir.File("single.h5");
  SetWriter(path).Dataset("/inputs", H5T_NATIVE_FLOAT, {2, 3}, kA);
  const Dataset set = Dataset::Open(path);
  const runtime::CompiledModel model = TwoInputAdd(dir);
  try {
    RunOnDataset(model, set);
    FAIL() << "a set without input 1 was accepted";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr(path));
    EXPECT_THAT(e.what(), HasSubstr("no data for model input 1 'b'"));
  }
}

TEST(MultiInputSet, AMissingInputIsRefusedNamingIt) {
  TempDir dir;
  const std::string path = dir.File("missing.h5");
  SetWriter(path).Group("/inputs").Dataset("/inputs/a", H5T_NATIVE_FLOAT, {2, 3}, kA);
  const Dataset set = Dataset::Open(path);
  const runtime::CompiledModel model = TwoInputAdd(dir);
  try {
    InputFeeder feeder(set, model);
    FAIL() << "a set without input 'b' was accepted";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr(path));
    EXPECT_THAT(e.what(), HasSubstr("model input 1 'b'"));
    EXPECT_THAT(e.what(), HasSubstr("/inputs/1"));
  }
}

TEST(MultiInputSet, RowCountsMustAgree) {
  TempDir dir;
  const std::string path = dir.File("rows.h5");
  SetWriter(path)
      .Group("/inputs")
      .Dataset("/inputs/0", H5T_NATIVE_FLOAT, {2, 3}, kA)
      .Dataset("/inputs/1", H5T_NATIVE_FLOAT, {1, 3}, std::vector<float>{1, 2, 3});
  try {
    Dataset::Open(path);
    FAIL() << "inputs of 2 and 1 rows were accepted";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr(path));
    EXPECT_THAT(e.what(), HasSubstr("/inputs/1"));
    EXPECT_THAT(e.what(), HasSubstr("has 1 rows, /inputs/0 has 2"));
  }
}

TEST(MultiInputSet, AnEmptyGroupAndWindowsAreRefused) {
  TempDir dir;
  const std::string empty = dir.File("empty.h5");
  SetWriter(empty).Group("/inputs");
  EXPECT_THROW(Dataset::Open(empty), Error);
  const std::string windowed = dir.File("windowed.h5");
  SetWriter(windowed)
      .Group("/inputs")
      .Dataset("/inputs/0", H5T_NATIVE_FLOAT, {1, 6}, std::vector<float>(6, 1.0f))
      .Dataset("/inputs/1", H5T_NATIVE_FLOAT, {1, 6}, std::vector<float>(6, 1.0f))
      .Scalar("window_length", H5T_NATIVE_INT64, int64_t{3})
      .Scalar("window_stride", H5T_NATIVE_INT64, int64_t{3});
  try {
    Dataset::Open(windowed);
    FAIL() << "a windowed set of two inputs was accepted";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("windows need a set with one input"));
  }
}

}  // namespace
}  // namespace harness::eval

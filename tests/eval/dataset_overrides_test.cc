// Dataset::Open with overrides: a suite's `input` and `windows` keys replace the set's scale,
// offset and window attributes, checked against values computed by hand from the stored data.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/common/error.h"
#include "harness/eval/dataset.h"
#include "tests/eval/h5_test_util.h"

namespace harness::eval {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::SetWriter;
using testing::TempDir;

// Two samples of a stream of 6 frames of 2 values, stored as 0..23, with scale 0.5, offset 1
// and windows of 2 frames every 2 frames.
std::string WriteStream(TempDir& dir) {
  const std::string path = dir.File("stream.h5");
  std::vector<uint8_t> stored(24);
  for (size_t i = 0; i < stored.size(); ++i) stored[i] = static_cast<uint8_t>(i);
  SetWriter(path)
      .Dataset("/inputs", H5T_NATIVE_UINT8, {2, 6, 2}, stored)
      .Scalar("scale", H5T_NATIVE_DOUBLE, 0.5)
      .Scalar("offset", H5T_NATIVE_DOUBLE, 1.0)
      .Scalar("window_length", H5T_NATIVE_INT32, int32_t{2})
      .Scalar("window_stride", H5T_NATIVE_INT32, int32_t{2});
  return path;
}

std::vector<float> ToVector(std::span<const float> values) { return {values.begin(), values.end()}; }

TEST(DatasetOverridesTest, NoOverrideKeepsTheAttributes) {
  TempDir dir;
  const Dataset set = Dataset::Open(WriteStream(dir), DatasetOverrides{});
  EXPECT_EQ(set.scale(), 0.5f);
  EXPECT_EQ(set.offset(), 1.0f);
  EXPECT_EQ(set.windows_per_sample(), 3u);
  EXPECT_THAT(ToVector(set.FloatWindow(1, 2)), ElementsAre(11.0f, 11.5f, 12.0f, 12.5f));  // 20..23
}

TEST(DatasetOverridesTest, ScaleAndOffsetReplaceTheAttributesOneByOne) {
  TempDir dir;
  const std::string path = WriteStream(dir);
  DatasetOverrides scale_only;
  scale_only.scale = 2.0;
  const Dataset scaled = Dataset::Open(path, scale_only);
  EXPECT_EQ(scaled.offset(), 1.0f);  // kept from the file
  EXPECT_THAT(ToVector(scaled.FloatWindow(0, 1)), ElementsAre(9.0f, 11.0f, 13.0f, 15.0f));  // 4..7
  DatasetOverrides both;
  both.scale = 0.25;
  both.offset = -3.0;
  EXPECT_THAT(ToVector(Dataset::Open(path, both).FloatWindow(0, 0)),
              ElementsAre(-3.0f, -2.75f, -2.5f, -2.25f));
}

TEST(DatasetOverridesTest, WindowOverrideChangesTheWindowsPerSample) {
  TempDir dir;
  const std::string path = WriteStream(dir);
  DatasetOverrides windows;
  windows.window_length = 3;
  windows.window_stride = 1;
  const Dataset set = Dataset::Open(path, windows);
  EXPECT_EQ(set.window_length(), 3);
  EXPECT_EQ(set.window_stride(), 1);
  EXPECT_EQ(set.windows_per_sample(), 4u);  // (6 - 3) / 1 + 1
  EXPECT_THAT(set.window_shape(), ElementsAre(3, 2));
  // Window 3 of sample 0: frames 3, 4, 5 = stored 6..11.
  EXPECT_THAT(ToVector(set.FloatWindow(0, 3)), ElementsAre(4.0f, 4.5f, 5.0f, 5.5f, 6.0f, 6.5f));
}

TEST(DatasetOverridesTest, WindowOverrideOnASetWithoutWindows) {
  TempDir dir;
  const std::string path = dir.File("plain.h5");
  SetWriter(path).Dataset("/inputs", H5T_NATIVE_FLOAT, {1, 4, 1},
                          std::vector<float>{1.0f, 2.0f, 3.0f, 4.0f});
  DatasetOverrides windows;
  windows.window_length = 2;
  windows.window_stride = 2;
  const Dataset set = Dataset::Open(path, windows);
  EXPECT_EQ(set.windows_per_sample(), 2u);
  EXPECT_THAT(ToVector(set.FloatWindow(0, 1)), ElementsAre(3.0f, 4.0f));
}

TEST(DatasetOverridesTest, AWindowLongerThanTheStreamNamesTheOverride) {
  TempDir dir;
  const std::string path = WriteStream(dir);
  DatasetOverrides windows;
  windows.window_length = 7;
  windows.window_stride = 1;
  try {
    Dataset::Open(path, windows);
    ADD_FAILURE() << "expected harness::Error";
  } catch (const Error& error) {
    EXPECT_EQ(error.place(), path + ": window_length override");
    EXPECT_THAT(error.message(), HasSubstr("7 frames is longer than the stream of 6 frames"));
  }
  DatasetOverrides half;
  half.window_length = 2;
  EXPECT_THROW(Dataset::Open(path, half), Error);  // no stride
}

}  // namespace
}  // namespace harness::eval

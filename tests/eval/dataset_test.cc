#include "harness/eval/dataset.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "harness/common/error.h"
#include "tests/eval/h5_test_util.h"

namespace harness::eval {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::SetWriter;
using testing::TempDir;

const std::string kData = std::string(HARNESS_SHARED_DIR) + "/mlperf-tiny/data/";

std::vector<float> ToVector(std::span<const float> values) {
  return std::vector<float>(values.begin(), values.end());
}

// Runs `body`, expects a harness::Error, and returns it for checks on its place and message.
template <typename Body>
Error ExpectError(Body body) {
  try {
    body();
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << "expected harness::Error";
  return Error("", "");
}

TEST(DatasetTest, Uint8InputsWithScaleOffsetLabelsAndNames) {
  TempDir dir;
  const std::string path = dir.File("set.h5");
  const std::vector<uint8_t> stored = {0, 1, 2, 255, 10, 20, 30, 40, 7, 8, 9, 128};
  {
    SetWriter(path)
        .Dataset("/inputs", H5T_NATIVE_UINT8, {3, 2, 2}, stored)
        .Dataset("/labels", H5T_NATIVE_INT32, {3}, std::vector<int32_t>{2, 0, 1})
        .Scalar("scale", H5T_NATIVE_FLOAT, 1.0f / 255.0f)
        .Scalar("offset", H5T_NATIVE_DOUBLE, -0.5)
        .Strings("task", {"classification"}, /*scalar=*/true)
        .Strings("class_names", {"cat", "dog", "bird"})
        .Strings("source", {"hand-made"}, /*scalar=*/true);
  }
  const Dataset set = Dataset::Open(path);
  EXPECT_EQ(set.path(), path);
  EXPECT_EQ(set.size(), 3u);
  EXPECT_THAT(set.sample_shape(), ElementsAre(2, 2));
  EXPECT_EQ(set.stored_type_name(), "uint8");
  EXPECT_EQ(set.task(), Task::kClassification);
  EXPECT_THAT(set.class_names(), ElementsAre("cat", "dog", "bird"));
  EXPECT_EQ(set.source(), "hand-made");
  EXPECT_TRUE(set.has_labels());
  EXPECT_THAT(set.labels(), ElementsAre(2, 0, 1));
  EXPECT_FALSE(set.has_boxes());
  EXPECT_FALSE(set.has_windows());
  EXPECT_EQ(set.windows_per_sample(), 1u);
  EXPECT_THAT(set.window_shape(), ElementsAre(2, 2));
  for (size_t sample = 0; sample < 3; ++sample) {
    std::vector<float> expected;
    for (size_t i = 0; i < 4; ++i) {
      expected.push_back(static_cast<float>(stored[sample * 4 + i]) * (1.0f / 255.0f) - 0.5f);
    }
    EXPECT_EQ(ToVector(set.FloatSample(sample)), expected) << "sample " << sample;
    EXPECT_EQ(ToVector(set.FloatWindow(sample, 0)), expected) << "sample " << sample;
  }
  EXPECT_FLOAT_EQ(set.FloatSample(0)[3], 0.5f);  // 255/255 - 0.5
}

TEST(DatasetTest, WindowsOverFramesWithAnyIntegerAttributeWidth) {
  TempDir dir;
  const std::string path = dir.File("stream.h5");
  std::vector<int16_t> stored(2 * 6 * 3);
  for (size_t i = 0; i < stored.size(); ++i) stored[i] = static_cast<int16_t>(i) - 10;
  {
    SetWriter(path)
        .Dataset("/inputs", H5T_NATIVE_INT16, {2, 6, 3}, stored)
        .Scalar("window_length", H5T_NATIVE_INT8, int8_t{3})
        .Scalar("window_stride", H5T_NATIVE_UINT64, uint64_t{2})
        .Strings("task", {"anomaly"}, /*scalar=*/true)
        .FixedStrings("class_names", {"normal", "anomaly"}, 7);
  }
  const Dataset set = Dataset::Open(path);
  EXPECT_EQ(set.stored_type_name(), "int16");
  EXPECT_EQ(set.task(), Task::kAnomaly);
  EXPECT_THAT(set.class_names(), ElementsAre("normal", "anomaly"));
  EXPECT_FALSE(set.has_labels());
  EXPECT_TRUE(set.has_windows());
  EXPECT_EQ(set.window_length(), 3);
  EXPECT_EQ(set.window_stride(), 2);
  EXPECT_EQ(set.windows_per_sample(), 2u);  // frames 0-2 and 2-4; frame 5 starts no full window
  EXPECT_THAT(set.window_shape(), ElementsAre(3, 3));
  // Sample 1, window 1: frames 2, 3, 4 of sample 1 = stored elements 18 + 6 .. 18 + 14.
  std::vector<float> expected;
  for (int i = 24; i < 33; ++i) expected.push_back(static_cast<float>(i - 10));
  EXPECT_EQ(ToVector(set.FloatWindow(1, 1)), expected);
  EXPECT_EQ(set.FloatWindow(0, 0).front(), -10.0f);
  EXPECT_THROW(set.FloatWindow(0, 2), Error);
  EXPECT_THROW(set.FloatSample(2), Error);
}

TEST(DatasetTest, DetectionGroundTruth) {
  TempDir dir;
  const std::string path = dir.File("detect.h5");
  {
    SetWriter(path)
        .Dataset("/inputs", H5T_NATIVE_FLOAT, {2, 1}, std::vector<float>{0.25f, 0.75f})
        .Dataset("/boxes", H5T_NATIVE_FLOAT, {3, 4},
                 std::vector<float>{1, 2, 3, 4, 5.5f, 6, 7, 8, 0, 0, 10, 10})
        .Dataset("/box_classes", H5T_NATIVE_INT32, {3}, std::vector<int32_t>{1, 0, 1})
        .Dataset("/box_sample", H5T_NATIVE_INT32, {3}, std::vector<int32_t>{0, 0, 1})
        .Strings("task", {"detection"}, /*scalar=*/true);
  }
  const Dataset set = Dataset::Open(path);
  EXPECT_EQ(set.task(), Task::kDetection);
  ASSERT_TRUE(set.has_boxes());
  ASSERT_EQ(set.boxes().size(), 3u);
  const GroundTruthBox& second = set.boxes()[1];
  EXPECT_EQ(second.x_min, 5.5f);
  EXPECT_EQ(second.y_min, 6.0f);
  EXPECT_EQ(second.x_max, 7.0f);
  EXPECT_EQ(second.y_max, 8.0f);
  EXPECT_EQ(second.class_index, 0);
  EXPECT_EQ(second.sample, 0);
  EXPECT_EQ(set.boxes()[2].sample, 1);
  EXPECT_EQ(set.boxes()[2].x_max, 10.0f);
  EXPECT_THAT(set.sample_shape(), ElementsAre(1));
  EXPECT_THAT(ToVector(set.FloatSample(1)), ElementsAre(0.75f));
}

// The decoding of detector outputs is read with the boxes: the set's attributes override the
// grid-v1 defaults, and a decoding harness does not know is refused when the set is opened.
TEST(DatasetTest, DetectionSetCarriesItsGridDecoding) {
  TempDir dir;
  const auto write = [&dir](const std::string& name, const std::string& decoder) {
    const std::string path = dir.File(name);
    SetWriter(path)
        .Dataset("/inputs", H5T_NATIVE_FLOAT, {1, 1}, std::vector<float>{0.0f})
        .Dataset("/boxes", H5T_NATIVE_FLOAT, {1, 4}, std::vector<float>{0, 0, 1, 1})
        .Dataset("/box_classes", H5T_NATIVE_INT32, {1}, std::vector<int32_t>{0})
        .Dataset("/box_sample", H5T_NATIVE_INT32, {1}, std::vector<int32_t>{0})
        .Strings("decoder", {decoder}, /*scalar=*/true)
        .Scalar("grid_height", H5T_NATIVE_INT32, int32_t{4})
        .Scalar("max_detections", H5T_NATIVE_INT32, int32_t{3});
    return path;
  };
  const Dataset set = Dataset::Open(write("grid.h5", "grid-v1"));
  EXPECT_EQ(set.grid_decoder().grid_height, 4);
  EXPECT_EQ(set.grid_decoder().max_detections, 3u);
  EXPECT_EQ(set.grid_decoder().grid_width, GridDecoderParams{}.grid_width);

  const std::string other = write("ssd.h5", "ssd");
  EXPECT_EQ(ExpectError([&] { Dataset::Open(other); }).place(), other + ": attribute 'decoder'");
}

TEST(DatasetTest, DefaultsWithoutAttributes) {
  TempDir dir;
  const std::string path = dir.File("plain.h5");
  SetWriter(path).Dataset("/inputs", H5T_NATIVE_INT8, {2, 2},
                          std::vector<int8_t>{-128, 127, 0, -1});
  const Dataset set = Dataset::Open(path);
  EXPECT_EQ(set.scale(), 1.0f);
  EXPECT_EQ(set.offset(), 0.0f);
  EXPECT_EQ(set.task(), Task::kUnspecified);
  EXPECT_TRUE(set.class_names().empty());
  EXPECT_TRUE(set.source().empty());
  EXPECT_FALSE(set.has_labels());
  EXPECT_EQ(set.stored_type_name(), "int8");
  EXPECT_THAT(ToVector(set.FloatSample(0)), ElementsAre(-128.0f, 127.0f));
  EXPECT_THAT(ToVector(set.FloatSample(1)), ElementsAre(0.0f, -1.0f));
}

TEST(DatasetTest, WideStoredTypesConvertToFloat32) {
  TempDir dir;
  const std::string int32_path = dir.File("int32.h5");
  const std::string float64_path = dir.File("float64.h5");
  SetWriter(int32_path)
      .Dataset("/inputs", H5T_NATIVE_INT32, {1, 3}, std::vector<int32_t>{-70000, 3, 16777217})
      .Scalar("scale", H5T_NATIVE_FLOAT, 2.0f);
  SetWriter(float64_path)
      .Dataset("/inputs", H5T_NATIVE_DOUBLE, {1, 2}, std::vector<double>{0.1, -1e30})
      .Scalar("offset", H5T_NATIVE_FLOAT, 1.0f);
  const Dataset ints = Dataset::Open(int32_path);
  EXPECT_EQ(ints.stored_type_name(), "int32");
  // 16777217 is not a float32: it rounds to 16777216 before the scale applies.
  EXPECT_THAT(ToVector(ints.FloatSample(0)), ElementsAre(-140000.0f, 6.0f, 33554432.0f));
  const Dataset doubles = Dataset::Open(float64_path);
  EXPECT_EQ(doubles.stored_type_name(), "float64");
  EXPECT_EQ(doubles.FloatSample(0)[0], static_cast<float>(0.1) + 1.0f);
  // A value beyond float32 would be infinite: such a set is refused (dataset_limits_test.cc).
  EXPECT_EQ(doubles.FloatSample(0)[1], static_cast<float>(-1e30) + 1.0f);
}

TEST(DatasetTest, MissingFileAndNotHdf5) {
  TempDir dir;
  const Error missing = ExpectError([&] { Dataset::Open(dir.File("absent.h5")); });
  EXPECT_EQ(missing.place(), dir.File("absent.h5"));
  EXPECT_THAT(missing.message(), HasSubstr("no such file"));

  const std::string text = dir.File("notes.h5");
  std::ofstream(text) << "not hdf5 at all\n";
  const Error not_hdf5 = ExpectError([&] { Dataset::Open(text); });
  EXPECT_EQ(not_hdf5.place(), text);
  EXPECT_THAT(not_hdf5.message(), HasSubstr("not an HDF5 file"));

  const std::string model =
      std::string(HARNESS_SHARED_DIR) + "/mlperf-tiny/models/ad01_int8.tflite";
  const Error tflite = ExpectError([&] { Dataset::Open(model); });
  EXPECT_EQ(tflite.place(), model);
  EXPECT_THAT(tflite.message(), HasSubstr("not an HDF5 file"));
}

TEST(DatasetTest, MissingInputsNamesTheDataset) {
  TempDir dir;
  const std::string path = dir.File("no_inputs.h5");
  SetWriter(path).Dataset("/labels", H5T_NATIVE_INT32, {1}, std::vector<int32_t>{0});
  const Error error = ExpectError([&] { Dataset::Open(path); });
  EXPECT_EQ(error.place(), path + ": /inputs");
}

TEST(DatasetTest, LabelsOfTheWrongLength) {
  TempDir dir;
  const std::string path = dir.File("labels.h5");
  SetWriter(path)
      .Dataset("/inputs", H5T_NATIVE_FLOAT, {3, 1}, std::vector<float>{1, 2, 3})
      .Dataset("/labels", H5T_NATIVE_INT32, {2}, std::vector<int32_t>{0, 1});
  const Error error = ExpectError([&] { Dataset::Open(path); });
  EXPECT_EQ(error.place(), path + ": /labels");
  EXPECT_EQ(error.message(), "has 2 rows, /inputs has 3");
}

TEST(DatasetTest, LabelOutsideTheClassNames) {
  TempDir dir;
  const std::string path = dir.File("label_range.h5");
  SetWriter(path)
      .Dataset("/inputs", H5T_NATIVE_FLOAT, {2, 1}, std::vector<float>{1, 2})
      .Dataset("/labels", H5T_NATIVE_INT32, {2}, std::vector<int32_t>{1, 2})
      .Strings("class_names", {"a", "b"});
  const Error error = ExpectError([&] { Dataset::Open(path); });
  EXPECT_EQ(error.place(), path + ": /labels");
  EXPECT_THAT(error.message(), HasSubstr("row 1 has label 2"));
}

TEST(DatasetTest, WindowLongerThanTheStream) {
  TempDir dir;
  const std::string path = dir.File("short.h5");
  SetWriter(path)
      .Dataset("/inputs", H5T_NATIVE_FLOAT, {1, 3, 2}, std::vector<float>(6, 0.0f))
      .Scalar("window_length", H5T_NATIVE_INT32, int32_t{4})
      .Scalar("window_stride", H5T_NATIVE_INT32, int32_t{1});
  const Error error = ExpectError([&] { Dataset::Open(path); });
  EXPECT_EQ(error.place(), path + ": attribute 'window_length'");
  EXPECT_THAT(error.message(), HasSubstr("4 frames is longer than the stream of 3 frames"));
}

TEST(DatasetTest, BadAttributeTypes) {
  TempDir dir;
  const std::string float_length = dir.File("float_length.h5");
  SetWriter(float_length)
      .Dataset("/inputs", H5T_NATIVE_FLOAT, {1, 3}, std::vector<float>(3, 0.0f))
      .Scalar("window_length", H5T_NATIVE_FLOAT, 2.0f)
      .Scalar("window_stride", H5T_NATIVE_INT32, int32_t{1});
  const Error length = ExpectError([&] { Dataset::Open(float_length); });
  EXPECT_EQ(length.place(), float_length + ": attribute 'window_length'");
  EXPECT_THAT(length.message(), HasSubstr("must be an integer, is a float32"));

  const std::string string_scale = dir.File("string_scale.h5");
  SetWriter(string_scale)
      .Dataset("/inputs", H5T_NATIVE_FLOAT, {1, 1}, std::vector<float>{0.0f})
      .Strings("scale", {"0.5"}, /*scalar=*/true);
  const Error scale = ExpectError([&] { Dataset::Open(string_scale); });
  EXPECT_EQ(scale.place(), string_scale + ": attribute 'scale'");

  const std::string numeric_task = dir.File("numeric_task.h5");
  SetWriter(numeric_task)
      .Dataset("/inputs", H5T_NATIVE_FLOAT, {1, 1}, std::vector<float>{0.0f})
      .Scalar("task", H5T_NATIVE_INT32, int32_t{1});
  EXPECT_EQ(ExpectError([&] { Dataset::Open(numeric_task); }).place(),
            numeric_task + ": attribute 'task'");

  const std::string unknown_task = dir.File("unknown_task.h5");
  SetWriter(unknown_task)
      .Dataset("/inputs", H5T_NATIVE_FLOAT, {1, 1}, std::vector<float>{0.0f})
      .Strings("task", {"segmentation"}, /*scalar=*/true);
  EXPECT_THAT(ExpectError([&] { Dataset::Open(unknown_task); }).message(),
              HasSubstr("unknown task 'segmentation'"));
}

TEST(DatasetTest, IncompleteDetectionGroundTruth) {
  TempDir dir;
  const std::string path = dir.File("boxes_only.h5");
  SetWriter(path)
      .Dataset("/inputs", H5T_NATIVE_FLOAT, {1, 1}, std::vector<float>{0.0f})
      .Dataset("/boxes", H5T_NATIVE_FLOAT, {1, 4}, std::vector<float>{0, 0, 1, 1})
      .Dataset("/box_sample", H5T_NATIVE_INT32, {1}, std::vector<int32_t>{0});
  EXPECT_EQ(ExpectError([&] { Dataset::Open(path); }).place(), path + ": /box_classes");

  const std::string bad_owner = dir.File("bad_owner.h5");
  SetWriter(bad_owner)
      .Dataset("/inputs", H5T_NATIVE_FLOAT, {1, 1}, std::vector<float>{0.0f})
      .Dataset("/boxes", H5T_NATIVE_FLOAT, {1, 4}, std::vector<float>{0, 0, 1, 1})
      .Dataset("/box_classes", H5T_NATIVE_INT32, {1}, std::vector<int32_t>{0})
      .Dataset("/box_sample", H5T_NATIVE_INT32, {1}, std::vector<int32_t>{1});
  EXPECT_EQ(ExpectError([&] { Dataset::Open(bad_owner); }).place(), bad_owner + ": /box_sample");
}

TEST(DatasetRealDataTest, KeywordSpotting) {
  const Dataset set = Dataset::Open(kData + "kws01_speechcmd1000_val.h5");
  EXPECT_EQ(set.size(), 800u);
  EXPECT_THAT(set.sample_shape(), ElementsAre(49, 10, 1));
  EXPECT_EQ(set.stored_type_name(), "float32");
  ASSERT_EQ(set.class_names().size(), 12u);
  EXPECT_EQ(set.class_names()[0], "down");
  EXPECT_EQ(set.class_names()[1], "go");
  EXPECT_EQ(set.labels().size(), 800u);
  EXPECT_EQ(set.windows_per_sample(), 1u);
  EXPECT_EQ(set.FloatSample(799).size(), 490u);
}

TEST(DatasetRealDataTest, VisualWakeWordsPixelsScaleToUnitRange) {
  const Dataset set = Dataset::Open(kData + "vww01_coco_person1000_val.h5");
  EXPECT_EQ(set.size(), 800u);
  EXPECT_THAT(set.sample_shape(), ElementsAre(96, 96, 3));
  EXPECT_EQ(set.stored_type_name(), "uint8");
  EXPECT_FLOAT_EQ(set.scale(), 1.0f / 255.0f);
  EXPECT_THAT(set.class_names(), ElementsAre("no_person", "person"));
  // Every value is a pixel p in 0..255 times the scale: recover p and check it is whole.
  for (size_t sample : {size_t{0}, size_t{799}}) {
    for (float value : set.FloatSample(sample)) {
      const float pixel = value / set.scale();
      ASSERT_GE(value, 0.0f);
      ASSERT_LE(value, 1.0f);
      ASSERT_NEAR(pixel, std::round(pixel), 1e-3f);
    }
  }
}

TEST(DatasetRealDataTest, AnomalyDetectionWindows) {
  const Dataset set = Dataset::Open(kData + "ad01_toyadmos_car248_val.h5");
  EXPECT_EQ(set.size(), 198u);
  EXPECT_THAT(set.sample_shape(), ElementsAre(200, 128));
  EXPECT_EQ(set.task(), Task::kAnomaly);
  EXPECT_EQ(set.window_length(), 5);
  EXPECT_EQ(set.window_stride(), 1);
  EXPECT_EQ(set.windows_per_sample(), 196u);
  EXPECT_THAT(set.window_shape(), ElementsAre(5, 128));
  EXPECT_EQ(set.window_elements(), 640u);
  // Window w starts at frame w: its frame 1 is frame 0 of window w + 1.
  const std::span<const float> window3 = set.FloatWindow(7, 3);
  const std::span<const float> window4 = set.FloatWindow(7, 4);
  ASSERT_EQ(window3.size(), 640u);
  EXPECT_EQ(window3.data() + 128, window4.data());
  EXPECT_EQ(set.FloatWindow(7, 195).data() + 640, set.FloatSample(7).data() + 200 * 128);
}

}  // namespace
}  // namespace harness::eval

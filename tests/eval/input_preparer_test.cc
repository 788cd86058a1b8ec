#include "harness/eval/input_preparer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <optional>
#include <thread>

#include "harness/common/error.h"
#include "harness/eval/hdf5_file.h"
#include "tests/eval/h5_test_util.h"

namespace harness::eval {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using testing::SetWriter;
using testing::TempDir;

const std::string kShared = std::string(HARNESS_SHARED_DIR) + "/mlperf-tiny/";

model::Tensor MakeInput(model::DataType type, std::vector<int32_t> shape, float scale = 0.0f,
                        int64_t zero_point = 0) {
  model::Tensor tensor;
  tensor.name = "input_1";
  tensor.type = type;
  tensor.shape = std::move(shape);
  if (scale > 0.0f) {
    tensor.quantization.scales = {scale};
    tensor.quantization.zero_points = {zero_point};
  }
  return tensor;
}

template <typename T>
std::vector<T> PrepareAs(const InputPreparer& preparer, size_t sample, size_t window = 0) {
  std::vector<T> values(preparer.element_count());
  preparer.Prepare(
      sample, window,
      std::span<std::byte>(reinterpret_cast<std::byte*>(values.data()), values.size() * sizeof(T)));
  return values;
}

// A float32 set of one sample with the given values, shape [1, count].
Dataset FloatSet(const TempDir& dir, const std::vector<float>& values) {
  const std::string path = dir.File("values.h5");
  SetWriter(path).Dataset("/inputs", H5T_NATIVE_FLOAT, {1, values.size()}, values);
  return Dataset::Open(path);
}

TEST(InputPreparerTest, Float32InputCopiesTheScaledValues) {
  TempDir dir;
  const std::string path = dir.File("pixels.h5");
  SetWriter(path)
      .Dataset("/inputs", H5T_NATIVE_UINT8, {2, 2, 2},
               std::vector<uint8_t>{0, 2, 4, 6, 8, 10, 12, 14})
      .Scalar("scale", H5T_NATIVE_FLOAT, 0.5f)
      .Scalar("offset", H5T_NATIVE_FLOAT, -1.0f);
  const Dataset set = Dataset::Open(path);
  const InputPreparer preparer(set, MakeInput(model::DataType::kFloat32, {1, 2, 2}));
  EXPECT_EQ(preparer.byte_size(), 16u);
  EXPECT_THAT(PrepareAs<float>(preparer, 1), ElementsAre(3.0f, 4.0f, 5.0f, 6.0f));
}

TEST(InputPreparerTest, TiesRoundHalfAwayFromZero) {
  TempDir dir;
  // value / scale = 2.5, -2.5, 0.5, -0.5, 1.5 exactly (scale 0.5 is a power of two).
  const Dataset set = FloatSet(dir, {1.25f, -1.25f, 0.25f, -0.25f, 0.75f});
  const InputPreparer int8(set, MakeInput(model::DataType::kInt8, {1, 5}, 0.5f, 0));
  EXPECT_THAT(PrepareAs<int8_t>(int8, 0), ElementsAre(3, -3, 1, -1, 2));
  const InputPreparer shifted(set, MakeInput(model::DataType::kInt8, {5}, 0.5f, -10));
  EXPECT_THAT(PrepareAs<int8_t>(shifted, 0), ElementsAre(-7, -13, -9, -11, -8));
}

TEST(InputPreparerTest, QuotientIsTakenInDoubleLikeTheReferencePipeline) {
  // A value of the AD set whose exact quotient is -135.4999978: float32 division makes it the tie
  // -135.5 (which would round to -136); the reference inputs hold -135 + 89 = -46.
  const float value = -0x1.a7dc4ap+5f;
  const float scale = 0x1.90664cp-2f;
  ASSERT_EQ(value / scale, -135.5f);
  EXPECT_EQ(QuantizeValue(value, scale, 89, -128, 127), -46);
  EXPECT_EQ(QuantizeValue(-value, scale, 0, -1000, 1000), 135);
  EXPECT_EQ(QuantizeValue(std::nanf(""), 0.5f, 7, -128, 127), 7);
}

TEST(InputPreparerTest, ClampsToEachTypesRange) {
  TempDir dir;
  const Dataset set = FloatSet(dir, {1000.0f, -1000.0f, 3.0f, 1e30f, -1e30f});
  const InputPreparer int8(set, MakeInput(model::DataType::kInt8, {1, 5}, 1.0f, 5));
  EXPECT_THAT(PrepareAs<int8_t>(int8, 0), ElementsAre(127, -128, 8, 127, -128));
  const InputPreparer uint8(set, MakeInput(model::DataType::kUInt8, {1, 5}, 1.0f, 128));
  EXPECT_THAT(PrepareAs<uint8_t>(uint8, 0), ElementsAre(255, 0, 131, 255, 0));
  const InputPreparer int16(set, MakeInput(model::DataType::kInt16, {1, 5}, 0.125f, 0));
  EXPECT_THAT(PrepareAs<int16_t>(int16, 0), ElementsAre(8000, -8000, 24, 32767, -32768));
}

TEST(InputPreparerTest, WindowsFillAFlatModelInput) {
  TempDir dir;
  const std::string path = dir.File("stream.h5");
  std::vector<float> frames(8);
  for (size_t i = 0; i < frames.size(); ++i) frames[i] = static_cast<float>(i);
  SetWriter(path)
      .Dataset("/inputs", H5T_NATIVE_FLOAT, {1, 4, 2}, frames)
      .Scalar("window_length", H5T_NATIVE_INT32, int32_t{2})
      .Scalar("window_stride", H5T_NATIVE_INT32, int32_t{1});
  const Dataset set = Dataset::Open(path);
  const InputPreparer preparer(set, MakeInput(model::DataType::kInt8, {1, 4}, 1.0f, 0));
  EXPECT_THAT(PrepareAs<int8_t>(preparer, 0, 2), ElementsAre(4, 5, 6, 7));
}

TEST(InputPreparerTest, ShapeMismatchNamesBothShapes) {
  TempDir dir;
  const std::string path = dir.File("shape.h5");
  SetWriter(path).Dataset("/inputs", H5T_NATIVE_FLOAT, {2, 3, 4}, std::vector<float>(24, 0.0f));
  const Dataset set = Dataset::Open(path);
  try {
    InputPreparer(set, MakeInput(model::DataType::kInt8, {1, 10}, 1.0f, 0));
    FAIL() << "expected harness::Error";
  } catch (const Error& error) {
    EXPECT_EQ(error.place(), path);
    EXPECT_EQ(error.message(),
              "sample shape [3, 4] does not fit model input 'input_1' of shape [1, 10] (INT8)");
  }
  EXPECT_NO_THROW(InputPreparer(set, MakeInput(model::DataType::kFloat32, {1, 3, 4})));
}

TEST(InputPreparerTest, RejectsUnpreparableInputs) {
  TempDir dir;
  const Dataset set = FloatSet(dir, {1.0f, 2.0f});
  EXPECT_THROW(InputPreparer(set, MakeInput(model::DataType::kInt32, {2}, 1.0f, 0)), Error);
  EXPECT_THROW(InputPreparer(set, MakeInput(model::DataType::kInt8, {2})), Error);  // no scale
  const InputPreparer preparer(set, MakeInput(model::DataType::kInt8, {2}, 1.0f, 0));
  std::vector<std::byte> too_small(1);
  EXPECT_THROW(preparer.Prepare(0, 0, too_small), Error);
  std::vector<std::byte> right(2);
  EXPECT_THROW(preparer.Prepare(1, 0, right), Error);  // only one sample
}

// The goldens hold the exact int8 tensors TFLite-Micro was fed, with the model's input
// quantization: the preparer must reproduce them byte for byte.
struct GoldenInputs {
  std::vector<int8_t> raw;
  model::Tensor input;
};

GoldenInputs ReadGolden(const std::string& name) {
  const hdf5::File golden = hdf5::File::OpenReadOnly(kShared + "golden/" + name);
  GoldenInputs result;
  result.raw = golden.ReadDataset<int8_t>("/inputs_raw");
  // input_shape is an int64 array attribute, which the wrapper does not read: use the C API.
  std::vector<int64_t> dims(golden.AttributeShape("input_shape").at(0));
  const hid_t file = H5Fopen((kShared + "golden/" + name).c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t attribute = H5Aopen(file, "input_shape", H5P_DEFAULT);
  EXPECT_GE(H5Aread(attribute, H5T_NATIVE_INT64, dims.data()), 0);
  H5Aclose(attribute);
  H5Fclose(file);
  std::vector<int32_t> shape;
  for (int64_t dim : dims) shape.push_back(static_cast<int32_t>(dim));
  result.input = MakeInput(model::DataType::kInt8, shape,
                           static_cast<float>(golden.ReadNumberAttribute("input_scale")),
                           golden.ReadIntegerAttribute("input_zero_point"));
  return result;
}

TEST(InputPreparerGoldenTest, KeywordSpottingMatchesTfliteMicroInputs) {
  const GoldenInputs golden = ReadGolden("kws_ref_model.h5");
  const Dataset set = Dataset::Open(kShared + "data/kws01_speechcmd1000_val.h5");
  const InputPreparer preparer(set, golden.input);
  ASSERT_EQ(preparer.element_count(), 490u);
  ASSERT_EQ(golden.raw.size(), 800u * 490u);
  for (size_t sample = 0; sample < set.size(); ++sample) {
    const std::vector<int8_t> prepared = PrepareAs<int8_t>(preparer, sample);
    ASSERT_EQ(0, std::memcmp(prepared.data(), golden.raw.data() + sample * 490, 490))
        << "sample " << sample;
  }
}

TEST(InputPreparerGoldenTest, VisualWakeWordsPixelsShiftByTheZeroPoint) {
  // The golden notes "int8 = pixel - 128": scale 1/255 and zero point -128 on uint8 pixels.
  const hdf5::File golden = hdf5::File::OpenReadOnly(kShared + "golden/vww_96_int8.h5");
  const model::Tensor input =
      MakeInput(model::DataType::kInt8, {1, 96, 96, 3},
                static_cast<float>(golden.ReadNumberAttribute("input_scale")),
                golden.ReadIntegerAttribute("input_zero_point"));
  const std::string path = kShared + "data/vww01_coco_person1000_val.h5";
  const std::vector<uint8_t> pixels =
      hdf5::File::OpenReadOnly(path).ReadDataset<uint8_t>("/inputs");
  const Dataset set = Dataset::Open(path);
  const InputPreparer preparer(set, input);
  const size_t count = preparer.element_count();
  for (size_t sample = 0; sample < set.size(); ++sample) {
    const std::vector<int8_t> prepared = PrepareAs<int8_t>(preparer, sample);
    for (size_t i = 0; i < count; ++i) {
      ASSERT_EQ(prepared[i], pixels[sample * count + i] - 128) << "sample " << sample << " " << i;
    }
  }
}

TEST(InputPreparerGoldenTest, ConcurrentOpensAndPreparesMatchSerialOnes) {
  // Two sets opened at once (HDF5 calls serialize inside the wrapper), then one preparer shared
  // by four threads, each writing its own samples: the result must equal a serial run.
  std::optional<Dataset> kws, ad;
  std::thread open_kws([&] { kws = Dataset::Open(kShared + "data/kws01_speechcmd1000_val.h5"); });
  std::thread open_ad([&] { ad = Dataset::Open(kShared + "data/ad01_toyadmos_car248_val.h5"); });
  open_kws.join();
  open_ad.join();
  ASSERT_TRUE(kws && ad);
  EXPECT_EQ(ad->windows_per_sample(), 196u);
  const InputPreparer preparer(*kws, MakeInput(model::DataType::kInt8, {1, 49, 10, 1}, 0.5f, 3));
  std::vector<std::vector<int8_t>> parallel(kws->size());
  std::vector<std::thread> workers;
  for (size_t worker = 0; worker < 4; ++worker) {
    workers.emplace_back([&, worker] {
      for (size_t sample = worker; sample < kws->size(); sample += 4) {
        parallel[sample] = PrepareAs<int8_t>(preparer, sample);
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  for (size_t sample = 0; sample < kws->size(); ++sample) {
    ASSERT_EQ(parallel[sample], PrepareAs<int8_t>(preparer, sample)) << "sample " << sample;
  }
}

TEST(InputPreparerGoldenTest, AnomalyDetectionMatchesTfliteMicroInputs) {
  const GoldenInputs golden = ReadGolden("ad01_int8.h5");
  const Dataset set = Dataset::Open(kShared + "data/ad01_toyadmos_car248_val.h5");
  const InputPreparer preparer(set, golden.input);
  ASSERT_EQ(preparer.element_count(), 640u);
  ASSERT_EQ(golden.raw.size(), 20u * 196u * 640u);
  size_t row = 0;
  for (size_t clip = 0; clip < 20; ++clip) {
    for (size_t window = 0; window < set.windows_per_sample(); ++window, ++row) {
      const std::vector<int8_t> prepared = PrepareAs<int8_t>(preparer, clip, window);
      ASSERT_EQ(0, std::memcmp(prepared.data(), golden.raw.data() + row * 640, 640))
          << "clip " << clip << " window " << window;
    }
  }
  EXPECT_EQ(row, 3920u);
}

}  // namespace
}  // namespace harness::eval

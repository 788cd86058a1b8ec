#include "harness/eval/output_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>

#include "harness/common/error.h"
#include "tests/eval/h5_test_util.h"

namespace harness::eval {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::TempDir;

std::vector<std::string> FilesIn(const std::filesystem::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    names.push_back(entry.path().filename().string());
  }
  return names;
}

template <typename T>
std::span<const std::byte> BytesOf(const std::vector<T>& values) {
  return std::as_bytes(std::span<const T>(values));
}

// Reads a file back with the HDF5 C API directly.
struct ReadBack {
  H5T_class_t type_class = H5T_NO_CLASS;
  size_t type_size = 0;
  H5T_sign_t sign = H5T_SGN_ERROR;
  std::vector<hsize_t> shape;
  std::vector<std::byte> bytes;
};

ReadBack ReadOutputs(const std::string& path, hid_t memory_type) {
  ReadBack result;
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  EXPECT_GE(file, 0);
  const hid_t dataset = H5Dopen2(file, "/outputs", H5P_DEFAULT);
  const hid_t type = H5Dget_type(dataset);
  result.type_class = H5Tget_class(type);
  result.type_size = H5Tget_size(type);
  if (result.type_class == H5T_INTEGER) result.sign = H5Tget_sign(type);
  const hid_t space = H5Dget_space(dataset);
  result.shape.resize(static_cast<size_t>(H5Sget_simple_extent_ndims(space)));
  H5Sget_simple_extent_dims(space, result.shape.data(), nullptr);
  size_t count = 1;
  for (hsize_t dim : result.shape) count *= dim;
  result.bytes.resize(count * H5Tget_size(memory_type));
  EXPECT_GE(H5Dread(dataset, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, result.bytes.data()), 0);
  H5Sclose(space);
  H5Tclose(type);
  H5Dclose(dataset);
  H5Fclose(file);
  return result;
}

std::string ReadStringAttribute(const std::string& path, const std::string& name) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t attribute = H5Aopen(file, name.c_str(), H5P_DEFAULT);
  const hid_t type = H5Aget_type(attribute);
  char* text = nullptr;
  EXPECT_GT(H5Tis_variable_str(type), 0);
  EXPECT_GE(H5Aread(attribute, type, &text), 0);
  std::string value = text ? text : "";
  H5free_memory(text);
  H5Tclose(type);
  H5Aclose(attribute);
  H5Fclose(file);
  return value;
}

TEST(OutputWriterTest, Int8OutputsRoundTripWithAttributes) {
  TempDir dir;
  const std::string path = dir.File("out.h5");
  const std::vector<int8_t> values = {-128, -1, 0, 1, 64, 127};
  WriteOutputFile(path, {model::DataType::kInt8, {2, 3}, BytesOf(values), "out"},
                  {{"model", "kws_ref_model.tflite"}, {"dataset", "kws01.h5"}});
  const ReadBack back = ReadOutputs(path, H5T_NATIVE_INT8);
  EXPECT_EQ(back.type_class, H5T_INTEGER);
  EXPECT_EQ(back.type_size, 1u);
  EXPECT_EQ(back.sign, H5T_SGN_2);
  EXPECT_THAT(back.shape, ElementsAre(2, 3));
  ASSERT_EQ(back.bytes.size(), values.size());
  EXPECT_EQ(0, std::memcmp(back.bytes.data(), values.data(), values.size()));
  EXPECT_EQ(ReadStringAttribute(path, "model"), "kws_ref_model.tflite");
  EXPECT_EQ(ReadStringAttribute(path, "dataset"), "kws01.h5");
  EXPECT_THAT(FilesIn(dir.path()), ElementsAre("out.h5"));  // the temporary file is gone
}

TEST(OutputWriterTest, EveryElementTypeKeepsItsStoredType) {
  TempDir dir;
  const std::vector<float> floats = {0.5f, -2.25f, 1e-20f};
  WriteOutputFile(dir.File("f.h5"), {model::DataType::kFloat32, {3}, BytesOf(floats), "out"});
  const ReadBack f = ReadOutputs(dir.File("f.h5"), H5T_NATIVE_FLOAT);
  EXPECT_EQ(f.type_class, H5T_FLOAT);
  EXPECT_EQ(f.type_size, 4u);
  EXPECT_EQ(0, std::memcmp(f.bytes.data(), floats.data(), sizeof(float) * 3));

  const std::vector<uint8_t> bytes = {0, 200, 255, 7};
  WriteOutputFile(dir.File("u8.h5"), {model::DataType::kUInt8, {2, 2}, BytesOf(bytes), "out"});
  const ReadBack u8 = ReadOutputs(dir.File("u8.h5"), H5T_NATIVE_UINT8);
  EXPECT_EQ(u8.sign, H5T_SGN_NONE);
  EXPECT_EQ(0, std::memcmp(u8.bytes.data(), bytes.data(), 4));

  const std::vector<int16_t> shorts = {-32768, 32767};
  WriteOutputFile(dir.File("i16.h5"), {model::DataType::kInt16, {1, 2}, BytesOf(shorts), "out"});
  const ReadBack i16 = ReadOutputs(dir.File("i16.h5"), H5T_NATIVE_INT16);
  EXPECT_EQ(i16.type_size, 2u);
  EXPECT_EQ(0, std::memcmp(i16.bytes.data(), shorts.data(), 4));

  const std::vector<int32_t> ints = {-5, 1 << 30};
  WriteOutputFile(dir.File("i32.h5"), {model::DataType::kInt32, {2}, BytesOf(ints), "out"});
  const ReadBack i32 = ReadOutputs(dir.File("i32.h5"), H5T_NATIVE_INT32);
  EXPECT_EQ(i32.type_size, 4u);
  EXPECT_EQ(0, std::memcmp(i32.bytes.data(), ints.data(), 8));
}

TEST(OutputWriterTest, ReplacesAnExistingFile) {
  TempDir dir;
  const std::string path = dir.File("out.h5");
  std::ofstream(path) << "old contents";
  const std::vector<int8_t> values = {1, 2};
  WriteOutputFile(path, {model::DataType::kInt8, {2}, BytesOf(values), "out"});
  EXPECT_THAT(ReadOutputs(path, H5T_NATIVE_INT8).shape, ElementsAre(2));
  EXPECT_THAT(FilesIn(dir.path()), ElementsAre("out.h5"));
}

TEST(OutputWriterTest, BadRequestsLeaveTheDestinationAlone) {
  TempDir dir;
  const std::string path = dir.File("out.h5");
  std::ofstream(path) << "old contents";
  const std::vector<int8_t> values = {1, 2, 3};
  try {
    WriteOutputFile(path, {model::DataType::kInt8, {2, 2}, BytesOf(values), "out"});
    FAIL() << "expected harness::Error";
  } catch (const Error& error) {
    EXPECT_EQ(error.place(), path);
    EXPECT_THAT(error.message(), HasSubstr("3 bytes"));
  }
  EXPECT_THROW(WriteOutputFile(path, {model::DataType::kInt64, {3}, BytesOf(values), "out"}),
               Error);
  EXPECT_THROW(WriteOutputFile(dir.File("no_such_folder/out.h5"),
                               {model::DataType::kInt8, {3}, BytesOf(values), "out"}),
               Error);
  std::ifstream in(path);
  std::string contents((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(contents, "old contents");
  EXPECT_THAT(FilesIn(dir.path()), ElementsAre("out.h5"));
}

}  // namespace
}  // namespace harness::eval

#include "harness/eval/dataset_inputs.h"

#include <string>

#include "harness/common/error.h"

namespace harness::eval {
namespace {

using hdf5::ElementClass;
using hdf5::ElementType;

// The float model's input value. Computed in float32, `float(stored) * scale + offset`, because
// that is what a float32 preprocessing pipeline (and TFLite's float input tensor) holds: doing it
// in double and rounding once would differ from it in the last bit for scales such as 1/255, and
// the int8 input is quantized from exactly this float value. With ISO C++ (no GNU extensions)
// GCC does not contract the multiply-add into an FMA, so the result is reproducible.
template <typename Stored>
void ConvertStored(const hdf5::File& file, const std::string& place, size_t count, float scale,
                   float offset, std::vector<float>& values) {
  std::vector<Stored> stored(count);
  file.ReadDataset(place, hdf5::NativeTypeOf<Stored>(), stored.data(), count);
  values.resize(count);
  for (size_t i = 0; i < count; ++i) values[i] = static_cast<float>(stored[i]) * scale + offset;
}

Dataset::Input Layout(const hdf5::File& file, const std::string& place, const std::string& name) {
  Dataset::Input input;
  input.place = place;
  input.name = name;
  const std::vector<uint64_t> shape = file.DatasetShape(place);
  if (shape.empty()) throw file.Fail(place, "must have a first axis of samples, is a scalar");
  input.sample_shape.assign(shape.begin() + 1, shape.end());
  input.sample_elements = 1;
  for (int64_t dim : input.sample_shape) input.sample_elements *= static_cast<size_t>(dim);
  input.stored_type_name = file.DatasetType(place).Name();
  return input;
}

}  // namespace

std::vector<Dataset::Input> ReadInputLayouts(const hdf5::File& file, uint64_t& rows) {
  std::vector<Dataset::Input> inputs;
  if (file.HasDataset("/inputs")) {
    inputs.push_back(Layout(file, "/inputs", ""));
    rows = file.DatasetShape("/inputs")[0];
    return inputs;
  }
  if (!file.HasGroup("/inputs")) {
    throw file.Fail("/inputs",
                    "no such dataset or group (every set has one: a dataset for one model input, "
                    "a group of one dataset per model input)");
  }
  const std::vector<std::string> names = file.DatasetsInGroup("/inputs");
  if (names.empty()) throw file.Fail("/inputs", "the group holds no dataset");
  for (const std::string& name : names) {
    const std::string place = "/inputs/" + name;
    inputs.push_back(Layout(file, place, name));
    const uint64_t input_rows = file.DatasetShape(place)[0];
    if (inputs.size() == 1) {
      rows = input_rows;
    } else if (input_rows != rows) {
      throw file.Fail(place, "has " + std::to_string(input_rows) + " rows, " +
                                 inputs.front().place + " has " + std::to_string(rows) +
                                 " (every input needs one row per sample)");
    }
  }
  return inputs;
}

void ReadInputValues(const hdf5::File& file, Dataset::Input& input, size_t rows, float scale,
                     float offset) {
  const std::string& place = input.place;
  const size_t count = rows * input.sample_elements;
  const ElementType type = file.DatasetType(place);
  std::vector<float>& values = input.values;
  const bool is_signed = type.element_class == ElementClass::kSignedInteger;
  if (type.is_integer()) {
    switch (type.size) {
      case 1:
        is_signed ? ConvertStored<int8_t>(file, place, count, scale, offset, values)
                  : ConvertStored<uint8_t>(file, place, count, scale, offset, values);
        return;
      case 2:
        is_signed ? ConvertStored<int16_t>(file, place, count, scale, offset, values)
                  : ConvertStored<uint16_t>(file, place, count, scale, offset, values);
        return;
      case 4:
        is_signed ? ConvertStored<int32_t>(file, place, count, scale, offset, values)
                  : ConvertStored<uint32_t>(file, place, count, scale, offset, values);
        return;
      case 8:
        is_signed ? ConvertStored<int64_t>(file, place, count, scale, offset, values)
                  : ConvertStored<uint64_t>(file, place, count, scale, offset, values);
        return;
      default:
        break;
    }
  } else if (type.element_class == ElementClass::kFloat) {
    if (type.size == 8) {
      ConvertStored<double>(file, place, count, scale, offset, values);
      return;
    }
    // float32, or another float width (float16) that HDF5 converts to float32 exactly.
    values.resize(count);
    file.ReadDataset(place, hdf5::NativeType::kFloat32, values.data(), count);
    for (float& value : values) value = value * scale + offset;
    return;
  }
  throw file.Fail(place, "must hold numbers, holds " + type.Name());
}

}  // namespace harness::eval

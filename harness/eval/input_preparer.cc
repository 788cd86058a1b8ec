#include "harness/eval/input_preparer.h"

#include <cmath>
#include <cstring>

#include "harness/common/error.h"

namespace harness::eval {
namespace {

std::string ShapeText(const std::vector<int64_t>& shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

}  // namespace

InputPreparer::InputPreparer(const Dataset& dataset, const model::Tensor& input, size_t input_index)
    : dataset_(dataset), set_input_(dataset.InputFor(input.name, input_index)), type_(input.type) {
  const int64_t model_elements = model::ElementCount(input.shape);
  // Windows exist only in single-input sets (dataset.h).
  const std::vector<int64_t>& shape =
      dataset.has_windows() ? dataset.window_shape() : dataset.sample_shape(set_input_);
  element_count_ =
      dataset.has_windows() ? dataset.window_elements() : dataset.sample_elements(set_input_);
  // Only the element counts must agree: a leading batch dimension of 1 on the model side, or a
  // different arrangement of the same values ([5, 128] windows into a [1, 640] input), is the
  // reshape DESIGN.md describes.
  if (model_elements < 0 || static_cast<size_t>(model_elements) != element_count_) {
    throw Error(dataset.path(), std::string(dataset.has_windows() ? "window" : "sample") +
                                    " shape " + ShapeText(shape) +
                                    (dataset.input_place(set_input_) == "/inputs"
                                         ? std::string()
                                         : " of " + dataset.input_place(set_input_)) +
                                    " does not fit model input '" + input.name + "' of shape " +
                                    model::ShapeToString(input.shape) + " (" +
                                    model::ToString(input.type) + ")");
  }
  switch (input.type) {
    case model::DataType::kFloat32:
      element_size_ = sizeof(float);
      return;
    case model::DataType::kInt8:
    case model::DataType::kUInt8:
    case model::DataType::kInt16:
      element_size_ = model::ElementSize(input.type);
      break;
    default:
      throw Error(dataset.path(), "model input '" + input.name + "' has type " +
                                      model::ToString(input.type) +
                                      ", the harness prepares FLOAT32, INT8, UINT8 and INT16");
  }
  const model::Quantization& quantization = input.quantization;
  if (quantization.scales.size() != 1 || quantization.zero_points.size() != 1 ||
      !(quantization.scales[0] > 0.0f) || !std::isfinite(quantization.scales[0])) {
    throw Error(dataset.path(), "model input '" + input.name + "' (" + model::ToString(input.type) +
                                    ") needs one positive scale and one zero point");
  }
  scale_ = quantization.scales[0];
  zero_point_ = static_cast<int32_t>(quantization.zero_points[0]);
}

void InputPreparer::Prepare(size_t sample, size_t window, std::span<std::byte> destination) const {
  if (destination.size() != byte_size()) {
    throw Error(dataset_.path(), "input buffer has " + std::to_string(destination.size()) +
                                     " bytes, the model input takes " +
                                     std::to_string(byte_size()));
  }
  const std::span<const float> values = dataset_.FloatWindow(sample, window, set_input_);
  switch (type_) {
    case model::DataType::kInt8:
      QuantizeFloats<int8_t>(values, scale_, zero_point_, destination.data());
      return;
    case model::DataType::kUInt8:
      QuantizeFloats<uint8_t>(values, scale_, zero_point_, destination.data());
      return;
    case model::DataType::kInt16:
      QuantizeFloats<int16_t>(values, scale_, zero_point_, destination.data());
      return;
    default:
      std::memcpy(destination.data(), values.data(), values.size_bytes());
      return;
  }
}

}  // namespace harness::eval

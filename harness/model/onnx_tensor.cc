#include "harness/model/onnx_tensor.h"

#include <bit>
#include <cstring>

#include "harness/common/error.h"

namespace harness::model {
namespace {

static_assert(std::endian::native == std::endian::little,
              "ONNX raw_data is little-endian and is copied as is");

// Far above any model the harness runs; keeps the byte arithmetic below overflow.
constexpr int64_t kMaxElements = int64_t{1} << 31;

template <class T>
std::vector<T> FromRaw(const std::string& raw, int64_t count, const std::string& place) {
  if (raw.size() != static_cast<size_t>(count) * sizeof(T)) {
    throw Error(place, "raw_data holds " + std::to_string(raw.size()) + " bytes, the shape needs " +
                           std::to_string(static_cast<size_t>(count) * sizeof(T)));
  }
  std::vector<T> out(static_cast<size_t>(count));
  if (count > 0) std::memcpy(out.data(), raw.data(), raw.size());
  return out;
}

template <class Repeated>
void ExpectCount(const Repeated& field, int64_t count, const std::string& place) {
  if (field.size() != count) {
    throw Error(place, "holds " + std::to_string(field.size()) + " values, the shape needs " +
                           std::to_string(count));
  }
}

}  // namespace

int64_t OnnxConstant::count() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

OnnxConstant ReadOnnxTensor(const onnx::TensorProto& tensor, const std::string& place) {
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL) {
    throw Error(place, "external tensor data is not supported");
  }
  OnnxConstant c;
  int64_t count = 1;
  for (int64_t d : tensor.dims()) {
    if (d < 0 || (d > 0 && count > kMaxElements / d)) {
      throw Error(place, "invalid or too large dimension " + std::to_string(d));
    }
    c.shape.push_back(d);
    count *= d;
  }
  const bool raw = tensor.has_raw_data();
  switch (tensor.data_type()) {
    case onnx::TensorProto::FLOAT:
      c.is_float = true;
      if (raw) {
        c.floats = FromRaw<float>(tensor.raw_data(), count, place);
      } else {
        ExpectCount(tensor.float_data(), count, place);
        c.floats.assign(tensor.float_data().begin(), tensor.float_data().end());
      }
      return c;
    case onnx::TensorProto::INT64:
      c.is_float = false;
      if (raw) {
        c.ints = FromRaw<int64_t>(tensor.raw_data(), count, place);
      } else {
        ExpectCount(tensor.int64_data(), count, place);
        c.ints.assign(tensor.int64_data().begin(), tensor.int64_data().end());
      }
      return c;
    case onnx::TensorProto::INT32: {
      c.is_float = false;
      if (raw) {
        const std::vector<int32_t> narrow = FromRaw<int32_t>(tensor.raw_data(), count, place);
        c.ints.assign(narrow.begin(), narrow.end());
      } else {
        ExpectCount(tensor.int32_data(), count, place);
        c.ints.assign(tensor.int32_data().begin(), tensor.int32_data().end());
      }
      return c;
    }
    default:
      throw Error(place, "element type " + std::to_string(tensor.data_type()) +
                             " is not supported (FLOAT, INT64 and INT32 are)");
  }
}

}  // namespace harness::model

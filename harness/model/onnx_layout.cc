#include "harness/model/onnx_layout.h"

#include <algorithm>
#include <cstddef>

namespace harness::model::onnx_layout {

std::vector<int64_t> NchwToNhwcShape(const std::vector<int64_t>& nchw) {
  return {nchw[0], nchw[2], nchw[3], nchw[1]};
}

int NchwAxisToNhwc(int axis) {
  constexpr int kNhwcOf[4] = {0, 3, 1, 2};
  return kNhwcOf[axis];
}

template <class T>
std::vector<T> Transpose(const std::vector<T>& data, const std::vector<int64_t>& shape,
                         const std::vector<int>& perm, std::vector<int64_t>* permuted_shape) {
  const size_t rank = shape.size();
  std::vector<int64_t> out_shape = shape;
  // Input stride of each output axis.
  std::vector<int64_t> stride_of_out_axis(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    const auto axis = static_cast<size_t>(perm[i]);
    out_shape[i] = shape[axis];
    int64_t stride = 1;
    for (size_t k = axis + 1; k < rank; ++k) stride *= shape[k];
    stride_of_out_axis[i] = stride;
  }

  std::vector<T> out(data.size());
  std::vector<int64_t> index(rank, 0);  // odometer over the output
  for (size_t flat = 0; flat < out.size(); ++flat) {
    int64_t source = 0;
    for (size_t i = 0; i < rank; ++i) source += index[i] * stride_of_out_axis[i];
    out[flat] = data[static_cast<size_t>(source)];
    for (size_t i = rank; i-- > 0;) {
      if (++index[i] < out_shape[i]) break;
      index[i] = 0;
    }
  }
  if (permuted_shape != nullptr) *permuted_shape = out_shape;
  return out;
}

template std::vector<float> Transpose(const std::vector<float>&, const std::vector<int64_t>&,
                                      const std::vector<int>&, std::vector<int64_t>*);
template std::vector<int64_t> Transpose(const std::vector<int64_t>&,
                                        const std::vector<int64_t>&, const std::vector<int>&,
                                        std::vector<int64_t>*);

std::vector<float> OihwToOhwi(const std::vector<float>& oihw, const std::vector<int64_t>& shape) {
  return Transpose(oihw, shape, {0, 2, 3, 1}, nullptr);
}

std::vector<float> DepthwiseToTflite(const std::vector<float>& weights,
                                     const std::vector<int64_t>& shape) {
  return Transpose(weights, shape, {1, 2, 3, 0}, nullptr);
}

std::vector<float> PermuteColumnsChwToHwc(const std::vector<float>& weights, int64_t units,
                                          int64_t channels, int64_t height, int64_t width) {
  const int64_t depth = channels * height * width;
  std::vector<float> out(weights.size());
  for (int64_t u = 0; u < units; ++u) {
    for (int64_t c = 0; c < channels; ++c) {
      for (int64_t h = 0; h < height; ++h) {
        for (int64_t w = 0; w < width; ++w) {
          const int64_t chw = (c * height + h) * width + w;
          const int64_t hwc = (h * width + w) * channels + c;
          out[static_cast<size_t>(u * depth + hwc)] = weights[static_cast<size_t>(u * depth + chw)];
        }
      }
    }
  }
  return out;
}

bool FlattenOrderAgrees(const std::vector<int64_t>& nchw) {
  return nchw[1] == 1 || nchw[2] * nchw[3] == 1;
}

bool BroadcastShapes(const std::vector<int64_t>& a, const std::vector<int64_t>& b,
                     std::vector<int64_t>* result) {
  const size_t rank = std::max(a.size(), b.size());
  std::vector<int64_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    const int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    const int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1) return false;
    out[i] = da == 1 ? db : da;
  }
  *result = out;
  return true;
}

}  // namespace harness::model::onnx_layout

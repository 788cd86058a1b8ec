#pragma once
// NCHW (ONNX, PyTorch) to NHWC (TFLite) layout arithmetic for the ONNX importer: shapes, axes,
// and the constant data that moves with them. Plain functions over vectors, no ONNX types.
//
// Convention: a 4-D activation [N, C, H, W] is stored as [N, H, W, C]; every other rank is
// stored as ONNX gives it. Constants are permuted when they meet a 4-D activation.

#include <cstdint>
#include <vector>

namespace harness::model::onnx_layout {

// [N, C, H, W] -> [N, H, W, C].
inline constexpr int kNchwToNhwc[4] = {0, 2, 3, 1};

std::vector<int64_t> NchwToNhwcShape(const std::vector<int64_t>& nchw);

// The NHWC position of NCHW axis `axis` (already in [0, 4)).
int NchwAxisToNhwc(int axis);

// `data` (row-major, shape `shape`) with its axes reordered: output axis i is input axis
// perm[i]. Returns the permuted data; `permuted_shape` receives the new shape.
template <class T>
std::vector<T> Transpose(const std::vector<T>& data, const std::vector<int64_t>& shape,
                         const std::vector<int>& perm, std::vector<int64_t>* permuted_shape);

// ONNX conv weights [O, I, kH, kW] -> TFLite CONV_2D filter [O, kH, kW, I].
std::vector<float> OihwToOhwi(const std::vector<float>& oihw, const std::vector<int64_t>& shape);

// ONNX depthwise weights [C*M, 1, kH, kW] -> TFLite DEPTHWISE_CONV_2D filter [1, kH, kW, C*M].
// ONNX's grouped conv gives output channel o to group o / M, that is input channel o / M, which
// is TFLite's depthwise order (output channel c * M + m reads input channel c), so only the
// axes move.
std::vector<float> DepthwiseToTflite(const std::vector<float>& weights,
                                     const std::vector<int64_t>& shape);

// An FC weight matrix [units, C*H*W] whose columns follow an NCHW flatten, reordered so that
// its columns follow the NHWC flatten of the same tensor (column (h*W + w)*C + c takes the old
// column c*H*W + h*W + w). This is how a converter absorbs the NCHW->NHWC transpose that a
// Flatten in front of a Linear layer implies.
std::vector<float> PermuteColumnsChwToHwc(const std::vector<float>& weights, int64_t units,
                                          int64_t channels, int64_t height, int64_t width);

// True when flattening an NCHW tensor of this shape gives the same element order as
// flattening its NHWC form: one channel, or one pixel.
bool FlattenOrderAgrees(const std::vector<int64_t>& nchw);

// numpy broadcasting of two shapes; false if they do not broadcast.
bool BroadcastShapes(const std::vector<int64_t>& a, const std::vector<int64_t>& b,
                     std::vector<int64_t>* result);

}  // namespace harness::model::onnx_layout

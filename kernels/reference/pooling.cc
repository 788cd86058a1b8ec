#include "kernels/reference/pooling.h"

#include <algorithm>
#include <limits>

namespace kernels::reference {
namespace {

// The in-bounds part of one pooling window: filter rows [y_start, y_end) and columns
// [x_start, x_end), relative to the window origin (in_y, in_x), which may lie in the padding.
struct Window {
  int32_t in_y, in_x;
  int32_t y_start, y_end, x_start, x_end;
};

Window ClipWindow(const PoolParams& p, const Shape& input_shape, int32_t out_y, int32_t out_x) {
  Window w{};
  w.in_y = out_y * p.stride_height - p.padding_height;
  w.in_x = out_x * p.stride_width - p.padding_width;
  w.y_start = std::max(0, -w.in_y);
  w.y_end = std::min(p.filter_height, input_shape.dim(1) - w.in_y);
  w.x_start = std::max(0, -w.in_x);
  w.x_end = std::min(p.filter_width, input_shape.dim(2) - w.in_x);
  return w;
}

// Walks every output element and hands `reduce` its clipped window; `reduce` returns the
// output value.
template <class T, class Reduce>
void Pool(const PoolParams& p, const Shape& input_shape, const Shape& output_shape, T* output,
          Reduce reduce) {
  const int32_t batches = input_shape.dim(0);
  const int32_t depth = input_shape.dim(3);
  for (int32_t b = 0; b < batches; ++b) {
    for (int32_t out_y = 0; out_y < output_shape.dim(1); ++out_y) {
      for (int32_t out_x = 0; out_x < output_shape.dim(2); ++out_x) {
        const Window w = ClipWindow(p, input_shape, out_y, out_x);
        for (int32_t c = 0; c < depth; ++c) {
          output[Offset(output_shape, b, out_y, out_x, c)] = reduce(b, w, c);
        }
      }
    }
  }
}

void AverageFloat(const PoolParams& p, const Shape& input_shape, const float* input,
                  const Shape& output_shape, float* output) {
  Pool(p, input_shape, output_shape, output, [&](int32_t b, const Window& w, int32_t c) {
    float total = 0.0f;
    int32_t count = 0;
    for (int32_t fy = w.y_start; fy < w.y_end; ++fy) {
      for (int32_t fx = w.x_start; fx < w.x_end; ++fx) {
        total += input[Offset(input_shape, b, w.in_y + fy, w.in_x + fx, c)];
        ++count;
      }
    }
    // TFLite divides by the int count converted to float.
    const float average = total / static_cast<float>(count);
    return std::min(std::max(average, p.float_activation_min), p.float_activation_max);
  });
}

template <class T>
void AverageInteger(const PoolParams& p, const Shape& input_shape, const T* input,
                    const Shape& output_shape, T* output) {
  Pool(p, input_shape, output_shape, output, [&](int32_t b, const Window& w, int32_t c) {
    int32_t sum = 0;
    int32_t count = 0;
    for (int32_t fy = w.y_start; fy < w.y_end; ++fy) {
      for (int32_t fx = w.x_start; fx < w.x_end; ++fx) {
        sum += input[Offset(input_shape, b, w.in_y + fy, w.in_x + fx, c)];
        ++count;
      }
    }
    const int32_t average = RoundedAverage(sum, count);
    return static_cast<T>(
        std::clamp(average, p.quantized_activation_min, p.quantized_activation_max));
  });
}

// Float and integer max pooling: the maximum starts at the type's lowest value (TFLite's
// numeric_limits<T>::lowest()), then the fused activation clamps it.
template <class T, class Clamp>
void MaxGeneric(const PoolParams& p, const Shape& input_shape, const T* input,
                const Shape& output_shape, T* output, Clamp clamp) {
  Pool(p, input_shape, output_shape, output, [&](int32_t b, const Window& w, int32_t c) {
    T max = std::numeric_limits<T>::lowest();
    for (int32_t fy = w.y_start; fy < w.y_end; ++fy) {
      for (int32_t fx = w.x_start; fx < w.x_end; ++fx) {
        max = std::max(max, input[Offset(input_shape, b, w.in_y + fy, w.in_x + fx, c)]);
      }
    }
    return clamp(max);
  });
}

template <class T>
void MaxInteger(const PoolParams& p, const Shape& input_shape, const T* input,
                const Shape& output_shape, T* output) {
  MaxGeneric(p, input_shape, input, output_shape, output, [&p](T max) {
    return static_cast<T>(std::clamp(static_cast<int32_t>(max), p.quantized_activation_min,
                                     p.quantized_activation_max));
  });
}

}  // namespace

int32_t RoundedAverage(int32_t sum, int32_t count) {
  return sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
}

void AveragePool(const PoolParams& params, const Shape& input_shape, const float* input,
                 const Shape& output_shape, float* output) {
  AverageFloat(params, input_shape, input, output_shape, output);
}
void AveragePool(const PoolParams& params, const Shape& input_shape, const int8_t* input,
                 const Shape& output_shape, int8_t* output) {
  AverageInteger(params, input_shape, input, output_shape, output);
}
void AveragePool(const PoolParams& params, const Shape& input_shape, const int16_t* input,
                 const Shape& output_shape, int16_t* output) {
  AverageInteger(params, input_shape, input, output_shape, output);
}

void MaxPool(const PoolParams& params, const Shape& input_shape, const float* input,
             const Shape& output_shape, float* output) {
  MaxGeneric(params, input_shape, input, output_shape, output, [&params](float max) {
    return std::min(std::max(max, params.float_activation_min), params.float_activation_max);
  });
}
void MaxPool(const PoolParams& params, const Shape& input_shape, const int8_t* input,
             const Shape& output_shape, int8_t* output) {
  MaxInteger(params, input_shape, input, output_shape, output);
}
void MaxPool(const PoolParams& params, const Shape& input_shape, const int16_t* input,
             const Shape& output_shape, int16_t* output) {
  MaxInteger(params, input_shape, input, output_shape, output);
}

}  // namespace kernels::reference

#pragma once
// The second route of the int8 convolution sweeps: the input copied into a buffer padded with
// its zero point, so every tap of the naive int64 computation is (x - zero point) * w, with no
// bounds checks that could share a bug with the kernel's.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace kernels::testing {

// `input` [batches, height, width, depth] inside an int64 buffer [batches, padded_height,
// padded_width, depth] filled with `zero_point`, its first pixel at (top, left).
inline std::vector<int64_t> ZeroPointPadded(const std::vector<int8_t>& input, int batches,
                                            int height, int width, int depth, int padded_height,
                                            int padded_width, int top, int left,
                                            int zero_point) {
  std::vector<int64_t> padded(
      static_cast<size_t>(batches * padded_height * padded_width * depth), zero_point);
  for (int b = 0; b < batches; ++b)
    for (int y = 0; y < height; ++y)
      for (int x = 0; x < width; ++x)
        for (int c = 0; c < depth; ++c)
          padded[static_cast<size_t>(((b * padded_height + y + top) * padded_width + x + left) *
                                         depth +
                                     c)] =
              input[static_cast<size_t>(((b * height + y) * width + x) * depth + c)];
  return padded;
}

}  // namespace kernels::testing

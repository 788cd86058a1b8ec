#pragma once
// How the AVX-512 GEMM micro-kernels (int8, hybrid, float, int16x8) walk their output: channel
// groups of up to four blocks of 16 channels, each swept in row tiles sized so that the
// accumulators, the weight vectors and one broadcast fit in the 32 vector registers, then a last
// tile of exactly the rows left. The tiles' sizes are template arguments, so every tile is
// straight-line code over registers.
//
// A Kernel provides
//   static constexpr int RowsPerTile(int blocks): the rows of a full tile of `blocks` blocks;
//   template <int kRows, int kBlocks> void Run(int first_row, int first_channel) const: the tile
//     of rows [first_row, first_row + kRows) and channels [first_channel, + 16 kBlocks).

#include "kernels/optimized/packed_weights.h"

namespace kernels::optimized::tile_walk {

// The rows of a tile of 32-bit accumulators: 6 x 4 or 6 x 3 of them (plus the weights and a
// broadcast) fill the 32 registers, 8 rows suit 1 or 2 blocks.
inline constexpr int RowsOfInt32Tiles(int blocks) { return blocks >= 3 ? 6 : 8; }

// The tile of exactly `rows` (< kRows + 1) rows.
template <int kRows, int kBlocks, class Kernel>
void RunLastTile(const Kernel& kernel, int first_row, int rows, int first_channel) {
  if constexpr (kRows > 0) {
    if (rows == kRows) {
      kernel.template Run<kRows, kBlocks>(first_row, first_channel);
    } else {
      RunLastTile<kRows - 1, kBlocks>(kernel, first_row, rows, first_channel);
    }
  }
}

template <int kBlocks, class Kernel>
void RunChannelGroup(const Kernel& kernel, int rows, int first_channel) {
  constexpr int kRows = Kernel::RowsPerTile(kBlocks);
  int r = 0;
  for (; r + kRows <= rows; r += kRows) kernel.template Run<kRows, kBlocks>(r, first_channel);
  if (r < rows) RunLastTile<kRows - 1, kBlocks>(kernel, r, rows - r, first_channel);
}

// Every tile of a rows x n_padded output (n_padded a multiple of 16).
template <class Kernel>
void ForEachTile(const Kernel& kernel, int rows, int n_padded) {
  for (int c = 0; c < n_padded; c += 4 * kChannelBlock) {
    switch ((n_padded - c) / kChannelBlock) {
      case 1:
        RunChannelGroup<1>(kernel, rows, c);
        break;
      case 2:
        RunChannelGroup<2>(kernel, rows, c);
        break;
      case 3:
        RunChannelGroup<3>(kernel, rows, c);
        break;
      default:
        RunChannelGroup<4>(kernel, rows, c);
        break;
    }
  }
}

}  // namespace kernels::optimized::tile_walk

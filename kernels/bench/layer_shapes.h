#pragma once
// The weighted layers of the MLPerf Tiny models (batch 1), as `harness inspect` lists them for
// vww_96_int8.tflite (MobileNetV1 0.25, 96x96), kws_ref_model.tflite (DS-CNN) and
// ad01_int8.tflite (FC autoencoder). One table for the benchmarks and the tests.

#include <array>

namespace kernels::bench {

struct ConvLayer {
  const char* name;
  int input_height, input_width, input_channels, output_channels;
  int filter_height, filter_width, stride;
  bool same_padding;
};

struct DepthwiseLayer {
  const char* name;
  int input_height, input_width, channels;
  int filter_height, filter_width, stride;
  bool same_padding;
};

struct FullyConnectedLayer {
  const char* name;
  int input_depth, units;
};

inline constexpr std::array kConvLayers = {
    ConvLayer{"vww/conv0_3x3s2", 96, 96, 3, 8, 3, 3, 2, true},
    ConvLayer{"vww/pw1_48x48_8to16", 48, 48, 8, 16, 1, 1, 1, true},
    ConvLayer{"vww/pw2_24x24_16to32", 24, 24, 16, 32, 1, 1, 1, true},
    ConvLayer{"vww/pw3_24x24_32to32", 24, 24, 32, 32, 1, 1, 1, true},
    ConvLayer{"vww/pw4_12x12_32to64", 12, 12, 32, 64, 1, 1, 1, true},
    ConvLayer{"vww/pw5_12x12_64to64", 12, 12, 64, 64, 1, 1, 1, true},
    ConvLayer{"vww/pw6_6x6_64to128", 6, 6, 64, 128, 1, 1, 1, true},
    ConvLayer{"vww/pw7_6x6_128to128", 6, 6, 128, 128, 1, 1, 1, true},
    ConvLayer{"vww/pw12_3x3_128to256", 3, 3, 128, 256, 1, 1, 1, true},
    ConvLayer{"vww/pw13_3x3_256to256", 3, 3, 256, 256, 1, 1, 1, true},
    ConvLayer{"kws/conv0_10x4s2", 49, 10, 1, 64, 10, 4, 2, true},
    ConvLayer{"kws/pw_25x5_64to64", 25, 5, 64, 64, 1, 1, 1, true},
};

inline constexpr std::array kDepthwiseLayers = {
    DepthwiseLayer{"vww/dw1_48x48x8", 48, 48, 8, 3, 3, 1, true},
    DepthwiseLayer{"vww/dw2_48x48x16s2", 48, 48, 16, 3, 3, 2, true},
    DepthwiseLayer{"vww/dw3_24x24x32", 24, 24, 32, 3, 3, 1, true},
    DepthwiseLayer{"vww/dw4_24x24x32s2", 24, 24, 32, 3, 3, 2, true},
    DepthwiseLayer{"vww/dw5_12x12x64", 12, 12, 64, 3, 3, 1, true},
    DepthwiseLayer{"vww/dw6_12x12x64s2", 12, 12, 64, 3, 3, 2, true},
    DepthwiseLayer{"vww/dw7_6x6x128", 6, 6, 128, 3, 3, 1, true},
    DepthwiseLayer{"vww/dw12_6x6x128s2", 6, 6, 128, 3, 3, 2, true},
    DepthwiseLayer{"vww/dw13_3x3x256", 3, 3, 256, 3, 3, 1, true},
    DepthwiseLayer{"kws/dw_25x5x64", 25, 5, 64, 3, 3, 1, true},
};

inline constexpr std::array kFullyConnectedLayers = {
    FullyConnectedLayer{"vww/fc_256to2", 256, 2},
    FullyConnectedLayer{"kws/fc_64to12", 64, 12},
    FullyConnectedLayer{"ad/fc_640to128", 640, 128},
    FullyConnectedLayer{"ad/fc_128to128", 128, 128},
    FullyConnectedLayer{"ad/fc_128to8", 128, 8},
    FullyConnectedLayer{"ad/fc_8to128", 8, 128},
    FullyConnectedLayer{"ad/fc_128to640", 128, 640},
};

}  // namespace kernels::bench

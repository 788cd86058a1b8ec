#pragma once
// Converts a float ONNX model, as PyTorch exports it (opsets 11 to 17), into the graph IR with
// TFLite semantics, so that the harness runs, quantizes and writes it like any .tflite model.
//
// Layout: ONNX is NCHW, TFLite NHWC. Every 4-D activation is stored NHWC, including the
// model's 4-D inputs and outputs: an input the ONNX model declares as [N, C, H, W] becomes
// [N, H, W, C], so the data sets fed to the converted model must hold NHWC samples. Conv weights
// OIHW become OHWI, depthwise weights [C*M, 1, kH, kW] become [1, kH, kW, C*M], and a Flatten
// (or Reshape) of an NCHW tensor in front of a Gemm/MatMul is absorbed by permuting that
// layer's weight columns, as TFLite converters do.
//
// Ops: Conv (group 1 -> CONV_2D, group = channels -> DEPTHWISE_CONV_2D), Gemm, MatMul with a
// constant right operand (FULLY_CONNECTED), Relu, Clip (0..6 -> RELU6, 0..inf -> RELU),
// Sigmoid, Tanh, HardSwish, Add, Mul, MaxPool, AveragePool, GlobalAveragePool (MEAN), Flatten,
// Reshape, Concat, Pad (constant 0), Softmax (last axis), BatchNormalization (folded into the
// Conv/Gemm before it), Transpose (only where it moves no data), Identity, Dropout (inference),
// Constant and initializers. A Relu or Clip(0, 6) right after a Conv/Gemm/MatMul/Add/Mul whose
// output feeds nothing else is fused into that op's activation, as TFLite does.
//
// The file is parsed with ONNX's own generated protobuf classes, so the import follows the
// schema exactly and protobuf bounds-checks a hostile file. Anything the harness cannot
// express exactly is refused with harness::Error, whose place is
// "<file>: node '<name>' (<op_type>, opset <n>)" for a node.

#include <string>

#include "harness/model/graph.h"

namespace harness::model {

Graph LoadOnnxFile(const std::string& path);

}  // namespace harness::model

#pragma once
// Turns a set's float values into the bytes of a model's input tensor: a plain copy for a float32
// input, TFLite's QUANTIZE for an int8, uint8 or int16 input. Built once per (set, model input)
// pair, it checks that the two fit; Prepare is then const and thread-safe.
//
// Quantization rounds half away from zero like TFLite's QUANTIZE; see QuantizeValue in
// quantize_floats.h, whose vector loops (QuantizeFloats) do the work.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "harness/eval/dataset.h"
#include "harness/eval/quantize_floats.h"
#include "harness/model/graph.h"

namespace harness::eval {

class InputPreparer {
 public:
  // `input` is model input `input_index`; the set input that feeds it is
  // dataset.InputFor(input.name, input_index). Throws harness::Error(set path, ...) when the set
  // has no data for it, naming both shapes when a window (or a sample, without windows) does
  // not have as many elements as the model input, and when the input's type or quantization is
  // not one the harness can prepare. Keeps a reference to `dataset`.
  InputPreparer(const Dataset& dataset, const model::Tensor& input, size_t input_index = 0);

  // Bytes one prepared input takes.
  size_t byte_size() const { return element_count_ * element_size_; }
  size_t element_count() const { return element_count_; }

  // Writes window `window` of sample `sample` (window 0 for a set without windows) into
  // `destination`, which must be exactly byte_size() long.
  void Prepare(size_t sample, size_t window, std::span<std::byte> destination) const;

 private:
  const Dataset& dataset_;
  size_t set_input_ = 0;  // which of the set's inputs
  model::DataType type_;
  size_t element_count_ = 0;
  size_t element_size_ = 0;
  float scale_ = 1.0f;
  int32_t zero_point_ = 0;
};

}  // namespace harness::eval

#pragma once
// An HDF5 evaluation set (layout in DESIGN.md, "HDF5 set"), read whole into memory when opened.
// After Open nothing touches HDF5 again, so every accessor is const and safe to call from many
// threads at once.
//
// Inputs are kept as the float32 values the float model sees, `float(stored) * scale + offset`,
// whatever the stored type was; the stored type's name stays available for reports.
//
// A set holds one input per model input: `/inputs` itself for a single-input model, or a group
// `/inputs` with one dataset per model input, named by the model's input tensor name or by its
// index (`/inputs/0`, `/inputs/1`, ...). Every input has the same number of rows. The
// accessors without an input index describe the first input (the only one of most sets).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "harness/eval/detection_decoder.h"

namespace harness::eval {

enum class Task { kUnspecified, kClassification, kDetection, kAnomaly };
const char* ToString(Task task);

// One ground-truth box of a detection set, in pixels of the model input.
struct GroundTruthBox {
  float x_min = 0, y_min = 0, x_max = 0, y_max = 0;
  int32_t class_index = 0;
  int32_t sample = 0;  // row of /inputs the box belongs to
};

// Values that replace the set's own attributes of the same names (a suite model's `input` and
// `windows` keys); an absent field keeps the set's value, or its absence. The window pair is
// all or nothing, as the attributes are.
struct DatasetOverrides {
  std::optional<double> scale;
  std::optional<double> offset;
  std::optional<int64_t> window_length;
  std::optional<int64_t> window_stride;  // required with window_length
};

// How a sample of a set reads in error places: "row 17", or "row 17, window 2" when a sample
// is one of `windows` windows of a row.
std::string RowPlace(size_t row, size_t window, size_t windows);

class Dataset {
 public:
  // Reads the set at `path`; throws harness::Error naming the file and the dataset or attribute
  // (an override at fault is named as "<attribute> override").
  static Dataset Open(const std::string& path, const DatasetOverrides& overrides = {});

  const std::string& path() const { return path_; }
  size_t size() const { return sample_count_; }
  // The shape of one row of the first input, e.g. {49, 10, 1}.
  const std::vector<int64_t>& sample_shape() const { return inputs_[0].sample_shape; }
  size_t sample_elements() const { return inputs_[0].sample_elements; }
  // The stored element type of the first input: "uint8", "float32", ...
  const std::string& stored_type_name() const { return inputs_[0].stored_type_name; }

  size_t input_count() const { return inputs_.size(); }
  // Where input `input` is stored: "/inputs" or "/inputs/NAME".
  const std::string& input_place(size_t input) const { return inputs_.at(input).place; }
  const std::vector<int64_t>& sample_shape(size_t input) const {
    return inputs_.at(input).sample_shape;
  }
  size_t sample_elements(size_t input) const { return inputs_.at(input).sample_elements; }
  // The set input that feeds model input `index` named `tensor_name`: /inputs/<tensor_name>,
  // else /inputs/<index>, else (index 0) a plain /inputs dataset. Throws harness::Error naming
  // the set and the model input when the set has none.
  size_t InputFor(const std::string& tensor_name, size_t index) const;
  float scale() const { return scale_; }
  float offset() const { return offset_; }

  bool has_labels() const { return has_labels_; }
  const std::vector<int32_t>& labels() const { return labels_; }  // empty without /labels
  bool has_boxes() const { return has_boxes_; }
  const std::vector<GroundTruthBox>& boxes() const { return boxes_; }
  // The grid-v1 decoding of a set with boxes (spec defaults, overridden by the set's
  // attributes of the same names); the defaults for a set without.
  const GridDecoderParams& grid_decoder() const { return grid_decoder_; }
  Task task() const { return task_; }
  const std::vector<std::string>& class_names() const { return class_names_; }
  const std::string& source() const { return source_; }

  // Windows over axis 0 of a sample (a stream of frames); without window attributes a sample is
  // one window of itself.
  bool has_windows() const { return window_length_ > 0; }
  int64_t window_length() const { return window_length_; }
  int64_t window_stride() const { return window_stride_; }
  size_t windows_per_sample() const { return windows_per_sample_; }
  const std::vector<int64_t>& window_shape() const { return window_shape_; }
  size_t window_elements() const { return window_elements_; }

  // The float values of a whole sample, or of one window of it (windows are whole frames, so
  // contiguous). Throws harness::Error when an index is out of range.
  // `input` selects a set input (InputFor); windows exist only in single-input sets.
  std::span<const float> FloatSample(size_t sample, size_t input = 0) const;
  std::span<const float> FloatWindow(size_t sample, size_t window, size_t input = 0) const;

  // One input's rows, as read.
  struct Input {
    std::string place;  // "/inputs" or "/inputs/NAME"
    std::string name;   // NAME, empty for a plain /inputs
    std::vector<int64_t> sample_shape;
    size_t sample_elements = 0;
    std::string stored_type_name;
    std::vector<float> values;  // sample_count_ * sample_elements
  };

 private:
  Dataset() = default;

  std::string path_;
  size_t sample_count_ = 0;
  std::vector<Input> inputs_;
  float scale_ = 1.0f;
  float offset_ = 0.0f;

  bool has_labels_ = false;
  std::vector<int32_t> labels_;
  bool has_boxes_ = false;
  std::vector<GroundTruthBox> boxes_;
  GridDecoderParams grid_decoder_;
  Task task_ = Task::kUnspecified;
  std::vector<std::string> class_names_;
  std::string source_;

  int64_t window_length_ = 0;  // 0: no windows
  int64_t window_stride_ = 0;
  size_t windows_per_sample_ = 1;
  std::vector<int64_t> window_shape_;
  size_t window_elements_ = 0;
  size_t frame_elements_ = 0;
};

}  // namespace harness::eval

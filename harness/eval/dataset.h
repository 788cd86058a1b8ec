#pragma once
// An HDF5 evaluation set (layout in DESIGN.md, "HDF5 set"), read whole into memory when opened.
// After Open nothing touches HDF5 again, so every accessor is const and safe to call from many
// threads at once.
//
// Inputs are kept as the float32 values the float model sees, `float(stored) * scale + offset`,
// whatever the stored type was; the stored type's name stays available for reports.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

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

class Dataset {
 public:
  // Reads the set at `path`; throws harness::Error naming the file and the dataset or attribute
  // (an override at fault is named as "<attribute> override").
  static Dataset Open(const std::string& path, const DatasetOverrides& overrides = {});

  const std::string& path() const { return path_; }
  size_t size() const { return sample_count_; }
  // The shape of one row of /inputs, e.g. {49, 10, 1}.
  const std::vector<int64_t>& sample_shape() const { return sample_shape_; }
  size_t sample_elements() const { return sample_elements_; }
  // The stored element type of /inputs: "uint8", "float32", ...
  const std::string& stored_type_name() const { return stored_type_name_; }
  float scale() const { return scale_; }
  float offset() const { return offset_; }

  bool has_labels() const { return has_labels_; }
  const std::vector<int32_t>& labels() const { return labels_; }  // empty without /labels
  bool has_boxes() const { return has_boxes_; }
  const std::vector<GroundTruthBox>& boxes() const { return boxes_; }
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
  std::span<const float> FloatSample(size_t sample) const;
  std::span<const float> FloatWindow(size_t sample, size_t window) const;

 private:
  Dataset() = default;

  std::string path_;
  size_t sample_count_ = 0;
  std::vector<int64_t> sample_shape_;
  size_t sample_elements_ = 0;
  std::string stored_type_name_;
  float scale_ = 1.0f;
  float offset_ = 0.0f;
  std::vector<float> values_;  // sample_count_ * sample_elements_

  bool has_labels_ = false;
  std::vector<int32_t> labels_;
  bool has_boxes_ = false;
  std::vector<GroundTruthBox> boxes_;
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

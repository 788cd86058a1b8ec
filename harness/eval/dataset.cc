#include "harness/eval/dataset.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "harness/common/error.h"
#include "harness/eval/dataset_inputs.h"
#include "harness/eval/hdf5_file.h"

namespace harness::eval {
namespace {

using hdf5::ElementClass;
using hdf5::ElementType;

std::string ShapeText(const std::vector<uint64_t>& shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

Task ParseTask(const hdf5::File& file, const std::string& text) {
  if (text == "classification") return Task::kClassification;
  if (text == "detection") return Task::kDetection;
  if (text == "anomaly") return Task::kAnomaly;
  throw file.Fail(hdf5::File::AttributePlace("task"),
                  "unknown task '" + text + "' (expected classification, detection or anomaly)");
}

// Checks that an integer dataset is 1-D with `rows` rows and reads it as int32.
std::vector<int32_t> ReadIndexColumn(const hdf5::File& file, const std::string& name, uint64_t rows,
                                     const std::string& rows_of) {
  const ElementType type = file.DatasetType(name);
  if (!type.is_integer()) throw file.Fail(name, "must hold integers, holds " + type.Name());
  const std::vector<uint64_t> shape = file.DatasetShape(name);
  if (shape.size() != 1) {
    throw file.Fail(name, "must be one-dimensional, has shape " + ShapeText(shape));
  }
  if (shape[0] != rows) {
    throw file.Fail(name, "has " + std::to_string(shape[0]) + " rows, " + rows_of + " has " +
                              std::to_string(rows));
  }
  return file.ReadDataset<int32_t>(name);
}

std::vector<GroundTruthBox> ReadBoxes(const hdf5::File& file, uint64_t samples) {
  const ElementType type = file.DatasetType("/boxes");
  if (type.element_class != ElementClass::kFloat) {
    throw file.Fail("/boxes", "must hold floats, holds " + type.Name());
  }
  const std::vector<uint64_t> shape = file.DatasetShape("/boxes");
  if (shape.size() != 2 || shape[1] != 4) {
    throw file.Fail("/boxes", "must have shape [M, 4], has " + ShapeText(shape));
  }
  const std::vector<float> corners = file.ReadDataset<float>("/boxes");
  const std::vector<int32_t> classes = ReadIndexColumn(file, "/box_classes", shape[0], "/boxes");
  const std::vector<int32_t> owners = ReadIndexColumn(file, "/box_sample", shape[0], "/boxes");

  std::vector<GroundTruthBox> boxes(static_cast<size_t>(shape[0]));
  for (size_t i = 0; i < boxes.size(); ++i) {
    if (owners[i] < 0 || static_cast<uint64_t>(owners[i]) >= samples) {
      throw file.Fail("/box_sample", "row " + std::to_string(i) + " names sample " +
                                         std::to_string(owners[i]) + ", /inputs has " +
                                         std::to_string(samples));
    }
    if (classes[i] < 0) {
      throw file.Fail("/box_classes", "row " + std::to_string(i) + " has negative class " +
                                          std::to_string(classes[i]));
    }
    boxes[i] = GroundTruthBox{corners[4 * i],     corners[4 * i + 1], corners[4 * i + 2],
                              corners[4 * i + 3], classes[i],         owners[i]};
  }
  return boxes;
}

int64_t ReadPositiveInteger(const hdf5::File& file, const std::string& name) {
  const int64_t value = file.ReadIntegerAttribute(name);
  if (value < 1) {
    throw file.Fail(hdf5::File::AttributePlace(name),
                    "must be at least 1, is " + std::to_string(value));
  }
  return value;
}

// A scale or offset: the override when there is one, else the attribute, else `fallback`.
// Narrowed to float32 either way, so an override equal to the attribute reads the same values.
float ReadTransformValue(const hdf5::File& file, const std::string& name,
                         const std::optional<double>& override_value, float fallback) {
  if (override_value) {
    if (!std::isfinite(*override_value)) {
      throw file.Fail(name + " override", "must be a finite number");
    }
    return static_cast<float>(*override_value);
  }
  if (file.HasAttribute(name)) {
    const auto value = static_cast<float>(file.ReadNumberAttribute(name));
    // A NaN, infinite or zero scale turns every input into the same value: the set would
    // evaluate without an error and mean nothing.
    if (!std::isfinite(value) || (name == "scale" && value == 0.0f)) {
      throw file.Fail(hdf5::File::AttributePlace(name),
                      "must be a finite" + std::string(name == "scale" ? ", nonzero" : "") +
                          " number in float32, is " + std::to_string(value));
    }
    return value;
  }
  return fallback;
}

// The grid-v1 decoding of a detection set: the spec's defaults overridden by the set's
// attributes of the same names. Read with the rest of the set, once, because reading HDF5 later
// from a parallel job would fork the structure probe while other threads hold locks.
GridDecoderParams ReadGridDecoderParams(const hdf5::File& file) {
  GridDecoderParams params;
  if (file.HasAttribute("decoder") && file.ReadStringAttribute("decoder") != "grid-v1") {
    throw file.Fail(
        hdf5::File::AttributePlace("decoder"),
        "'" + file.ReadStringAttribute("decoder") + "' is not a known detector decoding (grid-v1)");
  }
  const auto read_int = [&file](const char* name, int& value) {
    if (file.HasAttribute(name)) value = static_cast<int>(file.ReadIntegerAttribute(name));
  };
  read_int("grid_height", params.grid_height);
  read_int("grid_width", params.grid_width);
  read_int("grid_stride", params.grid_stride);
  read_int("box_size_scale", params.box_size_scale);
  read_int("num_classes", params.num_classes);
  if (file.HasAttribute("score_threshold")) {
    // Rounded to float32 as the reference's np.float32(score_threshold).
    params.score_threshold = static_cast<float>(file.ReadNumberAttribute("score_threshold"));
  }
  if (file.HasAttribute("nms_iou_threshold")) {
    params.nms_iou_threshold = file.ReadNumberAttribute("nms_iou_threshold");
  }
  if (file.HasAttribute("max_detections")) {
    const int64_t max = file.ReadIntegerAttribute("max_detections");
    if (max < 0) throw file.Fail(hdf5::File::AttributePlace("max_detections"), "negative");
    params.max_detections = static_cast<size_t>(max);
  }
  return params;
}

struct WindowSetting {
  int64_t length = 0;  // 0: no windows
  int64_t stride = 0;
  std::string length_place;  // where the length came from, for errors
};

// The window length and stride: the overrides when given (both or neither), else the set's
// attributes (both or neither).
WindowSetting ReadWindowSetting(const hdf5::File& file, const DatasetOverrides& overrides) {
  WindowSetting setting;
  if (overrides.window_length || overrides.window_stride) {
    if (!overrides.window_length || !overrides.window_stride) {
      throw file.Fail("window override", "needs both window_length and window_stride");
    }
    setting.length = *overrides.window_length;
    setting.stride = *overrides.window_stride;
    setting.length_place = "window_length override";
    if (setting.length < 1 || setting.stride < 1) {
      throw file.Fail("window override", "window_length and window_stride must be at least 1, are " +
                                             std::to_string(setting.length) + " and " +
                                             std::to_string(setting.stride));
    }
    return setting;
  }
  const bool has_length = file.HasAttribute("window_length");
  const bool has_stride = file.HasAttribute("window_stride");
  if (!has_length && !has_stride) return setting;
  if (!has_length || !has_stride) {
    throw file.Fail(hdf5::File::AttributePlace(has_length ? "window_stride" : "window_length"),
                    "missing: windows need both window_length and window_stride");
  }
  setting.length = ReadPositiveInteger(file, "window_length");
  setting.stride = ReadPositiveInteger(file, "window_stride");
  setting.length_place = hdf5::File::AttributePlace("window_length");
  return setting;
}

}  // namespace

const char* ToString(Task task) {
  switch (task) {
    case Task::kUnspecified:
      return "unspecified";
    case Task::kClassification:
      return "classification";
    case Task::kDetection:
      return "detection";
    case Task::kAnomaly:
      return "anomaly";
  }
  return "unspecified";
}

Dataset Dataset::Open(const std::string& path, const DatasetOverrides& overrides) {
  // One lock for the whole read keeps other threads' HDF5 calls from interleaving with it.
  hdf5::LibraryLock lock;
  const hdf5::File file = hdf5::File::OpenReadOnly(path);
  Dataset set;
  set.path_ = path;

  uint64_t rows = 0;
  set.inputs_ = ReadInputLayouts(file, rows);
  set.sample_count_ = static_cast<size_t>(rows);
  const std::vector<int64_t>& sample_shape = set.inputs_[0].sample_shape;
  const std::string& first_input = set.inputs_[0].place;

  set.scale_ = ReadTransformValue(file, "scale", overrides.scale, 1.0f);
  set.offset_ = ReadTransformValue(file, "offset", overrides.offset, 0.0f);
  if (file.HasAttribute("task")) set.task_ = ParseTask(file, file.ReadStringAttribute("task"));
  if (file.HasAttribute("class_names")) {
    set.class_names_ = file.ReadStringsAttribute("class_names");
  }
  if (file.HasAttribute("source")) set.source_ = file.ReadStringAttribute("source");

  if (file.HasDataset("/labels")) {
    set.has_labels_ = true;
    set.labels_ = ReadIndexColumn(file, "/labels", rows, first_input);
    for (size_t i = 0; i < set.labels_.size(); ++i) {
      const int32_t label = set.labels_[i];
      if (label < 0 ||
          (!set.class_names_.empty() && static_cast<size_t>(label) >= set.class_names_.size())) {
        throw file.Fail("/labels", "row " + std::to_string(i) + " has label " +
                                       std::to_string(label) + ", outside the " +
                                       std::to_string(set.class_names_.size()) + " classes");
      }
    }
  }

  const std::array<const char*, 3> box_parts = {"/boxes", "/box_classes", "/box_sample"};
  int present = 0;
  for (const char* part : box_parts) present += file.HasDataset(part) ? 1 : 0;
  if (present != 0 && present != 3) {
    for (const char* part : box_parts) {
      if (!file.HasDataset(part)) {
        throw file.Fail(part,
                        "missing: detection ground truth needs /boxes, /box_classes and "
                        "/box_sample together");
      }
    }
  }
  if (present == 3) {
    set.has_boxes_ = true;
    set.boxes_ = ReadBoxes(file, rows);
    set.grid_decoder_ = ReadGridDecoderParams(file);
  }

  const WindowSetting windows = ReadWindowSetting(file, overrides);
  set.window_shape_ = sample_shape;
  set.window_elements_ = set.inputs_[0].sample_elements;
  if (windows.length > 0) {
    if (set.inputs_.size() > 1) {
      throw file.Fail(windows.length_place, "windows need a set with one input, this one has " +
                                                std::to_string(set.inputs_.size()));
    }
    set.window_length_ = windows.length;
    set.window_stride_ = windows.stride;
    const int64_t frames = sample_shape.empty() ? 0 : sample_shape[0];
    if (set.window_length_ > frames) {
      throw file.Fail(windows.length_place,
                      "a window of " + std::to_string(set.window_length_) +
                          " frames is longer than the stream of " + std::to_string(frames) +
                          " frames (sample shape " +
                          ShapeText({sample_shape.begin(), sample_shape.end()}) + ")");
    }
    set.frame_elements_ = set.inputs_[0].sample_elements / static_cast<size_t>(frames);
    set.windows_per_sample_ =
        static_cast<size_t>((frames - set.window_length_) / set.window_stride_ + 1);
    set.window_shape_[0] = set.window_length_;
    set.window_elements_ = set.frame_elements_ * static_cast<size_t>(set.window_length_);
  }

  for (Input& input : set.inputs_) {
    ReadInputValues(file, input, set.sample_count_, set.scale_, set.offset_);
    // A NaN or infinite input would run through every model and surface, if at all, as a wrong
    // metric or a calibration error far from its cause.
    size_t non_finite = 0, first = 0;
    for (size_t i = 0; i < input.values.size(); ++i) {
      if (!std::isfinite(input.values[i]) && non_finite++ == 0) first = i;
    }
    if (non_finite > 0) {
      throw file.Fail(input.place,
                      std::to_string(non_finite) +
                          " values are NaN or infinite after scale and offset (the first in "
                          "sample " +
                          std::to_string(first / std::max<size_t>(1, input.sample_elements)) + ")");
    }
  }
  return set;
}

size_t Dataset::InputFor(const std::string& tensor_name, size_t index) const {
  const std::string by_index = std::to_string(index);
  for (size_t k = 0; k < inputs_.size(); ++k) {
    if (!inputs_[k].name.empty() && inputs_[k].name == tensor_name) return k;
  }
  for (size_t k = 0; k < inputs_.size(); ++k) {
    if (inputs_[k].name == by_index) return k;
  }
  if (index == 0 && inputs_.size() == 1 && inputs_[0].name.empty()) return 0;
  throw Error(path_,
              "/inputs: no data for model input " + by_index + " '" + tensor_name +
                  "': a set for a model of several inputs holds /inputs/<input name> or /inputs/" +
                  by_index + " for each (this set has " +
                  (inputs_[0].name.empty() ? std::string("a single /inputs dataset")
                                           : std::to_string(inputs_.size()) + " inputs") +
                  ")");
}

std::span<const float> Dataset::FloatSample(size_t sample, size_t input) const {
  if (sample >= sample_count_) {
    throw Error(path_, "sample " + std::to_string(sample) + " out of range (" +
                           std::to_string(sample_count_) + " samples)");
  }
  const Input& in = inputs_.at(input);
  return std::span<const float>(in.values).subspan(sample * in.sample_elements, in.sample_elements);
}

std::span<const float> Dataset::FloatWindow(size_t sample, size_t window, size_t input) const {
  const std::span<const float> whole = FloatSample(sample, input);
  if (window >= windows_per_sample_) {
    throw Error(path_, "window " + std::to_string(window) + " out of range (" +
                           std::to_string(windows_per_sample_) + " windows per sample)");
  }
  if (!has_windows()) return whole;
  const size_t first_frame = window * static_cast<size_t>(window_stride_);
  return whole.subspan(first_frame * frame_elements_, window_elements_);
}

std::string RowPlace(size_t row, size_t window, size_t windows) {
  std::string place = "row " + std::to_string(row);
  if (windows > 1) place += ", window " + std::to_string(window);
  return place;
}

}  // namespace harness::eval

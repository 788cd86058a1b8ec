#pragma once
// The zoo detector's output decoding, "grid-v1" (datasets/README.md; reference implementation
// datasets/detector/grid_decoder.py), and the COCO mAP of decoded detections.
//
// Output [1, H, W, 5 + classes] NHWC. Cell (gy, gx) gives one candidate: class k* = argmax of
// c[5..] (lowest k on ties), score c[0] * c[5 + k*], centre ((gx + c[1]) * stride,
// (gy + c[2]) * stride), size (c[3] * box_size_scale, c[4] * box_size_scale), box unclipped.
// Candidates with score >= score_threshold go through class-wise greedy NMS (metrics/nms.h),
// at most max_detections per image, best first.
//
// The types below are plain values that task_metrics.h carries without including the metrics
// headers; the .cc converts them to the metrics types (metrics/box.h).

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace harness::eval {

// The grid-v1 parameters; defaults are the spec's, a set's attributes of the same names
// override them (Dataset::grid_decoder).
struct GridDecoderParams {
  int grid_height = 6;
  int grid_width = 6;
  int grid_stride = 8;        // pixels per cell
  int box_size_scale = 48;    // c[3], c[4] are fractions of this many pixels
  int num_classes = 10;
  // float32, as the reference compares float32 scores against np.float32(0.05).
  float score_threshold = 0.05f;
  double nms_iou_threshold = 0.5;  // IoU in double, as the reference
  size_t max_detections = 10;

  size_t CellChannels() const { return 5 + static_cast<size_t>(num_classes); }
  size_t OutputElements() const {
    return static_cast<size_t>(grid_height) * static_cast<size_t>(grid_width) * CellChannels();
  }
};

// One decoded box in input pixels (x_min, y_min, x_max, y_max) with its class and score.
struct DecodedDetection {
  float x_min = 0.0f;
  float y_min = 0.0f;
  float x_max = 0.0f;
  float y_max = 0.0f;
  int32_t class_id = 0;
  float score = 0.0f;
};

// Every cell's candidate in row-major cell order (gy * W + gx), before any threshold.
// Throws harness::Error when the parameters are invalid or `output` is not OutputElements().
std::vector<DecodedDetection> DecodeGridCandidates(std::span<const float> output,
                                                   const GridDecoderParams& params);

// The image's detections: candidates, score threshold, class-wise NMS, max_detections; best
// first.
std::vector<DecodedDetection> DecodeGrid(std::span<const float> output,
                                         const GridDecoderParams& params);

// A ground-truth box for scoring: the image (sample) it belongs to and its class.
struct DetectionTruth {
  float x_min = 0.0f;
  float y_min = 0.0f;
  float x_max = 0.0f;
  float y_max = 0.0f;
  int32_t class_id = 0;
  int32_t sample = 0;
};

struct DetectionScores {
  double map = 0.0;    // COCO mAP@[.5:.95]
  double map50 = 0.0;  // mAP@0.5
};

// COCO mAP (metrics/mean_average_precision.h) of detections_per_image against `truth`; truth
// whose sample is not below detections_per_image.size() is an Error.
DetectionScores ScoreDetections(std::span<const std::vector<DecodedDetection>> detections_per_image,
                                std::span<const DetectionTruth> truth);

}  // namespace harness::eval

#include "harness/eval/detection_decoder.h"

#include <string>

#include "harness/common/error.h"
#include "harness/eval/metrics/box.h"
#include "harness/eval/metrics/mean_average_precision.h"
#include "harness/eval/metrics/nms.h"

namespace harness::eval {
namespace {

void CheckParams(const GridDecoderParams& p) {
  if (p.grid_height <= 0 || p.grid_width <= 0 || p.grid_stride <= 0 || p.box_size_scale <= 0 ||
      p.num_classes <= 0) {
    throw Error("grid-v1 decoder", "grid size, stride, box size scale and classes must be > 0");
  }
}

Detection ToMetricsDetection(const DecodedDetection& d) {
  return Detection{Box{d.x_min, d.y_min, d.x_max, d.y_max}, d.class_id, d.score};
}

}  // namespace

std::vector<DecodedDetection> DecodeGridCandidates(std::span<const float> output,
                                                   const GridDecoderParams& params) {
  CheckParams(params);
  if (output.size() != params.OutputElements()) {
    throw Error("grid-v1 decoder",
                "the output has " + std::to_string(output.size()) + " elements, the grid " +
                    std::to_string(params.grid_height) + "x" + std::to_string(params.grid_width) +
                    "x" + std::to_string(params.CellChannels()) + " needs " +
                    std::to_string(params.OutputElements()));
  }
  // All arithmetic in float32, in the reference's order: (g + offset) * stride for the centre,
  // (fraction * scale) / 2 for the half size; halving is exact, so this is also cx - w / 2.
  const auto stride = static_cast<float>(params.grid_stride);
  const auto scale = static_cast<float>(params.box_size_scale);
  const size_t channels = params.CellChannels();
  std::vector<DecodedDetection> candidates;
  candidates.reserve(static_cast<size_t>(params.grid_height * params.grid_width));
  for (int gy = 0; gy < params.grid_height; ++gy) {
    for (int gx = 0; gx < params.grid_width; ++gx) {
      const size_t cell = static_cast<size_t>(gy * params.grid_width + gx);
      const float* c = output.data() + cell * channels;
      int best = 0;  // strict > keeps the lowest class on ties, as np.argmax
      for (int k = 1; k < params.num_classes; ++k) {
        if (c[5 + k] > c[5 + best]) best = k;
      }
      const float cx = (static_cast<float>(gx) + c[1]) * stride;
      const float cy = (static_cast<float>(gy) + c[2]) * stride;
      const float half_w = c[3] * scale / 2.0f;
      const float half_h = c[4] * scale / 2.0f;
      DecodedDetection d;
      d.x_min = cx - half_w;
      d.y_min = cy - half_h;
      d.x_max = cx + half_w;
      d.y_max = cy + half_h;
      d.class_id = best;
      d.score = c[0] * c[5 + best];
      candidates.push_back(d);
    }
  }
  return candidates;
}

std::vector<DecodedDetection> DecodeGrid(std::span<const float> output,
                                         const GridDecoderParams& params) {
  // Thresholded candidates keep cell order, so NMS's "lower index first on equal scores" is the
  // spec's "lower cell index first".
  std::vector<DecodedDetection> kept_candidates;
  std::vector<Detection> for_nms;
  for (const DecodedDetection& d : DecodeGridCandidates(output, params)) {
    if (d.score >= params.score_threshold) {
      kept_candidates.push_back(d);
      for_nms.push_back(ToMetricsDetection(d));
    }
  }
  std::vector<DecodedDetection> detections;
  for (size_t index : NonMaxSuppression(for_nms, params.nms_iou_threshold,
                                        params.max_detections)) {
    detections.push_back(kept_candidates[index]);
  }
  return detections;
}

DetectionScores ScoreDetections(std::span<const std::vector<DecodedDetection>> detections_per_image,
                                std::span<const DetectionTruth> truth) {
  std::vector<std::vector<Detection>> detections(detections_per_image.size());
  for (size_t i = 0; i < detections_per_image.size(); ++i) {
    for (const DecodedDetection& d : detections_per_image[i]) {
      detections[i].push_back(ToMetricsDetection(d));
    }
  }
  std::vector<TruthBox> ground_truth;
  ground_truth.reserve(truth.size());
  for (const DetectionTruth& t : truth) {
    if (t.sample < 0 || static_cast<size_t>(t.sample) >= detections.size()) {
      throw Error("detection ground truth", "a box of sample " + std::to_string(t.sample) +
                                                " is outside the " +
                                                std::to_string(detections.size()) +
                                                " evaluated samples");
    }
    ground_truth.push_back(
        TruthBox{Box{t.x_min, t.y_min, t.x_max, t.y_max}, t.class_id, t.sample});
  }
  const MapResult result = MeanAveragePrecision(detections, ground_truth);
  return DetectionScores{result.map, result.map50};
}

}  // namespace harness::eval

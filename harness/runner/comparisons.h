#pragma once
// Paired comparisons between results of the same model on the same validation samples, so a
// report says whether one calibrator beats another or the difference is noise: McNemar's test
// on per-sample correctness (classification; with a paired bootstrap interval of the accuracy
// difference for the reports to print), a bootstrap interval of the AUC difference
// (anomaly detection) and bootstrap intervals of the mAP and mAP@0.5 differences over
// validation images (detection). Every result with a calibrator is compared with the same method's
// min-max result (an option variant with the plain method's), and every result with fp32.

#include <span>
#include <vector>

#include "harness/eval/detection_decoder.h"
#include "harness/runner/model_context.h"
#include "harness/runner/run_result.h"

namespace harness::runner {

// Significance level of every comparison.
inline constexpr double kSignificanceLevel = 0.05;

// Resamples of every bootstrap, drawn from a fixed seed so a report is reproducible.
inline constexpr size_t kBootstrapResamples = 1000;
inline constexpr uint64_t kBootstrapSeed = 0;

// The per-sample outcomes of one result that its comparisons resample; null or empty when the
// task has none.
struct ResultSamples {
  const std::vector<double>* anomaly_scores = nullptr;
  const std::vector<std::vector<eval::DecodedDetection>>* detections = nullptr;
};

// What every result of the model is scored against.
struct SharedTruth {
  std::span<const int32_t> labels;                // /labels (anomaly: 1 anomalous)
  std::span<const eval::DetectionTruth> boxes;    // detection ground truth
};

// Adds PairedComparison entries to `results` (all of one model, in suite order); samples[i]
// belongs to results[i].
void AddPairedComparisons(std::vector<ResultRecord*>& results,
                          const std::vector<ResultSamples>& samples, const SharedTruth& truth);

// The bootstrap comparisons of two detection results on the same images: "map" and "map50",
// each with the difference a - b of the metric on all images and the 95 % percentile interval
// of the paired difference over images resampled with replacement.
std::vector<PairedComparison> BootstrapMap(
    const std::string& other_id, std::span<const std::vector<eval::DecodedDetection>> detections_a,
    std::span<const std::vector<eval::DecodedDetection>> detections_b,
    std::span<const eval::DetectionTruth> truth);
// The same from the images as MatchDetections matched them (a record's per_image).
std::vector<PairedComparison> BootstrapMap(const std::string& other_id,
                                           std::span<const ImageOutcome> images_a,
                                           std::span<const ImageOutcome> images_b);

}  // namespace harness::runner

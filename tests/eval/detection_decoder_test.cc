// grid-v1 decoding: hand-built grids against boxes computed by hand from the spec, and the whole
// detection branch of EvaluateTask on the zoo's fp32 detector against the Python reference
// decoder's recorded detections and mAP (datasets/detector/val_torch_detections.h5).

#include "harness/eval/detection_decoder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "harness/common/error.h"
#include "harness/eval/dataset.h"
#include "harness/eval/hdf5_file.h"
#include "harness/eval/task_metrics.h"
#include "harness/model/tflite_loader.h"
#include "harness/runtime/compiled_model.h"

namespace harness::eval {
namespace {

// A 2x2 grid, 3 classes, stride 8, box sizes in units of 16 px.
GridDecoderParams SmallGrid() {
  GridDecoderParams p;
  p.grid_height = 2;
  p.grid_width = 2;
  p.grid_stride = 8;
  p.box_size_scale = 16;
  p.num_classes = 3;
  return p;
}

// Cells in row-major order: p, cx offset, cy offset, w fraction, h fraction, 3 class probs.
// All values are binary fractions, so every product below is exact in float32.
std::vector<float> SmallGridOutput() {
  return {
      // (gy 0, gx 0): classes 1 and 2 tie -> class 1; score 0.5 * 0.75 = 0.375;
      // centre (0.5 * 8, 0.25 * 8) = (4, 2), size (8, 4) -> (0, 0, 8, 4).
      0.5f, 0.5f, 0.25f, 0.5f, 0.25f, 0.125f, 0.75f, 0.75f,
      // (0, 1): class 0, score 0.875; centre (1.25 * 8, 0.5 * 8) = (10, 4), size (4, 8)
      // -> (8, 0, 12, 8).
      1.0f, 0.25f, 0.5f, 0.25f, 0.5f, 0.875f, 0.125f, 0.0f,
      // (1, 0): class 2, score 0.75; centre (4, 12), size (16, 8) -> (-4, 8, 12, 16), not
      // clipped to the image.
      0.75f, 0.5f, 0.5f, 1.0f, 0.5f, 0.0f, 0.25f, 1.0f,
      // (1, 1): class 0, score 0.03125 < 0.05: below the threshold. Centre (12, 12), size 0.
      0.03125f, 0.5f, 0.5f, 0.0f, 0.0f, 1.0f, 0.0f, 0.0f,
  };
}

void ExpectDetection(const DecodedDetection& d, float x_min, float y_min, float x_max,
                     float y_max, int32_t class_id, float score) {
  EXPECT_EQ(d.x_min, x_min);
  EXPECT_EQ(d.y_min, y_min);
  EXPECT_EQ(d.x_max, x_max);
  EXPECT_EQ(d.y_max, y_max);
  EXPECT_EQ(d.class_id, class_id);
  EXPECT_EQ(d.score, score);
}

TEST(GridDecoder, CandidatesFollowTheSpecCellByCell) {
  const std::vector<DecodedDetection> c = DecodeGridCandidates(SmallGridOutput(), SmallGrid());
  ASSERT_EQ(c.size(), 4u);
  ExpectDetection(c[0], 0, 0, 8, 4, 1, 0.375f);
  ExpectDetection(c[1], 8, 0, 12, 8, 0, 0.875f);
  ExpectDetection(c[2], -4, 8, 12, 16, 2, 0.75f);
  ExpectDetection(c[3], 12, 12, 12, 12, 0, 0.03125f);
}

TEST(GridDecoder, ThresholdsAndSortsBestFirst) {
  const std::vector<DecodedDetection> d = DecodeGrid(SmallGridOutput(), SmallGrid());
  ASSERT_EQ(d.size(), 3u);
  ExpectDetection(d[0], 8, 0, 12, 8, 0, 0.875f);
  ExpectDetection(d[1], -4, 8, 12, 16, 2, 0.75f);
  ExpectDetection(d[2], 0, 0, 8, 4, 1, 0.375f);
}

TEST(GridDecoder, ScoreExactlyAtTheThresholdIsKept) {
  GridDecoderParams p = SmallGrid();
  p.score_threshold = 0.375f;  // cell (0, 0)'s score
  EXPECT_EQ(DecodeGrid(SmallGridOutput(), p).size(), 3u);
  p.score_threshold = std::nextafter(0.375f, 1.0f);
  EXPECT_EQ(DecodeGrid(SmallGridOutput(), p).size(), 2u);
}

TEST(GridDecoder, SameClassOverlapIsSuppressedOtherClassIsNot) {
  GridDecoderParams p = SmallGrid();
  p.grid_width = 1;
  p.grid_height = 3;
  // Three cells in one column, all centred at (4, 12) via offsets, same 16x16 size:
  // cell 0 (gy 0) with cy offset 1.5 -> cy 12; cell 1 (gy 1) offset 0.5 -> 12; cell 2 (gy 2)
  // offset -0.5 -> 12. Identical boxes (IoU 1).
  const std::vector<float> output = {
      0.5f, 0.5f, 1.5f,  1.0f, 1.0f, 1.0f, 0.0f, 0.0f,  // class 0, score 0.5
      1.0f, 0.5f, 0.5f,  1.0f, 1.0f, 1.0f, 0.0f, 0.0f,  // class 0, score 1.0
      1.0f, 0.5f, -0.5f, 1.0f, 1.0f, 0.0f, 0.5f, 0.0f,  // class 1, score 0.5
  };
  const std::vector<DecodedDetection> d = DecodeGrid(output, p);
  ASSERT_EQ(d.size(), 2u);
  ExpectDetection(d[0], -4, 4, 12, 20, 0, 1.0f);
  ExpectDetection(d[1], -4, 4, 12, 20, 1, 0.5f);
  p.max_detections = 1;
  ASSERT_EQ(DecodeGrid(output, p).size(), 1u);
  EXPECT_EQ(DecodeGrid(output, p)[0].score, 1.0f);
}

TEST(GridDecoder, EqualScoresKeepTheLowerCellFirst) {
  GridDecoderParams p = SmallGrid();
  p.grid_height = 1;
  // Two disjoint class-0 boxes with the same score: cell 0 must come first.
  const std::vector<float> output = {
      0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 1.0f, 0.0f, 0.0f,  // (0, 0): (0, 0, 8, 8)
      0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 1.0f, 0.0f, 0.0f,  // (0, 1): (8, 0, 16, 8)
  };
  const std::vector<DecodedDetection> d = DecodeGrid(output, p);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].x_min, 0.0f);
  EXPECT_EQ(d[1].x_min, 8.0f);
}

TEST(GridDecoder, WrongOutputSizeIsAnError) {
  std::vector<float> output = SmallGridOutput();
  output.pop_back();
  EXPECT_THROW(DecodeGrid(output, SmallGrid()), Error);
}

TEST(GridDecoder, PerfectDetectionsScoreOne) {
  const std::vector<std::vector<DecodedDetection>> detections = {
      {{0, 0, 8, 4, 1, 0.9f}}, {{-4, 8, 12, 16, 2, 0.5f}}};
  const std::vector<DetectionTruth> truth = {{0, 0, 8, 4, 1, 0}, {-4, 8, 12, 16, 2, 1}};
  const DetectionScores s = ScoreDetections(detections, truth);
  EXPECT_DOUBLE_EQ(s.map, 1.0);
  EXPECT_DOUBLE_EQ(s.map50, 1.0);
  const std::vector<DetectionTruth> bad = {{0, 0, 8, 4, 1, 2}};
  EXPECT_THROW(ScoreDetections(detections, bad), Error);
}

// The zoo detector, fp32, against the Python reference (grid_decoder.py on PyTorch's outputs).
TEST(GridDecoderOnZooDetector, MatchesThePythonReference) {
  const std::string dir = std::string(HARNESS_SOURCE_DIR) + "/datasets/detector/";
  const Dataset set = Dataset::Open(dir + "val.h5");
  const GridDecoderParams& params = set.grid_decoder();
  EXPECT_EQ(params.OutputElements(), 6u * 6u * 15u);
  EXPECT_EQ(params.score_threshold, 0.05f);
  EXPECT_EQ(params.max_detections, 10u);

  const runtime::CompiledModel model(model::LoadTfliteFile(dir + "detector.tflite"));
  const TaskMetrics m = EvaluateTask(model, set);
  ASSERT_EQ(m.task, Task::kDetection);
  ASSERT_EQ(m.detections.size(), set.size());

  const hdf5::File ref = hdf5::File::OpenReadOnly(dir + "val_torch_detections.h5");
  const auto boxes = ref.ReadDataset<float>("/boxes");
  const auto scores = ref.ReadDataset<float>("/scores");
  const auto classes = ref.ReadDataset<int32_t>("/classes");
  const auto samples = ref.ReadDataset<int32_t>("/sample");
  std::vector<std::vector<size_t>> rows(set.size());
  for (size_t r = 0; r < samples.size(); ++r) rows.at(static_cast<size_t>(samples[r])).push_back(r);

  size_t mismatched_samples = 0;
  for (size_t s = 0; s < set.size(); ++s) {
    const auto& mine = m.detections[s];
    if (mine.size() != rows[s].size()) {
      ++mismatched_samples;
      ADD_FAILURE() << "sample " << s << ": " << mine.size() << " detections, reference "
                    << rows[s].size();
      continue;
    }
    for (size_t k = 0; k < mine.size(); ++k) {
      const size_t r = rows[s][k];
      EXPECT_EQ(mine[k].class_id, classes[r]) << "sample " << s << " detection " << k;
      EXPECT_NEAR(mine[k].score, scores[r], 1e-5) << "sample " << s << " detection " << k;
      EXPECT_NEAR(mine[k].x_min, boxes[4 * r + 0], 1e-4) << "sample " << s;
      EXPECT_NEAR(mine[k].y_min, boxes[4 * r + 1], 1e-4) << "sample " << s;
      EXPECT_NEAR(mine[k].x_max, boxes[4 * r + 2], 1e-4) << "sample " << s;
      EXPECT_NEAR(mine[k].y_max, boxes[4 * r + 3], 1e-4) << "sample " << s;
    }
  }
  EXPECT_EQ(mismatched_samples, 0u);
  const double ref_map50 = ref.ReadNumberAttribute("map50");
  const double ref_map = ref.ReadNumberAttribute("map");
  RecordProperty("map50", std::to_string(m.map50));
  RecordProperty("map", std::to_string(m.map));
  EXPECT_NEAR(m.map50, ref_map50, 1e-3);
  EXPECT_NEAR(m.map, ref_map, 1e-3);
  EXPECT_NEAR(m.map50, 0.827, 1e-3);
}

}  // namespace
}  // namespace harness::eval

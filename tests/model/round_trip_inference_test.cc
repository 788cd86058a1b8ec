// Round trip through the writer: load, write, load again and infer gives the same output bytes
// as the model as loaded, for each MLPerf Tiny reference model (first validation samples).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "harness/eval/dataset.h"
#include "harness/eval/inference.h"
#include "harness/model/tflite_loader.h"
#include "harness/model/tflite_writer.h"
#include "harness/runtime/compiled_model.h"

namespace harness {
namespace {

namespace fs = std::filesystem;
const fs::path kMlperf = fs::path(HARNESS_SHARED_DIR) / "mlperf-tiny";

struct Case {
  const char* model;
  const char* data;
};

class RoundTripInference : public ::testing::TestWithParam<Case> {};

TEST_P(RoundTripInference, SameOutputsAfterWriteAndReload) {
  const model::Graph loaded = model::LoadTfliteFile((kMlperf / "models" / GetParam().model).string());
  const std::vector<uint8_t> bytes = model::WriteTflite(loaded);
  const model::Graph reloaded = model::LoadTflite(bytes, "written");
  const eval::Dataset set = eval::Dataset::Open((kMlperf / "data" / GetParam().data).string());

  const runtime::CompiledModel original{model::Graph(loaded)};
  const runtime::CompiledModel round_trip{model::Graph(reloaded)};
  const eval::OutputBatch a = eval::RunOnDataset(original, set, 20);
  const eval::OutputBatch b = eval::RunOnDataset(round_trip, set, 20);
  EXPECT_EQ(a.shape, b.shape);
  EXPECT_EQ(a.data, b.data);
}

INSTANTIATE_TEST_SUITE_P(
    MlperfTiny, RoundTripInference,
    ::testing::Values(Case{"kws_ref_model.tflite", "kws01_speechcmd1000_val.h5"},
                      Case{"kws_ref_model_float32.tflite", "kws01_speechcmd1000_val.h5"},
                      Case{"vww_96_int8.tflite", "vww01_coco_person1000_val.h5"},
                      Case{"vww_96_float.tflite", "vww01_coco_person1000_val.h5"},
                      Case{"ad01_int8.tflite", "ad01_toyadmos_car248_val.h5"},
                      Case{"ad01_fp32.tflite", "ad01_toyadmos_car248_val.h5"}),
    [](const auto& test_info) {
      std::string name = test_info.param.model;
      return name.substr(0, name.find('.'));
    });

}  // namespace
}  // namespace harness

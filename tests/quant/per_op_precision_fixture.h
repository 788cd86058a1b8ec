#pragma once
// The fixture of the per-op precision tests (Int8Options::op_precision): the small float model,
// calibrated on 64 samples, quantized with minmax ranges and a precision per op.
#include <gtest/gtest.h>

#include <memory>
#include <utility>
#include <vector>

#include "harness/model/graph.h"
#include "harness/quant/calibration.h"
#include "harness/quant/calibrators.h"
#include "harness/quant/int8_quantizer.h"
#include "tests/quant/small_float_model.h"
#include "tests/quant/small_model_runs.h"

namespace harness::quant::testing {

class PerOpPrecisionTest : public ::testing::Test {
 protected:
  model::Graph float_graph_ = SmallFloatModel();
  CalibrationResult calibration_ = CalibrateOnSmallModelSamples(float_graph_);
  std::unique_ptr<Calibrator> minmax_ = MakeCalibrator("minmax");

  model::Graph Quantize(std::vector<LayerPrecision> precision, bool float_io = false) const {
    Int8Options options;
    options.float_io = float_io;
    options.op_precision = std::move(precision);
    return QuantizeInt8(float_graph_, calibration_, *minmax_, options);
  }
};

}  // namespace harness::quant::testing

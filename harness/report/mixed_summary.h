#pragma once
// Words for a `mixed` result's selection (runner::MixedPrecision), shared by the Markdown and
// HTML reports: which layers stay wide and how sensitive every analysed layer was.

#include <string>

#include "harness/runner/run_result.h"

namespace harness::report {

// "kept float32: op 0 CONV_2D (conv1), op 12 FULLY_CONNECTED (fc); accuracy on the calibration
// set: fp32 90.00, int8 88.50, mixed 89.75 points; budget 1.00 points: met".
std::string DescribeMixedSelection(const runner::MixedPrecision& mixed);

// "sensitivity (points): op 0 CONV_2D +1.25, op 1 DEPTHWISE_CONV_2D +0.00, ...".
std::string DescribeMixedSensitivities(const runner::MixedPrecision& mixed);

}  // namespace harness::report

// Model entries as a parsed suite gives them, for runner tests that prepare a model and run its
// methods without a suite file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "harness/suite/suite.h"

namespace harness::test {

// The model at `path`, validated on the whole `validation` set and calibrated on the first
// `calibration_samples` rows of `calibration`; its place is "test" (no suite line to name).
inline suite::ModelSpec ModelSpecFor(std::string name, std::string path, eval::Task task,
                                     std::string validation, std::string calibration,
                                     int64_t calibration_samples) {
  suite::ModelSpec spec;
  spec.name = std::move(name);
  spec.place = "test";
  spec.path = std::move(path);
  spec.task = task;
  spec.validation.data = std::move(validation);
  spec.calibration = suite::SetSpec{std::move(calibration), calibration_samples, std::nullopt, {}};
  return spec;
}

}  // namespace harness::test

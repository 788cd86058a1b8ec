#pragma once
// Reads a suite file (format in suite.h and docs/suite-format.md) into a Suite. Paths in the
// file are resolved against the suite file's folder; models and sets must exist (nothing more
// is checked about them here: whether a task fits a model is the runner's business).
//
// Every problem is a harness::Error whose place is "FILE:LINE:COLUMN" (1-based) of the node at
// fault, FILE being the path as given, and whose message says what was expected, e.g.
//   suites/esp32.yaml:12:5: unknown key 'calibrater' in method (did you mean 'calibrator'?); ...

#include <string>
#include <string_view>

#include "harness/suite/suite.h"

namespace harness::suite {

Suite LoadSuite(const std::string& path);

// The same from text already in memory; `path` names it in errors and anchors relative paths.
Suite ParseSuite(std::string_view yaml, const std::string& path);

}  // namespace harness::suite

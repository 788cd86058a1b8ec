#pragma once
// Parsing of one entry of a suite's `methods:` list ("fp32", or a mapping with `method`,
// `calibrator` / `calibrators`, `percentile`, `budget`, `options`, `name`) into the concrete
// methods it stands for: one per calibrator. Format in suite.h.

#include <vector>

#include <yaml-cpp/yaml.h>

#include "harness/suite/suite.h"
#include "harness/suite/yaml_reader.h"

namespace harness::suite {

std::vector<MethodSpec> ParseMethodEntry(const YamlReader& reader, const YAML::Node& entry);

// Names given by the user (models, methods) are used in result ids, file names and globs, so
// they are restricted to [A-Za-z0-9._+-]; fails at `node` otherwise.
void CheckName(const YamlReader& reader, const YAML::Node& node, const std::string& name);

}  // namespace harness::suite

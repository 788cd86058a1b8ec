#pragma once
// Parsing of a suite's `target:` value: a built-in target name or a custom mapping
// {name, sram_bytes, flash_bytes, ops, types, slow_types}. Format in suite.h and target.h.

#include <yaml-cpp/yaml.h>

#include "harness/suite/target.h"
#include "harness/suite/yaml_reader.h"

namespace harness::suite {

Target ParseTarget(const YamlReader& reader, const YAML::Node& node);

}  // namespace harness::suite

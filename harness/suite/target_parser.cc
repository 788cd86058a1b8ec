#include "harness/suite/target_parser.h"

#include <algorithm>
#include <array>

#include "harness/suite/did_you_mean.h"

namespace harness::suite {
namespace {

constexpr auto kTargetKeys = std::to_array<const char*>(
    {"name", "sram_bytes", "flash_bytes", "ops", "types", "slow_types"});

std::vector<ElementType> ReadTypes(const YamlReader& reader, const YAML::Node& list,
                                   const char* key) {
  reader.ExpectSequence(list, key);
  std::vector<ElementType> types;
  for (const YAML::Node& item : list) {
    const std::string text = reader.ReadString(item, key);
    const auto names = ElementTypeNames();
    const auto it = std::find_if(names.begin(), names.end(),
                                 [&](const char* name) { return text == name; });
    if (it == names.end()) {
      reader.Fail(item, "unknown type '" + text + "'" + DidYouMean(text, names) +
                            "; valid types are " + QuotedList(names));
    }
    const auto type = static_cast<ElementType>(it - names.begin());
    if (std::find(types.begin(), types.end(), type) == types.end()) types.push_back(type);
  }
  return types;
}

std::vector<std::string> ReadOps(const YamlReader& reader, const YAML::Node& list) {
  reader.ExpectSequence(list, "ops");
  const auto known = TfLiteMicroOpNames();
  std::vector<std::string> ops;
  for (const YAML::Node& item : list) {
    const std::string text = reader.ReadString(item, "ops");
    if (std::find_if(known.begin(), known.end(), [&](const char* op) { return text == op; }) ==
        known.end()) {
      reader.Fail(item, "unknown op '" + text + "'" + DidYouMean(text, known) +
                            "; ops are TFLite builtin names that TFLite-Micro runs, such as "
                            "'CONV_2D' or 'FULLY_CONNECTED'");
    }
    if (std::find(ops.begin(), ops.end(), text) == ops.end()) ops.push_back(text);
  }
  return ops;
}

Target ParseCustomTarget(const YamlReader& reader, const YAML::Node& node) {
  reader.ExpectMap(node, "target", kTargetKeys);
  Target target;
  target.name = reader.ReadString(reader.Require(node, "name", "target"), "name");
  target.sram_bytes =
      reader.ReadPositiveInteger(reader.Require(node, "sram_bytes", "target"), "sram_bytes");
  target.flash_bytes =
      reader.ReadPositiveInteger(reader.Require(node, "flash_bytes", "target"), "flash_bytes");
  if (auto ops = YamlReader::Find(node, "ops")) {
    target.ops = ReadOps(reader, *ops);
  } else {
    for (const char* op : TfLiteMicroOpNames()) target.ops.emplace_back(op);
  }
  target.types = {ElementType::kInt8, ElementType::kInt16, ElementType::kFloat32};
  if (auto types = YamlReader::Find(node, "types")) target.types = ReadTypes(reader, *types, "types");
  if (auto slow = YamlReader::Find(node, "slow_types")) {
    target.slow_types = ReadTypes(reader, *slow, "slow_types");
    for (ElementType type : target.slow_types) {
      if (!target.SupportsType(type)) {
        reader.Fail(*slow, std::string("slow type '") + ToString(type) +
                               "' is not among the target's 'types'");
      }
    }
  }
  return target;
}

}  // namespace

Target ParseTarget(const YamlReader& reader, const YAML::Node& node) {
  if (node.IsMap()) return ParseCustomTarget(reader, node);
  const std::string name = reader.ReadString(node, "target");
  if (const Target* builtin = FindBuiltinTarget(name)) return *builtin;
  const std::vector<std::string> names = BuiltinTargetNames();
  std::vector<const char*> candidates;
  for (const std::string& candidate : names) candidates.push_back(candidate.c_str());
  reader.Fail(node, "unknown target '" + name + "'" + DidYouMean(name, candidates) +
                        "; built-in targets are " + QuotedList(candidates) +
                        ", or give a mapping {name, sram_bytes, flash_bytes, ops, types}");
}

}  // namespace harness::suite

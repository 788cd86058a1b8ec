#include "harness/suite/yaml_reader.h"

#include <cmath>
#include <set>

#include "harness/common/error.h"
#include "harness/suite/did_you_mean.h"

namespace harness::suite {
namespace {

std::string Quoted(std::string_view key) {
  // Built by append: GCC 12 at -O3 warns falsely (-Wrestrict) on `"'" + string`.
  std::string text(1, '\'');
  text.append(key).append(1, '\'');
  return text;
}

// `key:` with nothing after it is a null node, not a scalar, so a missing value fails here
// with "got nothing" rather than converting to an empty string or zero.
bool IsScalar(const YAML::Node& node) { return node.IsDefined() && node.IsScalar(); }

}  // namespace

std::string DescribeNode(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  return Quoted(node.Scalar());
}

std::string YamlReader::Place(const YAML::Mark& mark) const {
  if (mark.is_null()) return file_;
  return file_ + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

std::string YamlReader::Place(const YAML::Node& node) const {
  // A node looked up but absent ("zombie") has no mark; Mark() would throw on it.
  if (!node.IsDefined()) return file_;
  return Place(node.Mark());
}

void YamlReader::Fail(const YAML::Node& node, const std::string& message) const {
  throw Error(Place(node), message);
}

void YamlReader::ExpectMap(const YAML::Node& node, std::string_view what,
                           std::span<const char* const> allowed) const {
  if (!node.IsMap()) {
    Fail(node, "expected a mapping for " + std::string(what) + ", got " + DescribeNode(node));
  }
  std::set<std::string> seen;
  for (const auto& entry : node) {
    const YAML::Node& key = entry.first;
    if (!key.IsScalar()) Fail(key, "expected a key name in " + std::string(what));
    const std::string& name = key.Scalar();
    bool known = false;
    for (const char* candidate : allowed) known = known || name == candidate;
    if (!known) {
      Fail(key, "unknown key " + Quoted(name) + " in " + std::string(what) +
                    DidYouMean(name, allowed) + "; valid keys are " + QuotedList(allowed));
    }
    if (!seen.insert(name).second) {
      Fail(key, "duplicate key " + Quoted(name) + " in " + std::string(what));
    }
  }
}

void YamlReader::ExpectSequence(const YAML::Node& node, std::string_view key) const {
  if (!node.IsSequence()) {
    Fail(node, "expected a list for " + Quoted(key) + ", got " + DescribeNode(node));
  }
}

std::optional<YAML::Node> YamlReader::Find(const YAML::Node& map, std::string_view key) {
  for (const auto& entry : map) {
    if (entry.first.IsScalar() && entry.first.Scalar() == key) return entry.second;
  }
  return std::nullopt;
}

YAML::Node YamlReader::Require(const YAML::Node& map, std::string_view key,
                               std::string_view what) const {
  std::optional<YAML::Node> value = Find(map, key);
  if (!value) Fail(map, "missing required key " + Quoted(key) + " in " + std::string(what));
  return *value;
}

std::string YamlReader::ReadString(const YAML::Node& node, std::string_view key) const {
  if (!IsScalar(node) || node.Scalar().empty()) {
    Fail(node, "expected a string for " + Quoted(key) + ", got " + DescribeNode(node));
  }
  return node.Scalar();
}

int64_t YamlReader::ReadInteger(const YAML::Node& node, std::string_view key) const {
  int64_t value = 0;
  if (!IsScalar(node) || !YAML::convert<int64_t>::decode(node, value)) {
    Fail(node, "expected an integer for " + Quoted(key) + ", got " + DescribeNode(node));
  }
  return value;
}

int64_t YamlReader::ReadPositiveInteger(const YAML::Node& node, std::string_view key) const {
  int64_t value = 0;
  if (!IsScalar(node) || !YAML::convert<int64_t>::decode(node, value) || value <= 0) {
    Fail(node, "expected a positive integer for " + Quoted(key) + ", got " + DescribeNode(node));
  }
  return value;
}

double YamlReader::ReadNumber(const YAML::Node& node, std::string_view key) const {
  double value = 0;
  if (!IsScalar(node) || !YAML::convert<double>::decode(node, value) || !std::isfinite(value)) {
    Fail(node, "expected a number for " + Quoted(key) + ", got " + DescribeNode(node));
  }
  return value;
}

bool YamlReader::ReadBool(const YAML::Node& node, std::string_view key) const {
  bool value = false;
  if (!IsScalar(node) || !YAML::convert<bool>::decode(node, value)) {
    Fail(node, "expected true or false for " + Quoted(key) + ", got " + DescribeNode(node));
  }
  return value;
}

}  // namespace harness::suite

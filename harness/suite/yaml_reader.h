#pragma once
// Typed reads from a yaml-cpp tree that fail with a harness::Error placed at the offending node
// ("suites/esp32.yaml:12:5", 1-based line and column from the node's mark), saying what was
// expected and what was found. The suite parser is written in terms of these, so every
// message has the same shape.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

namespace harness::suite {

class YamlReader {
 public:
  // `file` is how places name the document (the suite path as the user gave it).
  explicit YamlReader(std::string file) : file_(std::move(file)) {}

  const std::string& file() const { return file_; }

  // "file:line:column" of a node, or of the document start when the node has no mark.
  std::string Place(const YAML::Node& node) const;
  std::string Place(const YAML::Mark& mark) const;
  [[noreturn]] void Fail(const YAML::Node& node, const std::string& message) const;

  // Checks that `node` is a mapping (`what` names it in messages: "model", "method") whose
  // keys are all in `allowed` and none repeats; an unknown key fails at the key with a
  // did-you-mean suggestion.
  void ExpectMap(const YAML::Node& node, std::string_view what,
                 std::span<const char* const> allowed) const;
  void ExpectSequence(const YAML::Node& node, std::string_view key) const;

  // The value under `key` in a mapping already checked by ExpectMap; Require fails at the
  // mapping when it is missing.
  static std::optional<YAML::Node> Find(const YAML::Node& map, std::string_view key);
  YAML::Node Require(const YAML::Node& map, std::string_view key, std::string_view what) const;

  // Scalars. `key` names the value in messages ("expected a number for 'samples', got
  // 'many'").
  std::string ReadString(const YAML::Node& node, std::string_view key) const;
  int64_t ReadInteger(const YAML::Node& node, std::string_view key) const;
  int64_t ReadPositiveInteger(const YAML::Node& node, std::string_view key) const;
  double ReadNumber(const YAML::Node& node, std::string_view key) const;  // finite only
  bool ReadBool(const YAML::Node& node, std::string_view key) const;

 private:
  std::string file_;
};

// How a node reads in a message: "'many'" for a scalar, "a list", "a mapping", "nothing".
std::string DescribeNode(const YAML::Node& node);

}  // namespace harness::suite

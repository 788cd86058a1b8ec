#pragma once
// A small argument parser for the subcommands: positional arguments, `--name value` options
// and `--flag` switches, each declared up front so a typo is an error, not a silent default.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "harness/cli/command_help.h"

namespace harness::cli {

class Args {
 public:
  // `options` take a value, `flags` do not. Throws Error("command line", ...) on an unknown
  // option, a missing value, or a positional count outside [min_positional, max_positional].
  Args(const std::string& command, const std::vector<std::string>& args,
       const std::set<std::string>& options, const std::set<std::string>& flags,
       size_t min_positional, size_t max_positional);
  // The options, switches and operand counts of `command`'s entry in the command table.
  Args(const CommandHelp& command, const std::vector<std::string>& args);

  const std::vector<std::string>& positional() const { return positional_; }
  std::optional<std::string> option(const std::string& name) const;
  std::string required(const std::string& name) const;
  bool flag(const std::string& name) const { return flags_.count(name) > 0; }
  // A positive integer option; throws Error naming the option when the value is not one.
  std::optional<size_t> count(const std::string& name) const;

 private:
  std::string command_;
  std::vector<std::string> positional_;
  std::map<std::string, std::string> options_;
  std::set<std::string> flags_;
};

}  // namespace harness::cli

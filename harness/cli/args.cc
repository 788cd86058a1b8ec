#include "harness/cli/args.h"

#include "harness/common/error.h"

namespace harness::cli {

Args::Args(const std::string& command, const std::vector<std::string>& args,
           const std::set<std::string>& options, const std::set<std::string>& flags,
           size_t min_positional, size_t max_positional)
    : command_(command) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() > 2 && a.rfind("--", 0) == 0) {
      std::string name = a, value;
      const bool has_inline_value = a.find('=') != std::string::npos;
      if (has_inline_value) {
        name = a.substr(0, a.find('='));
        value = a.substr(a.find('=') + 1);
      }
      if (flags.count(name) && !has_inline_value) {
        flags_.insert(name);
      } else if (options.count(name)) {
        if (!has_inline_value) {
          if (i + 1 >= args.size())
            throw Error("command line", "option " + name + " needs a value");
          value = args[++i];
        }
        options_[name] = value;
      } else {
        throw Error("command line", "unknown option '" + name + "' for '" + command + "'");
      }
    } else if (a == "-o" && options.count("-o")) {
      if (i + 1 >= args.size()) throw Error("command line", "option -o needs a value");
      options_["-o"] = args[++i];
    } else {
      positional_.push_back(a);
    }
  }
  if (positional_.size() < min_positional || positional_.size() > max_positional) {
    throw Error("command line",
                "'" + command + "' takes " +
                    (min_positional == max_positional ? std::to_string(min_positional)
                                                      : std::to_string(min_positional) + " to " +
                                                            std::to_string(max_positional)) +
                    " positional argument(s), got " + std::to_string(positional_.size()));
  }
}

namespace {

std::set<std::string> OptionNames(const CommandHelp& command, bool with_value) {
  std::set<std::string> names;
  for (const OptionHelp& option : command.options) {
    if (option.value.empty() != with_value) names.insert(option.name);
  }
  return names;
}

}  // namespace

Args::Args(const CommandHelp& command, const std::vector<std::string>& args)
    : Args(command.name, args, OptionNames(command, true), OptionNames(command, false),
           command.min_operands, command.max_operands) {}

std::optional<std::string> Args::option(const std::string& name) const {
  auto it = options_.find(name);
  if (it == options_.end()) return std::nullopt;
  return it->second;
}

std::optional<size_t> Args::count(const std::string& name) const {
  auto value = option(name);
  if (!value) return std::nullopt;
  size_t parsed = 0;
  size_t used = 0;
  try {
    parsed = std::stoul(*value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != value->size() || parsed == 0 || (*value)[0] == '-') {
    throw Error("command line", name + " expects a positive integer, got '" + *value + "'");
  }
  return parsed;
}

std::string Args::required(const std::string& name) const {
  auto value = option(name);
  if (!value) throw Error("command line", "'" + command_ + "' needs " + name);
  return *value;
}

}  // namespace harness::cli

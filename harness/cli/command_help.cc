#include "harness/cli/command_help.h"

#include <sstream>

#include "harness/runner/build_info.h"

namespace harness::cli {
namespace {

constexpr size_t kWidth = 100;

std::string OptionSynopsis(const OptionHelp& option) {
  const std::string text = option.value.empty() ? option.name : option.name + " " + option.value;
  return option.required ? text : "[" + text + "]";
}

// Words joined by spaces into lines of at most kWidth columns, the first starting at column
// `start`, continuation lines indented by `indent` spaces; a word longer than a line stays whole.
std::string Wrap(const std::vector<std::string>& words, size_t start, size_t indent) {
  std::string text;
  size_t column = start;
  for (const std::string& word : words) {
    if (text.empty()) {
      text = word;
      column += word.size();
    } else if (column + 1 + word.size() > kWidth && column > indent) {
      text += '\n';
      text.append(indent, ' ');
      text += word;
      column = indent + word.size();
    } else {
      text += " " + word;
      column += 1 + word.size();
    }
  }
  return text;
}

std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

}  // namespace

std::string Synopsis(const CommandHelp& command) {
  // Operands stay on the first line with the command; options wrap under the first option.
  const std::string head = "harness " + command.name + " " + command.operands;
  std::vector<std::string> words;
  for (const OptionHelp& option : command.options) words.push_back(OptionSynopsis(option));
  if (!command.extra.empty()) words.push_back(command.extra);
  if (words.empty()) return head;
  return head + " " + Wrap(words, head.size() + 1, ("harness " + command.name + " ").size());
}

std::string Usage() {
  std::ostringstream out;
  out << "usage: harness COMMAND [options]\n"
         "       harness --version\n"
         "       harness COMMAND --help\n\n"
         "commands:\n";
  for (const CommandHelp& command : Commands()) {
    out << "  " << command.name << std::string(10 - command.name.size(), ' ') << command.summary
        << "\n";
  }
  out << "\n"
         "Exit status: 0 success, 1 a regression against the baseline, 2 bad usage, configuration\n"
         "or input (the message names the file and the place), 130 interrupted.\n";
  return out.str();
}

std::string CommandUsage(const CommandHelp& command) {
  std::ostringstream out;
  out << "usage: " << Synopsis(command) << "\n\n";
  std::istringstream paragraphs(command.description);
  for (std::string line; std::getline(paragraphs, line);) {
    out << Wrap(Words(line), 0, 0) << "\n";
  }
  if (!command.options.empty()) {
    out << "\noptions:\n";
    for (const OptionHelp& option : command.options) {
      // Appended piece by piece: GCC 12 warns falsely (-Wrestrict, bug 105329) on chained +.
      std::string left = "  ";
      left += option.name;
      if (!option.value.empty()) left += " " + option.value;
      constexpr size_t kColumn = 26;
      const std::string pad = left.size() + 2 <= kColumn ? std::string(kColumn - left.size(), ' ')
                                                         : "\n" + std::string(kColumn, ' ');
      out << left << pad << Wrap(Words(option.help), kColumn, kColumn) << "\n";
    }
  }
  out << "\nExit status: 0 success, 1 a regression, 2 bad usage, configuration or input, 130\n"
         "interrupted.\n";
  return out.str();
}

std::string VersionText() {
  const runner::BuildInfo& build = runner::GetBuildInfo();
  return "harness " + build.version + "\ncommit " + build.git_commit + "\ncompiler " +
         build.compiler + "\n";
}

}  // namespace harness::cli

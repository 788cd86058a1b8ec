#pragma once
// Every command's synopsis, options and help text, in one table. The argument parser takes its
// accepted options from here (cli/args.h), and `harness --help`, `harness COMMAND --help`, the
// man page and the README's command-line section are all written from it, so an option cannot
// be accepted without being documented, or documented without being accepted.

#include <cstddef>
#include <string>
#include <vector>

namespace harness::cli {

struct OptionHelp {
  std::string name;   // "--out", "-o"
  std::string value;  // "DIR"; empty for a switch
  std::string help;
  bool required = false;  // shown without brackets in the synopsis
};

struct CommandHelp {
  std::string name;      // "run"
  std::string operands;  // "SUITE.yaml", "[SUITE.yaml]", "REPORT.json BASELINE.json"
  size_t min_operands = 0;
  size_t max_operands = 0;
  std::vector<OptionHelp> options;
  std::string extra;        // what else the synopsis ends with ("[Google Benchmark flags]")
  std::string summary;      // one line, for the command list
  std::string description;  // paragraphs separated by blank lines
};

// Every command, in the order `harness --help` lists them.
const std::vector<CommandHelp>& Commands();

// The command named `name`; throws std::out_of_range for a name that is not in the table.
const CommandHelp& FindCommand(const std::string& name);

// The synopsis of one command, wrapped at 100 columns: "harness run SUITE.yaml [--out DIR] ...".
// Continuation lines are indented under the first option.
std::string Synopsis(const CommandHelp& command);

// `harness --help`: every command's synopsis and summary.
std::string Usage();
// `harness COMMAND --help`: synopsis, description, options, exit codes.
std::string CommandUsage(const CommandHelp& command);
// `harness --version`: version, commit and compiler of this build.
std::string VersionText();
// The man page, harness(1), in man(7) troff.
std::string ManPage();

}  // namespace harness::cli

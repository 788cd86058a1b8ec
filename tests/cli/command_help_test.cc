// `harness --help`, `harness COMMAND --help`, `harness --version` and harness(1), all written
// from the command table: checked against the README's command-line section (the documentation
// users read), against the command dispatch (every listed command runs, every listed option is
// accepted, an unlisted one is refused with exit 2), and against the project version in
// CMakeLists.txt.
#include "harness/cli/command_help.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "tests/cli/cli_test_support.h"

namespace harness {
namespace {

using cli::CommandHelp;
using cli::Commands;
using cli::OptionHelp;
using test::CliOutcome;
using test::ReadText;
using test::RunCli;

// The fenced block under "## Command line" in README.md.
std::string ReadmeCommandLineBlock() {
  const std::string readme = ReadText(std::string(HARNESS_SOURCE_DIR) + "/README.md");
  const std::string heading = "## Command line\n\n```\n";
  const size_t begin = readme.find(heading);
  if (begin == std::string::npos) return "";
  const size_t end = readme.find("```", begin + heading.size());
  return readme.substr(begin + heading.size(), end - begin - heading.size());
}

TEST(CommandHelp, TheReadmeCommandLineSectionIsTheTablesSynopses) {
  std::string expected;
  for (const CommandHelp& command : Commands()) expected += cli::Synopsis(command) + "\n";
  expected += "harness --version\nharness COMMAND --help\n";
  EXPECT_EQ(ReadmeCommandLineBlock(), expected);
}

TEST(CommandHelp, SynopsisLinesFitInOneHundredColumns) {
  for (const CommandHelp& command : Commands()) {
    std::istringstream lines(cli::Synopsis(command));
    for (std::string line; std::getline(lines, line);) {
      EXPECT_LE(line.size(), 100u) << line;
    }
  }
}

TEST(CommandHelp, EveryCommandPrintsItsHelpAndRunsNothing) {
  for (const CommandHelp& command : Commands()) {
    for (const std::string flag : {"--help", "-h"}) {
      const CliOutcome run = RunCli({command.name, flag});
      EXPECT_EQ(run.code, 0) << command.name << " " << flag << ": " << run.err;
      EXPECT_EQ(run.out.rfind("usage: " + cli::Synopsis(command) + "\n", 0), 0u) << run.out;
      for (const OptionHelp& option : command.options) {
        EXPECT_NE(run.out.find("\n  " + option.name), std::string::npos)
            << command.name << " --help does not describe " << option.name;
      }
    }
  }
  // After other arguments too, and before a file that does not exist: nothing is run.
  const CliOutcome run = RunCli({"run", "no-such-suite.yaml", "--jobs", "2", "--help"});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.err, "");
}

TEST(CommandHelp, EveryListedCommandIsDispatched) {
  for (const CommandHelp& command : Commands()) {
    const CliOutcome run = RunCli({command.name, "--no-such-option"});
    EXPECT_EQ(run.code, 2) << command.name;
    EXPECT_NE(run.err.find("unknown option '--no-such-option' for '" + command.name + "'"),
              std::string::npos)
        << run.err;
  }
  const CliOutcome unknown = RunCli({"frobnicate"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.err.find("unknown command 'frobnicate'"), std::string::npos);
}

TEST(CommandHelp, EveryListedOptionIsAccepted) {
  for (const CommandHelp& command : Commands()) {
    for (const OptionHelp& option : command.options) {
      std::vector<std::string> args = {command.name, option.name};
      if (!option.value.empty()) args.push_back("1");
      // Too many operands: the parser reads every option first and then fails on the count,
      // so nothing runs, and the message shows the option itself was accepted.
      for (size_t i = 0; i <= command.max_operands; ++i) args.push_back("operand");
      const CliOutcome run = RunCli(args);
      EXPECT_EQ(run.code, 2) << command.name << " " << option.name;
      EXPECT_EQ(run.err.find("unknown option"), std::string::npos) << run.err;
      EXPECT_NE(run.err.find("positional argument(s)"), std::string::npos) << run.err;
    }
  }
}

TEST(CommandHelp, TopLevelHelpListsEveryCommand) {
  const CliOutcome run = RunCli({"--help"});
  EXPECT_EQ(run.code, 0);
  for (const CommandHelp& command : Commands()) {
    EXPECT_NE(run.out.find("\n  " + command.name + " "), std::string::npos) << command.name;
  }
  const CliOutcome none = RunCli({});
  EXPECT_EQ(none.code, 2);
  EXPECT_EQ(none.err, run.out);
}

TEST(CommandHelp, VersionIsTheProjectVersionAndACommit) {
  const std::string cmake = ReadText(std::string(HARNESS_SOURCE_DIR) + "/CMakeLists.txt");
  std::smatch project;
  ASSERT_TRUE(std::regex_search(cmake, project, std::regex(R"(project\(harness VERSION (\S+))")));
  const CliOutcome run = RunCli({"--version"});
  EXPECT_EQ(run.code, 0);
  EXPECT_TRUE(std::regex_match(
      run.out,
      std::regex("harness " + std::regex_replace(project[1].str(), std::regex("\\."), "\\.") +
                 "\ncommit ([0-9a-f]{40}(-dirty)?|unknown)\ncompiler [^\n]+\n")))
      << run.out;
}

// roff writes '-' as '\-'.
std::string RoffEscaped(const std::string& text) {
  std::string escaped;
  for (char c : text) escaped += c == '-' ? std::string("\\-") : std::string(1, c);
  return escaped;
}

TEST(CommandHelp, TheManPageDocumentsEveryOption) {
  const std::string page = cli::ManPage();
  EXPECT_EQ(page.rfind(".TH HARNESS 1 ", 0), 0u);
  for (const CommandHelp& command : Commands()) {
    EXPECT_NE(page.find(".SS " + RoffEscaped(command.name)), std::string::npos) << command.name;
    for (const OptionHelp& option : command.options) {
      EXPECT_NE(page.find(".B" + std::string(option.value.empty() ? " " : "I \"") +
                          RoffEscaped(option.name)),
                std::string::npos)
          << command.name << " " << option.name;
    }
  }
}

}  // namespace
}  // namespace harness

// What the CLI tests share: the shipped MLPerf Tiny folder, `harness` run in-process with its
// output and error text captured, scratch folders and files, and the figures of
// `harness eval --json`.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "harness/cli/cli.h"

namespace harness::test {

// The shared MLPerf Tiny models, data sets and goldens (models/, data/, golden/).
inline const std::filesystem::path kMlperfTiny =
    std::filesystem::path(HARNESS_SHARED_DIR) / "mlperf-tiny";
// The same folder with a trailing slash, for tests that build paths by string concatenation.
inline const std::string kMlperfTinyDir = kMlperfTiny.string() + "/";

struct CliOutcome {
  int code;
  std::string out, err;
};

// `harness <args>` in this process (so the sanitizer build checks the commands too).
inline CliOutcome RunCli(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = cli::Main(args, out, err);
  return {code, out.str(), err.str()};
}

// The whole file as text; empty if it cannot be read.
inline std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// An empty folder `name` under the temporary folder: whatever an earlier run left is removed.
inline std::filesystem::path FreshTempDir(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// The number after "key": in a flat scan of the JSON text of `harness eval --json`; a test
// failure (and -1) when the key is missing.
inline double JsonValue(const std::string& json, const std::string& key) {
  const std::regex pattern("\"" + key + "\": ([-0-9.eE]+)");
  std::smatch match;
  if (!std::regex_search(json, match, pattern)) {
    ADD_FAILURE() << "no key " << key << " in " << json.substr(0, 200);
    return -1.0;
  }
  return std::stod(match[1].str());
}

}  // namespace harness::test

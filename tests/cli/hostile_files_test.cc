// Every file of the shared hostile-inputs folder (models, sets and reports that once crashed,
// hung, exhausted memory or misled the tool) through the real binary, one test case per file:
// each must end with exit code 2 and a message naming the file, within 10 s of CPU time and
// 512 MB of memory. The memory is measured (wait4's peak RSS, children included) rather than
// limited, as an address-space limit would stop the sanitizer build's shadow memory.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/cli/child_process.h"

namespace harness {
namespace {

namespace fs = std::filesystem;

const fs::path kHostileDir = fs::path(HARNESS_SHARED_DIR) / "hostile-inputs";
const fs::path kDigits = fs::path(HARNESS_SOURCE_DIR) / "datasets" / "digits";
constexpr double kMaxCpuSeconds = 10.0;
constexpr long kMaxRssKib = 512 * 1024;

// Every file under the folder but its README, as paths relative to it, sorted.
std::vector<std::string> HostileFiles() {
  std::vector<std::string> files;
  std::error_code error;
  for (const auto& entry : fs::recursive_directory_iterator(kHostileDir, error)) {
    if (!entry.is_regular_file() || entry.path().filename() == "README.md") continue;
    files.push_back(entry.path().lexically_relative(kHostileDir).generic_string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The command that reads the file the way it once broke the tool: a model is evaluated, a set
// is evaluated on (with a good model), an ONNX model converted, a report diffed.
std::vector<std::string> CommandFor(const fs::path& file, const fs::path& scratch) {
  const std::string path = file.string();
  const std::string extension = file.extension().string();
  if (extension == ".tflite") return {"eval", path, "--data", (kDigits / "val.h5").string()};
  if (extension == ".h5") return {"eval", (kDigits / "digits.tflite").string(), "--data", path};
  if (extension == ".onnx") return {"convert", path, "-o", (scratch / "converted.tflite").string()};
  if (extension == ".json") return {"diff", path, path};
  return {};
}

TEST(HostileFiles, FolderHoldsTheKnownCases) {
  // Guards the parameterized test below against an empty listing, which would pass vacuously.
  EXPECT_GE(HostileFiles().size(), 24u) << kHostileDir;
}

class HostileFile : public ::testing::TestWithParam<std::string> {};

TEST_P(HostileFile, ExitsTwoNamingTheFileWithinBudget) {
  const fs::path file = kHostileDir / GetParam();
  const fs::path scratch = fs::temp_directory_path() / "hostile_file";
  fs::create_directories(scratch);
  const std::vector<std::string> args = CommandFor(file, scratch);
  ASSERT_FALSE(args.empty()) << "no command reads files like " << file;

  test::ChildProcess child(args, scratch / "stderr.txt");
  ASSERT_TRUE(child.started());
  const test::ProcessEnd end = child.Wait(std::chrono::seconds(60));
  EXPECT_FALSE(end.timed_out) << "still running after 60 s";
  EXPECT_TRUE(end.exited) << "ended by signal " << end.signal << "\n" << end.err;
  EXPECT_EQ(end.code, 2) << end.err;
  EXPECT_NE(end.err.find("harness: error: " + file.string()), std::string::npos)
      << "the message does not start with the file: " << end.err;
  EXPECT_LE(end.cpu_seconds, kMaxCpuSeconds) << "wall " << end.wall_seconds << " s";
  EXPECT_LE(end.max_rss_kib, kMaxRssKib);
  // Nothing half-written is left behind.
  EXPECT_FALSE(fs::exists(scratch / "converted.tflite"));
  fs::remove_all(scratch);
}

std::string CaseName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(SharedFolder, HostileFile, ::testing::ValuesIn(HostileFiles()), CaseName);

}  // namespace
}  // namespace harness

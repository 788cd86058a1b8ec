// Bad input never crashes the tool: each case exits with code 2 and a message that names the
// file and the problem. Run in-process (so the sanitizer build checks the parsers) and once
// through the real binary to check the process exit status.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <vector>

#include "harness/cli/cli.h"
#include "tests/cli/cli_test_support.h"

namespace harness {
namespace {

using test::CliOutcome;
using test::kMlperfTiny;
using test::RunCli;

namespace fs = std::filesystem;

fs::path TempFile(const std::string& name, const std::vector<char>& bytes) {
  const fs::path path = fs::temp_directory_path() / ("harness_hostile_" + name);
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return path;
}

std::vector<char> ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void ExpectBadInput(const CliOutcome& o, const std::string& must_mention) {
  EXPECT_EQ(o.code, 2) << o.err;
  EXPECT_NE(o.err.find("harness: error: "), std::string::npos) << o.err;
  EXPECT_NE(o.err.find(must_mention), std::string::npos) << "message: " << o.err;
}

TEST(HostileInput, TruncatedModel) {
  const auto model = ReadAll(kMlperfTiny / "models" / "kws_ref_model.tflite");
  ASSERT_GT(model.size(), 1000u);
  for (size_t length : {size_t{0}, size_t{3}, size_t{16}, size_t{200}, size_t{1000}, model.size() / 2,
                        model.size() - 1}) {
    const fs::path path = TempFile("truncated.tflite", std::vector<char>(model.begin(), model.begin() + static_cast<long>(length)));
    ExpectBadInput(RunCli({"inspect", path.string()}), path.string());
    fs::remove(path);
  }
}

TEST(HostileInput, RandomBytes) {
  std::mt19937 rng(42);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<char> bytes(64 + rng() % 4096);
    for (char& b : bytes) b = static_cast<char>(rng());
    if (trial % 2) {  // a valid-looking identifier so the verifier, not the header check, decides
      bytes[4] = 'T'; bytes[5] = 'F'; bytes[6] = 'L'; bytes[7] = '3';
    }
    const fs::path path = TempFile("random.tflite", bytes);
    ExpectBadInput(RunCli({"inspect", path.string()}), path.string());
    fs::remove(path);
  }
}

TEST(HostileInput, Hdf5GivenAsModel) {
  const fs::path set = kMlperfTiny / "data" / "kws01_speechcmd1000_calib.h5";
  ExpectBadInput(RunCli({"inspect", set.string()}), set.string());
}

TEST(HostileInput, MissingModel) {
  ExpectBadInput(RunCli({"inspect", "no/such/model.tflite"}), "no/such/model.tflite");
}

TEST(HostileInput, ModelGivenAsSet) {
  const fs::path model = kMlperfTiny / "models" / "kws_ref_model.tflite";
  const fs::path out = fs::temp_directory_path() / "harness_hostile_out.h5";
  ExpectBadInput(RunCli({"infer", model.string(), "--data", model.string(), "--out", out.string()}),
                 model.string());
  EXPECT_FALSE(fs::exists(out));
}

TEST(HostileInput, SetWithTheWrongShape) {
  const fs::path model = kMlperfTiny / "models" / "vww_96_int8.tflite";
  const fs::path set = kMlperfTiny / "data" / "kws01_speechcmd1000_calib.h5";
  const fs::path out = fs::temp_directory_path() / "harness_hostile_out.h5";
  const CliOutcome o = RunCli({"infer", model.string(), "--data", set.string(), "--out", out.string()});
  ExpectBadInput(o, "[49, 10, 1]");
  EXPECT_NE(o.err.find("[1, 96, 96, 3]"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(out));
}

TEST(HostileInput, BadCommandLine) {
  ExpectBadInput(RunCli({"infer", "m.tflite", "--data"}), "--data");
  ExpectBadInput(RunCli({"infer", "m.tflite", "--bogus", "1"}), "--bogus");
  ExpectBadInput(RunCli({"infer", "m.tflite", "--data", "x.h5", "--out", "y.h5", "--jobs", "two"}), "--jobs");
  ExpectBadInput(RunCli({"frobnicate"}), "frobnicate");
}

TEST(HostileInput, RealProcessExitsWithCodeTwo) {
  const fs::path path = TempFile("process.tflite", {'n', 'o', 't', ' ', 'a', ' ', 'm', 'o', 'd', 'e', 'l'});
  const std::string command = std::string(HARNESS_BINARY) + " inspect " + path.string() + " 2>/dev/null";
  const int status = std::system(command.c_str());
  fs::remove(path);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
}

}  // namespace
}  // namespace harness

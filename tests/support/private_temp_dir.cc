// Every test process gets a temporary folder of its own. ctest runs each test case as its own
// process, several at once, and tests name their scratch files after the case; without this two
// processes could write, read or delete the same file. Before any test runs, a fresh folder is
// created and TMPDIR points at it (std::filesystem::temp_directory_path reads TMPDIR); it is
// removed with everything in it when the process ends.
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace {

class PrivateTempDir {
 public:
  PrivateTempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/harness-test-XXXXXX";
    if (mkdtemp(pattern.data()) != nullptr) {
      path_ = pattern;
      setenv("TMPDIR", path_.c_str(), 1);
    }
  }
  ~PrivateTempDir() {
    if (path_.empty()) return;
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  PrivateTempDir(const PrivateTempDir&) = delete;
  PrivateTempDir& operator=(const PrivateTempDir&) = delete;

 private:
  std::string path_;
};

const PrivateTempDir private_temp_dir;

}  // namespace

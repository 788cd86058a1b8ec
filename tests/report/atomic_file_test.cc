// AtomicFileSet: nothing changes until Commit, then every file at once; temporaries never
// outlive the set; stale temporaries of ended processes are removed, a live process's kept.
#include "harness/report/atomic_file.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "harness/common/error.h"

namespace harness::report {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

size_t FileCount(const fs::path& dir) {
  size_t count = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) ++count;
  return count;
}

fs::path FreshDir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(AtomicFileSet, NothingChangesUntilCommitThenEverything) {
  const fs::path dir = FreshDir("harness_atomic_set");
  std::ofstream(dir / "a.txt") << "old a";
  std::ofstream(dir / "b.txt") << "old b";
  {
    AtomicFileSet files;
    files.Stage((dir / "a.txt").string(), "new a");
    files.Stage((dir / "b.txt").string(), "new b");
    EXPECT_EQ(Read(dir / "a.txt"), "old a");
    EXPECT_EQ(FileCount(dir), 4u);  // two targets, two temporaries
    files.Commit();
  }
  EXPECT_EQ(Read(dir / "a.txt"), "new a");
  EXPECT_EQ(Read(dir / "b.txt"), "new b");
  EXPECT_EQ(FileCount(dir), 2u);
  fs::remove_all(dir);
}

TEST(AtomicFileSet, AbandonedSetLeavesTargetsAndNoTemporaries) {
  const fs::path dir = FreshDir("harness_atomic_abandoned");
  std::ofstream(dir / "a.txt") << "old a";
  {
    AtomicFileSet files;
    files.Stage((dir / "a.txt").string(), "new a");
    files.Stage((dir / "c.txt").string(), "new c");
  }
  EXPECT_EQ(Read(dir / "a.txt"), "old a");
  EXPECT_FALSE(fs::exists(dir / "c.txt"));
  EXPECT_EQ(FileCount(dir), 1u);
  fs::remove_all(dir);
}

TEST(AtomicFileSet, StageIntoAMissingFolderFailsNamingTheFile) {
  AtomicFileSet files;
  const std::string path = "/nonexistent-folder-of-harness/report.json";
  try {
    files.Stage(path, "x");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.place(), path);
  }
}

TEST(RemoveStaleTemporaries, RemovesThoseOfEndedProcessesOnly) {
  const fs::path dir = FreshDir("harness_atomic_stale");
  const pid_t dead = fork();
  if (dead == 0) _exit(0);
  ASSERT_GT(dead, 0);
  waitpid(dead, nullptr, 0);
  const fs::path stale = dir / (".baseline.json.tmp." + std::to_string(dead));
  const fs::path live = dir / (".baseline.json.tmp." + std::to_string(getppid()));
  const fs::path other = dir / (".report.json.tmp." + std::to_string(dead));
  for (const fs::path& p : {stale, live, other}) std::ofstream(p) << "partial";
  RemoveStaleTemporaries((dir / "baseline.json").string());
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(live)) << "the temporary file of a running process was removed";
  EXPECT_TRUE(fs::exists(other)) << "another file's temporary was removed";
  fs::remove_all(dir);
}

}  // namespace
}  // namespace harness::report

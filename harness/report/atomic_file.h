#pragma once
// Writing files so that readers see either the old content or the new one, never a half-written
// file: a report being read by CI while a run is killed, a baseline replaced by
// --update-baseline, and the four reports of a run replaced together.

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace harness::report {

// Several files replaced as a set. Stage writes each to a temporary file next to its target
// (`.NAME.tmp.PID`); Commit renames them all over their targets, which takes no disk space and
// cannot fail half-way for lack of it. Until Commit every target is unchanged: a full disk, an
// error or an interrupt between Stage and Commit leaves the old set, and the destructor removes
// the temporaries.
class AtomicFileSet {
 public:
  AtomicFileSet() = default;
  ~AtomicFileSet();
  AtomicFileSet(const AtomicFileSet&) = delete;
  AtomicFileSet& operator=(const AtomicFileSet&) = delete;

  // Error (place: the path) when the temporary file cannot be written.
  void Stage(const std::string& path, std::string_view content);
  // Error (place: the path) when a rename fails; files renamed before it stay replaced.
  void Commit();

 private:
  std::vector<std::pair<std::filesystem::path, std::filesystem::path>> staged_;  // temp, target
};

// One file: Stage and Commit. Error (place: the path) on any failure, after which `path` is
// unchanged and the temporary file removed.
void WriteFileAtomically(const std::string& path, std::string_view content);

// Removes `.NAME.tmp.PID` files next to `path` left by processes that no longer run (killed
// while writing); a running process's temporary file is left alone.
void RemoveStaleTemporaries(const std::string& path);

// The whole file; Error (place: the path) when it cannot be read.
std::string ReadWholeFile(const std::string& path);

}  // namespace harness::report

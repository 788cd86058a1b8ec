#pragma once
// Writing a file so that readers see either the old content or the new one, never a half-written
// file: a report being read by CI while a run is killed, a baseline replaced by
// --update-baseline.

#include <string>
#include <string_view>

namespace harness::report {

// Writes `content` to a temporary file next to `path` and renames it over `path` (rename is
// atomic within one file system on POSIX). Error (place: the path) on any failure, after which
// `path` is unchanged and the temporary file removed.
void WriteFileAtomically(const std::string& path, std::string_view content);

// The whole file; Error (place: the path) when it cannot be read.
std::string ReadWholeFile(const std::string& path);

}  // namespace harness::report

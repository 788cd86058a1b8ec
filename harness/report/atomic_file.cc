#include "harness/report/atomic_file.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>
#include <system_error>

#include "harness/common/error.h"

namespace harness::report {
namespace {

namespace fs = std::filesystem;

// ".NAME.tmp." : the temporary files of `target` start with it and end with a process id.
std::string TemporaryPrefix(const fs::path& target) {
  // Built with append: GCC 12 warns falsely (-Wrestrict) on `"." + std::string`.
  std::string prefix(".");
  prefix.append(target.filename().string()).append(".tmp.");
  return prefix;
}

}  // namespace

AtomicFileSet::~AtomicFileSet() {
  for (const auto& [temporary, target] : staged_) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
  }
}

void AtomicFileSet::Stage(const std::string& path, std::string_view content) {
  // The temporary file lives in the target's folder (rename does not cross file systems) and
  // carries the process id, so two runs writing into the same folder do not share it.
  const fs::path target(path);
  RemoveStaleTemporaries(path);
  const fs::path temporary =
      target.parent_path() / (TemporaryPrefix(target) + std::to_string(getpid()));
  staged_.emplace_back(temporary, target);  // from here on the destructor removes it
  std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
  if (!out) throw Error(path, "cannot create the temporary file " + temporary.string());
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.flush();
  out.close();
  if (!out) throw Error(path, "cannot write the file (disk full?)");
}

void AtomicFileSet::Commit() {
  while (!staged_.empty()) {
    const auto [temporary, target] = staged_.front();
    std::error_code error;
    fs::rename(temporary, target, error);
    if (error) throw Error(target.string(), "cannot replace the file: " + error.message());
    staged_.erase(staged_.begin());
  }
}

void WriteFileAtomically(const std::string& path, std::string_view content) {
  AtomicFileSet file;
  file.Stage(path, content);
  file.Commit();
}

void RemoveStaleTemporaries(const std::string& path) {
  const fs::path target(path);
  const fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  const std::string prefix = TemporaryPrefix(target);
  std::error_code error;
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string pid_text = name.substr(prefix.size());
    if (pid_text.empty() || pid_text.size() > 9 ||
        pid_text.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    const long pid = std::stol(pid_text);
    // kill(pid, 0) fails with ESRCH only when no such process exists.
    if (pid > 0 && pid != getpid() && kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
      std::error_code ignored;
      fs::remove(it->path(), ignored);
    }
  }
}

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path, "cannot open the file");
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) throw Error(path, "read error");
  return content.str();
}

}  // namespace harness::report

#include "harness/runner/progress.h"

#include <unistd.h>

#include <cstdlib>
#include <ostream>

namespace harness::runner {

Progress::Progress(std::ostream& out, bool interactive, size_t total)
    : out_(out), interactive_(interactive), total_(total) {}

void Progress::Started(const std::string& what) {
  if (!interactive_) return;
  std::lock_guard lock(mutex_);
  // \33[2K clears the line so a shorter name does not leave the tail of a longer one.
  out_ << "\r\33[2K[" << finished_ << "/" << total_ << "] " << what << std::flush;
}

void Progress::Finished(const std::string& what, const std::string& summary) {
  std::lock_guard lock(mutex_);
  ++finished_;
  if (interactive_) {
    out_ << "\r\33[2K[" << finished_ << "/" << total_ << "] " << what << "  " << summary
         << std::flush;
  } else {
    out_ << "[" << finished_ << "/" << total_ << "] " << what << "  " << summary << "\n";
  }
}

void Progress::Done() {
  std::lock_guard lock(mutex_);
  if (interactive_) out_ << "\r\33[2K" << std::flush;
}

bool IsInteractive(int fd) {
  const char* ci = std::getenv("CI");
  if (ci != nullptr && *ci != '\0') return false;
  return isatty(fd) == 1;
}

}  // namespace harness::runner

#pragma once
// Progress of a run: on a terminal one line rewritten in place ("[3/24] kws/int8/entropy"),
// in a CI log one plain line per finished result. Safe to call from several threads.

#include <cstddef>
#include <iosfwd>
#include <mutex>
#include <string>

namespace harness::runner {

class Progress {
 public:
  Progress(std::ostream& out, bool interactive, size_t total);
  void Started(const std::string& what);
  void Finished(const std::string& what, const std::string& summary);
  void Done();

 private:
  std::ostream& out_;
  bool interactive_;
  size_t total_;
  size_t finished_ = 0;
  std::mutex mutex_;
};

// True when `fd` is a terminal and the environment does not say CI.
bool IsInteractive(int fd);

}  // namespace harness::runner

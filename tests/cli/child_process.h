// The real `harness` binary as a child process, for tests about what only a process shows:
// its exit status, the CPU time and peak memory it used (wait4's rusage, which also counts the
// children it waited for), and how it ends when it is sent a signal.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace harness::test {

struct ProcessEnd {
  bool exited = false;       // false: ended by a signal, or killed at the deadline
  int code = -1;             // exit code when exited
  int signal = 0;            // the signal that ended it, when not exited
  bool timed_out = false;    // killed because it outlived the deadline
  double cpu_seconds = 0.0;  // user + system, its children included
  double wall_seconds = 0.0;
  long max_rss_kib = 0;  // peak resident memory of it or any child it waited for
  std::string err;       // what it wrote to stderr
};

class ChildProcess {
 public:
  // Starts HARNESS_BINARY with `args` in `working_dir` (empty: the current one); stdout is
  // discarded, stderr kept in `stderr_path`.
  ChildProcess(const std::vector<std::string>& args, const std::filesystem::path& stderr_path,
               const std::filesystem::path& working_dir = {})
      : stderr_path_(stderr_path), start_(std::chrono::steady_clock::now()) {
    std::vector<std::string> argv_storage{HARNESS_BINARY};
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : argv_storage) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = fork();
    if (pid_ == 0) {
      const int out = open("/dev/null", O_WRONLY);
      const int err = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (out < 0 || err < 0) _exit(127);
      dup2(out, STDOUT_FILENO);
      dup2(err, STDERR_FILENO);
      if (!working_dir.empty() && chdir(working_dir.c_str()) != 0) _exit(127);
      // A runaway child cannot take the machine with it: CPU time is bounded hard.
      const rlimit cpu{120, 121};
      setrlimit(RLIMIT_CPU, &cpu);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }
  ~ChildProcess() {
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  bool started() const { return pid_ > 0; }
  void Signal(int signal_number) const { kill(pid_, signal_number); }

  // Waits for the end, killing the process once `deadline` has passed since the start.
  ProcessEnd Wait(std::chrono::milliseconds deadline) {
    ProcessEnd end;
    int status = 0;
    rusage usage{};
    for (;;) {
      const pid_t done = wait4(pid_, &status, WNOHANG, &usage);
      if (done == pid_) break;
      if (std::chrono::steady_clock::now() - start_ > deadline) {
        end.timed_out = true;
        kill(pid_, SIGKILL);
        wait4(pid_, &status, 0, &usage);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    reaped_ = true;
    end.wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    end.exited = !end.timed_out && WIFEXITED(status);
    if (end.exited) end.code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) end.signal = WTERMSIG(status);
    end.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                      static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    end.max_rss_kib = usage.ru_maxrss;
    std::ifstream err(stderr_path_);
    std::ostringstream text;
    text << err.rdbuf();
    end.err = text.str();
    return end;
  }

 private:
  std::filesystem::path stderr_path_;
  std::chrono::steady_clock::time_point start_;
  pid_t pid_ = -1;
  bool reaped_ = false;
};

}  // namespace harness::test

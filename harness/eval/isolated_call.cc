#include "harness/eval/isolated_call.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>

namespace harness::eval {
namespace {

using Clock = std::chrono::steady_clock;

// The process's data segment size as the kernel counts it for RLIMIT_DATA (VmData, every
// private writable mapping), in bytes; 0 when /proc is not readable.
size_t DataSegmentBytes() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == "VmData:") {
      size_t kilobytes = 0;
      status >> kilobytes;
      return kilobytes * 1024;
    }
    status.ignore(1 << 16, '\n');
  }
  return 0;
}

void WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t written = write(fd, data, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      return;
    }
    data += written;
    size -= static_cast<size_t>(written);
  }
}

// The CPU limit in whole seconds, at least one (RLIMIT_CPU counts seconds).
rlim_t CpuSeconds(const IsolationLimits& limits) {
  return static_cast<rlim_t>(
      std::max<int64_t>(1, std::chrono::ceil<std::chrono::seconds>(limits.cpu_time).count()));
}

[[noreturn]] void RunChild(int fd, const std::function<std::string()>& work,
                           const IsolationLimits& limits) {
  // What libhdf5 or a sanitizer prints when it fails would only confuse the one message the
  // parent prints about it.
  const int null_fd = open("/dev/null", O_WRONLY);
  if (null_fd >= 0) dup2(null_fd, STDERR_FILENO);
  // The memory bound is relative: a sanitizer build maps terabytes of shadow memory up front.
  const size_t data_limit = DataSegmentBytes() + limits.extra_memory_bytes;
  const rlimit data{data_limit, data_limit};
  setrlimit(RLIMIT_DATA, &data);
  const rlimit cpu{CpuSeconds(limits), CpuSeconds(limits) + 1};
  setrlimit(RLIMIT_CPU, &cpu);

  char status = '1';
  std::string payload;
  try {
    payload = work();
    status = '0';
  } catch (const std::exception& e) {
    payload = e.what();
  } catch (...) {
    payload = "unknown failure";
  }
  WriteAll(fd, &status, 1);
  WriteAll(fd, payload.data(), payload.size());
  _exit(0);
}

std::string Seconds(std::chrono::milliseconds time) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(time.count()) / 1000.0);
  return text;
}

}  // namespace

IsolatedOutcome RunIsolated(const std::function<std::string()>& work,
                            const IsolationLimits& limits) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    return {std::nullopt, std::string("cannot create a pipe: ") + std::strerror(errno)};
  }
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return {std::nullopt, std::string("cannot fork: ") + std::strerror(errno)};
  }
  if (pid == 0) {
    close(fds[0]);
    RunChild(fds[1], work, limits);
  }
  close(fds[1]);

  std::string data;
  bool timed_out = false;
  bool too_large = false;
  const Clock::time_point deadline = Clock::now() + limits.wall_time;
  char buffer[1 << 16];
  for (;;) {
    const auto remaining =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (remaining.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd readable{fds[0], POLLIN, 0};
    const int ready = poll(&readable, 1, static_cast<int>(remaining.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) {
      timed_out = true;
      break;
    }
    const ssize_t n = read(fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    data.append(buffer, static_cast<size_t>(n));
    if (data.size() > limits.max_output_bytes + 1) {
      too_large = true;
      break;
    }
  }
  if (timed_out || too_large) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  close(fds[0]);

  if (timed_out) return {std::nullopt, "did not finish within " + Seconds(limits.wall_time)};
  if (too_large) {
    return {std::nullopt,
            "produced more than " + std::to_string(limits.max_output_bytes) + " bytes"};
  }
  if (WIFSIGNALED(status)) {
    const int signal_number = WTERMSIG(status);
    if (signal_number == SIGXCPU) {
      return {std::nullopt,
              "used more than " + std::to_string(CpuSeconds(limits)) + " s of CPU time"};
    }
    return {std::nullopt, std::string("crashed or exceeded its memory budget of ") +
                              std::to_string(limits.extra_memory_bytes >> 20) + " MiB (signal " +
                              std::to_string(signal_number) + ", " + strsignal(signal_number) +
                              ")"};
  }
  if (data.empty()) return {std::nullopt, "ended without a result"};
  if (data[0] != '0') return {std::nullopt, data.substr(1)};
  return {data.substr(1), ""};
}

}  // namespace harness::eval

#pragma once
// Ctrl-C as a process-wide request to stop. The command line's SIGINT handler sets it; long
// loops anywhere (the run's phases, every bootstrap resample) check it and throw Interrupted,
// which the command turns into exit code 130 without writing anything.

#include <atomic>
#include <exception>

namespace harness {

struct Interrupted : std::exception {
  const char* what() const noexcept override { return "interrupted"; }
};

// The flag itself: lock-free, so a signal handler may set it.
std::atomic<bool>& InterruptFlag() noexcept;

inline bool InterruptRequested() noexcept {
  return InterruptFlag().load(std::memory_order_relaxed);
}

inline void ThrowIfInterrupted() {
  if (InterruptRequested()) throw Interrupted();
}

}  // namespace harness

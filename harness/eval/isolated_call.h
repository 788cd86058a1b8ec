#pragma once
// Runs a function in a forked child process with bounded time and memory and returns the bytes
// it produced. For calls into a library that can crash, hang or allocate gigabytes on hostile
// input (libhdf5 1.10 following a corrupt global heap): whatever goes wrong happens in the
// child, and the caller gets a reason instead.
//
// The child has only the calling thread. `work` must therefore not take locks another thread
// may have held at the fork (the HDF5 LibraryLock included: the caller holds it across the call,
// so no other thread is inside libhdf5, and `work` calls libhdf5 directly).

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

namespace harness::eval {

struct IsolationLimits {
  std::chrono::milliseconds time{2000};
  size_t extra_memory_bytes = size_t{256} << 20;  // beyond what the process already maps
  size_t max_output_bytes = size_t{16} << 20;
};

struct IsolatedOutcome {
  std::optional<std::string> output;  // set when `work` returned
  std::string failure;                // else why not, in words ("took longer than 2 s")
};

// `work` returns its result as bytes, or throws std::exception whose what() becomes the failure.
IsolatedOutcome RunIsolated(const std::function<std::string()>& work,
                            const IsolationLimits& limits);

}  // namespace harness::eval

#pragma once
// Runs a function in a forked child process with bounded time and memory and returns the bytes
// it produced. For calls into a library that can crash, hang or allocate gigabytes on hostile
// input (libhdf5 1.10 following a corrupt global heap): whatever goes wrong happens in the
// child, and the caller gets a reason instead.
//
// The child has only the calling thread. `work` must therefore not take locks another thread
// may have held at the fork (the HDF5 LibraryLock included: the caller holds it across the call,
// so no other thread is inside libhdf5, and `work` calls libhdf5 directly). Allocating is such
// a lock too where the allocator is not fork-safe (AddressSanitizer's): call this only while no
// other thread is working, which is why the runner reads every set before its parallel phase.

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

namespace harness::eval {

struct IsolationLimits {
  // CPU time the child may use (whole seconds, rounded up: the kernel's RLIMIT_CPU granularity).
  // A libhdf5 loop on a corrupt heap spins, so this is the bound that stops real hangs.
  std::chrono::milliseconds cpu_time{2000};
  // Wall-clock bound for a child that blocks without spinning. Generous on purpose: on a loaded
  // machine (CI runners, sanitizer builds) a call that needs milliseconds of CPU can wait
  // seconds for a core, and a valid file must not be refused for that.
  std::chrono::milliseconds wall_time{8000};
  size_t extra_memory_bytes = size_t{256} << 20;  // beyond what the process already maps
  size_t max_output_bytes = size_t{16} << 20;
};

struct IsolatedOutcome {
  std::optional<std::string> output;  // set when `work` returned
  std::string failure;                // else why not, in words ("used more than 2 s of CPU time")
};

// `work` returns its result as bytes, or throws std::exception whose what() becomes the failure.
IsolatedOutcome RunIsolated(const std::function<std::string()>& work,
                            const IsolationLimits& limits);

}  // namespace harness::eval

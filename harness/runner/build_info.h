#pragma once
// What built this harness, for the provenance block of every report.

#include <string>
#include <vector>

namespace harness::runner {

struct BuildInfo {
  std::string version;         // the project version
  std::string git_commit;      // "unknown" outside a git checkout; "-dirty" with local changes
  std::string compiler;        // "GNU 12.2.0"
  std::string compiler_flags;  // the release flags the project was compiled with
  // SHA-256 over the harness and kernel sources built (cmake/WriteSourceHash.cmake): what
  // --cache keys a build by, changed by any code change, committed or not.
  std::string source_sha256;
};

const BuildInfo& GetBuildInfo();

// The instruction-set extensions of this CPU that the kernels can use.
std::vector<std::string> CpuFeatures();

// The host name, or "unknown".
std::string HostName();

// Now, as ISO 8601 UTC ("2026-11-23T02:00:00Z").
std::string UtcTimestamp();

}  // namespace harness::runner

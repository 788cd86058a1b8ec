#include "harness/runner/build_info.h"

#include <unistd.h>

#include <array>
#include <ctime>

namespace harness::runner {

extern const char* const kGitCommit;     // generated at build time
extern const char* const kSourceSha256;  // generated at build time

const BuildInfo& GetBuildInfo() {
  static const BuildInfo info = [] {
    BuildInfo b;
    b.version = HARNESS_VERSION;
    b.git_commit = kGitCommit;
    b.source_sha256 = kSourceSha256;
#if defined(__clang__)
    b.compiler = std::string("Clang ") + __clang_version__;
#elif defined(__GNUC__)
    b.compiler = std::string("GNU ") + __VERSION__;
#else
    b.compiler = "unknown";
#endif
    b.compiler_flags = HARNESS_COMPILER_FLAGS;
    return b;
  }();
  return info;
}

std::vector<std::string> CpuFeatures() {
  std::vector<std::string> features;
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("sse4.2")) features.emplace_back("sse4.2");
  if (__builtin_cpu_supports("avx2")) features.emplace_back("avx2");
  if (__builtin_cpu_supports("fma")) features.emplace_back("fma");
  if (__builtin_cpu_supports("avx512f")) features.emplace_back("avx512f");
  if (__builtin_cpu_supports("avx512bw")) features.emplace_back("avx512bw");
  if (__builtin_cpu_supports("avx512vnni")) features.emplace_back("avx512vnni");
#endif
  return features;
}

std::string HostName() {
  std::array<char, 256> name{};
  if (gethostname(name.data(), name.size() - 1) != 0) return "unknown";
  return name.data();
}

std::string UtcTimestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::array<char, 32> text{};
  std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text.data();
}

}  // namespace harness::runner

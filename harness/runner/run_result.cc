#include "harness/runner/run_result.h"

#include <array>

namespace harness::runner {
namespace {

// Indexed by InputRole.
constexpr auto kRoleNames = std::to_array<const char*>({"model", "calibration", "validation"});

}  // namespace

const char* ToString(InputRole role) { return kRoleNames[static_cast<size_t>(role)]; }

std::optional<InputRole> ParseInputRole(std::string_view text) {
  for (size_t i = 0; i < kRoleNames.size(); ++i) {
    if (text == kRoleNames[i]) return static_cast<InputRole>(i);
  }
  return std::nullopt;
}

const ResultRecord* RunReport::Find(std::string_view id) const {
  for (const ResultRecord& result : results) {
    if (result.id == id) return &result;
  }
  return nullptr;
}

size_t RunReport::FailedCount() const {
  size_t failed = 0;
  for (const ResultRecord& result : results) failed += result.error ? 1 : 0;
  return failed;
}

}  // namespace harness::runner

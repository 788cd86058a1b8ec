#include "harness/common/error.h"

namespace harness {
namespace {

std::string Describe(const std::string& place, const std::string& message) {
  return place.empty() ? message : place + ": " + message;
}

}  // namespace

Error::Error(std::string place, std::string message)
    : std::runtime_error(Describe(place, message)),
      place_(std::move(place)),
      message_(std::move(message)) {}

Error Error::Within(const std::string& outer) const {
  if (place_.empty()) return Error(outer, message_);
  return Error(outer + ": " + place_, message_);
}

}  // namespace harness

#include "harness/runner/glob.h"

namespace harness::runner {
namespace {

// Iterative matcher with one backtrack point per '*': linear in practice, no recursion.
bool MatchOne(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0;
  size_t star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view text) {
  size_t start = 0;
  while (true) {
    const size_t comma = pattern.find(',', start);
    const std::string_view alternative = pattern.substr(start, comma - start);
    if (MatchOne(alternative, text)) return true;
    if (comma == std::string_view::npos) return false;
    start = comma + 1;
  }
}

}  // namespace harness::runner

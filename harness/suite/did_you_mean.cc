#include "harness/suite/did_you_mean.h"

#include <algorithm>
#include <vector>

namespace harness::suite {

size_t EditDistance(std::string_view a, std::string_view b) {
  // One row of the dynamic-programming table at a time: row[j] is the distance between the
  // first i characters of a and the first j of b.
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];  // distance(a[0..i-1), b[0..j-1))
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      diagonal = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitute});
    }
  }
  return row[b.size()];
}

std::string ClosestMatch(std::string_view word, std::span<const char* const> candidates) {
  std::string best;
  size_t best_distance = 0;
  for (const char* candidate : candidates) {
    const std::string_view text(candidate);
    const size_t distance = EditDistance(word, text);
    const size_t allowed = std::max<size_t>(1, std::max(word.size(), text.size()) / 3);
    if (distance > allowed) continue;
    if (best.empty() || distance < best_distance) {
      best = text;
      best_distance = distance;
    }
  }
  return best;
}

std::string DidYouMean(std::string_view word, std::span<const char* const> candidates) {
  const std::string match = ClosestMatch(word, candidates);
  if (match.empty()) return "";
  // Built by append: GCC 12 at -O3 warns falsely (-Wrestrict) on `literal + string + literal`.
  std::string text = " (did you mean '";
  text.append(match).append("'?)");
  return text;
}

std::string QuotedList(std::span<const char* const> names) {
  std::string text;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) text += i + 1 == names.size() ? " or " : ", ";
    text.append("'").append(names[i]).append("'");
  }
  return text;
}

}  // namespace harness::suite

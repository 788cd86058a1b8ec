#pragma once
// "did you mean ...?" for misspelled keys and names in a suite: the closest candidate by edit
// distance, offered only when it is close enough to be a plausible typo.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace harness::suite {

// Levenshtein distance: insertions, deletions and substitutions each cost 1.
size_t EditDistance(std::string_view a, std::string_view b);

// The candidate nearest `word` when at most a third of the longer word's characters (and at
// least one) differ, else "". Ties go to the earlier candidate, so the answer is stable.
std::string ClosestMatch(std::string_view word, std::span<const char* const> candidates);

// " (did you mean 'x'?)" or "" when nothing is close; ready to append to a message.
std::string DidYouMean(std::string_view word, std::span<const char* const> candidates);

// "'a', 'b' or 'c'", for "expected one of ..." messages.
std::string QuotedList(std::span<const char* const> names);

}  // namespace harness::suite

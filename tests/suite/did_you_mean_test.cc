#include "harness/suite/did_you_mean.h"

#include <gtest/gtest.h>

#include <array>

namespace harness::suite {
namespace {

TEST(EditDistanceTest, HandComputedCases) {
  EXPECT_EQ(EditDistance("", ""), 0u);
  EXPECT_EQ(EditDistance("abc", ""), 3u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);  // k->s, e->i, +g
  EXPECT_EQ(EditDistance("calibrater", "calibrator"), 1u);
  EXPECT_EQ(EditDistance("flaw", "lawn"), 2u);  // -f, +n
  EXPECT_EQ(EditDistance("int8", "int8"), 0u);
}

TEST(EditDistanceTest, IsSymmetric) {
  const std::array<const char*, 5> words = {"", "a", "minmax", "mixed", "entropy"};
  for (const char* a : words) {
    for (const char* b : words) EXPECT_EQ(EditDistance(a, b), EditDistance(b, a)) << a << b;
  }
}

TEST(ClosestMatchTest, SuggestsOnlyPlausibleTypos) {
  constexpr std::array<const char*, 4> keys = {"calibrator", "calibrators", "method", "name"};
  EXPECT_EQ(ClosestMatch("calibrater", keys), "calibrator");
  EXPECT_EQ(ClosestMatch("calibratorz", keys), "calibrator");  // tie 1 vs 1: the earlier one
  EXPECT_EQ(ClosestMatch("methd", keys), "method");
  EXPECT_EQ(ClosestMatch("xyz", keys), "");
  EXPECT_EQ(ClosestMatch("nme", keys), "name");
}

TEST(DidYouMeanTest, FormatsTheSuggestion) {
  constexpr std::array<const char*, 2> names = {"int8", "fp32"};
  EXPECT_EQ(DidYouMean("int9", names), " (did you mean 'int8'?)");
  EXPECT_EQ(DidYouMean("banana", names), "");
}

TEST(QuotedListTest, JoinsWithCommasAndOr) {
  constexpr std::array<const char*, 3> three = {"a", "b", "c"};
  EXPECT_EQ(QuotedList(three), "'a', 'b' or 'c'");
  EXPECT_EQ(QuotedList(std::span<const char* const>(three).first(1)), "'a'");
  EXPECT_EQ(QuotedList(std::span<const char* const>(three).first(2)), "'a' or 'b'");
}

}  // namespace
}  // namespace harness::suite

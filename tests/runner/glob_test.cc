#include "harness/runner/glob.h"

#include <gtest/gtest.h>

namespace harness::runner {
namespace {

TEST(Glob, LiteralsWildcardsAndAlternatives) {
  EXPECT_TRUE(GlobMatch("kws/int8/entropy", "kws/int8/entropy"));
  EXPECT_FALSE(GlobMatch("kws/int8/entropy", "kws/int8/entrop"));
  EXPECT_TRUE(GlobMatch("kws*", "kws/int8/entropy"));
  EXPECT_TRUE(GlobMatch("*/int8/*", "vww/int8/mse"));
  EXPECT_FALSE(GlobMatch("*/int8/*", "vww/fp16"));
  EXPECT_FALSE(GlobMatch("vww/int?x8/*", "vww/int16x8/minmax"));  // ? is one character
  EXPECT_TRUE(GlobMatch("vww/int1?x8/*", "vww/int16x8/minmax"));
  EXPECT_TRUE(GlobMatch("a/fp32,b/*", "b/int8/mse"));
  EXPECT_TRUE(GlobMatch("a/fp32,b/*", "a/fp32"));
  EXPECT_FALSE(GlobMatch("a/fp32,b/*", "c/fp32"));
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_FALSE(GlobMatch("?", ""));
  EXPECT_TRUE(GlobMatch("**a*b*", "xxaxxbxx"));
}

// A second implementation: the textbook dynamic program over prefixes.
bool Reference(const std::string& p, const std::string& t) {
  std::vector<std::vector<bool>> m(p.size() + 1, std::vector<bool>(t.size() + 1, false));
  m[0][0] = true;
  for (size_t i = 1; i <= p.size(); ++i) {
    m[i][0] = m[i - 1][0] && p[i - 1] == '*';
    for (size_t j = 1; j <= t.size(); ++j) {
      if (p[i - 1] == '*') m[i][j] = m[i - 1][j] || m[i][j - 1];
      else m[i][j] = m[i - 1][j - 1] && (p[i - 1] == '?' || p[i - 1] == t[j - 1]);
    }
  }
  return m[p.size()][t.size()];
}

TEST(Glob, AgreesWithDynamicProgramming) {
  const std::string alphabet = "ab*?";
  uint32_t state = 12345;
  auto next = [&] { state = state * 1664525u + 1013904223u; return state >> 16; };
  for (int trial = 0; trial < 20000; ++trial) {
    std::string p, t;
    for (unsigned i = next() % 7; i > 0; --i) p += alphabet[next() % 4];
    for (unsigned i = next() % 8; i > 0; --i) t += alphabet[next() % 2];
    ASSERT_EQ(GlobMatch(p, t), Reference(p, t)) << p << " / " << t;
  }
}

}  // namespace
}  // namespace harness::runner

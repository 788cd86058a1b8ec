#include "harness/eval/metrics/mcnemar.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "harness/common/error.h"

namespace harness::eval {

McNemarResult McNemarTest(int64_t b, int64_t c) {
  if (b < 0 || c < 0) throw Error("McNemar", "negative discordant counts");
  McNemarResult result{b, c, 1.0, true};
  const int64_t n = b + c;
  if (n == 0) return result;
  if (n <= kMcNemarExactLimit) {
    // term_i = C(n, i) / 2^n, built by term_{i+1} = term_i * (n - i) / (i + 1): every
    // intermediate is an integer times a power of two below 2^53, so each step is exact.
    double term = std::ldexp(1.0, -static_cast<int>(n));
    double tail = 0.0;
    const int64_t smaller = std::min(b, c);
    for (int64_t i = 0; i <= smaller; ++i) {
      tail += term;
      term = term * static_cast<double>(n - i) / static_cast<double>(i + 1);
    }
    result.p_value = std::min(1.0, 2.0 * tail);
    return result;
  }
  result.exact = false;
  const double excess = std::max(static_cast<double>(std::llabs(b - c)) - 1.0, 0.0);
  const double statistic = excess * excess / static_cast<double>(n);
  result.p_value = std::erfc(std::sqrt(statistic / 2.0));
  return result;
}

McNemarResult McNemarTest(std::span<const uint8_t> correct_a, std::span<const uint8_t> correct_b) {
  if (correct_a.size() != correct_b.size()) {
    throw Error("McNemar", std::to_string(correct_a.size()) + " results for A against " +
                               std::to_string(correct_b.size()) + " for B");
  }
  int64_t b = 0;
  int64_t c = 0;
  for (size_t i = 0; i < correct_a.size(); ++i) {
    const bool a_right = correct_a[i] != 0;
    const bool b_right = correct_b[i] != 0;
    if (a_right && !b_right) ++b;
    if (!a_right && b_right) ++c;
  }
  return McNemarTest(b, c);
}

}  // namespace harness::eval

#include "harness/eval/metrics/significance.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "harness/common/error.h"

namespace harness::eval {
namespace {

double LogBinomialTerm(int64_t i, int64_t n, double log_p, double log_q) {
  const auto x = static_cast<double>(i);
  const auto m = static_cast<double>(n);
  return std::lgamma(m + 1.0) - std::lgamma(x + 1.0) - std::lgamma(m - x + 1.0) + x * log_p +
         (m - x) * log_q;
}

// log(sum exp(v)) without overflow or underflow of the terms.
double LogSumExp(const std::vector<double>& v) {
  const double top = *std::max_element(v.begin(), v.end());
  if (std::isinf(top)) return top;
  double sum = 0.0;
  for (double x : v) sum += std::exp(x - top);
  return top + std::log(sum);
}

// Sum of the Binomial(n, p) probabilities of i in [from, to].
double BinomialRange(int64_t from, int64_t to, int64_t n, double p) {
  if (n < 0) throw Error("binomial test", "negative sample count " + std::to_string(n));
  if (!(p >= 0.0 && p <= 1.0)) throw Error("binomial test", "probability outside [0, 1]");
  from = std::max<int64_t>(from, 0);
  to = std::min(to, n);
  if (from > to) return 0.0;
  if (p == 0.0) return from == 0 ? 1.0 : 0.0;
  if (p == 1.0) return to == n ? 1.0 : 0.0;
  const double log_p = std::log(p);
  const double log_q = std::log1p(-p);
  std::vector<double> terms;
  terms.reserve(static_cast<size_t>(to - from + 1));
  for (int64_t i = from; i <= to; ++i) terms.push_back(LogBinomialTerm(i, n, log_p, log_q));
  return std::min(1.0, std::exp(LogSumExp(terms)));
}

}  // namespace

double BinomialLowerTail(int64_t k, int64_t n, double p) {
  if (k >= n) return 1.0;
  return BinomialRange(0, k, n, p);
}

double BinomialUpperTail(int64_t k, int64_t n, double p) {
  if (k <= 0) return 1.0;
  return BinomialRange(k, n, n, p);
}

double McNemarDropPValue(int64_t b, int64_t c) {
  if (b < 0 || c < 0) throw Error("McNemar", "negative discordant counts");
  if (b + c == 0) return 1.0;
  return BinomialUpperTail(b, b + c, 0.5);
}

double McNemarDropPValue(std::span<const uint8_t> baseline_correct,
                         std::span<const uint8_t> current_correct) {
  if (baseline_correct.size() != current_correct.size()) {
    throw Error("McNemar", std::to_string(baseline_correct.size()) + " baseline samples against " +
                               std::to_string(current_correct.size()) + " current ones");
  }
  int64_t b = 0;
  int64_t c = 0;
  for (size_t i = 0; i < baseline_correct.size(); ++i) {
    const bool before = baseline_correct[i] != 0;
    const bool now = current_correct[i] != 0;
    if (before && !now) ++b;
    if (!before && now) ++c;
  }
  return McNemarDropPValue(b, c);
}

double NormalLowerTail(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

double BootstrapDropPValue(double observed, std::span<const double> differences) {
  double sum = 0.0;
  size_t n = 0;
  for (double d : differences) {
    if (std::isnan(d)) continue;
    sum += d;
    ++n;
  }
  if (n < 2) throw Error("bootstrap test", "fewer than two defined resamples");
  const double mean = sum / static_cast<double>(n);
  double squares = 0.0;
  for (double d : differences) {
    if (!std::isnan(d)) squares += (d - mean) * (d - mean);
  }
  const double se = std::sqrt(squares / static_cast<double>(n - 1));
  if (se == 0.0) return observed < 0.0 ? 0.0 : 1.0;
  return NormalLowerTail(observed / se);
}

std::vector<double> HolmAdjust(std::span<const double> p_values) {
  const size_t m = p_values.size();
  std::vector<size_t> order(m);
  std::iota(order.begin(), order.end(), size_t{0});
  // Stable, so equal p-values keep their input order and the result is reproducible.
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return p_values[a] < p_values[b]; });
  std::vector<double> adjusted(m);
  double running = 0.0;
  for (size_t j = 0; j < m; ++j) {
    const double scaled = std::min(1.0, static_cast<double>(m - j) * p_values[order[j]]);
    running = std::max(running, scaled);
    adjusted[order[j]] = running;
  }
  return adjusted;
}

}  // namespace harness::eval

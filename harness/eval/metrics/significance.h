#pragma once
// One-sided tests for a regression gate: did B (this run) get worse than A (the baseline) on the
// same samples? A gate asks a directional question, so each test returns the probability, under
// "no change", of a drop at least as large as the one seen; the rise is the mirror image.
// Several such tests in one run are corrected together (HolmAdjust) so that a suite of fifty
// results does not raise an alarm by chance every other night.

#include <cstdint>
#include <span>
#include <vector>

namespace harness::eval {

// P(X <= k) for X ~ Binomial(n, p), exact up to rounding: the terms are summed in log space
// (lgamma), so large n neither overflows nor loses small tails. 1 when k >= n, 0 when k < 0.
double BinomialLowerTail(int64_t k, int64_t n, double p);
// P(X >= k) for X ~ Binomial(n, p): 1 when k <= 0, 0 when k > n.
double BinomialUpperTail(int64_t k, int64_t n, double p);

// Exact one-sided McNemar test of a drop: among the b + c discordant samples (b: right before,
// wrong now; c: wrong before, right now) each is a fair coin under "no change", so
//   p = P(X >= b), X ~ Binomial(b + c, 1/2);  p = 1 when b + c = 0.
// The p-value of a rise is McNemarDropPValue(c, b).
double McNemarDropPValue(int64_t b, int64_t c);

// Counts b and c from per-sample correctness (nonzero = right) of the baseline and this run.
double McNemarDropPValue(std::span<const uint8_t> baseline_correct,
                         std::span<const uint8_t> current_correct);

// P(Z <= z) for a standard normal Z.
double NormalLowerTail(double z);

// One-sided p-value of a drop from a paired bootstrap: `observed` is current - baseline of the
// metric on all samples, `differences` the same difference on each resample (BootstrapDraws).
// The bootstrap's standard deviation is the standard error of `observed`, and
//   p = P(Z <= observed / se),
// so a difference many standard errors below zero gets a p-value far below 1/resamples (a
// percentile count could not go below that, and a Holm correction over many results needs
// smaller ones). se = 0: p = 0 for a drop (every resample agrees), 1 otherwise. Undefined
// resamples (NaN) are skipped.
double BootstrapDropPValue(double observed, std::span<const double> differences);

// Holm's step-down adjustment of m p-values (family-wise error control without assuming the
// tests are independent): with the p-values sorted ascending, the i-th (from 0) is adjusted to
//   max over j <= i of min(1, (m - j) * p_(j)),
// and returned in the input order. Rejecting where the adjusted p-value is below alpha is
// Holm's procedure at level alpha.
std::vector<double> HolmAdjust(std::span<const double> p_values);

}  // namespace harness::eval

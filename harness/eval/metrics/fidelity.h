#pragma once
// How closely a quantized model follows its float reference, independent of the labels.

#include <span>

namespace harness::eval {

// Fraction of samples whose top-1 class (ranking.h's tie rule) is the same in both score sets.
// Both are [N][num_classes] row-major; Error when their sizes differ or there are no rows.
double Top1Agreement(std::span<const float> scores_a, std::span<const float> scores_b,
                     int num_classes);

// Signal-to-quantization-noise ratio of `signal` against `reference`, in dB:
//   10 * log10(sum(reference^2) / sum((reference - signal)^2)),
// both sums accumulated in double in index order, so the value is reproducible bit for bit.
// Identical inputs have no noise and give +infinity (std::numeric_limits<double>::infinity());
// a zero reference against a nonzero signal gives -infinity. JSON has no infinities, so report
// writers print these as the strings "inf" and "-inf" (Markdown/HTML: "inf", "-inf") and a
// baseline diff treats inf == inf as unchanged. Error when the sizes differ or are zero.
double SqnrDb(std::span<const float> reference, std::span<const float> signal);

}  // namespace harness::eval

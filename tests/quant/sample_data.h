#pragma once
// Seeded test samples for the quant tests: Gaussian and Laplacian draws from an explicit
// transform of mt19937_64 output, so the values do not depend on the standard library's
// distributions.
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace harness::quant::testing {

inline double Uniform01(std::mt19937_64& engine) {
  // 53 random bits in (0, 1): never 0, so logs stay finite.
  return (static_cast<double>(engine() >> 11) + 0.5) / 9007199254740992.0;
}

inline std::vector<float> GaussianSamples(size_t n, uint64_t seed, double mean = 0.0,
                                          double sigma = 1.0) {
  std::mt19937_64 engine(seed);
  std::vector<float> samples(n);
  for (float& sample : samples) {
    // Box-Muller, one draw per pair is enough here.
    const double radius = std::sqrt(-2.0 * std::log(Uniform01(engine)));
    const double angle = 6.283185307179586 * Uniform01(engine);
    sample = static_cast<float>(mean + sigma * radius * std::cos(angle));
  }
  return samples;
}

inline std::vector<float> LaplacianSamples(size_t n, uint64_t seed, double scale = 1.0) {
  std::mt19937_64 engine(seed);
  std::vector<float> samples(n);
  for (float& sample : samples) {
    const double u = Uniform01(engine) - 0.5;
    const double magnitude = -scale * std::log(1.0 - 2.0 * std::fabs(u));
    sample = static_cast<float>(u < 0 ? -magnitude : magnitude);
  }
  return samples;
}

}  // namespace harness::quant::testing

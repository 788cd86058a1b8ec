#pragma once
// Helpers the kernel benchmarks share: deterministic data, SAME/VALID geometry, the variants to
// time, and the MAC/s counter.

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "kernels/optimized/dispatch.h"

namespace kernels::bench {

template <class T>
std::vector<T> BenchData(int64_t count) {
  std::mt19937 rng(1234);
  std::vector<T> values(static_cast<size_t>(count));
  for (auto& v : values) {
    if constexpr (sizeof(T) == 1) {
      v = static_cast<T>(std::uniform_int_distribution<int>(-128, 127)(rng));
    } else if constexpr (std::is_same_v<T, int16_t>) {
      v = static_cast<T>(std::uniform_int_distribution<int>(-32768, 32767)(rng));
    } else {
      v = static_cast<T>(std::uniform_real_distribution<float>(-1.0f, 1.0f)(rng));
    }
  }
  return values;
}

// Scratch memory of `bytes` bytes, 16-byte aligned as the hybrid kernels require (the storage is
// std::max_align_t, 16 bytes on x86-64).
class Scratch {
 public:
  explicit Scratch(size_t bytes)
      : storage_((bytes + sizeof(std::max_align_t) - 1) / sizeof(std::max_align_t)) {}
  std::byte* data() { return reinterpret_cast<std::byte*>(storage_.data()); }

 private:
  std::vector<std::max_align_t> storage_;
};

struct Geometry {
  int output;
  int padding;
};
inline Geometry PaddedGeometry(bool same, int input, int filter, int stride) {
  if (same) {
    const int output = (input + stride - 1) / stride;
    const int total = (output - 1) * stride + filter - input;
    return {output, total > 0 ? total / 2 : 0};
  }
  return {(input - filter) / stride + 1, 0};
}

// Reference first, then every optimized variant this CPU runs.
inline std::vector<optimized::KernelVariant> BenchVariants() {
  std::vector<optimized::KernelVariant> variants{optimized::KernelVariant::kReference};
  for (auto v : optimized::SupportedOptimizedVariants()) variants.push_back(v);
  return variants;
}

inline void SetMacs(benchmark::State& state, int64_t macs) {
  state.counters["MACs"] = benchmark::Counter(static_cast<double>(macs),
                                              benchmark::Counter::kIsIterationInvariantRate);
}

inline std::string BenchName(const char* op, const char* type, const char* layer,
                             optimized::KernelVariant v) {
  return std::string(op) + "_" + type + "/" + layer + "/" + std::string(optimized::VariantName(v));
}

}  // namespace kernels::bench

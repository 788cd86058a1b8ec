// The machine's peak multiply-accumulate rate on one core for the instructions the optimized
// kernels use: vpdpbusd (64 int8 MACs per instruction), vfmadd231ps (16 float MACs) and, for the
// AVX2 int8 kernels, vpmaddwd + vpaddd (16 MACs on int16-widened operands per pair), each with
// independent accumulators so that latency does not limit throughput. Kernel MAC/s
// divided by these gives the fraction of peak.
#include <benchmark/benchmark.h>
#include <immintrin.h>

#include "kernels/optimized/dispatch.h"

namespace {

using kernels::optimized::KernelVariant;
constexpr int kAccumulators = 16;
constexpr int kSteps = 1024;

void BM_PeakInt8Vpdpbusd(benchmark::State& state) {
  if (!kernels::optimized::VariantSupported(KernelVariant::kAvx512Vnni)) {
    state.SkipWithError("no AVX-512 VNNI");
    return;
  }
  __m512i a_value = _mm512_set1_epi8(3);
  __m512i b_value = _mm512_set1_epi8(-2);
  benchmark::DoNotOptimize(a_value);
  benchmark::DoNotOptimize(b_value);
  for (auto _ : state) {
    for (int i = 0; i < kSteps; ++i) {
      // Written out in assembly: with the intrinsic (or any C++ accumulator array) GCC 12 copied
      // or stored accumulators on every step, and the probe understated the peak by up to 3x.
      // zmm16..zmm31 are the 16 independent accumulators, declared clobbered.
      asm volatile(
          "vpdpbusd %1, %0, %%zmm16\n\tvpdpbusd %1, %0, %%zmm17\n\t"
          "vpdpbusd %1, %0, %%zmm18\n\tvpdpbusd %1, %0, %%zmm19\n\t"
          "vpdpbusd %1, %0, %%zmm20\n\tvpdpbusd %1, %0, %%zmm21\n\t"
          "vpdpbusd %1, %0, %%zmm22\n\tvpdpbusd %1, %0, %%zmm23\n\t"
          "vpdpbusd %1, %0, %%zmm24\n\tvpdpbusd %1, %0, %%zmm25\n\t"
          "vpdpbusd %1, %0, %%zmm26\n\tvpdpbusd %1, %0, %%zmm27\n\t"
          "vpdpbusd %1, %0, %%zmm28\n\tvpdpbusd %1, %0, %%zmm29\n\t"
          "vpdpbusd %1, %0, %%zmm30\n\tvpdpbusd %1, %0, %%zmm31"
          :
          : "v"(a_value), "v"(b_value)
          : "xmm16", "xmm17", "xmm18", "xmm19", "xmm20", "xmm21", "xmm22", "xmm23", "xmm24",
            "xmm25", "xmm26", "xmm27", "xmm28", "xmm29", "xmm30", "xmm31");
    }
  }
  static_assert(kAccumulators == 16, "the assembly above names 16 accumulators");
  state.counters["MACs"] = benchmark::Counter(static_cast<double>(kSteps) * kAccumulators * 64,
                                              benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_PeakInt8Vpdpbusd);

void BM_PeakFloatFma(benchmark::State& state) {
  if (!kernels::optimized::VariantSupported(KernelVariant::kAvx512Vnni)) {
    state.SkipWithError("no AVX-512");
    return;
  }
  __m512 acc[kAccumulators];
  for (auto& a : acc) a = _mm512_setzero_ps();
  __m512 a_value = _mm512_set1_ps(1.0f);
  __m512 b_value = _mm512_set1_ps(1e-9f);
  benchmark::DoNotOptimize(a_value);
  benchmark::DoNotOptimize(b_value);
  for (auto _ : state) {
    for (int i = 0; i < kSteps; ++i) {
      for (auto& a : acc) a = _mm512_fmadd_ps(a_value, b_value, a);
    }
    for (auto& a : acc) benchmark::DoNotOptimize(a);
  }
  state.counters["MACs"] = benchmark::Counter(static_cast<double>(kSteps) * kAccumulators * 16,
                                              benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_PeakFloatFma);

// The AVX2 int8 GEMM's inner step: 16 int16 products summed in pairs into 8 int32 lanes, then
// added to the accumulator. 12 accumulators and the two operands fit in the 16 ymm registers.
void BM_PeakInt8Avx2Vpmaddwd(benchmark::State& state) {
  if (!kernels::optimized::VariantSupported(KernelVariant::kAvx2)) {
    state.SkipWithError("no AVX2");
    return;
  }
  constexpr int kYmmAccumulators = 12;
  __m256i acc[kYmmAccumulators];
  for (auto& a : acc) a = _mm256_setzero_si256();
  __m256i b_value = _mm256_set1_epi16(-2);
  benchmark::DoNotOptimize(b_value);
  for (auto _ : state) {
    for (int i = 0; i < kSteps; ++i) {
      // The accumulator is also an operand, or the compiler would hoist the invariant product.
      for (auto& a : acc) a = _mm256_add_epi32(a, _mm256_madd_epi16(a, b_value));
    }
    for (auto& a : acc) benchmark::DoNotOptimize(a);
  }
  state.counters["MACs"] = benchmark::Counter(static_cast<double>(kSteps) * kYmmAccumulators * 16,
                                              benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_PeakInt8Avx2Vpmaddwd);

}  // namespace

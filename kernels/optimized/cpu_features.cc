#include "kernels/optimized/cpu_features.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include <cstdint>

namespace kernels::optimized {
namespace {

CpuFeatures Detect() {
  CpuFeatures f;
#if defined(__x86_64__) || defined(__i386__)
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid_max(0, nullptr) < 7) return f;
  __cpuid_count(1, 0, eax, ebx, ecx, edx);
  const bool osxsave = (ecx >> 27) & 1U;
  const bool fma = (ecx >> 12) & 1U;
  if (!osxsave) return f;
  // XCR0: bits 1-2 (SSE, AVX state) for AVX2, plus 5-7 (opmask, upper ZMM) for AVX-512.
  uint32_t xcr0_low = 0, xcr0_high = 0;
  __asm__ volatile("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
  const bool os_avx = (xcr0_low & 0x6U) == 0x6U;
  const bool os_avx512 = (xcr0_low & 0xE6U) == 0xE6U;
  __cpuid_count(7, 0, eax, ebx, ecx, edx);
  f.avx2 = os_avx && ((ebx >> 5) & 1U);
  f.fma = os_avx && fma;
  f.avx512f = os_avx512 && ((ebx >> 16) & 1U);
  f.avx512dq = f.avx512f && ((ebx >> 17) & 1U);
  f.avx512bw = f.avx512f && ((ebx >> 30) & 1U);
  f.avx512vl = f.avx512f && ((ebx >> 31) & 1U);
  f.avx512vnni = f.avx512f && ((ecx >> 11) & 1U);
#endif
  return f;
}

}  // namespace

const CpuFeatures& DetectedCpuFeatures() {
  static const CpuFeatures features = Detect();
  return features;
}

}  // namespace kernels::optimized

#pragma once
// What the running CPU can execute, read once with cpuid (and xgetbv, since the operating system
// must also save the wide registers). Optimized kernels compiled for an instruction set run only
// when this says the CPU has it.

namespace kernels::optimized {

struct CpuFeatures {
  bool avx2 = false;
  bool fma = false;
  bool avx512f = false;
  bool avx512bw = false;
  bool avx512dq = false;
  bool avx512vl = false;
  bool avx512vnni = false;
};

// Detected on the first call, then cached (thread-safe static).
const CpuFeatures& DetectedCpuFeatures();

}  // namespace kernels::optimized

#pragma once
// acc += the 4-byte dot products of unsigned `a` and signed `w` per int32 lane (vpdpbusd).
// The target attribute lets files that enable AVX-512 per function (rather than per file)
// include it too.
//
// Why inline assembly rather than _mm512_dpbusd_epi32: vpdpbusd overwrites its accumulator, and
// GCC 12 does not tie the intrinsic's result to the accumulator's register across a loop. On a
// tile of 24 accumulators it copied each one through a scratch register and stored it to the
// stack on every depth step (three extra moves per multiply), which cost a third of the int8
// GEMM's speed. The asm operand "+v" keeps every accumulator in its own register.

#include <immintrin.h>

namespace kernels::optimized {

__attribute__((target("avx512f,avx512vnni"))) inline void DotAccumulate(__m512i& acc, __m512i a, __m512i w) {
  asm("vpdpbusd %2, %1, %0" : "+v"(acc) : "v"(a), "v"(w));
}

}  // namespace kernels::optimized

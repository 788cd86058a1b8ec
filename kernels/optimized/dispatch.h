#pragma once
// The one place that chooses which variant of the CONV_2D, DEPTHWISE_CONV_2D and
// FULLY_CONNECTED kernels runs. The choice is the best variant the CPU supports, unless the
// environment variable HARNESS_KERNELS names one (reference, portable, avx2, avx512vnni) so that
// tests and benchmarks can force it. Every variant gives bit-identical int8 results.

#include <string>
#include <string_view>
#include <vector>

namespace kernels::optimized {

enum class KernelVariant {
  kReference,   // kernels/reference: the readable TFLite-semantic loops
  kPortable,    // packed-weight GEMM in plain C++ (any CPU)
  kAvx2,        // AVX2 (no FMA needed): int8 and float GEMM and depthwise
  kAvx512Vnni,  // AVX-512 F/BW/DQ/VL + VNNI
};

std::string_view VariantName(KernelVariant variant);

// True when the CPU can run `variant` (reference and portable always).
bool VariantSupported(KernelVariant variant);

// The variant HARNESS_KERNELS asks for (if supported; an unknown or unsupported request falls
// back to the automatic choice), else the best supported one. Read once, then cached.
KernelVariant SelectedVariant();

// What is wrong with HARNESS_KERNELS ("unknown kernel variant 'avx3' ..."), or "" when it is
// unset, empty or names a variant this CPU runs. Commands check it first so that a typo is an
// error rather than a silent fallback to another variant.
std::string KernelRequestProblem();

// The variants other than reference that this CPU supports, for tests and benchmarks.
std::vector<KernelVariant> SupportedOptimizedVariants();

}  // namespace kernels::optimized

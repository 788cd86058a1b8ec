#include "kernels/optimized/dispatch.h"

#include <cstdlib>
#include <string>

#include "kernels/optimized/cpu_features.h"

namespace kernels::optimized {
namespace {

KernelVariant BestSupported() {
  for (KernelVariant v : {KernelVariant::kAvx512Vnni, KernelVariant::kAvx2}) {
    if (VariantSupported(v)) return v;
  }
  return KernelVariant::kPortable;
}

KernelVariant ChooseVariant() {
  const char* requested = std::getenv("HARNESS_KERNELS");
  if (requested != nullptr) {
    for (KernelVariant v : {KernelVariant::kReference, KernelVariant::kPortable,
                            KernelVariant::kAvx2, KernelVariant::kAvx512Vnni}) {
      if (VariantName(v) == requested && VariantSupported(v)) return v;
    }
  }
  return BestSupported();
}

}  // namespace

std::string_view VariantName(KernelVariant variant) {
  switch (variant) {
    case KernelVariant::kReference:
      return "reference";
    case KernelVariant::kPortable:
      return "portable";
    case KernelVariant::kAvx2:
      return "avx2";
    case KernelVariant::kAvx512Vnni:
      return "avx512vnni";
  }
  return "unknown";
}

bool VariantSupported(KernelVariant variant) {
  const CpuFeatures& f = DetectedCpuFeatures();
  switch (variant) {
    case KernelVariant::kReference:
    case KernelVariant::kPortable:
      return true;
    case KernelVariant::kAvx2:
      return f.avx2;
    case KernelVariant::kAvx512Vnni:
      return f.avx512f && f.avx512bw && f.avx512dq && f.avx512vl && f.avx512vnni;
  }
  return false;
}

std::string KernelRequestProblem() {
  const char* requested = std::getenv("HARNESS_KERNELS");
  if (requested == nullptr || *requested == '\0') return "";
  std::string names;
  for (KernelVariant v : {KernelVariant::kReference, KernelVariant::kPortable, KernelVariant::kAvx2,
                          KernelVariant::kAvx512Vnni}) {
    if (VariantName(v) == requested) {
      if (VariantSupported(v)) return "";
      return "kernel variant '" + std::string(requested) + "' needs instructions this CPU lacks";
    }
    names += (names.empty() ? "" : ", ") + std::string(VariantName(v));
  }
  return "unknown kernel variant '" + std::string(requested) + "'; expected one of " + names;
}

KernelVariant SelectedVariant() {
  static const KernelVariant variant = ChooseVariant();
  return variant;
}

std::vector<KernelVariant> SupportedOptimizedVariants() {
  std::vector<KernelVariant> result;
  for (KernelVariant v :
       {KernelVariant::kPortable, KernelVariant::kAvx2, KernelVariant::kAvx512Vnni}) {
    if (VariantSupported(v)) result.push_back(v);
  }
  return result;
}

}  // namespace kernels::optimized

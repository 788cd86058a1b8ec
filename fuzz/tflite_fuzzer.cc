// The TFLite loader, then prepare (every op's kernel and the arena plan), then one Invoke on
// deterministic inputs. A harness::Error is the expected answer to a bad model; anything else
// (a crash, a sanitizer report, another exception escaping, a hang) is a finding.

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>

#include "harness/common/error.h"
#include "harness/model/tflite_loader.h"
#include "harness/runtime/compiled_model.h"

namespace {

// Models whose planned memory exceeds this are loaded and prepared but not run: the fuzzer
// looks for wrong handling of hostile files, and a valid but huge model only costs time.
constexpr size_t kMaxInvokeBytes = size_t{64} << 20;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace harness;
  try {
    model::Graph graph = model::LoadTflite(std::span<const uint8_t>(data, size), "fuzz.tflite");
    const runtime::CompiledModel compiled(std::move(graph));
    if (compiled.arena_bytes() + compiled.scratch_bytes() > kMaxInvokeBytes) return 0;
    auto session = compiled.NewSession();
    for (size_t i = 0; i < compiled.graph().inputs.size(); ++i) {
      std::span<std::byte> input = session->input(i);
      for (size_t b = 0; b < input.size(); ++b) input[b] = std::byte(b * 31 + 7);
    }
    session->Invoke();
  } catch (const Error&) {
  }
  return 0;
}

#include "harness/common/interrupt.h"

namespace harness {
namespace {

// Constant-initialized (no guard to take), so the first use may be in a signal handler.
constinit std::atomic<bool> g_interrupt_flag{false};
static_assert(std::atomic<bool>::is_always_lock_free);

}  // namespace

std::atomic<bool>& InterruptFlag() noexcept { return g_interrupt_flag; }

}  // namespace harness

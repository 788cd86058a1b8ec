// RunIsolated: what a function returns comes back; a crash, a hang, a huge allocation or a
// flood of output in it becomes a reason, and the calling process carries on.
#include "harness/eval/isolated_call.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <stdexcept>
#include <string>
#include <vector>

namespace harness::eval {
namespace {

TEST(IsolatedCall, ReturnsTheBytesOfTheFunction) {
  const std::string bytes("a\0b", 3);
  const IsolatedOutcome outcome = RunIsolated([&] { return bytes; }, IsolationLimits{});
  ASSERT_TRUE(outcome.output) << outcome.failure;
  EXPECT_EQ(*outcome.output, bytes);
}

TEST(IsolatedCall, LargeOutputWithinTheCapComesBackWhole) {
  IsolationLimits limits;
  const std::string big(3 << 20, 'x');  // larger than a pipe buffer
  const IsolatedOutcome outcome = RunIsolated([&] { return big; }, limits);
  ASSERT_TRUE(outcome.output) << outcome.failure;
  EXPECT_EQ(outcome.output->size(), big.size());
}

TEST(IsolatedCall, AnExceptionBecomesTheFailure) {
  const IsolatedOutcome outcome =
      RunIsolated([]() -> std::string { throw std::runtime_error("bad heap"); }, IsolationLimits{});
  EXPECT_FALSE(outcome.output);
  EXPECT_EQ(outcome.failure, "bad heap");
}

TEST(IsolatedCall, ACrashIsReportedWithItsSignal) {
  const IsolatedOutcome outcome = RunIsolated(
      []() -> std::string {
        std::raise(SIGSEGV);
        return "not reached";
      },
      IsolationLimits{});
  EXPECT_FALSE(outcome.output);
  // SIGSEGV itself, or SIGABRT from a sanitizer that caught it first.
  EXPECT_NE(outcome.failure.find("crashed"), std::string::npos) << outcome.failure;
}

TEST(IsolatedCall, ASpinningChildIsStoppedAtItsCpuLimit) {
  IsolationLimits limits;
  limits.cpu_time = std::chrono::seconds(1);
  limits.wall_time = std::chrono::seconds(60);  // so that only the CPU limit can stop it
  const auto start = std::chrono::steady_clock::now();
  const IsolatedOutcome outcome = RunIsolated(
      []() -> std::string {
        // Unsigned: a signed counter overflows within the second on a fast machine, which
        // UBSan reports by ending the child before its CPU limit.
        volatile unsigned spin = 0;
        for (;;) spin = spin + 1;
      },
      limits);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_FALSE(outcome.output);
  EXPECT_EQ(outcome.failure, "used more than 1 s of CPU time");
  EXPECT_LT(elapsed, std::chrono::seconds(30));
}

TEST(IsolatedCall, ABlockedChildIsStoppedAtItsWallLimit) {
  IsolationLimits limits;
  limits.wall_time = std::chrono::milliseconds(300);
  const auto start = std::chrono::steady_clock::now();
  const IsolatedOutcome outcome = RunIsolated(
      []() -> std::string {
        for (;;) pause();  // blocks without using CPU
      },
      limits);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_FALSE(outcome.output);
  EXPECT_EQ(outcome.failure, "did not finish within 0.3 s");
  EXPECT_LT(elapsed, std::chrono::seconds(5));
}

TEST(IsolatedCall, AnAllocationBeyondTheBudgetFails) {
  IsolationLimits limits;
  limits.extra_memory_bytes = size_t{64} << 20;
  const IsolatedOutcome outcome = RunIsolated(
      []() -> std::string {
        std::vector<char> block(size_t{1} << 30, 'x');  // 1 GiB, touched
        return std::string(1, block[block.size() / 2]);
      },
      limits);
  EXPECT_FALSE(outcome.output) << "a 1 GiB allocation passed a 64 MiB budget";
}

TEST(IsolatedCall, OutputBeyondTheCapFails) {
  IsolationLimits limits;
  limits.max_output_bytes = 1000;
  const IsolatedOutcome outcome = RunIsolated([] { return std::string(1 << 20, 'y'); }, limits);
  EXPECT_FALSE(outcome.output);
  EXPECT_NE(outcome.failure.find("more than 1000 bytes"), std::string::npos) << outcome.failure;
}

}  // namespace
}  // namespace harness::eval

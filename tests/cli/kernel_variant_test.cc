// HARNESS_KERNELS: a variant this CPU runs is accepted, anything else is an error (exit 2)
// naming the variable, not a silent fallback to another variant.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "tests/cli/cli_test_support.h"

namespace harness {
namespace {

const std::string kModel = std::string(HARNESS_SOURCE_DIR) + "/datasets/digits/digits.tflite";

class KernelVariant : public ::testing::Test {
 protected:
  void TearDown() override { ::unsetenv("HARNESS_KERNELS"); }
};

TEST_F(KernelVariant, UnknownValueIsAnErrorNamingTheVariable) {
  ::setenv("HARNESS_KERNELS", "avx3", 1);
  const auto outcome = test::RunCli({"inspect", kModel});
  EXPECT_EQ(outcome.code, 2);
  EXPECT_NE(outcome.err.find("HARNESS_KERNELS: unknown kernel variant 'avx3'; expected one of "
                             "reference, portable, avx2, avx512vnni"),
            std::string::npos)
      << outcome.err;
}

TEST_F(KernelVariant, KnownValueAndUnsetAreAccepted) {
  ::setenv("HARNESS_KERNELS", "reference", 1);
  EXPECT_EQ(test::RunCli({"inspect", kModel}).code, 0);
  ::unsetenv("HARNESS_KERNELS");
  EXPECT_EQ(test::RunCli({"inspect", kModel}).code, 0);
}

}  // namespace
}  // namespace harness

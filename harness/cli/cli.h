#pragma once
// The command line as a library function, so tests can drive it in-process. main() only
// forwards to Main.

#include <iosfwd>
#include <string>
#include <vector>

namespace harness::cli {

// Exit codes of the contract: 0 success, 1 a regression, 2 bad usage or bad input.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRegression = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInterrupted = 130;  // as a shell reports a run ended by SIGINT

int Main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace harness::cli

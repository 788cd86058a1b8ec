// `harness lint`: placeholder until the command lands.

#include <ostream>

#include "harness/cli/commands.h"
#include "harness/common/error.h"

namespace harness::cli {

int RunLint(const std::vector<std::string>& /*args*/, std::ostream& /*out*/) {
  throw Error("lint", "not implemented yet");
}

}  // namespace harness::cli

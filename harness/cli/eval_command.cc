// `harness eval`: placeholder until the command lands.

#include <ostream>

#include "harness/cli/commands.h"
#include "harness/common/error.h"

namespace harness::cli {

int RunEval(const std::vector<std::string>& /*args*/, std::ostream& /*out*/) {
  throw Error("eval", "not implemented yet");
}

}  // namespace harness::cli

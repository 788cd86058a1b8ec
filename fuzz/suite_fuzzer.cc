// The YAML suite parser. The suite is parsed as if it were a file of the repository's suites/
// folder, so that the relative model and set paths of the seeds (../datasets/...) resolve and
// the parser gets past its existence checks. A harness::Error is the expected answer to a bad
// suite; anything else is a finding.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "harness/common/error.h"
#include "harness/suite/suite_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace harness;
  try {
    (void)suite::ParseSuite(std::string_view(reinterpret_cast<const char*>(data), size),
                            HARNESS_SOURCE_DIR "/suites/fuzz.yaml");
  } catch (const Error&) {
  }
  return 0;
}

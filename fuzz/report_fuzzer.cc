// The report and baseline reader (report.json, harness-report/1), then the writer on what the
// reader accepted: whatever a baseline holds once read must be writable again and read back.
// A harness::Error from the first read is the expected answer to a bad file; anything else is
// a finding.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "harness/common/error.h"
#include "harness/report/json_report.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace harness;
  runner::RunReport report;
  try {
    report = report::FromJson(std::string_view(reinterpret_cast<const char*>(data), size),
                              "fuzz/report.json");
  } catch (const Error&) {
    return 0;
  }
  report::JsonOptions options;
  options.include_per_sample = true;
  const std::string written = report::ToJson(report, options);
  // Throws (a finding) if the writer produced something the reader refuses.
  (void)report::FromJson(written, "fuzz/report.json (written back)");
  return 0;
}

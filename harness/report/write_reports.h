#pragma once
// Writes the four reports of a run into one folder: report.json, report.md, report.html and
// junit.xml, each atomically (a reader never sees half a file). Creates the folder if needed.

#include <string>

#include "harness/report/atomic_file.h"
#include "harness/report/baseline.h"
#include "harness/runner/run_result.h"

namespace harness::report {

inline constexpr const char* kJsonReportName = "report.json";
inline constexpr const char* kMarkdownReportName = "report.md";
inline constexpr const char* kHtmlReportName = "report.html";
inline constexpr const char* kJUnitReportName = "junit.xml";

// `comparison` is null when the run has no baseline. Error (place: the folder or file) when a
// file cannot be written. The four are replaced as a set (AtomicFileSet): a full disk leaves
// the previous reports, not a mix.
void WriteReports(const runner::RunReport& report, const Comparison* comparison,
                  const std::string& dir);
// The same, staged into `files` for the caller to commit with other files (the baseline).
void StageReports(const runner::RunReport& report, const Comparison* comparison,
                  const std::string& dir, AtomicFileSet& files);

}  // namespace harness::report

#include "harness/report/write_reports.h"

#include <filesystem>
#include <system_error>

#include "harness/common/error.h"
#include "harness/report/atomic_file.h"
#include "harness/report/html_report.h"
#include "harness/report/json_report.h"
#include "harness/report/junit_report.h"
#include "harness/report/markdown_report.h"

namespace harness::report {

void StageReports(const runner::RunReport& report, const Comparison* comparison,
                  const std::string& dir, AtomicFileSet& files) {
  namespace fs = std::filesystem;
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) throw Error(dir, "cannot create the output folder: " + error.message());
  const fs::path folder(dir);
  JsonOptions json;
  json.comparison = comparison;
  files.Stage((folder / kJsonReportName).string(), ToJson(report, json));
  files.Stage((folder / kMarkdownReportName).string(), ToMarkdown(report, comparison));
  files.Stage((folder / kHtmlReportName).string(), ToHtml(report, comparison));
  files.Stage((folder / kJUnitReportName).string(), ToJUnit(report, comparison));
}

void WriteReports(const runner::RunReport& report, const Comparison* comparison,
                  const std::string& dir) {
  AtomicFileSet files;
  StageReports(report, comparison, dir, files);
  files.Commit();
}

}  // namespace harness::report

// The four reports are replaced as a set: when the disk fills while they are written, the
// previous report.json, report.md, report.html and junit.xml stay as they were (not a new
// report.json beside an old or missing report.html) and no temporary file is left. The full
// disk is real as far as the writes can tell: a file-size limit (RLIMIT_FSIZE, no root needed)
// makes write(2) fail with EFBIG part-way through the reports, after the smaller ones fit.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "harness/common/error.h"
#include "harness/report/html_report.h"
#include "harness/report/json_report.h"
#include "harness/report/markdown_report.h"
#include "harness/report/write_reports.h"
#include "tests/report/sample_reports.h"

namespace harness::report {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Lowers the soft file-size limit to `bytes` (ignoring SIGXFSZ, so an oversized write fails
// with EFBIG instead of killing the process) and restores both on destruction.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &saved_);
    previous_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit lowered = saved_;
    lowered.rlim_cur = bytes;
    ok_ = setrlimit(RLIMIT_FSIZE, &lowered) == 0;
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, previous_handler_);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;
  bool ok() const { return ok_; }

 private:
  rlimit saved_{};
  void (*previous_handler_)(int) = nullptr;
  bool ok_ = false;
};

TEST(WriteReports, AFullDiskLeavesThePreviousSetIntact) {
  const fs::path dir = fs::temp_directory_path() / "harness_reports_disk_full";
  fs::remove_all(dir);
  const runner::RunReport old_report = testing::SampleReport();
  WriteReports(old_report, nullptr, dir.string());
  const char* names[] = {kJsonReportName, kMarkdownReportName, kHtmlReportName, kJUnitReportName};
  std::string before[4];
  for (int i = 0; i < 4; ++i) before[i] = Read(dir / names[i]);

  runner::RunReport new_report = old_report;
  new_report.suite_name = "the next run";
  // Written in the order json, md, html, junit: a limit that the first two fit under but the
  // HTML does not fills the disk half-way through the set.
  const size_t json = ToJson(new_report, JsonOptions{}).size();
  const size_t markdown = ToMarkdown(new_report, nullptr).size();
  const size_t html = ToHtml(new_report, nullptr).size();
  ASSERT_GT(html, std::max(json, markdown) + 1024) << "the HTML report must be the largest";
  const auto limit = static_cast<rlim_t>(std::max(json, markdown) + 512);

  bool failed = false;
  {
    const FileSizeLimit disk(limit);
    ASSERT_TRUE(disk.ok());
    try {
      WriteReports(new_report, nullptr, dir.string());
    } catch (const Error& e) {
      failed = true;
      EXPECT_EQ(e.place(), (dir / kHtmlReportName).string());
      EXPECT_NE(e.message().find("cannot write the file"), std::string::npos) << e.message();
    }
  }
  EXPECT_TRUE(failed) << "the reports were written despite the limit";
  for (int i = 0; i < 4; ++i) EXPECT_EQ(Read(dir / names[i]), before[i]) << names[i];
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    ++files;
    EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos)
        << "left behind: " << entry.path();
  }
  EXPECT_EQ(files, 4u);

  // With room again, the new set replaces the old one whole.
  WriteReports(new_report, nullptr, dir.string());
  EXPECT_NE(Read(dir / kJsonReportName), before[0]);
  EXPECT_NE(Read(dir / kJsonReportName).find("the next run"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace harness::report

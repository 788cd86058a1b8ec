// A report or baseline that parses as JSON but cannot be a run's record is refused with the
// file and the result named: duplicate ids, a confusion matrix that is not square or holds
// negative or absurd counts. A failed result (status error) reads back with its message.
#include <gtest/gtest.h>

#include <string>

#include "harness/common/error.h"
#include "harness/report/json_report.h"
#include "tests/report/sample_reports.h"

namespace harness::report {
namespace {

Error ReadError(const runner::RunReport& report) {
  try {
    FromJson(ToJson(report), "baseline.json");
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << "no error";
  return Error("", "");
}

TEST(ReportChecks, SampleReportReadsBack) {
  const runner::RunReport report = testing::SampleReport();
  EXPECT_EQ(FromJson(ToJson(report), "baseline.json").results.size(), report.results.size());
}

TEST(ReportChecks, DuplicateIdIsRefused) {
  runner::RunReport report = testing::SampleReport();
  report.results.push_back(report.results[1]);
  const Error error = ReadError(report);
  EXPECT_EQ(error.place(), "baseline.json: results[" + std::to_string(report.results.size() - 1) +
                               "] '" + report.results[1].id + "'");
  EXPECT_EQ(error.message(), "duplicate result id");
}

TEST(ReportChecks, MalformedConfusionMatricesAreRefused) {
  const std::vector<std::vector<std::vector<int64_t>>> bad = {
      {{1, 2}, {3}},                    // ragged
      {{1, 2, 3}, {4, 5, 6}},           // not square
      {{1, -1}, {0, 2}},                // negative
      {{int64_t{1} << 40, 0}, {0, 1}},  // more samples than any set
  };
  for (const auto& matrix : bad) {
    runner::RunReport report = testing::SampleReport();
    report.results[1].metrics.confusion_matrix = matrix;
    const Error error = ReadError(report);
    EXPECT_EQ(error.place(),
              "baseline.json: results[1] '" + report.results[1].id + "': metrics.confusion_matrix");
  }
}

TEST(ReportChecks, FailedResultKeepsItsMessage) {
  runner::RunReport report = testing::SampleReport();
  runner::ResultRecord failed;
  failed.id = "broken/fp32";
  failed.model = "broken";
  failed.method = "fp32";
  failed.calibrator = "none";
  failed.error = "broken.tflite: not a valid TFLite flatbuffer";
  report.results.push_back(failed);
  const std::string json = ToJson(report);
  EXPECT_NE(json.find("\"status\": \"error\""), std::string::npos);
  const runner::RunReport back = FromJson(json, "report.json");
  ASSERT_TRUE(back.results.back().error);
  EXPECT_EQ(*back.results.back().error, *failed.error);
  EXPECT_EQ(back.FailedCount(), 1u);
}

}  // namespace
}  // namespace harness::report

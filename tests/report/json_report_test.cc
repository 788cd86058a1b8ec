#include "harness/report/json_report.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <limits>

#include "harness/common/error.h"
#include "harness/report/atomic_file.h"
#include "tests/report/sample_reports.h"

namespace harness::report {
namespace {

TEST(JsonReport, RoundTripIsExact) {
  const runner::RunReport report = testing::SampleReport();
  const std::string text = ToJson(report);
  EXPECT_EQ(FromJson(text, "report.json"), report);
  // Same record, same bytes.
  EXPECT_EQ(ToJson(FromJson(text, "report.json")), text);
}

TEST(JsonReport, DoublesNeedingAllDigitsRoundTrip) {
  runner::RunReport report = testing::SampleReport();
  report.results[0].metrics.accuracy = 0.1 + 0.2;  // 0.30000000000000004
  report.results[0].fidelity.sqnr_db = 1.0 / 3.0;
  report.results[0].metrics.auc = 5e-324;  // the smallest subnormal
  EXPECT_EQ(FromJson(ToJson(report), "r"), report);
}

TEST(JsonReport, InfinitiesAreStrings) {
  const std::string text = ToJson(testing::SampleReport());
  EXPECT_NE(text.find("\"sqnr_db\": \"inf\""), std::string::npos);
  EXPECT_NE(text.find("\"sqnr_db\": \"-inf\""), std::string::npos);
  EXPECT_EQ(text.find("Infinity"), std::string::npos);
  EXPECT_EQ(text.find("null"), std::string::npos);
}

TEST(JsonReport, FixedKeyOrderAndTimingFieldsSeparate) {
  const std::string text = ToJson(testing::SampleReport());
  const auto schema = text.find("\"schema\"");
  const auto suite = text.find("\"suite\"");
  const auto environment = text.find("\"environment\"");
  const auto results = text.find("\"results\"");
  EXPECT_LT(schema, suite);
  EXPECT_LT(suite, environment);
  EXPECT_LT(environment, results);
  EXPECT_NE(text.find("\"start_time\""), std::string::npos);
  EXPECT_NE(text.find("\"latency_us\""), std::string::npos);
  // Absent metrics are left out, not written as 0.
  EXPECT_EQ(text.find("\"map\""), std::string::npos);
}

TEST(JsonReport, PerSampleOutcomesRoundTripOneLineEach) {
  runner::RunReport report = testing::SampleReport();
  report.results[1].per_sample_correct = {1, 0, 1, 1};
  report.results[1].per_sample_top5 = {1, 1, 1, 1};
  report.results[1].per_sample_agrees = {1, 0, 0, 1};
  report.results[3].per_sample_score = {0.25, 1.5, std::numeric_limits<double>::infinity()};
  report.results[3].per_sample_label = {0, 1, 1};
  runner::ImageOutcome image;
  image.detections = {{2, 0.875f, 0x3FF}, {0, 0.5f, 0}};
  image.truth = {{0, 1}, {2, 3}};
  report.results[3].per_image = {image, runner::ImageOutcome{}};
  // A string holding brackets and a line break is text, not an array to compact.
  report.results[2].alarms.push_back("odd [1,\n 2] text");
  const std::string text = ToJson(report);
  EXPECT_EQ(FromJson(text, "r"), report);
  EXPECT_NE(text.find("\"correct\": \"1011\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"score\": [0.25, 1.5, \"inf\"]"), std::string::npos) << text;
  EXPECT_NE(text.find("[2, 0.875, 1023]"), std::string::npos) << text;
  EXPECT_NE(text.find("\"confusion_matrix\": [\n"), std::string::npos) << text;  // rows nested
  EXPECT_NE(text.find("[45, 5, 0]"), std::string::npos) << text;
  // Left out on request.
  JsonOptions options;
  options.include_per_sample = false;
  EXPECT_EQ(ToJson(report, options).find("\"per_sample\""), std::string::npos);
}

TEST(JsonReport, OldBaselinesPerSampleCorrectnessIsRead) {
  runner::RunReport report = testing::SampleReport();
  std::string text = ToJson(report);
  const std::string key = "\"alarms\": [],";
  const size_t at = text.find(key);
  ASSERT_NE(at, std::string::npos) << text;
  text.insert(at, "\"per_sample_correct\": \"0110\",\n      ");
  const runner::RunReport read = FromJson(text, "old.json");
  EXPECT_EQ(read.results[0].per_sample_correct, (std::vector<uint8_t>{0, 1, 1, 0}));
}

TEST(JsonReport, MalformedJsonNamesFileLineAndColumn) {
  try {
    FromJson("{\n  \"schema\": \"harness-report/1\",\n  \"suite\": ]\n}", "bad.json");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.place(), "bad.json:3:12") << e.what();
  }
}

TEST(JsonReport, MissingKeyNamesItsPath) {
  std::string text = ToJson(testing::SampleReport());
  const auto at = text.find("\"task\": \"anomaly\"");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 6, "\"tusk\"");
  try {
    FromJson(text, "r.json");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.place(), "r.json: results[3]") << e.what();
    EXPECT_NE(e.message().find("'task'"), std::string::npos);
  }
}

TEST(JsonReport, WrongTypeNamesItsPath) {
  std::string text = ToJson(testing::SampleReport());
  const auto at = text.find("\"threads\": 2");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 12, "\"threads\": \"two\"");
  EXPECT_THROW(
      {
        try {
          FromJson(text, "r.json");
        } catch (const Error& e) {
          EXPECT_EQ(e.place(), "r.json: environment.threads");
          throw;
        }
      },
      Error);
}

TEST(JsonReport, WriteIsAtomicAndReadable) {
  const auto dir = std::filesystem::temp_directory_path() / "harness_report_json_test";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "report.json").string();
  WriteJsonReport(testing::SampleReport(), path);
  EXPECT_EQ(ReadJsonReport(path), testing::SampleReport());
  // No temporary file is left behind.
  size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++files;
  EXPECT_EQ(files, 1u);
  std::filesystem::remove_all(dir);
  EXPECT_THROW(ReadJsonReport(path), Error);
}

}  // namespace
}  // namespace harness::report

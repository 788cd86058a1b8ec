#pragma once
// Hand-built run reports for the report tests: two models, classification with a confusion
// matrix and per-class scores, anomaly with an AUC, SQNR of +inf, a paired comparison.

#include <limits>

#include "harness/runner/run_result.h"

namespace harness::report::testing {

inline runner::ResultRecord Classification(const std::string& method, const std::string& calibrator,
                                           double accuracy, int64_t size_bytes) {
  runner::ResultRecord r;
  r.model = "digits";
  r.method = method;
  r.calibrator = calibrator;
  r.id = "digits/" + method + (calibrator == "none" ? "" : "/" + calibrator);
  r.task = "classification";
  r.metrics.accuracy = accuracy;
  r.metrics.top5 = 1.0;
  r.metrics.confusion_matrix = {{45, 5, 0}, {2, 40, 8}, {0, 3, 47}};
  r.metrics.per_class = {{0, 45.0 / 47, 0.9, 0.928, 50},
                         {1, 40.0 / 48, 0.8, 0.816, 50},
                         {2, 47.0 / 55, 0.94, 0.895, 50}};
  r.metrics.macro_f1 = 0.88;
  r.fidelity.top1_agreement = 0.97;
  r.fidelity.sqnr_db = method == "fp32" ? std::numeric_limits<double>::infinity() : 23.4;
  r.fidelity.per_layer_sqnr = {{"conv1", 31.25, 0, "CONV_2D"},
                               {"logits", 23.4, 4, "FULLY_CONNECTED"}};
  r.size_bytes = size_bytes;
  r.arena_bytes = 20480;
  r.macs = 1234567;
  r.latency_us = runner::Latency{250.0, 260.0, 20};
  r.artifact = "models/" + r.id + ".tflite";
  return r;
}

inline runner::RunReport SampleReport() {
  runner::RunReport report;
  report.suite_name = "esp32";
  report.suite_file = "suites/esp32.yaml";
  report.suite_sha256 = std::string(64, 'a');
  report.target = runner::TargetRecord{"esp32-s3", 8 << 20, 512 << 10};
  report.environment = {
      "ci-runner-1", "0.1.0", "0123456789abcdef",    "GNU 12.2.0", "-O3 -DNDEBUG", {"avx2", "fma"},
      "avx2",        2,       "2026-01-01T02:00:00Z"};
  report.inputs = {
      {"datasets/digits/digits.tflite", std::string(64, 'b'), runner::InputRole::kModel},
      {"datasets/digits/val.h5", std::string(64, 'c'), runner::InputRole::kValidation}};
  report.tolerances.per_metric = {{"accuracy", 0.5}, {"size_bytes", 64.0}};
  report.tolerances.default_tolerance = 0.0;
  report.results.push_back(Classification("fp32", "none", 0.92, 80000));
  report.results.push_back(Classification("int8", "minmax", 0.90, 21000));
  auto entropy = Classification("int8", "entropy", 0.906, 21000);
  entropy.comparisons.push_back({"digits/int8/minmax", "mcnemar", "accuracy", 0.006, 0.21,
                                 std::nullopt, std::nullopt, false});
  entropy.alarms.push_back("class 2 <recall> & \"quotes\"");
  report.results.push_back(entropy);
  runner::ResultRecord anomaly;
  anomaly.id = "fan/int8/mse";
  anomaly.model = "fan";
  anomaly.method = "int8";
  anomaly.calibrator = "mse";
  anomaly.task = "anomaly";
  anomaly.metrics.auc = 0.8731;
  anomaly.fidelity.sqnr_db = -std::numeric_limits<double>::infinity();
  anomaly.size_bytes = 270000;
  anomaly.deployable = {false, {"arena 600 KiB exceeds the 512 KiB SRAM"}};
  report.results.push_back(anomaly);
  return report;
}

}  // namespace harness::report::testing

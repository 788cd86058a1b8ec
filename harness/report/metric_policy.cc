#include "harness/report/metric_policy.h"

#include <cstring>

namespace harness::report {
namespace {

using runner::ResultRecord;

std::optional<double> FromInt(const std::optional<int64_t>& v) {
  return v ? std::optional<double>(static_cast<double>(*v)) : std::nullopt;
}

constexpr auto kHigher = Direction::kHigherIsBetter;
constexpr auto kLower = Direction::kLowerIsBetter;

const MetricPolicy kPolicies[] = {
    {"accuracy", "points", 100.0, kHigher, Gate::kTask, 0.5, PairedTest::kMcNemarTop1,
     [](const ResultRecord& r) { return r.metrics.accuracy; }},
    {"top5", "points", 100.0, kHigher, Gate::kTask, 0.5, PairedTest::kMcNemarTop5,
     [](const ResultRecord& r) { return r.metrics.top5; }},
    // Macro F1 moves with accuracy, which gates; it has no per-sample form to pair.
    {"macro_f1", "points", 100.0, kHigher, Gate::kInform, 1.0, PairedTest::kNone,
     [](const ResultRecord& r) { return r.metrics.macro_f1; }},
    {"map", "points", 100.0, kHigher, Gate::kTask, 0.5, PairedTest::kBootstrapMap,
     [](const ResultRecord& r) { return r.metrics.map; }},
    {"map50", "points", 100.0, kHigher, Gate::kTask, 0.5, PairedTest::kBootstrapMap50,
     [](const ResultRecord& r) { return r.metrics.map50; }},
    {"auc", "points", 100.0, kHigher, Gate::kTask, 0.5, PairedTest::kBootstrapAuc,
     [](const ResultRecord& r) { return r.metrics.auc; }},
    // Fidelity to fp32 explains a task metric's change; by itself it is no regression (a
    // quantized model may agree less with fp32 and still be as accurate).
    {"top1_agreement", "points", 100.0, kHigher, Gate::kInform, 1.0, PairedTest::kMcNemarAgreement,
     [](const ResultRecord& r) { return r.fidelity.top1_agreement; }},
    {"sqnr_db", "dB", 1.0, kHigher, Gate::kInform, 1.0, PairedTest::kNone,
     [](const ResultRecord& r) { return r.fidelity.sqnr_db; }},
    {"size_bytes", "bytes", 1.0, kLower, Gate::kExact, 0.0, PairedTest::kNone,
     [](const ResultRecord& r) { return FromInt(r.size_bytes); }},
    {"arena_bytes", "bytes", 1.0, kLower, Gate::kExact, 0.0, PairedTest::kNone,
     [](const ResultRecord& r) { return FromInt(r.arena_bytes); }},
    {"macs", "MACs", 1.0, kLower, Gate::kExact, 0.0, PairedTest::kNone,
     [](const ResultRecord& r) { return FromInt(r.macs); }},
    {"latency_us", "us", 1.0, kLower, Gate::kTiming, 0.0, PairedTest::kNone, nullptr},
};

}  // namespace

const char* ToString(PairedTest test) {
  switch (test) {
    case PairedTest::kNone:
      return "";
    case PairedTest::kMcNemarTop1:
    case PairedTest::kMcNemarTop5:
    case PairedTest::kMcNemarAgreement:
      return "mcnemar";
    case PairedTest::kBootstrapMap:
    case PairedTest::kBootstrapMap50:
    case PairedTest::kBootstrapAuc:
      return "bootstrap";
  }
  return "";
}

std::span<const MetricPolicy> MetricPolicies() { return kPolicies; }

const MetricPolicy* FindMetricPolicy(const char* metric) {
  for (const MetricPolicy& policy : kPolicies) {
    if (std::strcmp(policy.metric, metric) == 0) return &policy;
  }
  return nullptr;
}

}  // namespace harness::report

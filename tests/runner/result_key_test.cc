// The cache key of a result: the same for the same inputs, and different when anything the
// result depends on changes (each ingredient changed alone), but not when only another result's
// method or the suite's tolerances change.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>

#include "harness/runner/result_cache.h"
#include "harness/suite/suite_parser.h"

namespace harness::runner {
namespace {

TEST(ResultKey, ChangesWithEveryIngredientAndOnlyThen) {
  const suite::Suite base =
      suite::LoadSuite(std::string(HARNESS_SOURCE_DIR) + "/suites/esp32.yaml");
  const std::vector<suite::ResultSpec> results = suite::ExpandMethods(base);
  const suite::ResultSpec& r = results[3];  // digits/int8/minmax
  ASSERT_EQ(r.id, "digits/int8/minmax");
  const suite::ModelSpec& model = base.models[r.model_index];
  const std::map<std::string, std::string> digests = {
      {model.path, std::string(64, 'a')},
      {model.validation.data, std::string(64, 'b')},
      {model.calibration->data, std::string(64, 'c')}};
  const std::string key = ResultKey(base, r, "avx2", digests, true);
  EXPECT_EQ(key.size(), 64u);
  EXPECT_EQ(ResultKey(base, r, "avx2", digests, true), key);

  // Unrelated to this result: its key stays.
  suite::Suite other = base;
  other.methods[0].display_name = "renamed-fp32";
  other.tolerances.per_metric["accuracy"] = 3.0;
  EXPECT_EQ(ResultKey(other, r, "avx2", digests, true), key);

  std::vector<std::pair<const char*,
                        std::function<void(suite::Suite&, std::map<std::string, std::string>&)>>>
      changes = {
          {"model bytes", [&](auto&, auto& d) { d[model.path] = std::string(64, 'd'); }},
          {"validation bytes",
           [&](auto&, auto& d) { d[model.validation.data] = std::string(64, 'e'); }},
          {"calibration bytes",
           [&](auto&, auto& d) { d[model.calibration->data] = std::string(64, 'f'); }},
          {"validation samples", [&](auto& s, auto&) { s.models[0].validation.samples = 10; }},
          {"validation seed", [&](auto& s, auto&) { s.models[0].validation.seed = 1; }},
          {"calibration samples", [&](auto& s, auto&) { s.models[0].calibration->samples = 7; }},
          {"input scale", [&](auto& s, auto&) { s.models[0].input.scale = 0.5; }},
          {"method",
           [&](auto& s, auto&) { s.methods[r.method_index].method = suite::Method::kInt16x8; }},
          {"calibrator",
           [&](auto& s, auto&) { s.methods[r.method_index].calibrator = suite::Calibrator::kMse; }},
          {"percentile", [&](auto& s, auto&) { s.methods[r.method_index].percentile = 99.9; }},
          {"an option", [&](auto& s, auto&) { s.methods[r.method_index].options.float_io = true; }},
          {"target memory", [&](auto& s, auto&) { s.target.sram_bytes += 1; }},
          {"target ops", [&](auto& s, auto&) { s.target.ops.pop_back(); }},
      };
  std::set<std::string> seen = {key};
  for (auto& [what, change] : changes) {
    suite::Suite changed = base;
    std::map<std::string, std::string> changed_digests = digests;
    change(changed, changed_digests);
    EXPECT_TRUE(seen.insert(ResultKey(changed, r, "avx2", changed_digests, true)).second) << what;
  }
  EXPECT_TRUE(seen.insert(ResultKey(base, r, "reference", digests, true)).second) << "kernels";
  EXPECT_TRUE(seen.insert(ResultKey(base, r, "avx2", digests, false)).second) << "latency";
}

}  // namespace
}  // namespace harness::runner

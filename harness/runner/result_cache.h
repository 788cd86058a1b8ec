#pragma once
// `harness run --cache DIR`: results reused across runs. A result is stored under a key that
// hashes everything it depends on (ResultKey), so an unchanged key means the same record would
// be computed again; the key is content, never a timestamp, so a cache folder restored by a CI
// system on another machine is as good as a local one. The store itself (a folder of JSON and
// .tflite files written atomically) is report/result_cache_dir.h; the runner sees only this
// interface, since the record's file format belongs to the report layer.

#include <map>
#include <optional>
#include <string>

#include "harness/runner/run_result.h"
#include "harness/suite/suite.h"

namespace harness::runner {

struct CachedResult {
  // With the paired comparisons made among its model's results, valid while those results
  // are the same: while `comparisons_key` (a hash of their keys) is unchanged.
  ResultRecord record;
  std::string host;  // where its latency was measured
  std::string comparisons_key;
};

class ResultCache {
 public:
  virtual ~ResultCache() = default;
  // The result stored under `key`, its artifact copied to `artifact_path`; nullopt when the
  // cache has none (or an unreadable entry, which is then recomputed).
  virtual std::optional<CachedResult> Load(const std::string& key,
                                           const std::string& artifact_path) = 0;
  // Stores `record` (measured on `host`) and the artifact at `artifact_path` under `key`.
  virtual void Store(const std::string& key, const CachedResult& result,
                     const std::string& artifact_path) = 0;
};

// SHA-256 (hex) of what result `r` depends on: the harness build (version, source hash,
// compiler and flags) and kernel variant, the model's bytes and settings (task, input and
// window overrides, detection decoder, latency repeats), the bytes and sample selection of its
// validation and calibration sets, the method spec and the target. `file_sha256` maps each
// input path to its digest (computed once per run). `with_latency`: whether the run measures
// latency (a record stored without it must not serve a run that wants it).
std::string ResultKey(const suite::Suite& suite, const suite::ResultSpec& r,
                      const std::string& kernel_variant,
                      const std::map<std::string, std::string>& file_sha256, bool with_latency);

}  // namespace harness::runner

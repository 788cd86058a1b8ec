#pragma once
// The folder behind `harness run --cache DIR` (runner/result_cache.h): per key, the result as a
// one-result report.json (per-sample outcomes included, for the paired comparisons and later
// baselines; `environment.host` where it was measured, `suite.sha256` its comparisons key) and
// its .tflite, in DIR/<first two hex digits>/<key>.{tflite,json}. Each file is
// written atomically (a temporary file renamed over the target), the model before the record, so
// a run killed mid-store leaves either a whole entry or none that Load accepts; a folder shared
// by runs on several machines (a CI cache) needs nothing else.

#include <optional>
#include <string>

#include "harness/runner/result_cache.h"

namespace harness::report {

class ResultCacheDir : public runner::ResultCache {
 public:
  // Creates the folder if needed; Error (place: the folder) when it cannot.
  explicit ResultCacheDir(std::string dir);

  std::optional<runner::CachedResult> Load(const std::string& key,
                                           const std::string& artifact_path) override;
  void Store(const std::string& key, const runner::CachedResult& result,
             const std::string& artifact_path) override;

 private:
  std::string EntryPath(const std::string& key, const char* extension) const;

  std::string dir_;
};

}  // namespace harness::report

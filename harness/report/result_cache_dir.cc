#include "harness/report/result_cache_dir.h"

#include <filesystem>
#include <system_error>

#include "harness/common/error.h"
#include "harness/report/atomic_file.h"
#include "harness/report/json_report.h"

namespace harness::report {

namespace fs = std::filesystem;

ResultCacheDir::ResultCacheDir(std::string dir) : dir_(std::move(dir)) {
  std::error_code error;
  fs::create_directories(dir_, error);
  if (error) throw Error(dir_, "cannot create the cache folder: " + error.message());
}

std::string ResultCacheDir::EntryPath(const std::string& key, const char* extension) const {
  return (fs::path(dir_) / key.substr(0, 2) / (key + extension)).string();
}

std::optional<runner::CachedResult> ResultCacheDir::Load(const std::string& key,
                                                         const std::string& artifact_path) {
  const std::string record_path = EntryPath(key, ".json");
  if (!fs::exists(record_path)) return std::nullopt;
  runner::RunReport entry;
  try {
    entry = ReadJsonReport(record_path);
  } catch (const Error&) {
    return std::nullopt;  // damaged: computed again and stored over it
  }
  if (entry.schema != runner::kReportSchema || entry.results.size() != 1) return std::nullopt;
  runner::CachedResult cached{std::move(entry.results[0]), entry.environment.host,
                              entry.suite_sha256};
  if (!cached.record.artifact.empty()) {
    const std::string model_path = EntryPath(key, ".tflite");
    if (!fs::exists(model_path)) return std::nullopt;
    WriteFileAtomically(artifact_path, ReadWholeFile(model_path));
  }
  return cached;
}

void ResultCacheDir::Store(const std::string& key, const runner::CachedResult& result,
                           const std::string& artifact_path) {
  std::error_code error;
  fs::create_directories(fs::path(EntryPath(key, ".json")).parent_path(), error);
  if (error) throw Error(dir_, "cannot create a cache folder: " + error.message());
  if (!result.record.artifact.empty())
    WriteFileAtomically(EntryPath(key, ".tflite"), ReadWholeFile(artifact_path));
  runner::RunReport entry;
  entry.suite_name = "result-cache";
  entry.suite_sha256 = result.comparisons_key;  // see the header
  entry.environment.host = result.host;
  entry.results.push_back(result.record);
  WriteFileAtomically(EntryPath(key, ".json"), ToJson(entry));
}

}  // namespace harness::report

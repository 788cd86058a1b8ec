#include "harness/report/merge_parts.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "harness/common/error.h"
#include "harness/report/atomic_file.h"
#include "harness/report/json_report.h"
#include "harness/report/write_reports.h"

namespace harness::report {
namespace {

namespace fs = std::filesystem;

std::string ReportPath(const std::string& dir) {
  return (fs::path(dir) / kJsonReportName).string();
}

std::string Join(const std::vector<std::string>& items, size_t limit = 8) {
  std::string text;
  for (size_t i = 0; i < items.size() && i < limit; ++i) text += (i ? ", " : "") + items[i];
  if (items.size() > limit) text += ", ... (" + std::to_string(items.size()) + " in all)";
  return text;
}

std::string PartName(const runner::ShardRecord& s) {
  return std::to_string(s.index) + "/" + std::to_string(s.count);
}

// Error naming `part` when `what` differs from the first part's.
template <typename T>
void RequireSame(const ShardPart& first, const ShardPart& part, const T& a, const T& b,
                 const std::string& what) {
  if (a == b) return;
  throw Error(ReportPath(part.dir), what + " differs from that of " + ReportPath(first.dir) +
                                        ": the parts come from different runs");
}

template <>
void RequireSame(const ShardPart& first, const ShardPart& part, const std::string& a,
                 const std::string& b, const std::string& what) {
  if (a == b) return;
  throw Error(ReportPath(part.dir), what + " '" + b + "' differs from '" + a + "' in " +
                                        ReportPath(first.dir) +
                                        ": the parts come from different runs");
}

void CheckSameRun(const ShardPart& first, const ShardPart& part) {
  const runner::RunReport& a = first.report;
  const runner::RunReport& b = part.report;
  RequireSame(first, part, a.suite_name, b.suite_name, "suite name");
  RequireSame(first, part, a.suite_sha256, b.suite_sha256, "suite sha256");
  RequireSame(first, part, a.target, b.target, "target");
  RequireSame(first, part, a.environment.harness_version, b.environment.harness_version,
              "harness version");
  RequireSame(first, part, a.environment.git_commit, b.environment.git_commit, "harness commit");
  RequireSame(first, part, a.environment.compiler, b.environment.compiler, "compiler");
  RequireSame(first, part, a.environment.compiler_flags, b.environment.compiler_flags,
              "compiler flags");
  RequireSame(first, part, a.environment.kernel_variant, b.environment.kernel_variant,
              "kernel variant");
  for (size_t i = 0; i < std::max(a.inputs.size(), b.inputs.size()); ++i) {
    const std::string ours =
        i < a.inputs.size() ? a.inputs[i].path + " sha256 " + a.inputs[i].sha256 : "(none)";
    const std::string theirs =
        i < b.inputs.size() ? b.inputs[i].path + " sha256 " + b.inputs[i].sha256 : "(none)";
    RequireSame(first, part, ours, theirs, "input " + std::to_string(i + 1));
  }
  RequireSame(first, part, a.inputs, b.inputs, "input roles");
  RequireSame(first, part, a.tolerances, b.tolerances, "tolerances");
  RequireSame(first, part, a.shard->count, b.shard->count, "shard count");
  RequireSame(first, part, a.shard->only, b.shard->only, "--only selection");
  RequireSame(first, part, a.shard->result_ids, b.shard->result_ids, "result list");
  RequireSame(first, part, a.shard->result_shards, b.shard->result_shards,
              "shard plan (balanced by '" + b.shard->balance + "' here, '" + a.shard->balance +
                  "' there: give every part the same --baseline)");
}

}  // namespace

std::vector<ShardPart> ReadParts(const std::vector<std::string>& dirs) {
  std::vector<ShardPart> parts;
  for (const std::string& dir : dirs) {
    const std::string path = ReportPath(dir);
    if (!fs::exists(path))
      throw Error(path,
                  "not found: is " + dir + " the --out folder of a `harness run --shard` part?");
    ShardPart part{dir, ReadJsonReport(path)};
    if (part.report.schema != runner::kReportSchema)
      throw Error(path,
                  "schema '" + part.report.schema + "', expected '" + runner::kReportSchema + "'");
    if (!part.report.shard)
      throw Error(path,
                  "not a part of a sharded run (no `shard` record): `harness run --shard "
                  "K/N` writes the parts that merge reads");
    parts.push_back(std::move(part));
  }
  return parts;
}

runner::RunReport MergeParts(const std::vector<ShardPart>& parts) {
  if (parts.empty()) throw Error("command line", "merge needs the output folder of every part");
  const ShardPart& first = parts.front();
  const runner::ShardRecord& plan = *first.report.shard;
  std::map<int64_t, const ShardPart*> by_index;
  for (const ShardPart& part : parts) {
    CheckSameRun(first, part);
    const runner::ShardRecord& s = *part.report.shard;
    auto [it, inserted] = by_index.emplace(s.index, &part);
    if (!inserted)
      throw Error(ReportPath(part.dir),
                  "part " + PartName(s) + " is given twice: also " + ReportPath(it->second->dir));
  }
  for (int64_t k = 1; k <= plan.count; ++k) {
    if (by_index.count(k)) continue;
    std::vector<std::string> ids;
    for (size_t i = 0; i < plan.result_ids.size(); ++i)
      if (plan.result_shards[i] == k) ids.push_back(plan.result_ids[i]);
    throw Error("command line",
                "part " + std::to_string(k) + "/" + std::to_string(plan.count) + " is missing" +
                    (ids.empty() ? " (it holds no results)" : " (results " + Join(ids) + ")"));
  }
  // Each part must hold exactly the results the plan gives it, in suite order.
  std::map<std::string, const runner::ResultRecord*> results;
  for (const auto& [k, part] : by_index) {
    std::vector<std::string> expected, held;
    for (size_t i = 0; i < plan.result_ids.size(); ++i)
      if (plan.result_shards[i] == k) expected.push_back(plan.result_ids[i]);
    for (const runner::ResultRecord& r : part->report.results) {
      held.push_back(r.id);
      results[r.id] = &r;
    }
    if (held != expected)
      throw Error(ReportPath(part->dir), "holds results " + Join(held) + ", but part " +
                                             PartName(*part->report.shard) + " of the plan is " +
                                             Join(expected));
  }

  runner::RunReport merged = by_index.begin()->second->report;
  merged.shard.reset();
  merged.cache.reset();
  merged.results.clear();
  std::vector<std::string> hosts;
  for (const auto& [k, part] : by_index) {
    const runner::Environment& env = part->report.environment;
    if (std::find(hosts.begin(), hosts.end(), env.host) == hosts.end()) hosts.push_back(env.host);
    merged.environment.start_time = std::min(merged.environment.start_time, env.start_time);
  }
  merged.environment.host = Join(hosts, hosts.size());
  std::vector<std::string> reused;
  for (const std::string& id : plan.result_ids) {
    merged.results.push_back(*results.at(id));
    for (const auto& [k, part] : by_index) {
      const auto& cache = part->report.cache;
      if (cache && std::find(cache->reused.begin(), cache->reused.end(), id) != cache->reused.end())
        reused.push_back(id);
    }
  }
  const bool any_cache = std::any_of(by_index.begin(), by_index.end(), [](const auto& entry) {
    return entry.second->report.cache.has_value();
  });
  if (any_cache) merged.cache = runner::CacheRecord{reused};
  return merged;
}

void CopyArtifacts(const std::vector<ShardPart>& parts, const std::string& out_dir) {
  for (const ShardPart& part : parts) {
    for (const runner::ResultRecord& r : part.report.results) {
      if (r.artifact.empty()) continue;
      const fs::path from = fs::path(part.dir) / r.artifact;
      if (!fs::exists(from)) continue;  // a failed result may have written none
      const fs::path to = fs::path(out_dir) / r.artifact;
      fs::create_directories(to.parent_path());
      WriteFileAtomically(to.string(), ReadWholeFile(from.string()));
    }
  }
}

}  // namespace harness::report

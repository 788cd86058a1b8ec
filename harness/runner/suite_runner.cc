#include "harness/runner/suite_runner.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <map>
#include <ostream>
#include <set>
#include <sstream>

#include "harness/common/error.h"
#include "harness/common/sha256.h"
#include "harness/eval/input_feeder.h"
#include "harness/runner/build_info.h"
#include "harness/runner/comparisons.h"
#include "harness/runner/detection_bootstrap.h"
#include "harness/runner/glob.h"
#include "harness/runner/latency.h"
#include "harness/runner/progress.h"
#include "harness/runner/result_cache.h"
#include "harness/runner/result_job.h"
#include "kernels/optimized/dispatch.h"

namespace harness::runner {
namespace {

namespace fs = std::filesystem;

std::vector<suite::ResultSpec> SelectResults(const suite::Suite& suite, const std::string& only) {
  std::vector<suite::ResultSpec> all = suite::ExpandMethods(suite);
  if (only.empty()) return all;
  std::vector<suite::ResultSpec> selected;
  for (const auto& r : all)
    if (GlobMatch(only, r.id)) selected.push_back(r);
  if (selected.empty()) {
    throw Error("command line", "--only '" + only + "' selects none of the " +
                                    std::to_string(all.size()) + " results of " + suite.path);
  }
  return selected;
}

// "kws/int8/entropy" -> "models/kws_int8_entropy.tflite", unique because ids are.
std::string ArtifactName(const std::string& id) {
  std::string name = id;
  for (char& c : name)
    if (c == '/') c = '_';
  return "models/" + name + ".tflite";
}

std::string Summary(const ResultRecord& r) {
  if (r.error) return "failed: " + *r.error;
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(2);
  if (r.metrics.accuracy) s << "accuracy " << *r.metrics.accuracy * 100.0 << " %";
  if (r.metrics.auc) s << "AUC " << std::setprecision(4) << *r.metrics.auc;
  if (r.metrics.map50) s << "mAP@0.5 " << std::setprecision(3) << *r.metrics.map50;
  if (r.size_bytes) s << ", " << *r.size_bytes << " bytes";
  return s.str();
}

Environment CurrentEnvironment(int threads) {
  const BuildInfo& build = GetBuildInfo();
  Environment env;
  env.host = HostName();
  env.harness_version = build.version;
  env.git_commit = build.git_commit;
  env.compiler = build.compiler;
  env.compiler_flags = build.compiler_flags;
  env.cpu_features = CpuFeatures();
  env.kernel_variant =
      std::string(kernels::optimized::VariantName(kernels::optimized::SelectedVariant()));
  env.threads = threads;
  env.start_time = UtcTimestamp();
  return env;
}

// Inputs are recorded by their path relative to the suite file, as the suite names them, so a
// report and a baseline made from different working directories (or with the suite named by an
// absolute path) still pair each input with itself.
std::string PathFromSuite(const std::string& path, const std::string& suite_path) {
  const fs::path folder = fs::absolute(fs::path(suite_path)).parent_path().lexically_normal();
  const fs::path relative = fs::absolute(fs::path(path)).lexically_normal().lexically_relative(folder);
  return relative.empty() ? path : relative.generic_string();
}

// Records an input once, by its path relative to the suite, and keeps its digest for the cache
// keys.
void AddInput(RunReport& report, std::map<std::string, std::string>& file_sha256,
              const std::string& path, InputRole role, const std::string& suite_path) {
  if (file_sha256.count(path)) return;
  const std::string digest = Sha256OfFile(path);
  file_sha256[path] = digest;
  report.inputs.push_back({PathFromSuite(path, suite_path), digest, role});
}

// The set's ground-truth boxes in the form the mAP comparisons score against.
std::vector<eval::DetectionTruth> DetectionTruthOf(const eval::Dataset& set) {
  std::vector<eval::DetectionTruth> truth;
  truth.reserve(set.boxes().size());
  for (const eval::GroundTruthBox& box : set.boxes())
    truth.push_back({box.x_min, box.y_min, box.x_max, box.y_max, box.class_index, box.sample});
  return truth;
}

}  // namespace

RunReport RunSuite(const suite::Suite& suite, const RunOptions& options) {
  auto check_cancel = [&] {
    if ((options.cancel && options.cancel->load()) || InterruptRequested()) throw Cancelled();
  };
  std::vector<suite::ResultSpec> selected = SelectResults(suite, options.only);

  RunReport report;
  report.suite_name = suite.name;
  report.suite_file = suite.path;
  report.suite_sha256 = Sha256OfFile(suite.path);
  report.target =
      TargetRecord{suite.target.name, suite.target.flash_bytes, suite.target.sram_bytes};
  report.environment = CurrentEnvironment(options.threads);
  report.tolerances.per_metric = suite.tolerances.per_metric;
  report.tolerances.default_tolerance = suite.tolerances.default_tolerance;
  report.tolerances.significance = suite.tolerances.significance;
  fs::create_directories(fs::path(options.out_dir) / "models");

  // The inputs of the whole selection, whichever part of a sharded run this is: every part then
  // records the same list (which `harness merge` checks) and a merged report lists them as an
  // unsharded run does.
  std::map<std::string, std::string> file_sha256;
  std::set<size_t> listed;
  for (const auto& r : selected) {
    if (!listed.insert(r.model_index).second) continue;
    const ModelNeeds needs = NeedsOf(suite, selected, r.model_index);
    const suite::ModelSpec& spec = suite.models[r.model_index];
    AddInput(report, file_sha256, spec.path, InputRole::kModel, suite.path);
    if (spec.calibration && (needs.calibration || needs.equalization))
      AddInput(report, file_sha256, spec.calibration->data, InputRole::kCalibration, suite.path);
    AddInput(report, file_sha256, spec.validation.data, InputRole::kValidation, suite.path);
  }
  if (options.shard) {
    report.shard = PlanShards(selected, CostsOf(suite, selected, options.cost_baseline),
                              *options.shard, options.only);
    std::vector<suite::ResultSpec> part;
    for (size_t k = 0; k < selected.size(); ++k)
      if (report.shard->result_shards[k] == options.shard->index) part.push_back(selected[k]);
    selected = std::move(part);
  }

  std::ostringstream discard;
  std::ostream& log = options.log ? *options.log : discard;
  Progress progress(log, options.interactive, selected.size());

  // Results whose key is in the cache are taken from it; a model all of whose results are
  // reused is not prepared at all.
  std::vector<JobOutcome> outcomes(selected.size());
  std::vector<std::string> keys(selected.size());
  std::vector<bool> reused(selected.size(), false);
  std::vector<CachedResult> cached(selected.size());  // of the reused results: host, group key
  auto artifact_path = [&](size_t k) {
    return (fs::path(options.out_dir) / ArtifactName(selected[k].id)).string();
  };
  std::map<size_t, std::string> group_keys;
  if (options.cache) {
    report.cache.emplace();
    for (size_t k = 0; k < selected.size(); ++k) {
      keys[k] = ResultKey(suite, selected[k], report.environment.kernel_variant, file_sha256,
                          options.measure_latency);
      group_keys[selected[k].model_index] += keys[k];
      std::optional<CachedResult> entry = options.cache->Load(keys[k], artifact_path(k));
      if (!entry) continue;
      outcomes[k].record = entry->record;
      cached[k] = std::move(*entry);
      reused[k] = true;
      report.cache->reused.push_back(selected[k].id);
    }
    for (auto& [model_index, group] : group_keys) group = Sha256Hex(group);
  }

  // Per-model shared work, once: the fp32 reference run and the calibration statistics. A model
  // that cannot be prepared fails its own results (its context stays null), not the run.
  std::map<size_t, std::unique_ptr<ModelContext>> contexts;
  std::map<size_t, std::string> model_errors;
  for (size_t k = 0; k < selected.size(); ++k) {
    const size_t model_index = selected[k].model_index;
    if (reused[k] || contexts.count(model_index)) continue;
    const ModelNeeds needs = NeedsOf(suite, selected, model_index);
    const suite::ModelSpec& spec = suite.models[model_index];
    progress.Started(spec.name + ": fp32 reference and calibration");
    try {
      contexts[model_index] = PrepareModel(spec, needs);
    } catch (const Error& e) {
      contexts[model_index] = nullptr;
      model_errors[model_index] = e.what();
    } catch (const std::bad_alloc&) {
      contexts[model_index] = nullptr;
      model_errors[model_index] = spec.path + ": out of memory while preparing the model";
    }
    check_cancel();
  }

  const suite::Target& target = suite.target;
  const quant::LintTarget lint_target = ToLintTarget(target);
  // Each job writes only its own slot; the report is assembled in suite order afterwards.
  tbb::parallel_for(size_t{0}, selected.size(), [&](size_t k) {
    if (options.cancel && options.cancel->load()) return;
    const suite::ResultSpec& r = selected[k];
    if (reused[k]) {
      progress.Finished(r.id, "reused from the cache: " + Summary(outcomes[k].record));
      return;
    }
    ResultJob job;
    job.model = contexts.at(r.model_index).get();
    job.model_name = suite.models[r.model_index].name;
    job.method = &suite.methods[r.method_index];
    job.id = r.id;
    job.artifact_relative = ArtifactName(r.id);
    job.artifact_path = artifact_path(k);
    if (job.model == nullptr) {
      outcomes[k].record = FailedResult(job, model_errors.at(r.model_index));
    } else {
      progress.Started(r.id);
      outcomes[k] = RunResultJob(job, target, lint_target);
    }
    progress.Finished(r.id, Summary(outcomes[k].record));
  });
  check_cancel();

  // Latency after the parallel phase, one model at a time on one thread, so the figures are not
  // disturbed by the other jobs.
  if (options.measure_latency) {
    for (size_t k = 0; k < selected.size(); ++k) {
      if (reused[k] || outcomes[k].record.error) continue;
      const ModelContext& context = *contexts.at(selected[k].model_index);
      const runtime::CompiledModel& model = *outcomes[k].compiled;
      // Sample 0 in every model input.
      const eval::InputFeeder feeder(*context.validation, model);
      std::vector<std::vector<std::byte>> buffers;
      std::vector<std::span<const std::byte>> inputs;
      for (size_t i = 0; i < feeder.input_count(); ++i) {
        buffers.emplace_back(model.input_bytes(i));
        feeder.preparer(i).Prepare(0, 0, buffers.back());
      }
      for (const auto& buffer : buffers) inputs.emplace_back(buffer);
      outcomes[k].record.latency_us = MeasureLatency(model, inputs, context.spec->latency.warmup,
                                                     context.spec->latency.repeats);
      check_cancel();
    }
  }
  progress.Done();

  // Paired comparisons within each model's results (comparisons.h). A model all of whose
  // results are reused, stored with the comparisons of this same set of results, keeps them;
  // otherwise they are made afresh, reused results bringing their per-sample outcomes (and
  // matched detections), and every result of the model is stored with them.
  std::set<size_t> models;
  for (const auto& r : selected) models.insert(r.model_index);
  for (size_t model_index : models) {
    if (model_errors.count(model_index)) continue;
    std::vector<size_t> members;
    for (size_t k = 0; k < selected.size(); ++k)
      if (selected[k].model_index == model_index && !outcomes[k].record.error) members.push_back(k);
    const bool comparisons_cached =
        options.cache && std::all_of(members.begin(), members.end(), [&](size_t k) {
          return reused[k] && cached[k].comparisons_key == group_keys.at(model_index);
        });
    if (comparisons_cached) continue;
    std::vector<ResultRecord*> records;
    std::vector<ResultSamples> samples;
    for (size_t k : members) {
      records.push_back(&outcomes[k].record);
      if (reused[k]) {
        outcomes[k].record.comparisons.clear();
        samples.push_back({&outcomes[k].record.per_sample_score, nullptr});
      } else {
        samples.push_back({&outcomes[k].anomaly_scores, &outcomes[k].detections});
      }
    }
    check_cancel();
    const ModelContext* context =
        contexts.count(model_index) ? contexts.at(model_index).get() : nullptr;
    std::vector<eval::DetectionTruth> boxes;
    std::vector<int32_t> labels;
    if (context != nullptr) {
      boxes = DetectionTruthOf(*context->validation);
      labels.assign(context->validation->labels().begin(), context->validation->labels().end());
    } else {
      // Every result reused: the anomaly labels are in the records (the set's, as 0 and 1).
      for (const ResultRecord* record : records)
        if (!record->per_sample_label.empty()) {
          labels.assign(record->per_sample_label.begin(), record->per_sample_label.end());
          break;
        }
    }
    for (size_t i = 0; i < records.size(); ++i) {
      if (records[i]->task == "detection" && samples[i].detections != nullptr)
        records[i]->per_image = MatchDetections(*samples[i].detections, boxes);
    }
    AddPairedComparisons(records, samples, {labels, boxes});
    if (!options.cache) continue;
    for (size_t k : members) {
      // A reused result is stored as it was measured: with its own host and latency.
      const std::string& host = reused[k] ? cached[k].host : report.environment.host;
      ResultRecord record = outcomes[k].record;
      if (reused[k]) record.latency_us = cached[k].record.latency_us;
      try {
        options.cache->Store(keys[k], {std::move(record), host, group_keys.at(model_index)},
                             artifact_path(k));
      } catch (const Error& e) {
        log << "harness: warning: not cached: " << e.what() << "\n";
      }
    }
  }
  // A latency measured on another machine says nothing about this one.
  for (size_t k = 0; k < selected.size(); ++k)
    if (reused[k] && cached[k].host != report.environment.host)
      outcomes[k].record.latency_us.reset();
  for (auto& outcome : outcomes) report.results.push_back(std::move(outcome.record));
  return report;
}

}  // namespace harness::runner

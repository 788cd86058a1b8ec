// minmax, the name lookup and the option checks; percentile, entropy and mse live in their own
// files.
#include "harness/quant/calibrators.h"

#include <string>

#include "harness/common/error.h"
#include "harness/quant/calibrator_support.h"

namespace harness::quant {

CalibrationRange CalibrateMinMax(const TensorStatistics& statistics) {
  RequireValues(statistics, "minmax");
  return {statistics.min(), statistics.max()};
}

namespace {

class NamedCalibrator final : public Calibrator {
 public:
  enum class Kind { kMinMax, kPercentile, kEntropy, kMse };

  NamedCalibrator(Kind kind, std::string_view name, const CalibratorOptions& options)
      : kind_(kind), name_(name), options_(options) {}

  std::string_view name() const override { return name_; }

  CalibrationRange Calibrate(const TensorStatistics& statistics) const override {
    switch (kind_) {
      case Kind::kMinMax:
        return CalibrateMinMax(statistics);
      case Kind::kPercentile:
        return CalibratePercentile(statistics, options_.percentile, options_.symmetric);
      case Kind::kEntropy:
        return CalibrateEntropy(statistics, options_.num_levels, options_.symmetric);
      case Kind::kMse:
        return CalibrateMse(statistics, options_.num_levels, options_.symmetric);
    }
    throw Error("calibrator", "unknown calibrator kind");
  }

 private:
  Kind kind_;
  std::string name_;
  CalibratorOptions options_;
};

void CheckOptions(const CalibratorOptions& options) {
  if (!(options.percentile > 0.0 && options.percentile <= 100.0)) {
    throw Error("calibrator",
                "percentile must be in (0, 100], got " + std::to_string(options.percentile));
  }
  if (options.num_levels < 4 || options.num_levels % 2 != 0) {
    throw Error("calibrator", "number of quantization levels must be an even number >= 4, got " +
                                  std::to_string(options.num_levels));
  }
}

}  // namespace

std::unique_ptr<Calibrator> MakeCalibrator(std::string_view name,
                                           const CalibratorOptions& options) {
  CheckOptions(options);
  using Kind = NamedCalibrator::Kind;
  if (name == "minmax") return std::make_unique<NamedCalibrator>(Kind::kMinMax, name, options);
  if (name == "percentile") {
    return std::make_unique<NamedCalibrator>(Kind::kPercentile, name, options);
  }
  if (name == "entropy") return std::make_unique<NamedCalibrator>(Kind::kEntropy, name, options);
  if (name == "mse") return std::make_unique<NamedCalibrator>(Kind::kMse, name, options);
  std::string known;
  for (const std::string& each : CalibratorNames()) known += (known.empty() ? "" : ", ") + each;
  throw Error("calibrator",
              "unknown calibrator '" + std::string(name) + "' (known: " + known + ")");
}

std::vector<std::string> CalibratorNames() { return {"minmax", "percentile", "entropy", "mse"}; }

}  // namespace harness::quant

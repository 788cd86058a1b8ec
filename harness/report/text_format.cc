#include "harness/report/text_format.h"

#include <cmath>
#include <cstdio>

namespace harness::report {
namespace {

std::string Fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

}  // namespace

std::string FormatPercent(std::optional<double> fraction) {
  if (!fraction) return "-";
  if (!std::isfinite(*fraction)) return std::to_string(*fraction);
  return Fixed(100.0 * *fraction, 2) + " %";
}

std::string FormatDb(std::optional<double> db) {
  if (!db) return "-";
  if (std::isinf(*db)) return *db > 0 ? "inf" : "-inf";
  return Fixed(*db, 1) + " dB";
}

std::string FormatBytes(std::optional<int64_t> bytes) {
  if (!bytes) return "-";
  const auto b = static_cast<double>(*bytes);
  if (*bytes < 1024) return std::to_string(*bytes) + " B";
  if (*bytes < 1024 * 1024) return Fixed(b / 1024.0, 1) + " KiB";
  return Fixed(b / (1024.0 * 1024.0), 2) + " MiB";
}

std::string FormatCount(std::optional<int64_t> count) {
  if (!count) return "-";
  const auto c = static_cast<double>(*count);
  if (*count < 1000) return std::to_string(*count);
  if (*count < 1000000) return Fixed(c / 1e3, 1) + " k";
  if (*count < 1000000000) return Fixed(c / 1e6, 2) + " M";
  return Fixed(c / 1e9, 2) + " G";
}

std::string FormatMicroseconds(std::optional<double> us) {
  if (!us) return "-";
  if (*us < 1000.0) return Fixed(*us, 0) + " us";
  return Fixed(*us / 1000.0, 1) + " ms";
}

std::string FormatSigned(double value, int decimals) {
  if (std::isinf(value)) return value > 0 ? "+inf" : "-inf";
  if (std::isnan(value)) return "nan";
  char text[64];
  std::snprintf(text, sizeof text, "%+.*f", decimals, value);
  return text;
}

std::string FormatPValue(double p) {
  if (p < 0.001) return "< 0.001";
  if (p < 0.01) return Fixed(p, 3);
  return Fixed(p, 2);
}

std::string FormatDelta(const MetricDelta& delta) {
  const int decimals = delta.unit == "points" ? 2 : delta.unit == "dB" ? 1 : 0;
  return FormatSigned(delta.delta, decimals) + " " + delta.unit;
}

HeadlineMetric Headline(const runner::ResultRecord& result) {
  if (result.metrics.accuracy) return {"accuracy", result.metrics.accuracy};
  if (result.metrics.auc) return {"auc", result.metrics.auc};
  if (result.metrics.map) return {"map", result.metrics.map};
  return {"", std::nullopt};
}

std::string LabelWithinModel(std::string_view id, std::string_view model) {
  if (id.size() > model.size() && id.substr(0, model.size()) == model && id[model.size()] == '/') {
    return std::string(id.substr(model.size() + 1));
  }
  return std::string(id);
}

std::string LabelWithinModel(const runner::ResultRecord& result) {
  return LabelWithinModel(result.id, result.model);
}

}  // namespace harness::report

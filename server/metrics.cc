#include "server/metrics.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace ttads::server {
namespace {

std::string EscapeLabel(const std::string& value) {
  return absl::StrReplaceAll(value, {{"\\", "\\\\"}, {"\"", "\\\""}, {"\n", "\\n"}});
}

std::string LabelText(const std::vector<std::string>& names, const LabelValues& values,
                      const std::string& extra = "") {
  std::string text;
  for (std::size_t i = 0; i < names.size() && i < values.size(); ++i) {
    absl::StrAppend(&text, text.empty() ? "" : ",", names[i], "=\"", EscapeLabel(values[i]), "\"");
  }
  if (!extra.empty()) absl::StrAppend(&text, text.empty() ? "" : ",", extra);
  return text.empty() ? "" : absl::StrCat("{", text, "}");
}

}  // namespace

MetricsRegistry& MetricsRegistry::Global() {
  static MetricsRegistry* const registry = new MetricsRegistry();
  return *registry;
}

const std::vector<double>& LatencyBuckets() {
  static const std::vector<double> buckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                              0.1,   0.25,   0.5,   1,    2.5,   5,    10};
  return buckets;
}

void MetricsRegistry::DeclareCounter(const std::string& name, const std::string& help,
                                     std::vector<std::string> label_names) {
  absl::MutexLock lock(&mutex_);
  Metric& metric = metrics_[name];
  metric.type = "counter";
  metric.help = help;
  metric.label_names = std::move(label_names);
}

void MetricsRegistry::DeclareHistogram(const std::string& name, const std::string& help,
                                       std::vector<std::string> label_names,
                                       std::vector<double> buckets) {
  absl::MutexLock lock(&mutex_);
  Metric& metric = metrics_[name];
  metric.type = "histogram";
  metric.help = help;
  metric.label_names = std::move(label_names);
  metric.buckets = std::move(buckets);
}

void MetricsRegistry::DeclareGaugeCallback(const std::string& name, const std::string& help,
                                           std::function<double()> read) {
  absl::MutexLock lock(&mutex_);
  Metric& metric = metrics_[name];
  metric.type = "gauge";
  metric.help = help;
  metric.read = std::move(read);
}

void MetricsRegistry::Remove(const std::string& name) {
  absl::MutexLock lock(&mutex_);
  metrics_.erase(name);
}

void MetricsRegistry::Increment(const std::string& name, const LabelValues& labels, double by) {
  absl::MutexLock lock(&mutex_);
  const auto found = metrics_.find(name);
  if (found == metrics_.end()) return;
  found->second.series[labels].value += by;
}

void MetricsRegistry::Observe(const std::string& name, const LabelValues& labels, double value) {
  absl::MutexLock lock(&mutex_);
  const auto found = metrics_.find(name);
  if (found == metrics_.end()) return;
  Metric& metric = found->second;
  Series& series = metric.series[labels];
  if (series.counts.empty()) series.counts.assign(metric.buckets.size() + 1, 0);
  std::size_t bucket = 0;
  while (bucket < metric.buckets.size() && value > metric.buckets[bucket]) ++bucket;
  ++series.counts[bucket];
  series.sum += value;
}

std::string MetricsRegistry::Render() const {
  // Gauge callbacks may take other locks: read them outside ours.
  struct Gauge {
    std::string name, help;
    std::function<double()> read;
  };
  std::vector<Gauge> gauges;
  std::string out;
  {
    absl::MutexLock lock(&mutex_);
    for (const auto& [name, metric] : metrics_) {
      if (metric.type == "gauge") {
        gauges.push_back({name, metric.help, metric.read});
        continue;
      }
      absl::StrAppend(&out, "# HELP ", name, " ", metric.help, "\n# TYPE ", name, " ",
                      metric.type, "\n");
      for (const auto& [labels, series] : metric.series) {
        if (metric.type == "counter") {
          absl::StrAppend(&out, name, LabelText(metric.label_names, labels), " ", series.value,
                          "\n");
          continue;
        }
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i <= metric.buckets.size(); ++i) {
          cumulative += series.counts[i];
          const std::string bound =
              i < metric.buckets.size() ? absl::StrCat(metric.buckets[i]) : "+Inf";
          absl::StrAppend(&out, name, "_bucket",
                          LabelText(metric.label_names, labels, absl::StrCat("le=\"", bound, "\"")),
                          " ", cumulative, "\n");
        }
        absl::StrAppend(&out, name, "_sum", LabelText(metric.label_names, labels), " ",
                        series.sum, "\n", name, "_count", LabelText(metric.label_names, labels),
                        " ", cumulative, "\n");
      }
    }
  }
  for (const Gauge& gauge : gauges) {
    absl::StrAppend(&out, "# HELP ", gauge.name, " ", gauge.help, "\n# TYPE ", gauge.name,
                    " gauge\n", gauge.name, " ", gauge.read(), "\n");
  }
  return out;
}

}  // namespace ttads::server

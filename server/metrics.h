// Prometheus metrics of ttads-server: counters, gauges and histograms with labels, rendered in
// the text exposition format. One process-wide registry; cheap enough for every RPC.
#ifndef TTADS_SERVER_METRICS_H_
#define TTADS_SERVER_METRICS_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace ttads::server {

// Label values in the order the metric declares its label names.
using LabelValues = std::vector<std::string>;

class MetricsRegistry {
 public:
  // The registry ttads-server uses.
  static MetricsRegistry& Global();

  // Declares a metric (idempotent). `buckets` only for histograms (upper bounds, ascending).
  void DeclareCounter(const std::string& name, const std::string& help,
                      std::vector<std::string> label_names);
  void DeclareHistogram(const std::string& name, const std::string& help,
                        std::vector<std::string> label_names, std::vector<double> buckets);
  // A gauge whose value is read when the metrics are scraped.
  void DeclareGaugeCallback(const std::string& name, const std::string& help,
                            std::function<double()> read);

  // Drops a metric (a gauge whose callback is about to dangle).
  void Remove(const std::string& name);

  void Increment(const std::string& name, const LabelValues& labels, double by = 1);
  void Observe(const std::string& name, const LabelValues& labels, double value);

  // The text exposition format (version 0.0.4).
  std::string Render() const;

 private:
  struct Series {
    double value = 0;                  // counters
    std::vector<std::uint64_t> counts;  // histograms: one per bucket, then +Inf
    double sum = 0;
  };
  struct Metric {
    std::string type;  // counter | histogram | gauge
    std::string help;
    std::vector<std::string> label_names;
    std::vector<double> buckets;
    std::function<double()> read;  // gauges
    std::map<LabelValues, Series> series;
  };

  mutable absl::Mutex mutex_;
  std::map<std::string, Metric> metrics_ ABSL_GUARDED_BY(mutex_);
};

// The buckets of RPC latency histograms, in seconds.
const std::vector<double>& LatencyBuckets();

}  // namespace ttads::server

#endif  // TTADS_SERVER_METRICS_H_

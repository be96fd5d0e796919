#include "server/tiktok_calls.h"

#include "absl/strings/str_cat.h"
#include "server/log.h"
#include "server/metrics.h"

namespace ttads::server {

absl::StatusOr<std::unique_ptr<tiktok::TikTokClient>> MakeTikTokClient(const ServerConfig& config) {
  tiktok::TikTokClientConfig client;
  client.base_url = config.tiktok_api_base_url;
  client.version = config.tiktok_api_version;
  client.app_id = config.tiktok_app_id;
  client.app_secret = config.tiktok_app_secret;
  client.request_timeout = absl::Milliseconds(config.tiktok_request_timeout_ms);
  client.connect_timeout = std::min(client.connect_timeout, client.request_timeout);
  client.retry.max_attempts = config.tiktok_retry_max_attempts;
  client.retry.base_delay = absl::Milliseconds(config.tiktok_retry_base_delay_ms);
  client.retry.max_delay = std::max(client.retry.base_delay, std::min(client.retry.max_delay,
      absl::Milliseconds(config.tiktok_retry_deadline_ms)));
  client.retry.rate_limit_min_delay =
      std::min(client.retry.rate_limit_min_delay, client.retry.base_delay);
  client.retry.deadline = absl::Milliseconds(config.tiktok_retry_deadline_ms);
  client.rate_limit.app_qps = config.tiktok_app_qps;
  client.rate_limit.advertiser_qps = config.tiktok_advertiser_qps;

  MetricsRegistry& metrics = MetricsRegistry::Global();
  metrics.DeclareCounter("ttads_tiktok_requests_total",
                         "HTTP attempts to TikTok, by endpoint and TikTok code (or reason)",
                         {"path", "code"});
  metrics.DeclareHistogram("ttads_tiktok_request_duration_seconds",
                           "duration of one HTTP attempt to TikTok", {"path"}, LatencyBuckets());
  metrics.DeclareCounter("ttads_tiktok_rate_limit_wait_seconds_total",
                         "time calls waited in the local TikTok rate limiter", {"path"});
  tiktok::TikTokClientDeps deps;
  deps.logger = [](const tiktok::CallLogRecord& record) {
    Log(record.outcome == "ok" ? "info" : "warning", "tiktok_call", record.Fields());
    MetricsRegistry& registry = MetricsRegistry::Global();
    const std::string code =
        record.outcome == "ok" || record.code != 0 ? absl::StrCat(record.code) : record.outcome;
    registry.Increment("ttads_tiktok_requests_total", {record.path, code});
    registry.Observe("ttads_tiktok_request_duration_seconds", {record.path},
                     absl::ToDoubleSeconds(record.duration));
    if (record.rate_limit_wait > absl::ZeroDuration()) {
      registry.Increment("ttads_tiktok_rate_limit_wait_seconds_total", {record.path},
                         absl::ToDoubleSeconds(record.rate_limit_wait));
    }
  };
  return tiktok::TikTokClient::Create(std::move(client), std::move(deps));
}

}  // namespace ttads::server

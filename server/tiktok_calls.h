// The TikTok client as ttads-server runs it: configured from ServerConfig, every attempt written
// to the JSON log and counted in the metrics (ttads_tiktok_requests_total,
// ttads_tiktok_request_duration_seconds, ttads_tiktok_rate_limit_wait_seconds_total).
#ifndef TTADS_SERVER_TIKTOK_CALLS_H_
#define TTADS_SERVER_TIKTOK_CALLS_H_

#include <memory>

#include "absl/status/statusor.h"
#include "server/config.h"
#include "tiktok/tiktok_client.h"

namespace ttads::server {

absl::StatusOr<std::unique_ptr<tiktok::TikTokClient>> MakeTikTokClient(const ServerConfig& config);

}  // namespace ttads::server

#endif  // TTADS_SERVER_TIKTOK_CALLS_H_

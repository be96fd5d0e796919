// What a sandbox run can be told: rate limits, latency, transcoding and lead-task delays,
// per-currency minimum budgets, the metrics seed and back-fill. Defaults follow the reference
// (/work/shared/reference/tiktok-api-v1.3.md §4, §12) where it gives a number.
#ifndef TTADS_TOOLS_SANDBOX_SANDBOX_CONFIG_H_
#define TTADS_TOOLS_SANDBOX_SANDBOX_CONFIG_H_

#include <cstdint>
#include <map>
#include <string>

namespace ttads::sandbox {

// Smallest accepted budgets in one currency, in account currency units (not cents).
struct MinBudget {
  double campaign = 0;       // campaign, daily or lifetime
  double adgroup_daily = 0;  // ad group, daily; lifetime = this x scheduled days
};

struct SandboxConfig {
  // App-level QPS per app across all paths (TikTok's Basic tier is 10); 0 turns it off. Over
  // the limit: code 40100.
  double app_qps = 10;
  // Endpoint-specific app-level QPS (path relative to /open_api/v1.3/, with its slash);
  // TikTok's Basic tier has 5 for ad/create/.
  std::map<std::string, double> endpoint_qps = {{"ad/create/", 5}};
  // Advertiser-level QPS per advertiser per path (code 40133). TikTok does not publish the
  // number, so it is off (0) unless set.
  double advertiser_qps = 0;

  // Added before every API response (not the control API), in milliseconds.
  int64_t latency_ms = 0;
  // How long an uploaded video stays in transcoding (sandbox clock); ads using it get 40901.
  int64_t transcode_seconds = 0;
  // How long a lead download task runs before it is SUCCEED (sandbox clock).
  int64_t lead_task_seconds = 0;
  // How long an auth code issued through the control API stays valid (TikTok: 1 hour).
  int64_t auth_code_ttl_seconds = 3600;

  // Minimum budgets per currency (ISO 4217). Currencies not listed use "USD"'s numbers, the
  // reference's "or the local-currency equivalent" being unknown. Defaults: USD 50 campaign /
  // 20 ad group daily (TikTok help centre), KZT 2500 both (the floor the existing system uses).
  std::map<std::string, MinBudget> min_budgets = {{"USD", {50, 20}}, {"KZT", {2500, 2500}}};

  // Seed of the synthetic metrics: same seed + same objects + same clock = same report.
  uint64_t metrics_seed = 1;
  // Days of metrics generated before an ad's creation (per-object override in seed data).
  int backfill_days = 0;
  // Seed of the sandbox's own randomness (ids, tokens, fault fractions).
  uint64_t random_seed = 7;
};

}  // namespace ttads::sandbox

#endif  // TTADS_TOOLS_SANDBOX_SANDBOX_CONFIG_H_

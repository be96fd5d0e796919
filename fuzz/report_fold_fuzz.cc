// The brain's fold of TikTok's ad-level daily report rows into windows (server/brain_data.h),
// then the ad-group health score on what came out (server/ad_group_health.h).
//
// Input: a report page as TikTok sends it: an envelope ({"code":0,"data":{"list":[...]}}), its
// data ({"list":[...]}) or the bare row array.
// Invariants: every row is counted once (folded, outside the days, or unusable); a folded ad has
// an id; a scored ad group that is not skipped has the class its score says.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "fuzz/fuzz_support.h"
#include "server/ad_group_health.h"
#include "server/brain_data.h"
#include "tiktok/api_types.h"
#include "tiktok/json_value.h"

namespace ttads::fuzz {
namespace {

using tiktok::JsonValue;

const JsonValue* RowList(const JsonValue& document) {
  if (document.is_array()) return &document;
  const JsonValue* data = document.Find("data");
  const JsonValue* holder = data != nullptr ? data : &document;
  const JsonValue* list = holder->Find("list");
  return list != nullptr && list->is_array() ? list : nullptr;
}

void FoldAndScore(const std::vector<tiktok::ReportRow>& rows) {
  const server::BrainDates dates = server::BrainDatesFor(absl::CivilDay(2026, 11, 24));
  server::FoldedReport folded;
  server::FoldReportRows(rows, dates, folded);
  FUZZ_CHECK(static_cast<size_t>(folded.rows_folded + folded.rows_outside + folded.rows_unusable) ==
                 rows.size(),
             "a row was lost or counted twice");
  for (const auto& [id, ad] : folded.ads) {
    FUZZ_CHECK(!id.empty() && id == ad.ad_id, "folded ad without its id");
  }

  server::BrainData data;
  tiktok::AdGroup listed;
  listed.adgroup_id = "1810000000000000001";
  listed.campaign_id = "1800000000000000001";
  listed.campaign_name = "Fuzz campaign";
  data.ad_groups.push_back(listed);
  server::AssembleBrainData(std::move(folded), {"1800000000000000001"}, data);

  std::vector<std::optional<double>> cpms;
  for (const auto& [id, windows] : data.adgroup_windows) {
    cpms.push_back(server::CostPerMille(windows.yesterday));
  }
  const std::optional<double> median = server::MedianCpm(cpms);
  for (const auto& [id, windows] : data.adgroup_windows) {
    std::string objective;
    for (const auto& [campaign_id, campaign] : data.campaigns) objective = campaign.objective_type;
    const server::HealthScore score = server::ScoreAdGroup(windows, objective, 5000, median);
    if (!score.skipped) {
      FUZZ_CHECK(score.health_class == server::HealthClass(score.score),
                 "health class does not match the score");
    }
  }
}

}  // namespace
}  // namespace ttads::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ttads::fuzz;
  absl::StatusOr<ttads::tiktok::JsonValue> document = ttads::tiktok::ParseJson(AsText(data, size));
  if (!document.ok()) return 0;
  const ttads::tiktok::JsonValue* list = RowList(*document);
  if (list == nullptr) return 0;
  std::vector<ttads::tiktok::ReportRow> rows;
  for (const ttads::tiktok::JsonValue& item : list->items())
    rows.push_back(ttads::tiktok::ReadReportRow(item));
  FoldAndScore(rows);
  return 0;
}

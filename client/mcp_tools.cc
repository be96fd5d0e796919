#include "client/mcp_tools.h"

#include <cmath>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"

namespace ttads::client {
namespace {

using Json = nlohmann::json;

const char* const kPeriods[] = {"today",    "yesterday", "last_3d",  "last_7d", "last_14d",
                                "last_30d", "last_90d",  "last_6m",  "last_12m", "all"};

absl::StatusOr<Json> Call(RpcClient& client, const std::string& method, const Json& request) {
  absl::StatusOr<std::string> answer = client.CallJson(method, request.dump());
  if (!answer.ok()) return answer.status();
  Json parsed = Json::parse(*answer, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return absl::InternalError(absl::StrCat(method, " answered non-JSON"));
  return parsed;
}

std::string Text(const Json& args, const char* key) {
  const auto found = args.find(key);
  return found != args.end() && found->is_string() ? found->get<std::string>() : "";
}

// The write tools' idempotency key: the caller's operation_id, else a fresh one (so a retry of
// the same tool call must pass the key it was given back to be safe).
std::string OperationId(const Json& args, const std::string& tool) {
  const std::string given = Text(args, "operation_id");
  if (!given.empty()) return given;
  absl::BitGen random;
  return absl::StrCat("mcp-", tool, "-", absl::Hex(absl::Uniform<uint64_t>(random)));
}

bool DryRun(const Json& args) {
  const auto found = args.find("dry_run");
  return found != args.end() && found->is_boolean() && found->get<bool>();
}

Json Str(const std::string& description) { return {{"type", "string"}, {"description", description}}; }

Json PeriodProperties() {
  Json periods = Json::array();
  for (const char* period : kPeriods) periods.push_back(period);
  return {{"period",
           {{"type", "string"},
            {"enum", periods},
            {"description", "reporting period (default last_7d; last_* end yesterday)"}}},
          {"date_from", {{"type", "string"}, {"pattern", "^\\d{4}-\\d{2}-\\d{2}$"},
                         {"description", "first day YYYY-MM-DD (wins over period)"}}},
          {"date_to", {{"type", "string"}, {"pattern", "^\\d{4}-\\d{2}-\\d{2}$"},
                       {"description", "last day YYYY-MM-DD (wins over period)"}}}};
}

Json WriteProperties() {
  return {{"dry_run", {{"type", "boolean"}, {"description", "preview only: check, change nothing"}}},
          {"operation_id",
           {{"type", "string"},
            {"description", "idempotency key: repeat it to retry safely; returned when omitted"}}}};
}

Json Schema(Json properties, std::vector<std::string> required = {}) {
  Json schema = {{"type", "object"}, {"properties", std::move(properties)},
                 {"additionalProperties", false}};
  if (!required.empty()) schema["required"] = required;
  return schema;
}

Json Merge(Json a, const Json& b) {
  for (auto it = b.begin(); it != b.end(); ++it) a[it.key()] = it.value();
  return a;
}

// GetRoi over the tool's period.
absl::StatusOr<Json> Roi(RpcClient& client, const Json& args, const std::string& level,
                         const std::string& granularity, const Json& extra = Json::object()) {
  absl::StatusOr<std::pair<std::string, std::string>> range = PeriodRange(args, absl::Now());
  if (!range.ok()) return range.status();
  Json request = {{"level", level}, {"granularity", granularity},
                  {"start_date", range->first}, {"end_date", range->second}, {"page_size", 1000}};
  return Call(client, "AnalyticsService/GetRoi", Merge(request, extra));
}

// TikTok's objects by id, merged with their ROI rows.
Json WithMetrics(const Json& objects, const Json& roi, const char* id_key) {
  Json merged = Json::array();
  for (const Json& object : objects) {
    Json item = object;
    if (roi.contains("rows")) {
      for (const Json& row : roi["rows"]) {
        if (row.value(id_key, "") == object.value(id_key, "x")) item["metrics"] = row;
      }
    }
    merged.push_back(std::move(item));
  }
  return merged;
}

absl::StatusOr<Json> Proxy(RpcClient& client, const std::string& endpoint, Json params) {
  absl::StatusOr<Json> answer = Call(client, "AnalyticsService/TikTokProxy",
                                     {{"endpoint", endpoint}, {"method", "GET"}, {"params", params}});
  if (!answer.ok()) return answer;
  if (answer->value("code", 0) != 0) {
    return absl::FailedPreconditionError(absl::StrCat("TikTok ", endpoint, ": code ",
                                                      answer->value("code", 0), " ",
                                                      answer->value("message", "")));
  }
  return answer;
}

Json ListOf(const Json& envelope) {
  if (envelope.contains("data") && envelope["data"].is_object() &&
      envelope["data"].contains("list")) {
    return envelope["data"]["list"];
  }
  return Json::array();
}

// One action through ActionService (validation, the budget minimum, audit, idempotency).
absl::StatusOr<Json> Act(RpcClient& client, const Json& args, const std::string& tool,
                         const std::string& type, const char* id_key) {
  Json params = {{id_key, Text(args, id_key)}};
  if (args.contains("new_budget")) params["new_budget"] = args["new_budget"];
  Json request = {{"idempotency_key", OperationId(args, tool)},
                  {"source", "mcp"},
                  {"account", Json::object()},
                  {"validate_only", DryRun(args)},
                  {"actions", Json::array({{{"type", type}, {"params", params}}})}};
  return Call(client, "ActionService/Dispatch", request);
}

absl::StatusOr<Json> Direction(RpcClient& client, const Json& args) {
  return Call(client, "DirectionService/GetDirection", {{"direction_id", Text(args, "direction_id")}});
}

std::vector<McpTool> BuildTools() {
  std::vector<McpTool> tools;
  const auto add = [&tools](std::string name, std::string description, Json schema, bool dangerous,
                            auto run) {
    tools.push_back({std::move(name), std::move(description), std::move(schema), dangerous, run});
  };
  const Json period = PeriodProperties();
  const Json write = WriteProperties();

  // ---- reads ----
  add("getTikTokCampaigns", "TikTok campaigns with spend, leads, CPL and ROI over a period.",
      Schema(Merge(period, {{"status", {{"type", "string"}, {"enum", {"ENABLE", "DISABLE", "all"}}}}})),
      false, [](RpcClient& client, const Json& args) -> absl::StatusOr<Json> {
        absl::StatusOr<Json> campaigns = Call(client, "CampaignBuilderService/ListCampaigns", Json::object());
        if (!campaigns.ok()) return campaigns;
        absl::StatusOr<Json> roi = Roi(client, args, "campaign", "total");
        if (!roi.ok()) return roi;
        const std::string status = Text(args, "status");
        Json kept = Json::array();
        for (const Json& campaign : (*campaigns)["campaigns"]) {
          if (status.empty() || status == "all" || campaign.value("operation_status", "") == status) {
            kept.push_back(campaign);
          }
        }
        return Json{{"campaigns", WithMetrics(kept, *roi, "campaign_id")},
                    {"period", (*roi)["period"]}, {"currency", (*roi)["currency"]}};
      });
  add("getTikTokCampaignDetails", "One campaign with its ad groups and ads.",
      Schema({{"campaign_id", Str("TikTok campaign id")}}, {"campaign_id"}), false,
      [](RpcClient& client, const Json& args) -> absl::StatusOr<Json> {
        const Json filter = {{"campaign_ids", {Text(args, "campaign_id")}}};
        absl::StatusOr<Json> campaign = Proxy(client, "campaign/get/", {{"filtering", filter}});
        if (!campaign.ok()) return campaign;
        if (ListOf(*campaign).empty()) {
          return absl::NotFoundError(absl::StrCat("campaign ", Text(args, "campaign_id"), " not found"));
        }
        absl::StatusOr<Json> adgroups = Proxy(client, "adgroup/get/", {{"filtering", filter}});
        if (!adgroups.ok()) return adgroups;
        absl::StatusOr<Json> ads = Proxy(client, "ad/get/", {{"filtering", filter}});
        if (!ads.ok()) return ads;
        return Json{{"campaign", ListOf(*campaign)[0]}, {"adgroups", ListOf(*adgroups)},
                    {"ads", ListOf(*ads)}};
      });
  add("getTikTokAdGroups", "The ad groups of a campaign with their metrics over a period.",
      Schema(Merge(period, {{"campaign_id", Str("TikTok campaign id")}}), {"campaign_id"}), false,
      [](RpcClient& client, const Json& args) -> absl::StatusOr<Json> {
        absl::StatusOr<Json> adgroups = Proxy(
            client, "adgroup/get/", {{"filtering", {{"campaign_ids", {Text(args, "campaign_id")}}}}});
        if (!adgroups.ok()) return adgroups;
        absl::StatusOr<Json> roi =
            Roi(client, args, "adgroup", "total", {{"campaign_ids", {Text(args, "campaign_id")}}});
        if (!roi.ok()) return roi;
        return Json{{"adgroups", WithMetrics(ListOf(*adgroups), *roi, "adgroup_id")},
                    {"period", (*roi)["period"]}};
      });
  add("getTikTokAds", "Ads of a campaign or ad group with their metrics over a period.",
      Schema(Merge(period, {{"campaign_id", Str("TikTok campaign id")},
                            {"adgroup_id", Str("TikTok ad group id")}})),
      false, [](RpcClient& client, const Json& args) -> absl::StatusOr<Json> {
        Json filter = Json::object();
        if (!Text(args, "campaign_id").empty()) filter["campaign_ids"] = {Text(args, "campaign_id")};
        if (!Text(args, "adgroup_id").empty()) filter["adgroup_ids"] = {Text(args, "adgroup_id")};
        absl::StatusOr<Json> ads = Proxy(client, "ad/get/", {{"filtering", filter}});
        if (!ads.ok()) return ads;
        Json extra = Json::object();
        if (!Text(args, "campaign_id").empty()) extra["campaign_ids"] = {Text(args, "campaign_id")};
        absl::StatusOr<Json> roi = Roi(client, args, "ad", "total", extra);
        if (!roi.ok()) return roi;
        Json ads_list = ListOf(*ads);
        if (!Text(args, "adgroup_id").empty()) {
          Json kept = Json::array();
          for (const Json& ad : ads_list) {
            if (ad.value("adgroup_id", "") == Text(args, "adgroup_id")) kept.push_back(ad);
          }
          ads_list = kept;
        }
        return Json{{"ads", WithMetrics(ads_list, *roi, "ad_id")}, {"period", (*roi)["period"]}};
      });
  add("getTikTokSpendReport", "Spend, results and ROI grouped by campaign, ad group, ad, day or in total.",
      Schema(Merge(period, {{"group_by", {{"type", "string"},
                                          {"enum", {"campaign", "adgroup", "ad", "day", "total"}}}}})),
      false, [](RpcClient& client, const Json& args) -> absl::StatusOr<Json> {
        const std::string group = Text(args, "group_by").empty() ? "campaign" : Text(args, "group_by");
        absl::StatusOr<Json> roi =
            group == "day" ? Roi(client, args, "campaign", "day")
            : group == "total" ? Roi(client, args, "campaign", "total")
                               : Roi(client, args, group, "total");
        if (!roi.ok()) return roi;
        if (group == "total") return Json{{"totals", (*roi)["totals"]}, {"period", (*roi)["period"]}};
        return *roi;
      });
  add("getTikTokAccountStatus", "The advertiser's status and balance.", Schema(Json::object()), false,
      [](RpcClient& client, const Json&) -> absl::StatusOr<Json> {
        absl::StatusOr<Json> info = Call(client, "CampaignBuilderService/GetAdvertiserInfo", Json::object());
        if (!info.ok()) return info;
        const Json list = ListOf((*info)["advertiser"]);
        if (list.empty()) return absl::NotFoundError("TikTok listed no advertiser for this account");
        const Json& advertiser = list[0];
        return Json{{"advertiser_id", advertiser.value("advertiser_id", "")},
                    {"status", advertiser.value("status", "")},
                    {"balance", advertiser.value("balance", Json())},
                    {"currency", advertiser.value("currency", "")}};
      });
  add("getTikTokAdvertiserInfo", "The advertiser's info as TikTok returns it.", Schema(Json::object()),
      false, [](RpcClient& client, const Json&) -> absl::StatusOr<Json> {
        return Call(client, "CampaignBuilderService/GetAdvertiserInfo", Json::object());
      });
  add("getTikTokDirections", "The account's TikTok directions.",
      Schema(Merge(period, {{"status", {{"type", "string"}, {"enum", {"active", "paused", "all"}}}}})),
      false, [](RpcClient& client, const Json& args) -> absl::StatusOr<Json> {
        Json request = {{"platform", "tiktok"}, {"page_size", 200}};
        const std::string status = Text(args, "status");
        if (status == "active" || status == "paused") request["status"] = status;
        absl::StatusOr<Json> directions = Call(client, "DirectionService/ListDirections", request);
        if (!directions.ok()) return directions;
        absl::StatusOr<Json> roi = Roi(client, args, "campaign", "total");
        if (!roi.ok()) return roi;
        Json out = Json::array();
        for (const Json& direction : (*directions)["directions"]) {
          Json item = direction;
          for (const Json& row : (*roi)["rows"]) {
            if (!direction.value("tiktok_campaign_id", "").empty() &&
                row.value("campaign_id", "") == direction.value("tiktok_campaign_id", "")) {
              item["metrics"] = row;
            }
          }
          out.push_back(std::move(item));
        }
        return Json{{"directions", out}, {"period", (*roi)["period"]}};
      });
  add("getTikTokDirectionCreatives", "The creatives of a direction that TikTok can launch.",
      Schema({{"direction_id", Str("direction UUID")}}, {"direction_id"}), false,
      [](RpcClient& client, const Json& args) -> absl::StatusOr<Json> {
        return Call(client, "CampaignBuilderService/ListAvailableCreatives",
                    {{"direction_id", Text(args, "direction_id")}});
      });
  add("getTikTokDirectionInsights", "A direction's results over a period, against the period before.",
      Schema(Merge(period, {{"direction_id", Str("direction UUID")},
                            {"compare", {{"type", "string"},
                                         {"enum", {"previous_same", "previous_7d"}}}}}),
             {"direction_id"}),
      false, [](RpcClient& client, const Json& args) -> absl::StatusOr<Json> {
        absl::StatusOr<std::pair<std::string, std::string>> range = PeriodRange(args, absl::Now());
        if (!range.ok()) return range.status();
        const Json scope = {{"direction_id", Text(args, "direction_id")}};
        absl::StatusOr<Json> now = Roi(client, args, "campaign", "total", scope);
        if (!now.ok()) return now;
        absl::CivilDay first, last;
        absl::ParseCivilTime(range->first, &first);
        absl::ParseCivilTime(range->second, &last);
        const int64_t days = Text(args, "compare") == "previous_7d" ? 7 : (last - first) + 1;
        const Json before_args = {{"date_from", absl::FormatCivilTime(first - days)},
                                  {"date_to", absl::FormatCivilTime(first - 1)}};
        absl::StatusOr<Json> before = Roi(client, before_args, "campaign", "total", scope);
        if (!before.ok()) return before;
        return Json{{"current", (*now)["totals"]}, {"current_period", (*now)["period"]},
                    {"previous", (*before)["totals"]}, {"previous_period", (*before)["period"]}};
      });
  add("getTikTokVideos", "Uploaded TikTok videos by id.",
      Schema({{"video_ids", {{"type", "array"}, {"items", {{"type", "string"}}}, {"minItems", 1}}}},
             {"video_ids"}),
      false, [](RpcClient& client, const Json& args) -> absl::StatusOr<Json> {
        absl::StatusOr<Json> videos =
            Proxy(client, "file/video/ad/info/", {{"video_ids", args["video_ids"]}});
        if (!videos.ok()) return videos;
        return Json{{"videos", ListOf(*videos)}};
      });
  add("getTikTokROIReport", "Spend, leads, purchases, ROAS and ROI per campaign over a period.",
      Schema(Merge(period, {{"direction_id", Str("only this direction (UUID)")}})), false,
      [](RpcClient& client, const Json& args) -> absl::StatusOr<Json> {
        Json extra = Json::object();
        if (!Text(args, "direction_id").empty()) extra["direction_id"] = Text(args, "direction_id");
        return Roi(client, args, "campaign", "total", extra);
      });

  // ---- writes ----
  const auto status_tool = [&](const std::string& name, const std::string& description,
                               const std::string& type, const char* id_key, bool with_reason) {
    Json props = Merge(write, {{id_key, Str("TikTok id")}});
    if (with_reason) props["reason"] = Str("why (kept in the audit trail)");
    add(name, description, Schema(props, {id_key}), true,
        [name, type, id_key](RpcClient& client, const Json& args) {
          return Act(client, args, name, type, id_key);
        });
  };
  add("pauseTikTokCampaign", "Pause a campaign.",
      Schema(Merge(write, {{"campaign_id", Str("TikTok campaign id")}, {"reason", Str("why")}}),
             {"campaign_id"}),
      true, [](RpcClient& client, const Json& args) {
        return Call(client, "CampaignBuilderService/PauseCampaign",
                    {{"campaign_id", Text(args, "campaign_id")},
                     {"idempotency_key", OperationId(args, "pauseTikTokCampaign")},
                     {"validate_only", DryRun(args)}});
      });
  add("resumeTikTokCampaign", "Resume a campaign.",
      Schema(Merge(write, {{"campaign_id", Str("TikTok campaign id")}}), {"campaign_id"}), true,
      [](RpcClient& client, const Json& args) {
        return Call(client, "CampaignBuilderService/ResumeCampaign",
                    {{"campaign_id", Text(args, "campaign_id")},
                     {"idempotency_key", OperationId(args, "resumeTikTokCampaign")},
                     {"validate_only", DryRun(args)}});
      });
  status_tool("pauseTikTokAdGroup", "Pause an ad group.", "TikTok.PauseAdGroup", "adgroup_id", true);
  status_tool("resumeTikTokAdGroup", "Resume an ad group.", "TikTok.ResumeAdGroup", "adgroup_id",
              false);
  add("updateTikTokAdGroupBudget",
      "Set an ad group's daily budget (account currency, at least the currency's minimum: 2500 KZT).",
      Schema(Merge(write, {{"adgroup_id", Str("TikTok ad group id")},
                           {"new_budget", {{"type", "number"}, {"exclusiveMinimum", 0}}}}),
             {"adgroup_id", "new_budget"}),
      true, [](RpcClient& client, const Json& args) {
        return Act(client, args, "updateTikTokAdGroupBudget", "TikTok.UpdateAdGroupBudget",
                   "adgroup_id");
      });
  status_tool("pauseTikTokAd", "Pause an ad.", "TikTok.PauseAd", "ad_id", true);
  status_tool("resumeTikTokAd", "Resume an ad.", "TikTok.ResumeAd", "ad_id", false);
  add("createTikTokCampaign", "Create a campaign, an ad group and one ad per creative.",
      Schema(Merge(write, {{"campaign_name", Str("campaign name")},
                           {"objective", {{"type", "string"},
                                          {"enum", {"traffic", "conversions", "lead_generation"}}}},
                           {"creative_ids", {{"type", "array"}, {"items", {{"type", "string"}}},
                                             {"minItems", 1}}},
                           {"daily_budget", {{"type", "number"}, {"exclusiveMinimum", 0}}},
                           {"auto_activate", {{"type", "boolean"}}},
                           {"landing_page_url", Str("where the ads send people (traffic)")},
                           {"page_id", Str("instant form (lead_generation)")}}),
             {"campaign_name", "objective", "creative_ids", "daily_budget"}),
      true, [](RpcClient& client, const Json& args) {
        Json request = {{"campaign_name", Text(args, "campaign_name")},
                        {"objective", Text(args, "objective")},
                        {"creative_ids", args["creative_ids"]},
                        {"daily_budget", args["daily_budget"]},
                        {"landing_page_url", Text(args, "landing_page_url")},
                        {"page_id", Text(args, "page_id")},
                        {"idempotency_key", OperationId(args, "createTikTokCampaign")},
                        {"validate_only", DryRun(args)}};
        if (args.contains("auto_activate")) request["auto_activate"] = args["auto_activate"];
        return Call(client, "CampaignBuilderService/CreateCampaign", request);
      });
  add("addTikTokAdsToDirection", "Launch creatives in a direction (its own mode: pool, new ad group or new campaign).",
      Schema(Merge(write, {{"direction_id", Str("direction UUID")},
                           {"creative_ids", {{"type", "array"}, {"items", {{"type", "string"}}},
                                             {"minItems", 1}}},
                           {"auto_activate", {{"type", "boolean"}}}}),
             {"direction_id", "creative_ids"}),
      true, [](RpcClient& client, const Json& args) {
        return Call(client, "CampaignBuilderService/ManualLaunch",
                    {{"direction_id", Text(args, "direction_id")},
                     {"creative_ids", args["creative_ids"]},
                     {"idempotency_key", OperationId(args, "addTikTokAdsToDirection")},
                     {"validate_only", DryRun(args)}});
      });
  const auto direction_campaign = [](bool pause) {
    return [pause](RpcClient& client, const Json& args) -> absl::StatusOr<Json> {
      absl::StatusOr<Json> direction = Direction(client, args);
      if (!direction.ok()) return direction;
      const std::string campaign = direction->value("tiktok_campaign_id", "");
      if (campaign.empty()) {
        return absl::FailedPreconditionError("the direction has no TikTok campaign yet");
      }
      return Call(client,
                  pause ? "CampaignBuilderService/PauseCampaign" : "CampaignBuilderService/ResumeCampaign",
                  {{"campaign_id", campaign},
                   {"idempotency_key", OperationId(args, pause ? "pauseTikTokDirection"
                                                               : "resumeTikTokDirection")},
                   {"validate_only", DryRun(args)}});
    };
  };
  add("pauseTikTokDirection", "Pause a direction's TikTok campaign (and so its ad groups).",
      Schema(Merge(write, {{"direction_id", Str("direction UUID")}, {"reason", Str("why")}}),
             {"direction_id"}),
      true, direction_campaign(true));
  add("resumeTikTokDirection", "Resume a direction's TikTok campaign.",
      Schema(Merge(write, {{"direction_id", Str("direction UUID")}}), {"direction_id"}), true,
      direction_campaign(false));
  add("updateTikTokDirectionBudget",
      "Set the daily budget new ad groups of a direction get (account currency, at least the minimum).",
      Schema(Merge(write, {{"direction_id", Str("direction UUID")},
                           {"new_budget", {{"type", "number"}, {"exclusiveMinimum", 0}}}}),
             {"direction_id", "new_budget"}),
      true, [](RpcClient& client, const Json& args) {
        return Call(client, "DirectionService/UpdateDirection",
                    {{"direction_id", Text(args, "direction_id")},
                     {"tiktok_daily_budget", args["new_budget"]},
                     {"idempotency_key", OperationId(args, "updateTikTokDirectionBudget")},
                     {"validate_only", DryRun(args)}});
      });
  add("uploadTikTokVideo",
      "Register a video (by URL) as a creative; ttads uploads it to TikTok when it is launched.",
      Schema(Merge(write, {{"video_url", Str("http(s) URL of the video")},
                           {"video_name", Str("title")}}),
             {"video_url"}),
      true, [](RpcClient& client, const Json& args) {
        return Call(client, "CreativeService/CreateCreative",
                    {{"title", Text(args, "video_name").empty() ? "TikTok video" : Text(args, "video_name")},
                     {"media_url", Text(args, "video_url")},
                     {"media_type", "video"},
                     {"status", "ready"},
                     {"idempotency_key", OperationId(args, "uploadTikTokVideo")},
                     {"validate_only", DryRun(args)}});
      });
  return tools;
}

}  // namespace

const std::vector<McpTool>& McpTools() {
  static const auto* const tools = new std::vector<McpTool>(BuildTools());
  return *tools;
}

absl::StatusOr<std::pair<std::string, std::string>> PeriodRange(const Json& args, absl::Time now) {
  absl::TimeZone almaty;
  if (!absl::LoadTimeZone("Asia/Almaty", &almaty)) almaty = absl::FixedTimeZone(5 * 3600);
  const absl::CivilDay today = absl::ToCivilDay(now, almaty);
  const std::string from = Text(args, "date_from");
  const std::string to = Text(args, "date_to");
  if (!from.empty() || !to.empty()) {
    absl::CivilDay first, last;
    if (!absl::ParseCivilTime(from.empty() ? to : from, &first)) {
      return absl::InvalidArgumentError("date_from: must be YYYY-MM-DD");
    }
    if (!absl::ParseCivilTime(to.empty() ? absl::FormatCivilTime(today) : to, &last)) {
      return absl::InvalidArgumentError("date_to: must be YYYY-MM-DD");
    }
    if (first > last) return absl::InvalidArgumentError("date_from: must not be after date_to");
    return std::make_pair(absl::FormatCivilTime(first), absl::FormatCivilTime(last));
  }
  const std::string period = Text(args, "period").empty() ? "last_7d" : Text(args, "period");
  const absl::CivilDay yesterday = today - 1;
  int days = 0;
  if (period == "today") return std::make_pair(absl::FormatCivilTime(today), absl::FormatCivilTime(today));
  if (period == "yesterday") days = 1;
  if (period == "last_3d") days = 3;
  if (period == "last_7d") days = 7;
  if (period == "last_14d") days = 14;
  if (period == "last_30d") days = 30;
  if (period == "last_90d") days = 90;
  if (period == "last_6m") days = 182;
  if (period == "last_12m" || period == "all") days = 365;
  if (days == 0) return absl::InvalidArgumentError(absl::StrCat("period: unknown value ", period));
  return std::make_pair(absl::FormatCivilTime(yesterday - (days - 1)),
                        absl::FormatCivilTime(yesterday));
}

}  // namespace ttads::client

// adgroup/create/, adgroup/get/, adgroup/update/, adgroup/status/update/ and
// adgroup/budget/update/ (reference §5).
#include <algorithm>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/sandbox/endpoints.h"

namespace ttads::sandbox {
namespace {

// inferred: which optimization goals TikTok accepts under the objectives ttads uses (other
// objectives are not restricted here).
const std::map<std::string, EnumSet>& GoalsByObjective() {
  static const auto* const goals = new std::map<std::string, EnumSet>{
      {"TRAFFIC", {"CLICK", "TRAFFIC_LANDING_PAGE_VIEW", "PAGE_VISITS"}},
      {"REACH", {"REACH", "SHOW"}},
      {"VIDEO_VIEWS", {"ENGAGED_VIEW", "ENGAGED_VIEW_FIFTEEN"}},
      {"LEAD_GENERATION", {"LEAD_GENERATION", "CLICK", "CONVERT", "CONVERSATION"}},
      {"WEB_CONVERSIONS", {"CONVERT", "VALUE", "CLICK", "TRAFFIC_LANDING_PAGE_VIEW"}},
  };
  return *goals;
}

// The billing event a goal must use (reference §5: CLICK->CPC, CONVERT/INSTALL/LEAD_GENERATION
// ->OCPM, REACH/SHOW->CPM, ENGAGED_VIEW->CPV); goals not listed accept any billing event.
const std::map<std::string, std::string>& BillingByGoal() {
  static const auto* const billing =
      new std::map<std::string, std::string>{{"CLICK", "CPC"},
                                             {"CONVERT", "OCPM"},
                                             {"INSTALL", "OCPM"},
                                             {"LEAD_GENERATION", "OCPM"},
                                             {"VALUE", "OCPM"},
                                             {"REACH", "CPM"},
                                             {"SHOW", "CPM"},
                                             {"ENGAGED_VIEW", "CPV"},
                                             {"ENGAGED_VIEW_FIFTEEN", "CPV"}};
  return *billing;
}

AdGroup& FindLiveAdGroup(EndpointContext& ctx, const std::string& advertiser_id,
                         const std::string& adgroup_id) {
  AdGroup* adgroup = ctx.state.FindAdGroup(advertiser_id, adgroup_id);
  if (adgroup == nullptr) {
    throw ApiError(kCodeNotFound, absl::StrCat("The ad group ", adgroup_id, " does not exist."));
  }
  if (adgroup->deleted) {
    InvalidParameter(absl::StrCat("The ad group ", adgroup_id,
                                  " has been deleted and can no longer be modified."));
  }
  return *adgroup;
}

bool IsStringArray(const Json& value) {
  if (!value.is_array()) return false;
  return std::all_of(value.begin(), value.end(), [](const Json& v) { return v.is_string(); });
}

void CheckDayparting(const std::string& dayparting) {
  bool valid = dayparting.size() == 336 && std::all_of(dayparting.begin(), dayparting.end(),
                                                       [](char c) { return c == '0' || c == '1'; });
  if (!valid) InvalidParameter("dayparting: Must be 336 characters of 0 and 1.");
}

// Targeting and other fields stored as given and echoed back by adgroup/get/.
void CopyAdGroupExtra(const Params& p, Json& extra) {
  CopyExtra(p,
            {"audience_ids",
             "excluded_audience_ids",
             "interest_category_ids",
             "interest_keyword_ids",
             "actions",
             "operating_systems",
             "network_types",
             "device_price_ranges",
             "device_model_ids",
             "carrier_ids",
             "spending_power",
             "household_income",
             "saved_audience_id",
             "smart_audience_enabled",
             "frequency",
             "frequency_schedule",
             "brand_safety_type",
             "comment_disabled",
             "video_download_disabled",
             "share_disabled",
             "click_attribution_window",
             "view_attribution_window",
             "identity_id",
             "identity_type",
             "identity_authorized_bc_id",
             "deep_bid_type",
             "roas_bid",
             "app_id",
             "secondary_optimization_event",
             "search_result_enabled",
             "inventory_filter_enabled",
             "schedule_budget"},
            extra);
}

// The schedule and budget checks adgroup/create/ and adgroup/update/ share.
void CheckScheduleAndBudget(const EndpointContext& ctx, const Advertiser& advertiser,
                            const Campaign& campaign, const AdGroup& adgroup) {
  if (adgroup.schedule_type == "SCHEDULE_START_END") {
    if (!adgroup.schedule_end_time) {
      InvalidParameter("Missing required field(s): schedule_end_time.");
    }
    if (*adgroup.schedule_end_time <= adgroup.schedule_start_time) {
      InvalidParameter("schedule_end_time must be later than schedule_start_time.");
    }
  }
  if (adgroup.budget_mode == "BUDGET_MODE_TOTAL" && adgroup.schedule_type != "SCHEDULE_START_END") {
    InvalidParameter(
        "schedule_type: BUDGET_MODE_TOTAL needs SCHEDULE_START_END with a schedule_end_time.");
  }
  if (campaign.budget_optimize_on) return;  // the ad group budget is ignored under CBO
  if (adgroup.budget_mode == "BUDGET_MODE_INFINITE") {
    InvalidParameter(
        "budget_mode: BUDGET_MODE_INFINITE is only allowed with campaign budget "
        "optimization.");
  }
  int64_t days = adgroup.schedule_end_time
                     ? ScheduledDays(adgroup.schedule_start_time, *adgroup.schedule_end_time)
                     : 1;
  CheckAdGroupBudget(ctx.config, advertiser.currency, adgroup.budget_mode, adgroup.budget, days);
  // inferred: a daily ad group budget may not exceed its campaign's daily budget.
  if (campaign.budget_mode == "BUDGET_MODE_DAY" && adgroup.budget_mode == "BUDGET_MODE_DAY" &&
      adgroup.budget > campaign.budget) {
    InvalidParameter("The ad group budget cannot be greater than the campaign budget.");
  }
}

}  // namespace

EndpointResult AdGroupCreate(EndpointContext& ctx) {
  const Params& p = ctx.params;
  p.Require({"advertiser_id", "campaign_id"});
  Advertiser& advertiser = ctx.RequireAdvertiser();
  std::string campaign_id = p.RequiredString("campaign_id");
  Campaign* campaign_ptr = ctx.state.FindCampaign(advertiser.advertiser_id, campaign_id);
  if (campaign_ptr == nullptr) {
    throw ApiError(kCodeNotFound, absl::StrCat("The campaign ", campaign_id, " does not exist."));
  }
  const Campaign& campaign = *campaign_ptr;
  std::vector<std::string> required = {"adgroup_name", "schedule_type", "schedule_start_time",
                                       "optimization_goal", "billing_event"};
  if (!campaign.budget_optimize_on) {
    required.insert(required.end(), {"budget_mode", "budget", "pacing"});
  }
  p.Require(required);
  std::optional<std::string> dedupe_key = ReadDedupeKey(p);
  if (dedupe_key) {
    auto seen = ctx.state.adgroup_request_ids.find({advertiser.advertiser_id, *dedupe_key});
    if (seen != ctx.state.adgroup_request_ids.end()) {
      EndpointResult result;
      result.data = AdGroupJson(ctx.state, ctx.state.adgroups.at(seen->second), ctx.now);
      return result;
    }
  }
  if (campaign.deleted) {
    InvalidParameter(absl::StrCat("The campaign ", campaign_id, " has been deleted."));
  }

  AdGroup adgroup;
  adgroup.adgroup_id = "";
  adgroup.advertiser_id = advertiser.advertiser_id;
  adgroup.campaign_id = campaign_id;
  adgroup.adgroup_name = p.RequiredString("adgroup_name");
  CheckName("adgroup_name", adgroup.adgroup_name);

  adgroup.placement_type =
      p.Enum("placement_type", PlacementTypes()).value_or("PLACEMENT_TYPE_NORMAL");
  if (adgroup.placement_type == "PLACEMENT_TYPE_NORMAL") {
    p.Require({"placements"});
    adgroup.placements = *p.EnumList("placements", Placements());
    if (adgroup.placements.empty()) InvalidParameter("placements: Length must be at least 1.");
  } else {
    adgroup.placements =
        Json::array({"PLACEMENT_TIKTOK", "PLACEMENT_PANGLE", "PLACEMENT_GLOBAL_APP_BUNDLE"});
  }
  // inferred: a location is required (TikTok needs location_ids unless a saved audience
  // carries it); ids are strings, numbers fail (the existing system learned this).
  if (!p.Has("saved_audience_id")) p.Require({"location_ids"});
  if (std::optional<Json> locations = p.Value("location_ids")) {
    if (!IsStringArray(*locations) || locations->empty()) {
      InvalidParameter("location_ids: Must be a non-empty list of strings.");
    }
    adgroup.location_ids = *locations;
  }
  if (auto ages = p.EnumList("age_groups", AgeGroups())) adgroup.age_groups = *ages;
  adgroup.gender = p.Enum("gender", Genders()).value_or("GENDER_UNLIMITED");
  if (auto languages = p.StringList("languages")) adgroup.languages = *languages;

  const std::string& objective = campaign.objective_type;
  bool promotion_optional =
      objective == "REACH" || objective == "VIDEO_VIEWS" || objective == "ENGAGEMENT";
  if (!promotion_optional) p.Require({"promotion_type"});
  adgroup.promotion_type = p.Enum("promotion_type", PromotionTypes()).value_or("");
  if (objective == "ENGAGEMENT" && !adgroup.promotion_type.empty() &&
      adgroup.promotion_type != "EXTERNAL_OR_DISPLAY") {
    InvalidParameter("promotion_type: ENGAGEMENT campaigns only allow EXTERNAL_OR_DISPLAY.");
  }
  adgroup.promotion_target_type =
      p.Enum("promotion_target_type", PromotionTargetTypes()).value_or("");

  adgroup.schedule_type = *p.Enum("schedule_type", ScheduleTypes());
  adgroup.schedule_start_time = *p.DateTime("schedule_start_time");
  adgroup.schedule_end_time = p.DateTime("schedule_end_time");
  if (adgroup.schedule_type == "SCHEDULE_FROM_NOW") adgroup.schedule_end_time.reset();
  if (std::optional<std::string> dayparting = p.String("dayparting")) {
    CheckDayparting(*dayparting);
    adgroup.dayparting = *dayparting;
  }

  adgroup.budget_mode =
      p.Enum("budget_mode", AdGroupBudgetModes()).value_or("BUDGET_MODE_INFINITE");
  adgroup.budget = p.Number("budget").value_or(0);
  adgroup.optimization_goal = *p.Enum("optimization_goal", OptimizationGoals());
  auto goals = GoalsByObjective().find(objective);
  if (goals != GoalsByObjective().end() && goals->second.count(adgroup.optimization_goal) == 0) {
    InvalidParameter(absl::StrCat("optimization_goal: ", adgroup.optimization_goal,
                                  " is not available for objective ", objective,
                                  ". Must be one of: ", absl::StrJoin(goals->second, ", "), "."));
  }
  adgroup.billing_event = *p.Enum("billing_event", BillingEvents());
  auto billing = BillingByGoal().find(adgroup.optimization_goal);
  if (billing != BillingByGoal().end() && billing->second != adgroup.billing_event) {
    InvalidParameter(absl::StrCat("billing_event: optimization_goal ", adgroup.optimization_goal,
                                  " needs billing_event ", billing->second, "."));
  }
  adgroup.bid_type = p.Enum("bid_type", BidTypes()).value_or("BID_TYPE_NO_BID");
  if (campaign.budget_optimize_on) p.Require({"bid_type"});
  adgroup.bid_price = p.Number("bid_price").value_or(0);
  adgroup.conversion_bid_price = p.Number("conversion_bid_price").value_or(0);
  if (adgroup.bid_type == "BID_TYPE_CUSTOM") {
    if (adgroup.billing_event == "OCPM") {
      p.Require({"conversion_bid_price"});
      if (!campaign.budget_optimize_on && adgroup.conversion_bid_price >= adgroup.budget) {
        InvalidParameter("conversion_bid_price must be lower than the budget.");
      }
    } else {
      p.Require({"bid_price"});
    }
  }
  adgroup.pacing = p.Enum("pacing", PacingModes()).value_or("PACING_MODE_SMOOTH");

  adgroup.pixel_id = p.String("pixel_id").value_or("");
  adgroup.optimization_event = p.String("optimization_event").value_or("");
  if ((objective == "WEB_CONVERSIONS" || objective == "PRODUCT_SALES") &&
      adgroup.promotion_type == "WEBSITE") {
    p.Require({"pixel_id", "optimization_event"});
  }
  if (!adgroup.pixel_id.empty()) {
    auto pixel = ctx.state.pixels.find(adgroup.pixel_id);
    if (pixel == ctx.state.pixels.end() ||
        pixel->second.advertiser_id != advertiser.advertiser_id) {
      throw ApiError(kCodeNotFound,
                     absl::StrCat("The pixel ", adgroup.pixel_id, " does not exist."));
    }
  }
  adgroup.operation_status =
      p.Enum("operation_status", CreateOperationStatuses()).value_or("ENABLE");
  CheckScheduleAndBudget(ctx, advertiser, campaign, adgroup);

  adgroup.adgroup_id = ctx.state.NewId();
  adgroup.create_time = adgroup.modify_time = ctx.now;
  adgroup.status_history.push_back({ctx.now, adgroup.operation_status == "ENABLE"});
  adgroup.budget_history.push_back({ctx.now, adgroup.budget});
  CopyAdGroupExtra(p, adgroup.extra);
  std::string id = adgroup.adgroup_id;
  ctx.state.adgroups[id] = std::move(adgroup);
  if (dedupe_key) ctx.state.adgroup_request_ids[{advertiser.advertiser_id, *dedupe_key}] = id;
  EndpointResult result;
  result.data = AdGroupJson(ctx.state, ctx.state.adgroups.at(id), ctx.now);
  return result;
}

EndpointResult AdGroupGet(EndpointContext& ctx) {
  const Params& p = ctx.params;
  Advertiser& advertiser = ctx.RequireAdvertiser();
  AdGroup blank;
  FieldSelection selection = ReadFieldSelection(p, AdGroupJson(ctx.state, blank, ctx.now));
  std::optional<Params> filtering = p.Object("filtering");
  CommonFilter common = CommonFilter::Read(filtering);
  std::optional<std::vector<std::string>> campaign_ids, adgroup_ids, billing_events;
  std::optional<std::string> name, goal, promotion_type;
  if (filtering) {
    campaign_ids = filtering->IdList("campaign_ids", 100);
    adgroup_ids = filtering->IdList("adgroup_ids", 100);
    name = filtering->String("adgroup_name");
    goal = filtering->String("optimization_goal");
    promotion_type = filtering->Enum("promotion_type", PromotionTypes());
    billing_events = filtering->EnumList("billing_events", BillingEvents());
  }
  PageRequest page = p.Page(10, 1000);

  std::vector<const AdGroup*> matches;
  for (const auto& [id, adgroup] : ctx.state.adgroups) {
    if (adgroup.advertiser_id != advertiser.advertiser_id) continue;
    auto in = [](const std::optional<std::vector<std::string>>& list, const std::string& value) {
      return !list || std::find(list->begin(), list->end(), value) != list->end();
    };
    if (!in(campaign_ids, adgroup.campaign_id) || !in(adgroup_ids, id) ||
        !in(billing_events, adgroup.billing_event)) {
      continue;
    }
    if (name && !absl::StrContains(absl::AsciiStrToLower(adgroup.adgroup_name),
                                   absl::AsciiStrToLower(*name))) {
      continue;
    }
    if (goal && adgroup.optimization_goal != *goal) continue;
    if (promotion_type && adgroup.promotion_type != *promotion_type) continue;
    auto campaign = ctx.state.campaigns.find(adgroup.campaign_id);
    std::string objective =
        campaign == ctx.state.campaigns.end() ? "" : campaign->second.objective_type;
    if (!common.Matches(AdGroupSecondaryStatus(ctx.state, adgroup, ctx.now), adgroup.deleted,
                        objective, adgroup.create_time)) {
      continue;
    }
    matches.push_back(&adgroup);
  }
  std::sort(matches.begin(), matches.end(), [](const AdGroup* a, const AdGroup* b) {
    return NewerFirst(a->create_time, a->adgroup_id, b->create_time, b->adgroup_id);
  });
  std::vector<Json> items;
  for (const AdGroup* adgroup : matches) {
    items.push_back(SelectFields(AdGroupJson(ctx.state, *adgroup, ctx.now), selection.fields,
                                 selection.exclude_null));
  }
  EndpointResult result;
  result.data = PageOf(items, page, "list");
  return result;
}

// inferred: omitted fields stay unchanged (the existing system updates the budget alone).
EndpointResult AdGroupUpdate(EndpointContext& ctx) {
  const Params& p = ctx.params;
  p.Require({"advertiser_id", "adgroup_id"});
  Advertiser& advertiser = ctx.RequireAdvertiser();
  AdGroup& current = FindLiveAdGroup(ctx, advertiser.advertiser_id, p.RequiredString("adgroup_id"));
  const Campaign& campaign = ctx.state.campaigns.at(current.campaign_id);
  AdGroup updated = current;
  if (auto mode = p.Enum("budget_mode", AdGroupBudgetModes());
      mode && *mode != current.budget_mode) {
    InvalidParameter("budget_mode cannot be changed after the ad group is created.");
  }
  if (auto type = p.Enum("placement_type", PlacementTypes());
      type && *type != current.placement_type) {
    InvalidParameter("placement_type cannot be changed after the ad group is created.");
  }
  if (auto name = p.String("adgroup_name")) {
    CheckName("adgroup_name", *name);
    updated.adgroup_name = *name;
  }
  if (auto budget = p.Number("budget")) updated.budget = *budget;
  if (auto start = p.DateTime("schedule_start_time")) updated.schedule_start_time = *start;
  if (auto end = p.DateTime("schedule_end_time")) updated.schedule_end_time = *end;
  if (auto type = p.Enum("schedule_type", ScheduleTypes())) updated.schedule_type = *type;
  if (updated.schedule_type == "SCHEDULE_FROM_NOW") updated.schedule_end_time.reset();
  if (auto dayparting = p.String("dayparting")) {
    CheckDayparting(*dayparting);
    updated.dayparting = *dayparting;
  }
  if (auto placements = p.EnumList("placements", Placements())) {
    if (current.placement_type == "PLACEMENT_TYPE_NORMAL") updated.placements = *placements;
  }
  if (auto locations = p.Value("location_ids")) {
    if (!IsStringArray(*locations) || locations->empty()) {
      InvalidParameter("location_ids: Must be a non-empty list of strings.");
    }
    updated.location_ids = *locations;
  }
  if (auto ages = p.EnumList("age_groups", AgeGroups())) updated.age_groups = *ages;
  if (auto gender = p.Enum("gender", Genders())) updated.gender = *gender;
  if (auto languages = p.StringList("languages")) updated.languages = *languages;
  if (auto bid = p.Number("bid_price")) updated.bid_price = *bid;
  if (auto bid = p.Number("conversion_bid_price")) updated.conversion_bid_price = *bid;
  if (auto pacing = p.Enum("pacing", PacingModes())) updated.pacing = *pacing;
  if (auto event = p.String("optimization_event")) updated.optimization_event = *event;
  CheckScheduleAndBudget(ctx, advertiser, campaign, updated);

  CopyAdGroupExtra(p, updated.extra);
  if (updated.budget != current.budget) updated.budget_history.push_back({ctx.now, updated.budget});
  updated.modify_time = ctx.now;
  current = std::move(updated);
  EndpointResult result;
  result.data = AdGroupJson(ctx.state, current, ctx.now);
  return result;
}

EndpointResult AdGroupStatusUpdate(EndpointContext& ctx) {
  const Params& p = ctx.params;
  p.Require({"advertiser_id", "adgroup_ids", "operation_status"});
  Advertiser& advertiser = ctx.RequireAdvertiser();
  // inferred: the reference leaves the adgroup_ids limit open; campaigns and ads allow 1-20.
  std::vector<std::string> ids = *p.IdList("adgroup_ids", 20);
  std::string status = *p.Enum("operation_status", WriteOperationStatuses());
  bool partial = p.Bool("allow_partial_success").value_or(false);

  Json error_list = Json::array();
  std::vector<std::string> applicable;
  for (const std::string& id : ids) {
    try {
      FindLiveAdGroup(ctx, advertiser.advertiser_id, id);
      applicable.push_back(id);
    } catch (const ApiError& error) {
      if (!partial) throw;
      error_list.push_back({{"adgroup_id", id}, {"error_message", error.message()}});
    }
  }
  for (const std::string& id : applicable) {
    AdGroup& adgroup = *ctx.state.FindAdGroup(advertiser.advertiser_id, id);
    adgroup.SetStatus(status, ctx.now);
    if (status == "DELETE") {
      for (auto& [ad_id, ad] : ctx.state.ads) {
        if (ad.adgroup_id == id && !ad.deleted) ad.SetStatus("DELETE", ctx.now);
      }
    }
  }
  EndpointResult result;
  result.data = Json{{"adgroup_ids", applicable}, {"status", status}};
  if (partial) {
    result.data["error_list"] = error_list;
    // inferred (reference §13): partial failures answer code 20001.
    if (!error_list.empty()) {
      result.code = kCodePartialSuccess;
      result.message = "Partially successful.";
    }
  }
  return result;
}

// inferred: only the Go SDK knows this endpoint (reference §5, medium confidence): body
// advertiser_id plus budget [{adgroup_id, budget}] and/or schedule_budget [{adgroup_id,
// schedule_budget}]; `data` is not modelled there, so the sandbox answers {}. A list may name at
// most 100 ad groups (limit inferred).
EndpointResult AdGroupBudgetUpdate(EndpointContext& ctx) {
  const Params& p = ctx.params;
  p.Require({"advertiser_id"});
  Advertiser& advertiser = ctx.RequireAdvertiser();
  if (!p.Has("budget") && !p.Has("schedule_budget")) {
    InvalidParameter("Missing required field(s): budget or schedule_budget.");
  }
  struct Change {
    AdGroup* adgroup;
    double value;
    bool scheduled;
  };
  std::vector<Change> changes;
  for (const char* key : {"budget", "schedule_budget"}) {
    std::optional<std::vector<Params>> items = p.ObjectList(key);
    if (!items) continue;
    CheckListLength(key, items->size(), 100);
    bool scheduled = std::string(key) == "schedule_budget";
    for (const Params& item : *items) {
      item.Require({"adgroup_id", key});
      AdGroup& adgroup =
          FindLiveAdGroup(ctx, advertiser.advertiser_id, item.RequiredString("adgroup_id"));
      double value = *item.Number(key);
      const Campaign& campaign = ctx.state.campaigns.at(adgroup.campaign_id);
      if (campaign.budget_optimize_on) {
        InvalidParameter("The ad group budget cannot be set under campaign budget optimization.");
      }
      if (scheduled && adgroup.budget_mode == "BUDGET_MODE_TOTAL") {
        InvalidParameter("schedule_budget: Only daily budgets can be scheduled.");
      }
      AdGroup probe = adgroup;
      probe.budget = value;
      CheckScheduleAndBudget(ctx, advertiser, campaign, probe);
      changes.push_back({&adgroup, value, scheduled});
    }
  }
  for (const Change& change : changes) {
    if (change.scheduled) {
      change.adgroup->extra["schedule_budget"] = change.value;
    } else if (change.value != change.adgroup->budget) {
      change.adgroup->budget = change.value;
      change.adgroup->budget_history.push_back({ctx.now, change.value});
    }
    change.adgroup->modify_time = ctx.now;
  }
  return EndpointResult{};
}

}  // namespace ttads::sandbox

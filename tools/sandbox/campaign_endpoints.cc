// campaign/create/, campaign/get/, campaign/update/, campaign/status/update/ (reference §4).
#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tools/sandbox/endpoints.h"

namespace ttads::sandbox {
namespace {

bool NeedsBudget(const std::string& budget_mode) {
  return budget_mode == "BUDGET_MODE_DAY" || budget_mode == "BUDGET_MODE_TOTAL" ||
         budget_mode == "BUDGET_MODE_DYNAMIC_DAILY_BUDGET";
}

// inferred: TikTok refuses a second live campaign with the same name in one account ("Campaign
// name already exists"); deleted campaigns do not count.
void CheckUniqueName(const SandboxState& state, const std::string& advertiser_id,
                     const std::string& name, const std::string& except_id) {
  for (const auto& [id, campaign] : state.campaigns) {
    if (campaign.advertiser_id == advertiser_id && !campaign.deleted && id != except_id &&
        campaign.campaign_name == name) {
      InvalidParameter("Campaign name already exists. Please try another one.");
    }
  }
}

Campaign& FindLiveCampaign(EndpointContext& ctx, const std::string& advertiser_id,
                           const std::string& campaign_id) {
  Campaign* campaign = ctx.state.FindCampaign(advertiser_id, campaign_id);
  if (campaign == nullptr) {
    throw ApiError(kCodeNotFound, absl::StrCat("The campaign ", campaign_id, " does not exist."));
  }
  if (campaign->deleted) {
    InvalidParameter(absl::StrCat("The campaign ", campaign_id,
                                  " has been deleted and can no longer be modified."));
  }
  return *campaign;
}

}  // namespace

EndpointResult CampaignCreate(EndpointContext& ctx) {
  const Params& p = ctx.params;
  p.Require({"advertiser_id", "campaign_name", "objective_type"});
  Advertiser& advertiser = ctx.RequireAdvertiser();
  std::optional<std::string> dedupe_key = ReadDedupeKey(p);
  if (dedupe_key) {
    auto seen = ctx.state.campaign_request_ids.find({advertiser.advertiser_id, *dedupe_key});
    if (seen != ctx.state.campaign_request_ids.end()) {
      EndpointResult result;
      result.data = CampaignJson(ctx.state.campaigns.at(seen->second));
      return result;
    }
  }

  std::string name = p.RequiredString("campaign_name");
  CheckName("campaign_name", name);
  std::string objective = *p.Enum("objective_type", ReadableObjectiveTypes());
  if (objective == "TOPVIEW_REACH") InvalidParameter("objective_type TOPVIEW_REACH is read-only.");
  if (ObjectiveTypes().count(objective) == 0) {
    // inferred: deprecated objectives keep working on old campaigns but new ones are refused.
    InvalidParameter(
        absl::StrCat("objective_type ", objective, " is no longer supported for new campaigns."));
  }
  std::optional<std::string> budget_mode = p.Enum("budget_mode", CampaignBudgetModes());
  if (objective == "RF_REACH") {
    if (budget_mode && *budget_mode != "BUDGET_MODE_INFINITE") {
      InvalidParameter("budget_mode: RF_REACH campaigns only allow BUDGET_MODE_INFINITE.");
    }
    budget_mode = "BUDGET_MODE_INFINITE";
  } else if (!budget_mode) {
    p.Require({"budget_mode"});
  }
  double budget = 0;
  if (NeedsBudget(*budget_mode)) {
    p.Require({"budget"});
    budget = *p.Number("budget");
    CheckCampaignBudget(ctx.config, advertiser.currency, budget);
  }
  std::string status = p.Enum("operation_status", CreateOperationStatuses()).value_or("ENABLE");
  bool cbo = p.Bool("budget_optimize_on").value_or(false);
  if (cbo && !NeedsBudget(*budget_mode)) {
    InvalidParameter("budget_mode: Campaign budget optimization needs a daily or lifetime budget.");
  }
  p.EnumList("special_industries", SpecialIndustries());
  std::string campaign_type = p.Enum("campaign_type", CampaignTypes()).value_or("REGULAR_CAMPAIGN");
  p.Enum("bid_type", BidTypes());
  p.Enum("optimization_goal", OptimizationGoals());
  CheckUniqueName(ctx.state, advertiser.advertiser_id, name, "");

  Campaign campaign;
  campaign.campaign_id = ctx.state.NewId();
  campaign.advertiser_id = advertiser.advertiser_id;
  campaign.campaign_name = name;
  campaign.objective_type = objective;
  campaign.campaign_type = campaign_type;
  campaign.budget_mode = *budget_mode;
  campaign.budget = budget;
  campaign.budget_optimize_on = cbo;
  campaign.operation_status = status;
  campaign.create_time = campaign.modify_time = ctx.now;
  campaign.status_history.push_back({ctx.now, status == "ENABLE"});
  campaign.budget_history.push_back({ctx.now, budget});
  CopyExtra(p,
            {"special_industries", "app_promotion_type", "bid_type", "optimization_goal",
             "deep_bid_type", "roas_bid", "rf_campaign_type", "campaign_product_source",
             "virtual_objective_type", "sales_destination", "app_id", "po_number", "rta_id",
             "rta_bid_enabled", "postback_window_mode", "is_search_campaign"},
            campaign.extra);
  std::string id = campaign.campaign_id;
  ctx.state.campaigns[id] = std::move(campaign);
  if (dedupe_key) ctx.state.campaign_request_ids[{advertiser.advertiser_id, *dedupe_key}] = id;
  EndpointResult result;
  result.data = CampaignJson(ctx.state.campaigns.at(id));
  return result;
}

EndpointResult CampaignGet(EndpointContext& ctx) {
  const Params& p = ctx.params;
  Advertiser& advertiser = ctx.RequireAdvertiser();
  FieldSelection selection = ReadFieldSelection(p, CampaignJson(Campaign{}));
  std::optional<Params> filtering = p.Object("filtering");
  CommonFilter common = CommonFilter::Read(filtering);
  std::optional<std::vector<std::string>> ids;
  std::optional<std::string> name;
  std::optional<std::string> campaign_type;
  if (filtering) {
    ids = filtering->IdList("campaign_ids", 100);
    name = filtering->String("campaign_name");
    campaign_type = filtering->Enum("campaign_type", CampaignTypes());
  }
  PageRequest page = p.Page(10, 1000);

  std::vector<const Campaign*> matches;
  for (const auto& [id, campaign] : ctx.state.campaigns) {
    if (campaign.advertiser_id != advertiser.advertiser_id) continue;
    if (ids && std::find(ids->begin(), ids->end(), id) == ids->end()) continue;
    if (name && !absl::StrContains(absl::AsciiStrToLower(campaign.campaign_name),
                                   absl::AsciiStrToLower(*name))) {
      continue;
    }
    if (campaign_type && campaign.campaign_type != *campaign_type) continue;
    if (!common.Matches(CampaignSecondaryStatus(campaign), campaign.deleted,
                        campaign.objective_type, campaign.create_time)) {
      continue;
    }
    matches.push_back(&campaign);
  }
  std::sort(matches.begin(), matches.end(), [](const Campaign* a, const Campaign* b) {
    return NewerFirst(a->create_time, a->campaign_id, b->create_time, b->campaign_id);
  });
  std::vector<Json> items;
  for (const Campaign* campaign : matches) {
    items.push_back(
        SelectFields(CampaignJson(*campaign), selection.fields, selection.exclude_null));
  }
  EndpointResult result;
  result.data = PageOf(items, page, "list");
  return result;
}

EndpointResult CampaignUpdate(EndpointContext& ctx) {
  const Params& p = ctx.params;
  p.Require({"advertiser_id", "campaign_id"});
  Advertiser& advertiser = ctx.RequireAdvertiser();
  Campaign& campaign =
      FindLiveCampaign(ctx, advertiser.advertiser_id, p.RequiredString("campaign_id"));
  std::optional<std::string> name = p.String("campaign_name");
  if (name) {
    CheckName("campaign_name", *name);
    CheckUniqueName(ctx.state, advertiser.advertiser_id, *name, campaign.campaign_id);
  }
  if (std::optional<std::string> mode = p.Enum("budget_mode", CampaignBudgetModes());
      mode && *mode != campaign.budget_mode) {
    InvalidParameter("budget_mode cannot be changed after the campaign is created.");
  }
  std::optional<double> budget = p.Number("budget");
  if (budget) {
    if (!NeedsBudget(campaign.budget_mode)) {
      InvalidParameter("budget: A campaign with BUDGET_MODE_INFINITE has no budget to update.");
    }
    CheckCampaignBudget(ctx.config, advertiser.currency, *budget);
  }
  p.EnumList("special_industries", SpecialIndustries());

  if (name) campaign.campaign_name = *name;
  if (budget && *budget != campaign.budget) {
    campaign.budget = *budget;
    campaign.budget_history.push_back({ctx.now, *budget});
  }
  CopyExtra(p, {"special_industries", "po_number", "roas_bid", "rta_id", "rta_bid_enabled"},
            campaign.extra);
  campaign.modify_time = ctx.now;
  EndpointResult result;
  result.data = CampaignJson(campaign);
  return result;
}

EndpointResult CampaignStatusUpdate(EndpointContext& ctx) {
  const Params& p = ctx.params;
  p.Require({"advertiser_id", "campaign_ids", "operation_status"});
  Advertiser& advertiser = ctx.RequireAdvertiser();
  std::vector<std::string> ids = *p.IdList("campaign_ids", 20);
  std::string status = *p.Enum("operation_status", WriteOperationStatuses());
  p.String("postback_window_mode");
  // All or nothing: every id is checked before anything changes.
  for (const std::string& id : ids) FindLiveCampaign(ctx, advertiser.advertiser_id, id);

  Json campaign_list = Json::array();
  for (const std::string& id : ids) {
    Campaign& campaign = *ctx.state.FindCampaign(advertiser.advertiser_id, id);
    campaign.SetStatus(status, ctx.now);
    if (status == "DELETE") {
      // Deleting a campaign deletes its ad groups and ads.
      for (auto& [adgroup_id, adgroup] : ctx.state.adgroups) {
        if (adgroup.campaign_id == id && !adgroup.deleted) adgroup.SetStatus("DELETE", ctx.now);
      }
      for (auto& [ad_id, ad] : ctx.state.ads) {
        if (ad.campaign_id == id && !ad.deleted) ad.SetStatus("DELETE", ctx.now);
      }
    }
    campaign_list.push_back(
        {{"campaign_id", id}, {"status", status}, {"postback_window_mode", nullptr}});
  }
  EndpointResult result;
  result.data =
      Json{{"campaign_ids", ids}, {"status", status}, {"campaign_list", std::move(campaign_list)}};
  return result;
}

}  // namespace ttads::sandbox

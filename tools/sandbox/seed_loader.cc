#include "tools/sandbox/seed_loader.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "tools/sandbox/validation.h"

namespace ttads::sandbox {
namespace {

// The time an object was created: "create_time" ("YYYY-MM-DD HH:MM:SS", UTC), or
// "created_days_ago" relative to loading, or now.
absl::Time CreateTime(const Params& p, absl::Time now) {
  if (std::optional<absl::Time> t = p.DateTime("create_time")) return *t;
  if (std::optional<double> days = p.Number("created_days_ago")) {
    return now - absl::Hours(24.0 * *days);
  }
  return now;
}

std::vector<std::string> Strings(const Params& p, const std::string& key) {
  return p.IdList(key, 100000).value_or(std::vector<std::string>{});
}

void CheckAdvertiser(const SandboxState& state, const std::string& id) {
  if (state.advertisers.count(id) == 0) {
    InvalidParameter(absl::StrCat("unknown advertiser_id ", id));
  }
}

void LoadSettings(const Params& p, SandboxConfig& config) {
  if (auto seed = p.Int("metrics_seed")) config.metrics_seed = static_cast<uint64_t>(*seed);
  if (auto days = p.Int("backfill_days")) config.backfill_days = static_cast<int>(*days);
  if (auto seconds = p.Int("transcode_seconds")) config.transcode_seconds = *seconds;
  if (auto seconds = p.Int("lead_task_seconds")) config.lead_task_seconds = *seconds;
  if (std::optional<Params> budgets = p.Object("min_budgets")) {
    for (auto it = budgets->values().begin(); it != budgets->values().end(); ++it) {
      Params budget(it.value(), false);
      budget.Require({"campaign", "adgroup_daily"});
      config.min_budgets[it.key()] =
          MinBudget{*budget.Number("campaign"), *budget.Number("adgroup_daily")};
    }
  }
}

void LoadAdvertiser(const Params& p, absl::Time now, SandboxState& state) {
  p.Require({"advertiser_id", "name"});
  Advertiser a;
  a.advertiser_id = p.RequiredString("advertiser_id");
  a.name = p.RequiredString("name");
  a.company = p.String("company").value_or(a.name);
  a.currency = p.String("currency").value_or("USD");
  a.timezone = p.String("timezone").value_or("Etc/GMT");
  if (!absl::LoadTimeZone(a.timezone, &a.zone)) {
    InvalidParameter(absl::StrCat("unknown timezone ", a.timezone));
  }
  a.display_timezone = p.String("display_timezone").value_or(a.timezone);
  a.status = p.String("status").value_or("STATUS_ENABLE");
  a.role = p.String("role").value_or("ROLE_ADVERTISER");
  a.country = p.String("country").value_or("");
  a.language = p.String("language").value_or("en");
  a.industry = p.String("industry").value_or("");
  a.address = p.String("address").value_or("");
  a.description = p.String("description").value_or("");
  a.email = p.String("email").value_or("");
  a.cellphone_number = p.String("cellphone_number").value_or("");
  a.telephone_number = p.String("telephone_number").value_or("");
  a.contacter = p.String("contacter").value_or("");
  a.owner_bc_id = p.String("owner_bc_id").value_or("");
  a.balance = p.Number("balance").value_or(0);
  a.create_time = CreateTime(p, now);
  state.advertisers[a.advertiser_id] = a;
}

void LoadCampaign(const Params& p, absl::Time now, SandboxState& state) {
  p.Require({"campaign_id", "advertiser_id", "campaign_name", "objective_type"});
  Campaign c;
  c.campaign_id = p.RequiredString("campaign_id");
  c.advertiser_id = p.RequiredString("advertiser_id");
  CheckAdvertiser(state, c.advertiser_id);
  c.campaign_name = p.RequiredString("campaign_name");
  c.objective_type = *p.Enum("objective_type", ReadableObjectiveTypes());
  c.budget_mode = p.Enum("budget_mode", CampaignBudgetModes()).value_or("BUDGET_MODE_INFINITE");
  c.budget = p.Number("budget").value_or(0);
  c.budget_optimize_on = p.Bool("budget_optimize_on").value_or(false);
  c.operation_status = p.Enum("operation_status", CreateOperationStatuses()).value_or("ENABLE");
  c.create_time = c.modify_time = CreateTime(p, now);
  if (auto days = p.Int("backfill_days")) c.backfill_days = static_cast<int>(*days);
  c.status_history.push_back({c.create_time, c.operation_status == "ENABLE"});
  c.budget_history.push_back({c.create_time, c.budget});
  state.campaigns[c.campaign_id] = c;
}

void LoadAdGroup(const Params& p, absl::Time now, SandboxState& state) {
  p.Require({"adgroup_id", "campaign_id", "adgroup_name"});
  AdGroup g;
  g.adgroup_id = p.RequiredString("adgroup_id");
  g.campaign_id = p.RequiredString("campaign_id");
  auto campaign = state.campaigns.find(g.campaign_id);
  if (campaign == state.campaigns.end()) {
    InvalidParameter(absl::StrCat("unknown campaign_id ", g.campaign_id));
  }
  g.advertiser_id = campaign->second.advertiser_id;
  g.adgroup_name = p.RequiredString("adgroup_name");
  g.placement_type = p.Enum("placement_type", PlacementTypes()).value_or("PLACEMENT_TYPE_NORMAL");
  g.placements =
      p.EnumList("placements", Placements()).value_or(std::vector<std::string>{"PLACEMENT_TIKTOK"});
  g.location_ids = Strings(p, "location_ids");
  if (auto ages = p.EnumList("age_groups", AgeGroups())) g.age_groups = *ages;
  g.gender = p.Enum("gender", Genders()).value_or("GENDER_UNLIMITED");
  g.budget_mode = p.Enum("budget_mode", AdGroupBudgetModes()).value_or("BUDGET_MODE_DAY");
  g.budget = p.Number("budget").value_or(0);
  g.schedule_type = p.Enum("schedule_type", ScheduleTypes()).value_or("SCHEDULE_FROM_NOW");
  g.optimization_goal = p.Enum("optimization_goal", OptimizationGoals()).value_or("CLICK");
  g.billing_event = p.Enum("billing_event", BillingEvents()).value_or("CPC");
  g.bid_type = p.Enum("bid_type", BidTypes()).value_or("BID_TYPE_NO_BID");
  g.pacing = p.Enum("pacing", PacingModes()).value_or("PACING_MODE_SMOOTH");
  g.promotion_type = p.Enum("promotion_type", PromotionTypes()).value_or("WEBSITE");
  g.promotion_target_type = p.Enum("promotion_target_type", PromotionTargetTypes()).value_or("");
  g.pixel_id = p.String("pixel_id").value_or("");
  g.optimization_event = p.String("optimization_event").value_or("");
  g.operation_status = p.Enum("operation_status", CreateOperationStatuses()).value_or("ENABLE");
  g.create_time = g.modify_time = CreateTime(p, now);
  g.schedule_start_time = p.DateTime("schedule_start_time").value_or(g.create_time);
  g.schedule_end_time = p.DateTime("schedule_end_time");
  if (auto days = p.Int("backfill_days")) g.backfill_days = static_cast<int>(*days);
  g.status_history.push_back({g.create_time, g.operation_status == "ENABLE"});
  g.budget_history.push_back({g.create_time, g.budget});
  state.adgroups[g.adgroup_id] = g;
}

void LoadAd(const Params& p, absl::Time now, SandboxState& state) {
  p.Require({"ad_id", "adgroup_id", "ad_name"});
  Ad ad;
  ad.ad_id = p.RequiredString("ad_id");
  ad.adgroup_id = p.RequiredString("adgroup_id");
  auto adgroup = state.adgroups.find(ad.adgroup_id);
  if (adgroup == state.adgroups.end()) {
    InvalidParameter(absl::StrCat("unknown adgroup_id ", ad.adgroup_id));
  }
  ad.advertiser_id = adgroup->second.advertiser_id;
  ad.campaign_id = adgroup->second.campaign_id;
  ad.ad_name = p.RequiredString("ad_name");
  ad.ad_format = p.Enum("ad_format", AdFormats()).value_or("SINGLE_VIDEO");
  ad.video_id = p.String("video_id").value_or("");
  ad.image_ids = Strings(p, "image_ids");
  ad.ad_text = p.String("ad_text").value_or("");
  ad.call_to_action = p.Enum("call_to_action", CallToActions()).value_or("");
  ad.landing_page_url = p.String("landing_page_url").value_or("");
  ad.identity_type = p.Enum("identity_type", IdentityTypes()).value_or("");
  ad.identity_id = p.String("identity_id").value_or("");
  ad.page_id = p.String("page_id").value_or("");
  ad.operation_status = p.Enum("operation_status", CreateOperationStatuses()).value_or("ENABLE");
  ad.create_time = ad.modify_time = CreateTime(p, now);
  if (auto days = p.Int("backfill_days")) ad.backfill_days = static_cast<int>(*days);
  ad.status_history.push_back({ad.create_time, ad.operation_status == "ENABLE"});
  state.ads[ad.ad_id] = ad;
}

void LoadOther(const std::string& kind, const Params& p, absl::Time now, SandboxState& state,
               const SandboxConfig& config) {
  if (kind == "apps") {
    p.Require({"app_id", "secret"});
    state.apps[p.RequiredString("app_id")] =
        App{p.RequiredString("app_id"), p.RequiredString("secret")};
  } else if (kind == "tokens") {
    p.Require({"access_token", "app_id"});
    AccessToken t;
    t.access_token = p.RequiredString("access_token");
    t.app_id = p.RequiredString("app_id");
    if (state.apps.count(t.app_id) == 0)
      InvalidParameter(absl::StrCat("unknown app_id ", t.app_id));
    t.advertiser_ids = Strings(p, "advertiser_ids");
    if (!p.Has("advertiser_ids")) {
      for (const auto& [id, advertiser] : state.advertisers) t.advertiser_ids.push_back(id);
    }
    for (const std::string& id : t.advertiser_ids) CheckAdvertiser(state, id);
    if (auto scope = p.Value("scope")) {
      t.scope = scope->get<std::vector<int>>();
    } else {
      t.scope = {1, 2, 3, 4, 5, 6, 7, 10};
    }
    t.create_time = now;
    t.revoked = p.Bool("revoked").value_or(false);
    state.tokens[t.access_token] = t;
  } else if (kind == "auth_codes") {
    p.Require({"auth_code", "app_id"});
    AuthCode c;
    c.auth_code = p.RequiredString("auth_code");
    c.app_id = p.RequiredString("app_id");
    if (state.apps.count(c.app_id) == 0)
      InvalidParameter(absl::StrCat("unknown app_id ", c.app_id));
    c.advertiser_ids = Strings(p, "advertiser_ids");
    if (!p.Has("advertiser_ids")) {
      for (const auto& [id, advertiser] : state.advertisers) c.advertiser_ids.push_back(id);
    }
    for (const std::string& id : c.advertiser_ids) CheckAdvertiser(state, id);
    c.scope = {1, 2, 3, 4, 5, 6, 7, 10};
    if (auto at = p.DateTime("expires_at")) {
      c.expires_at = *at;
    } else {
      c.expires_at =
          now + absl::Seconds(p.Int("expires_in_seconds").value_or(config.auth_code_ttl_seconds));
    }
    c.used = p.Bool("used").value_or(false);
    state.auth_codes[c.auth_code] = c;
  } else if (kind == "identities") {
    p.Require({"identity_id", "advertiser_id", "identity_type"});
    Identity i;
    i.identity_id = p.RequiredString("identity_id");
    i.advertiser_id = p.RequiredString("advertiser_id");
    CheckAdvertiser(state, i.advertiser_id);
    EnumSet types = IdentityTypes();
    types.insert("TTS_TT");
    i.identity_type = *p.Enum("identity_type", types);
    i.identity_authorized_bc_id = p.String("identity_authorized_bc_id").value_or("");
    i.display_name = p.String("display_name").value_or(i.identity_id);
    i.user_name = p.String("user_name").value_or(i.display_name);
    i.profile_image = p.String("profile_image").value_or("");
    i.available_status = p.String("available_status").value_or("AVAILABLE");
    i.can_use_live_ads = p.Bool("can_use_live_ads").value_or(false);
    i.can_manage_message = p.Bool("can_manage_message").value_or(false);
    state.identities[i.identity_id] = i;
  } else if (kind == "pixels") {
    p.Require({"pixel_id", "advertiser_id"});
    Pixel x;
    x.pixel_id = p.RequiredString("pixel_id");
    x.advertiser_id = p.RequiredString("advertiser_id");
    CheckAdvertiser(state, x.advertiser_id);
    x.pixel_code = p.String("pixel_code").value_or(absl::StrCat("C", x.pixel_id));
    x.pixel_name = p.String("pixel_name").value_or(x.pixel_code);
    x.create_time = CreateTime(p, now);
    if (auto events = p.Value("events")) x.events = *events;
    state.pixels[x.pixel_id] = x;
  } else if (kind == "pages") {
    p.Require({"page_id", "advertiser_id"});
    InstantPage page;
    page.page_id = p.RequiredString("page_id");
    page.advertiser_id = p.RequiredString("advertiser_id");
    CheckAdvertiser(state, page.advertiser_id);
    page.title = p.String("title").value_or(page.page_id);
    page.status = p.Enum("status", EnumSet{"EDITED", "PUBLISHED"}).value_or("PUBLISHED");
    page.business_type = p.String("business_type").value_or("LEAD_GEN");
    page.create_time = page.update_time = CreateTime(p, now);
    state.pages[page.page_id] = page;
  } else if (kind == "leads") {
    p.Require({"lead_id", "advertiser_id", "page_id"});
    Lead lead;
    lead.lead_id = p.RequiredString("lead_id");
    lead.advertiser_id = p.RequiredString("advertiser_id");
    CheckAdvertiser(state, lead.advertiser_id);
    lead.page_id = p.RequiredString("page_id");
    lead.ad_id = p.String("ad_id").value_or("");
    lead.create_time = CreateTime(p, now);
    if (std::optional<Params> fields = p.Object("fields")) {
      for (auto it = fields->values().begin(); it != fields->values().end(); ++it) {
        lead.fields.emplace_back(
            it.key(), it.value().is_string() ? it.value().get<std::string>() : it.value().dump());
      }
    }
    state.leads[lead.lead_id] = lead;
  } else if (kind == "videos") {
    p.Require({"video_id", "advertiser_id"});
    Video v;
    v.video_id = p.RequiredString("video_id");
    v.advertiser_id = p.RequiredString("advertiser_id");
    CheckAdvertiser(state, v.advertiser_id);
    v.material_id = p.String("material_id").value_or(state.NewId());
    v.file_name = p.String("file_name").value_or(absl::StrCat(v.video_id, ".mp4"));
    v.signature = p.String("signature").value_or("");
    v.size = p.Int("size").value_or(2000000);
    v.width = static_cast<int>(p.Int("width").value_or(720));
    v.height = static_cast<int>(p.Int("height").value_or(1280));
    v.duration = p.Number("duration").value_or(15.0);
    v.create_time = v.ready_time = CreateTime(p, now);
    state.videos[v.video_id] = v;
  } else if (kind == "images") {
    p.Require({"image_id", "advertiser_id"});
    Image image;
    image.image_id = p.RequiredString("image_id");
    image.advertiser_id = p.RequiredString("advertiser_id");
    CheckAdvertiser(state, image.advertiser_id);
    image.material_id = p.String("material_id").value_or(state.NewId());
    image.file_name = p.String("file_name").value_or(absl::StrCat(image.material_id, ".jpg"));
    image.signature = p.String("signature").value_or("");
    image.width = static_cast<int>(p.Int("width").value_or(720));
    image.height = static_cast<int>(p.Int("height").value_or(1280));
    image.create_time = CreateTime(p, now);
    state.images[image.image_id] = image;
  }
}

}  // namespace

absl::Status ApplySeed(const Json& seed, absl::Time now, SandboxConfig& config,
                       SandboxState& state) {
  if (!seed.is_object()) return absl::InvalidArgumentError("seed: expected a JSON object");
  // Order matters: objects refer to the ones loaded before them.
  static const char* const kSections[] = {
      "apps",   "advertisers", "tokens",    "auth_codes", "identities", "pixels", "pages",
      "videos", "images",      "campaigns", "adgroups",   "ads",        "leads"};
  std::string where = "seed";
  try {
    LoadSettings(Params(seed, false), config);
    for (const char* section : kSections) {
      auto list = seed.find(section);
      if (list == seed.end()) continue;
      if (!list->is_array()) {
        return absl::InvalidArgumentError(absl::StrCat("seed: ", section, " must be an array"));
      }
      for (size_t i = 0; i < list->size(); ++i) {
        where = absl::StrCat(section, "[", i, "]");
        Params p((*list)[i], false);
        std::string kind = section;
        if (kind == "advertisers") {
          LoadAdvertiser(p, now, state);
        } else if (kind == "campaigns") {
          LoadCampaign(p, now, state);
        } else if (kind == "adgroups") {
          LoadAdGroup(p, now, state);
        } else if (kind == "ads") {
          LoadAd(p, now, state);
        } else {
          LoadOther(kind, p, now, state, config);
        }
      }
    }
  } catch (const ApiError& error) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": ", error.message()));
  } catch (const std::exception& error) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": ", error.what()));
  }
  return absl::OkStatus();
}

}  // namespace ttads::sandbox

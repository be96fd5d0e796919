#include "server/brain_core.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "nlohmann/json.hpp"
#include "server/ad_group_health.h"
#include "server/brain_data.h"
#include "server/brain_plan.h"
#include "server/budget_rules.h"
#include "server/idempotency.h"
#include "server/log.h"
#include "server/metrics.h"
#include "server/proto_convert.h"
#include "server/rpc_status.h"
#include "server/telegram_recipients.h"
#include "server/tiktok_status.h"
#include "server/validation.h"
#include "storage/ad_account_repository.h"
#include "storage/time_format.h"

namespace ttads::server {
namespace {

using Json = nlohmann::json;

constexpr char kDomain[] = "ttads.v1";
constexpr char kPlanNote[] = "tiktok_deterministic_plan_v1";
constexpr char kDecision[] = "decision";  // the plan_json key of the decision record

std::string ProtoJson(const google::protobuf::Message& message) {
  std::string text;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(message, &text, options).ok()) return "";
  return text;
}

bool FromJson(const std::string& text, google::protobuf::Message* message) {
  if (text.empty()) return false;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  return google::protobuf::util::JsonStringToMessage(text, message, options).ok();
}

void SetStructFromJson(const std::string& text, google::protobuf::Struct* out) {
  if (!FromJson(text, out)) out->Clear();
}

std::string DayText(absl::CivilDay day) { return absl::FormatCivilTime(day); }

// Amounts as the account's currency shows them: whole tenge, cents elsewhere.
std::string Money(double amount, const std::string& currency) {
  if (currency == "KZT") return absl::StrFormat("%.0f %s", std::round(amount), currency);
  return absl::StrFormat("%.2f %s", amount, currency);
}

double OrZero(const std::optional<double>& value) { return value.value_or(0); }

const char* ClassRu(const std::string& health_class) {
  if (health_class == "very_good") return "отлично";
  if (health_class == "good") return "хорошо";
  if (health_class == "neutral_low") return "ниже нормы";
  if (health_class == "bad") return "плохо";
  return "нейтрально";
}

v1::Action ToAction(const PlannedAction& planned) {
  v1::Action action;
  action.set_type(planned.type);
  auto& params = *action.mutable_params()->mutable_fields();
  if (planned.type == kGetCampaignStatus) {
    params["campaign_id"].set_string_value(planned.campaign_id);
  } else if (planned.type == kPauseAd) {
    params["ad_id"].set_string_value(planned.ad_id);
  } else {
    params["adgroup_id"].set_string_value(planned.adgroup_id);
    if (planned.type == kUpdateAdGroupBudget && planned.new_budget.has_value()) {
      params["new_budget"].set_number_value(*planned.new_budget);
    }
  }
  return action;
}

Json MetricsToJson(const WindowMetrics& metrics) {
  return Json{{"spend", metrics.spend},
              {"impressions", metrics.impressions},
              {"clicks", metrics.clicks},
              {"conversions", metrics.conversions}};
}

WindowMetrics MetricsFromJson(const Json& json) {
  WindowMetrics metrics;
  if (!json.is_object()) return metrics;
  metrics.spend = json.value("spend", 0.0);
  metrics.impressions = json.value("impressions", std::int64_t{0});
  metrics.clicks = json.value("clicks", std::int64_t{0});
  metrics.conversions = json.value("conversions", std::int64_t{0});
  return metrics;
}

// A snapshot as the decision record keeps it (the windows included, so a replay re-scores it).
Json SnapshotToJson(const AdGroupSnapshot& snapshot, const AdGroupWindows& windows) {
  Json ads = Json::array();
  for (const AdSnapshot& ad : snapshot.ads) {
    ads.push_back({{"ad_id", ad.ad_id},
                   {"operation_status", ad.operation_status},
                   {"spend_yesterday", ad.spend_yesterday},
                   {"leads_yesterday", ad.leads_yesterday}});
  }
  Json out = {{"adgroup_id", snapshot.adgroup_id},
              {"campaign_id", snapshot.campaign_id},
              {"operation_status", snapshot.operation_status},
              {"daily_budget", snapshot.daily_budget},
              {"impressions_yesterday", snapshot.impressions_yesterday},
              {"windows",
               {{"yesterday", MetricsToJson(windows.yesterday)},
                {"last_3d", MetricsToJson(windows.last_3d)},
                {"last_7d", MetricsToJson(windows.last_7d)},
                {"last_30d", MetricsToJson(windows.last_30d)},
                {"today", MetricsToJson(windows.today)}}},
              {"ads", ads}};
  if (snapshot.last_budget_change.has_value()) {
    out["last_budget_change"] = absl::ToUnixSeconds(*snapshot.last_budget_change);
  }
  return out;
}

Json PlannedToJson(const PlannedAction& action) {
  Json out = {{"type", action.type},
              {"campaign_id", action.campaign_id},
              {"adgroup_id", action.adgroup_id},
              {"ad_id", action.ad_id},
              {"reason", action.reason}};
  if (action.old_budget.has_value()) out["old_budget"] = *action.old_budget;
  if (action.new_budget.has_value()) out["new_budget"] = *action.new_budget;
  return out;
}

std::string JsonText(const Json& object, const char* key) {
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : "";
}

// A recorded run -> message (the decision record is the run's answer, kept in plan_json).
void ToBrainExecution(const storage::BrainExecutionRow& row, v1::BrainExecution& message) {
  v1::BrainExecution* out = &message;
  v1::RunTikTokResponse recorded;
  FromJson(row.plan_json, &recorded);
  out->set_id(row.id);
  out->set_user_account_id(row.user_account_id);
  out->set_account_id(row.account_id.value_or(""));
  out->set_idempotency_key(row.idempotency_key);
  out->set_platform(row.platform);
  out->set_status(row.status);
  out->set_execution_mode(row.execution_mode);
  out->set_plan_note(recorded.plannote());
  *out->mutable_actions() = recorded.actions();
  if (!row.executor_response_json.empty()) {
    SetStructFromJson(row.executor_response_json, out->mutable_executor_response());
  }
  out->set_report_text(row.report_text);
  out->set_duration_ms(row.duration_ms);
  out->set_actions_taken(row.actions_taken);
  out->set_actions_failed(row.actions_failed);
  out->set_created_at(TimeText(row.created_at));
  out->set_tiktok_calls(row.tiktok_calls);
  *out->mutable_health_scores() = recorded.healthscores();
  out->set_report_only(recorded.reportonly());
  out->set_report_only_reason(recorded.reportonlyreason());
  out->set_dispatched(recorded.dispatched());
  out->set_telegram_sent(recorded.telegramsent());
  const auto& agent = recorded.agentresponse().fields();
  if (const auto found = agent.find("executionId"); found != agent.end()) {
    out->set_action_execution_id(found->second.string_value());
  }
  *out->mutable_guard_outcomes() = recorded.guardoutcomes();
  out->set_currency(recorded.currency());
  out->set_report_date(recorded.reportdate());
  const Json error = Json::parse(row.error_json.empty() ? "{}" : row.error_json, nullptr, false);
  if (error.is_object() && error.contains("message") && error["message"].is_string()) {
    out->set_error(error["message"].get<std::string>());
  }
}

}  // namespace

std::string GeneratedRunKey(absl::Time now) {
  static constexpr char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  absl::BitGen random;
  std::string suffix;
  for (int i = 0; i < 6; ++i) suffix.push_back(kDigits[absl::Uniform(random, 0, 36)]);
  return absl::StrCat("think-", absl::FormatTime("%Y%m%d-%H%M", now, absl::UTCTimeZone()), "-",
                      suffix);
}

absl::StatusOr<std::vector<storage::DispatchPauseRow>> BrainCore::PausesFor(
    const std::string& user_id, const std::string& account_id) {
  return pauses_.Matching({account_id.empty() ? absl::StrCat("user:", user_id)
                                              : absl::StrCat("account:", account_id)});
}

PlanPolicy BrainCore::PolicyFor(const std::string& currency, double kzt_per_unit) const {
  const double rate = kzt_per_unit > 0 ? kzt_per_unit : 1;
  PlanPolicy policy;
  policy.target_cpl = settings_.default_target_cpl_kzt / rate;
  absl::StatusOr<double> minimum = MinDailyBudget(currency.empty() ? "KZT" : currency);
  policy.min_budget = minimum.ok() ? *minimum : 2500 / rate;
  policy.max_budget = settings_.max_budget_kzt / rate;
  policy.max_actions = settings_.max_actions_per_run;
  policy.budget_cooldown = settings_.budget_cooldown;
  policy.min_impressions = settings_.min_impressions;
  return policy;
}

bool BrainCore::SendReport(const TikTokAccess& access, const std::string& text) {
  if (!settings_.telegram_enabled) return false;
  absl::StatusOr<TelegramRecipients> recipients =
      TelegramRecipientsFor(database_, access.user_account_id, access.credentials.source,
                            access.credentials.row_id, settings_.telegram.bot_token);
  if (!recipients.ok() || recipients->chats.empty() || recipients->bot_token.empty()) {
    return false;
  }
  TelegramOptions options = settings_.telegram;
  options.bot_token = recipients->bot_token;
  absl::StatusOr<std::unique_ptr<TelegramNotifier>> notifier = TelegramNotifier::Create(options);
  if (!notifier.ok()) return false;
  const DeliveryReport report = (*notifier)->SendToAll(recipients->chats, text);
  if (!report.status.ok()) {
    LogWarning("brain_report_failed", {{"user_account_id", access.user_account_id},
                                       {"error", std::string(report.status.message())}});
  }
  if (report.sent > 0) {
    (void)runs_.AddCampaignReport(access.user_account_id,
                                  access.account_id.empty()
                                      ? std::nullopt
                                      : std::optional<std::string>(access.account_id),
                                  recipients->chats.front(), Json{{"text", text}}.dump(),
                                  "tiktok", clock_.Now());
  }
  return report.sent > 0;
}

void BrainCore::DeclareMetrics() {
  MetricsRegistry& metrics = MetricsRegistry::Global();
  metrics.DeclareCounter("ttads_brain_runs_total", "brain runs by outcome and mode",
                         {"status", "mode"});
  metrics.DeclareCounter("ttads_brain_actions_total",
                         "changes brain runs dispatched, by outcome (applied | failed)",
                         {"outcome"});
  metrics.DeclareCounter("ttads_brain_tiktok_calls_total", "TikTok requests brain runs made", {});
}

absl::Status BrainCore::RunTikTok(const Principal& principal, const v1::RunTikTokRequest& request,
                                  v1::RunTikTokResponse& response) {
  return Run(principal, request, "manual", response);
}

absl::Status BrainCore::Run(const Principal& principal, const v1::RunTikTokRequest& request,
                            const std::string& execution_mode, v1::RunTikTokResponse& response) {
  const absl::Time started = clock_.Now();
  RequestValidator validator;
  validator.Uuid("user_account_id", request.user_account_id(), /*required=*/false);
  validator.Uuid("account_id", request.account_id(), /*required=*/false);
  if (!request.idempotency_key().empty()) {
    if (absl::Status valid = ValidateIdempotencyKey(request.idempotency_key()); !valid.ok()) {
      validator.Fail("idempotency_key", valid.message());
    }
  }
  if (!validator.ok()) return validator.status();
  absl::StatusOr<std::string> user_id =
      principal.EffectiveUser(request.user_account_id(), "user_account_id");
  if (!user_id.ok()) return user_id.status();
  // The account must be the user's own: a run is recorded under it, so another tenant's (or an
  // unknown) account id must not reach the record.
  if (!request.account_id().empty()) {
    storage::AdAccountRepository accounts(database_);
    absl::StatusOr<storage::AdAccount> account = accounts.GetForUser(*user_id, request.account_id());
    if (!account.ok()) {
      if (account.status().code() != absl::StatusCode::kNotFound) return account.status();
      return WithErrorInfo(absl::NotFoundError(absl::StrCat("ad account ", request.account_id(),
                                                            " not found")),
                           "AD_ACCOUNT_NOT_FOUND", kDomain, {{"field", "account_id"}});
    }
  }
  const std::string key =
      request.idempotency_key().empty() ? GeneratedRunKey(started) : request.idempotency_key();
  const bool record = !request.validate_only();

  // Claim the run: a repeat answers the recorded run and dispatches nothing again.
  std::optional<storage::BrainExecutionRow> run;
  if (record) {
    storage::BrainExecutionRow row;
    row.user_account_id = *user_id;
    if (!request.account_id().empty()) row.account_id = request.account_id();
    row.idempotency_key = key;
    row.execution_mode = execution_mode;
    absl::StatusOr<storage::BrainClaim> claim = runs_.CreateOrGet(row, started);
    if (!claim.ok()) return claim.status();
    if (!claim->created) {
      if (claim->execution.status == "running") {
        absl::StatusOr<bool> taken =
            runs_.TakeOver(claim->execution.id, started - settings_.lease, started);
        if (!taken.ok()) return taken.status();
        if (!*taken) {
          return WithErrorInfo(
              absl::AbortedError(absl::StrCat("a brain run with idempotency_key '", key,
                                               "' is still running; retry later")),
              "IDEMPOTENCY_KEY_IN_PROGRESS", kDomain,
              {{"idempotency_key", key}, {"execution_id", claim->execution.id}});
        }
      } else {
        if (!FromJson(claim->execution.plan_json, &response)) {
          response.set_idempotencykey(key);
          response.set_executionid(claim->execution.id);
          response.set_status(claim->execution.status);
          response.set_reporttext(claim->execution.report_text);
          response.set_platform("tiktok");
        }
        v1::MutationInfo* mutation = response.mutable_mutation();
        mutation->set_idempotency_key(key);
        mutation->set_replayed(true);
        mutation->set_operation_id(claim->execution.id);
        return absl::OkStatus();
      }
    }
    run = claim->execution;
  }

  response.set_idempotencykey(key);
  response.set_platform("tiktok");
  if (run) response.set_executionid(run->id);
  v1::MutationInfo* mutation = response.mutable_mutation();
  mutation->set_idempotency_key(key);
  mutation->set_validate_only(!record);
  mutation->set_operation_id(run ? run->id : "");

  int tiktok_calls = 0;
  // The decision record kept beside the answer: the snapshot the scores came from, the policy,
  // the proposals before the guards (for revert and replay).
  Json decision = Json::object();
  const auto finish = [&](const std::string& status, const absl::Status& error,
                          const std::string& report_text, int taken, int failed,
                          const std::string& actions_json,
                          const std::string& executor_json) -> absl::Status {
    response.set_status(status);
    response.set_durationms(static_cast<int32_t>(absl::ToInt64Milliseconds(clock_.Now() - started)));
    if (!run) return absl::OkStatus();
    storage::BrainExecutionRow row = *run;
    row.status = status;
    Json record = Json::parse(ProtoJson(response), nullptr, false);
    if (!record.is_object()) record = Json::object();
    record[kDecision] = decision;
    row.plan_json = record.dump();
    row.actions_json = actions_json;
    row.executor_response_json = executor_json;
    row.report_text = report_text;
    row.duration_ms = response.durationms();
    row.actions_taken = taken;
    row.actions_failed = failed;
    row.tiktok_calls = tiktok_calls;
    if (!error.ok()) {
      row.error_json = Json{{"code", absl::StatusCodeToString(error.code())},
                            {"message", std::string(error.message())}}
                           .dump();
    }
    return runs_.Finish(row);
  };
  const auto fail = [&](const absl::Status& error) -> absl::Status {
    if (absl::Status recorded = finish("failed", error, "", 0, 0, "", ""); !recorded.ok()) {
      LogWarning("brain_record_failed", {{"error", std::string(recorded.message())}});
    }
    return error;
  };

  // The account's TikTok directions.
  std::vector<storage::Direction> directions;
  {
    storage::DirectionFilter filter;
    filter.platform = "tiktok";
    filter.is_active = true;
    if (!request.account_id().empty()) {
      filter.account_id = std::optional<std::string>(request.account_id());
    }
    storage::PageRequest page{"", 100};
    do {
      absl::StatusOr<storage::Page<storage::Direction>> listed =
          directions_.List(*user_id, filter, page);
      if (!listed.ok()) return fail(listed.status());
      for (storage::Direction& direction : listed->items) directions.push_back(std::move(direction));
      page.page_token = listed->next_page_token;
    } while (!page.page_token.empty());
  }
  if (directions.empty()) {
    response.set_success(false);
    response.set_skipped(true);
    response.set_reason("no_directions");
    response.set_message("Аккаунт пропущен: нет направлений TikTok");
    return finish("success", absl::OkStatus(), "", 0, 0, "", "");
  }

  absl::StatusOr<TikTokAccess> access =
      access_.Resolve(*user_id, request.account_id(), "TIKTOK_CREDENTIALS_MISSING",
                      "TikTok credentials not found. Please connect TikTok account first.");
  if (!access.ok()) return fail(access.status());

  std::map<std::string, const storage::Direction*> direction_of_campaign;
  BrainFetchOptions fetch;
  for (const storage::Direction& direction : directions) {
    const std::string campaign = direction.tiktok_campaign_id.value_or("");
    if (campaign.empty() || direction_of_campaign.count(campaign) > 0) continue;
    direction_of_campaign[campaign] = &direction;
    fetch.campaign_ids.push_back(campaign);
  }
  std::string report_only_reason;
  BrainData data;
  if (fetch.campaign_ids.empty()) {
    report_only_reason = "campaigns_inactive";  // no direction has launched a campaign yet
  } else {
    absl::StatusOr<BrainData> fetched =
        FetchBrainData(tiktok_, access->access_token, access->advertiser_id(), started, fetch);
    if (!fetched.ok()) return fail(access_.OnTikTokError(*access, fetched.status()));
    data = *std::move(fetched);
    tiktok_calls = data.tiktok_calls;
  }
  response.set_tiktokcalls(tiktok_calls);
  response.set_currency(data.currency);
  if (!fetch.campaign_ids.empty()) response.set_reportdate(DayText(data.dates.today));

  // Thresholds are in KZT; another currency converts them with currency_rates.
  double kzt_per_unit = 1;
  std::vector<std::string> notes = data.notes;
  if (!data.currency.empty() && data.currency != "KZT") {
    absl::StatusOr<storage::CurrencyRate> rate = rates_.Get(data.currency, "KZT");
    if (rate.ok() && rate->rate > 0) {
      kzt_per_unit = rate->rate;
    } else if (report_only_reason.empty()) {
      report_only_reason = "no_currency_rate";
      notes.push_back(absl::StrCat("no currency_rates row for ", data.currency,
                                   "→KZT: thresholds cannot be converted"));
    }
  }
  const PlanPolicy policy = PolicyFor(data.currency, kzt_per_unit);

  if (report_only_reason.empty()) {
    if (data.advertiser_status.empty()) {
      report_only_reason = "account_status_missing";
    } else if (data.advertiser_status != "STATUS_ENABLE") {
      report_only_reason = "account_inactive";
    }
  }
  if (report_only_reason.empty()) {
    bool any_campaign_on = false;
    for (const tiktok::AdGroup& adgroup : data.ad_groups) {
      any_campaign_on = any_campaign_on ||
                        adgroup.secondary_status.find("CAMPAIGN_DISABLE") == std::string::npos;
    }
    if (!any_campaign_on) report_only_reason = "campaigns_inactive";
  }

  // Scores and snapshots.
  decision["snapshot"] = Json::array();
  decision["currency"] = data.currency;
  decision["kzt_per_unit"] = kzt_per_unit;
  decision["report_only_reason"] = report_only_reason;
  decision["run_time"] = absl::ToUnixSeconds(started);
  std::vector<std::optional<double>> cpms;
  for (const auto& [id, windows] : data.adgroup_windows) cpms.push_back(CostPerMille(windows.yesterday));
  const std::optional<double> median_cpm = MedianCpm(cpms);
  absl::StatusOr<std::map<std::string, absl::Time>> last_changes = audit_.LatestSuccessByTarget(
      *user_id, kUpdateAdGroupBudget, "tiktok_adgroup", started - settings_.budget_cooldown);
  std::map<std::string, std::vector<AdGroupSnapshot>> snapshots_by_direction;
  std::map<std::string, double> target_of_direction;
  std::vector<AdGroupSnapshot> snapshots;
  for (const tiktok::AdGroup& adgroup : data.ad_groups) {
    const auto owner = direction_of_campaign.find(adgroup.campaign_id);
    if (owner == direction_of_campaign.end()) continue;
    const storage::Direction& direction = *owner->second;
    std::string objective = direction.tiktok_objective.value_or("");
    if (objective.empty()) {
      const auto campaign = data.campaigns.find(adgroup.campaign_id);
      objective = campaign != data.campaigns.end() ? campaign->second.objective_type : "traffic";
    }
    double target = policy.target_cpl;
    if (direction.tiktok_target_cpl.value_or(0) > 0) {
      target = *direction.tiktok_target_cpl;
    } else if (direction.tiktok_target_cpl_kzt.value_or(0) > 0) {
      target = *direction.tiktok_target_cpl_kzt / kzt_per_unit;
    }
    target_of_direction[direction.id] = target;
    const AdGroupWindows& windows = data.adgroup_windows[adgroup.adgroup_id];
    AdGroupSnapshot snapshot;
    snapshot.adgroup_id = adgroup.adgroup_id;
    snapshot.campaign_id = adgroup.campaign_id;
    snapshot.operation_status = adgroup.operation_status;
    snapshot.daily_budget = adgroup.budget.value_or(0);
    snapshot.impressions_yesterday = windows.yesterday.impressions;
    snapshot.health = ScoreAdGroup(windows, objective, target, median_cpm);
    for (const BrainAd& ad : data.ads_by_adgroup[adgroup.adgroup_id]) {
      AdSnapshot ad_snapshot;
      ad_snapshot.ad_id = ad.ad_id;
      // Ads' switches are not read (four calls): an ad that spent yesterday was running.
      ad_snapshot.operation_status = ad.windows.yesterday.spend > 0 ? "ENABLE" : "UNKNOWN";
      ad_snapshot.spend_yesterday = ad.windows.yesterday.spend;
      ad_snapshot.leads_yesterday = LeadsFor(ad.windows.yesterday, objective);
      snapshot.ads.push_back(ad_snapshot);
    }
    if (last_changes.ok()) {
      const auto changed = last_changes->find(adgroup.adgroup_id);
      if (changed != last_changes->end()) snapshot.last_budget_change = changed->second;
    }
    if (!snapshot.health.skipped) {
      v1::AdGroupHealth* health = response.add_healthscores();
      health->set_adgroup_id(adgroup.adgroup_id);
      health->set_adgroup_name(adgroup.adgroup_name);
      health->set_campaign_id(adgroup.campaign_id);
      health->set_direction_id(direction.id);
      health->set_score(snapshot.health.score);
      health->set_class_(snapshot.health.health_class);
      health->set_cpl_gap(snapshot.health.cpl_gap);
      health->set_trend(snapshot.health.trend);
      health->set_ctr_penalty(snapshot.health.ctr_penalty);
      health->set_cpm_penalty(snapshot.health.cpm_penalty);
      health->set_today_adj(snapshot.health.today_adjustment);
      health->set_volume_factor(snapshot.health.volume_factor);
      health->set_ctr(OrZero(snapshot.health.ctr_yesterday));
      health->set_cpm(OrZero(snapshot.health.cpm_yesterday));
      health->set_cpl(OrZero(snapshot.health.cpl_yesterday));
      health->set_spend(windows.yesterday.spend);
      health->set_leads(static_cast<int32_t>(snapshot.health.leads_yesterday));
      health->set_impressions(static_cast<int32_t>(windows.yesterday.impressions));
      health->set_clicks(static_cast<int32_t>(windows.yesterday.clicks));
      health->set_target_cpl(target);
      health->set_cpl_3d(OrZero(CostPerLead(windows.last_3d.spend, LeadsFor(windows.last_3d, objective))));
      health->set_cpl_7d(OrZero(CostPerLead(windows.last_7d.spend, LeadsFor(windows.last_7d, objective))));
      health->set_cpl_30d(
          OrZero(CostPerLead(windows.last_30d.spend, LeadsFor(windows.last_30d, objective))));
      health->set_daily_budget(snapshot.daily_budget);
      health->set_operation_status(adgroup.operation_status);
    }
    Json entry = SnapshotToJson(snapshot, windows);
    entry["direction_id"] = direction.id;
    entry["adgroup_name"] = adgroup.adgroup_name;
    entry["objective"] = objective;
    entry["target_cpl"] = target;
    decision["snapshot"].push_back(std::move(entry));
    snapshots_by_direction[direction.id].push_back(snapshot);
    snapshots.push_back(std::move(snapshot));
  }

  // The plan: the LLM's when configured and valid, else the deterministic rules per direction
  // (each with its own target CPL).
  std::vector<PlannedAction> proposed;
  std::string plan_note = kPlanNote;
  const auto deterministic = [&] {
    for (const auto& [direction_id, group] : snapshots_by_direction) {
      PlanPolicy direction_policy = policy;
      direction_policy.target_cpl = target_of_direction[direction_id];
      for (PlannedAction& action : DeterministicPlan(group, direction_policy)) {
        proposed.push_back(std::move(action));
      }
    }
  };
  if (llm_ != nullptr && llm_->config().enabled() && report_only_reason.empty() &&
      !snapshots.empty()) {
    LlmPlanInput input{snapshots, policy, data.currency, DayText(data.dates.yesterday),
                       absl::StrJoin(notes, "; ")};
    LlmPlanResult planned = llm_->Plan(input);
    auto& llm = *response.mutable_llm()->mutable_fields();
    llm["used"].set_bool_value(planned.used);
    llm["model"].set_string_value(planned.model);
    if (planned.used) {
      proposed = std::move(planned.actions);
      plan_note = planned.plan_note;
    } else {
      deterministic();
      plan_note = kDeterministicFallbackPlanNote;
      llm["fallback_reason"].set_string_value(planned.fallback_reason);
    }
  } else {
    deterministic();
  }
  response.set_plannote(plan_note);
  decision["proposals"] = Json::array();
  for (const PlannedAction& action : proposed) decision["proposals"].push_back(PlannedToJson(action));

  const GuardedPlan guarded = ApplyGuards(proposed, snapshots, policy, report_only_reason, started);
  for (const GuardOutcome& outcome : guarded.outcomes) {
    v1::GuardOutcome* out = response.add_guardoutcomes();
    out->set_type(outcome.action_type);
    out->set_guard(outcome.guard);
    out->set_outcome(outcome.effect);
    out->set_reason(outcome.detail);
    (*out->mutable_before()->mutable_fields())["target_id"].set_string_value(outcome.target_id);
  }
  decision["guarded"] = Json::array();
  for (const PlannedAction& action : guarded.actions) decision["guarded"].push_back(PlannedToJson(action));
  bool has_changes = false;
  for (const PlannedAction& action : guarded.actions) {
    *response.add_actions() = ToAction(action);
    has_changes = has_changes || action.type != kGetCampaignStatus;
  }
  response.set_reportonly(!report_only_reason.empty());
  response.set_reportonlyreason(report_only_reason);

  // Dispatch through the action API, under a key derived from the run's.
  absl::StatusOr<std::vector<storage::DispatchPauseRow>> pauses =
      PausesFor(*user_id, request.account_id());
  if (!pauses.ok()) return fail(pauses.status());
  const bool paused = !pauses->empty();
  std::string status = "success";
  absl::Status run_error;
  int taken = 0;
  int failed = 0;
  std::string executor_json;
  if (request.inputs().dispatch() && has_changes && paused) {
    for (const PlannedAction& action : guarded.actions) {
      if (action.type == kGetCampaignStatus) continue;
      v1::GuardOutcome* out = response.add_guardoutcomes();
      out->set_type(action.type);
      out->set_guard("dispatch_paused");
      out->set_outcome("dropped");
      out->set_reason("dispatch is paused for this account (or globally); nothing was sent");
    }
  } else if (request.inputs().dispatch() && has_changes && record) {
    v1::DispatchRequest dispatch;
    dispatch.set_idempotency_key(absl::StrCat("brain-", key).substr(0, 128));
    dispatch.set_source("brain");
    dispatch.mutable_account()->set_user_account_id(*user_id);
    dispatch.mutable_account()->set_account_id(request.account_id());
    for (const v1::Action& action : response.actions()) *dispatch.add_actions() = action;
    v1::DispatchResponse dispatched;
    const absl::Status sent = actions_.Dispatch(principal, dispatch, dispatched);
    response.set_dispatched(sent.ok());
    if (!sent.ok()) {
      status = "failed";
      run_error = sent;
    } else {
      executor_json = ProtoJson(dispatched);
      SetStructFromJson(executor_json, response.mutable_agentresponse());
      for (const v1::ActionResult& result : dispatched.results()) {
        if (result.type() == kGetCampaignStatus) continue;
        if (result.status() == "success") ++taken;
        if (result.status() == "failed") ++failed;
      }
      if (dispatched.status() != "success") status = taken > 0 ? "partial" : "failed";
    }
  }

  // The report.
  std::string text = absl::StrCat("📊 TikTok: отчёт за ", DayText(data.dates.yesterday));
  if (!data.advertiser_name.empty()) absl::StrAppend(&text, " — ", data.advertiser_name);
  absl::StrAppend(&text, "\n");
  WindowMetrics total;
  for (const auto& [id, windows] : data.adgroup_windows) total += windows.yesterday;
  absl::StrAppend(&text, "Расход вчера: ", Money(total.spend, data.currency),
                  ", показы: ", total.impressions, ", клики: ", total.clicks, "\n");
  if (response.healthscores_size() > 0) absl::StrAppend(&text, "\nГруппы объявлений:\n");
  for (const v1::AdGroupHealth& health : response.healthscores()) {
    absl::StrAppend(&text, "• ", health.adgroup_name().empty() ? health.adgroup_id()
                                                               : health.adgroup_name(),
                    " — ", ClassRu(health.class_()), " (", health.score(), "), расход ",
                    Money(health.spend(), data.currency), ", лиды ", health.leads(),
                    health.leads() > 0 ? absl::StrCat(", CPL ", Money(health.cpl(), data.currency))
                                       : "",
                    "\n");
  }
  if (!report_only_reason.empty()) {
    absl::StrAppend(&text, "\nТолько отчёт: ", report_only_reason, "\n");
  }
  int changes = 0;
  for (const PlannedAction& action : guarded.actions) {
    if (action.type == kGetCampaignStatus) continue;
    if (changes++ == 0) {
      absl::StrAppend(&text, response.dispatched() ? "\nВыполнено:\n" : "\nПредложено:\n");
    }
    absl::StrAppend(&text, "• ", action.type, " ",
                    action.ad_id.empty() ? action.adgroup_id : action.ad_id);
    if (action.new_budget.has_value()) {
      absl::StrAppend(&text, ": ", Money(action.old_budget.value_or(0), data.currency), " → ",
                      Money(*action.new_budget, data.currency));
    }
    if (!action.reason.empty()) absl::StrAppend(&text, " (", action.reason, ")");
    absl::StrAppend(&text, "\n");
  }
  if (changes == 0) absl::StrAppend(&text, "\nДействий нет.\n");
  if (paused && request.inputs().dispatch()) absl::StrAppend(&text, "Отправка действий на паузе.\n");
  for (const std::string& note : notes) absl::StrAppend(&text, "ℹ️ ", note, "\n");
  response.set_reporttext(text);
  const bool send_report = request.inputs().has_send_report()
                               ? request.inputs().send_report().value()
                               : request.inputs().dispatch();
  if (send_report && record) response.set_telegramsent(SendReport(*access, text));
  response.set_success(true);

  Json actions_json = Json::array();
  for (const v1::Action& action : response.actions()) {
    actions_json.push_back(Json::parse(ProtoJson(action), nullptr, false));
  }
  if (absl::Status recorded =
          finish(status, run_error, text, taken, failed, actions_json.dump(), executor_json);
      !recorded.ok()) {
    return recorded;
  }
  MetricsRegistry& metrics = MetricsRegistry::Global();
  metrics.Increment("ttads_brain_runs_total", {status, execution_mode});
  metrics.Increment("ttads_brain_actions_total", {"applied"}, taken);
  metrics.Increment("ttads_brain_actions_total", {"failed"}, failed);
  metrics.Increment("ttads_brain_tiktok_calls_total", {}, tiktok_calls);
  LogInfo("brain_run", {{"user_account_id", *user_id},
                        {"execution_id", run ? run->id : ""},
                        {"status", status},
                        {"tiktok_calls", absl::StrCat(tiktok_calls)},
                        {"actions", absl::StrCat(response.actions_size())},
                        {"report_only", report_only_reason}});
  return absl::OkStatus();
}

absl::Status BrainCore::ListExecutions(const Principal& principal,
                                       const v1::ListBrainExecutionsRequest& request,
                                       v1::ListBrainExecutionsResponse& response) {
  RequestValidator validator;
  validator.Uuid("user_account_id", request.user_account_id(), /*required=*/false);
  validator.Uuid("account_id", request.account_id(), /*required=*/false);
  if (!request.status().empty() && !OneOf(request.status(), {"success", "failed", "partial", "running"})) {
    validator.Fail("status", "must be success, failed, partial or running");
  }
  if (request.page_size() < 0 || request.page_size() > 200) {
    validator.Fail("page_size", "must be 0..200");
  }
  storage::BrainExecutionFilter filter;
  const auto time_of = [&](const std::string& field, const std::string& text) {
    std::optional<absl::Time> time;
    if (text.empty()) return time;
    absl::Time parsed;
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, text, &parsed, &error)) {
      validator.Fail(field, "must be an RFC 3339 time");
    } else {
      time = parsed;
    }
    return time;
  };
  filter.start_time = time_of("start_time", request.start_time());
  filter.end_time = time_of("end_time", request.end_time());
  if (!validator.ok()) return validator.status();
  if (!(request.user_account_id().empty() && principal.is_operator())) {
    absl::StatusOr<std::string> user_id =
        principal.EffectiveUser(request.user_account_id(), "user_account_id");
    if (!user_id.ok()) return user_id.status();
    filter.user_account_id = *user_id;
  }
  filter.account_id = request.account_id();
  filter.status = request.status();
  absl::StatusOr<storage::Page<storage::BrainExecutionRow>> page = runs_.List(
      filter, PageOf(request.page_size() == 0 ? 50 : request.page_size(), request.page_token()));
  if (!page.ok()) return page.status();
  for (const storage::BrainExecutionRow& row : page->items) {
    ToBrainExecution(row, *response.add_executions());
  }
  response.set_next_page_token(page->next_page_token);
  return absl::OkStatus();
}

absl::Status BrainCore::GetExecution(const Principal& principal,
                                     const v1::GetBrainExecutionRequest& request,
                                     v1::BrainExecution& response) {
  RequestValidator validator;
  validator.Uuid("execution_id", request.execution_id(), /*required=*/true);
  if (!validator.ok()) return validator.status();
  const std::optional<std::string> scope = principal.ReadScope();
  absl::StatusOr<storage::BrainExecutionRow> row = runs_.Get(scope, request.execution_id());
  if (!row.ok()) return row.status();
  ToBrainExecution(*row, response);
  return absl::OkStatus();
}

absl::Status BrainCore::RevertExecution(const Principal& principal,
                                        const v1::RevertBrainExecutionRequest& request,
                                        v1::RevertBrainExecutionResponse& response) {
  RequestValidator validator;
  validator.Uuid("execution_id", request.execution_id(), /*required=*/true);
  if (!validator.ok()) return validator.status();
  const std::optional<std::string> scope = principal.ReadScope();
  absl::StatusOr<storage::BrainExecutionRow> row = runs_.Get(scope, request.execution_id());
  if (!row.ok()) return row.status();
  response.set_execution_id(row->id);

  // What the run applied: its guarded actions (in dispatch order) whose results succeeded.
  const Json record = Json::parse(row->plan_json.empty() ? "{}" : row->plan_json, nullptr, false);
  const Json executor =
      Json::parse(row->executor_response_json.empty() ? "{}" : row->executor_response_json,
                  nullptr, false);
  const Json* guarded = nullptr;
  if (record.is_object() && record.contains(kDecision) && record[kDecision].is_object() &&
      record[kDecision].contains("guarded") && record[kDecision]["guarded"].is_array()) {
    guarded = &record[kDecision]["guarded"];
  }
  std::vector<v1::Action> undo;
  if (guarded != nullptr && executor.is_object() && executor.contains("results") &&
      executor["results"].is_array()) {
    for (const Json& result : executor["results"]) {
      if (!result.is_object() || JsonText(result, "status") != "success") continue;
      const int index = result.value("index", -1);
      if (index < 0 || index >= static_cast<int>(guarded->size())) continue;
      const Json& applied = (*guarded)[static_cast<size_t>(index)];
      PlannedAction reverse;
      reverse.adgroup_id = JsonText(applied, "adgroup_id");
      reverse.ad_id = JsonText(applied, "ad_id");
      const std::string type = JsonText(applied, "type");
      if (type == kUpdateAdGroupBudget && applied.contains("old_budget") &&
          applied["old_budget"].is_number()) {
        reverse.type = kUpdateAdGroupBudget;
        reverse.new_budget = applied["old_budget"].get<double>();
      } else if (type == kPauseAd) {
        reverse.type = "TikTok.ResumeAd";
      } else if (type == kPauseAdGroup) {
        reverse.type = kResumeAdGroup;
      } else if (type == kResumeAdGroup) {
        reverse.type = kPauseAdGroup;
      } else {
        continue;
      }
      v1::Action action;
      action.set_type(reverse.type);
      auto& params = *action.mutable_params()->mutable_fields();
      if (reverse.type == "TikTok.ResumeAd") {
        params["ad_id"].set_string_value(reverse.ad_id);
      } else {
        params["adgroup_id"].set_string_value(reverse.adgroup_id);
        if (reverse.new_budget.has_value()) params["new_budget"].set_number_value(*reverse.new_budget);
      }
      undo.push_back(std::move(action));
    }
  }
  if (undo.empty()) {
    return WithErrorInfo(absl::FailedPreconditionError(absl::StrCat(
                             "brain run ", row->id, " applied no change that can be reverted")),
                         "NOTHING_TO_REVERT", kDomain, {{"execution_id", row->id}});
  }
  std::reverse(undo.begin(), undo.end());  // undo the last change first
  for (const v1::Action& action : undo) *response.add_actions() = action;
  const std::string key = absl::StrCat("revert-", row->id);
  v1::MutationInfo* mutation = response.mutable_mutation();
  mutation->set_idempotency_key(key);
  if (request.validate_only()) {
    mutation->set_validate_only(true);
    return absl::OkStatus();
  }
  v1::DispatchRequest dispatch;
  dispatch.set_idempotency_key(key);
  dispatch.set_source("brain_revert");
  dispatch.mutable_account()->set_user_account_id(row->user_account_id);
  dispatch.mutable_account()->set_account_id(row->account_id.value_or(""));
  for (const v1::Action& action : undo) *dispatch.add_actions() = action;
  v1::DispatchResponse dispatched;
  const absl::Status sent = actions_.Dispatch(principal, dispatch, dispatched);
  auditor_.Record(principal,
                  {"BrainService.RevertExecution", row->user_account_id,
                   row->account_id.value_or(""), "brain_execution", row->id, key,
                   Json{{"actions", undo.size()},
                        {"action_execution_id", dispatched.executionid()},
                        {"status", dispatched.status()}}
                       .dump()},
                  sent);
  if (!sent.ok()) return sent;
  SetStructFromJson(ProtoJson(dispatched), response.mutable_agentresponse());
  response.set_status(dispatched.status());
  mutation->set_replayed(dispatched.duplicate());
  mutation->set_operation_id(dispatched.executionid());
  return absl::OkStatus();
}

absl::Status BrainCore::ReplayExecution(const Principal& principal,
                                        const v1::ReplayBrainExecutionRequest& request,
                                        v1::ReplayBrainExecutionResponse& response) {
  RequestValidator validator;
  validator.Uuid("execution_id", request.execution_id(), /*required=*/true);
  if (!validator.ok()) return validator.status();
  const std::optional<std::string> scope = principal.ReadScope();
  absl::StatusOr<storage::BrainExecutionRow> row = runs_.Get(scope, request.execution_id());
  if (!row.ok()) return row.status();
  response.set_execution_id(row->id);
  v1::RunTikTokResponse recorded;
  FromJson(row->plan_json, &recorded);
  *response.mutable_recordedactions() = recorded.actions();
  const Json record = Json::parse(row->plan_json.empty() ? "{}" : row->plan_json, nullptr, false);
  if (!record.is_object() || !record.contains(kDecision) || !record[kDecision].is_object() ||
      !record[kDecision].contains("snapshot")) {
    response.set_note("this run kept no metrics snapshot (recorded before snapshots, or skipped)");
    return absl::OkStatus();
  }
  const Json& decision = record[kDecision];
  const std::string currency = JsonText(decision, "currency");
  // The current policy: today's thresholds and guards, today's rate.
  double kzt_per_unit = 1;
  if (!currency.empty() && currency != "KZT") {
    absl::StatusOr<storage::CurrencyRate> rate = rates_.Get(currency, "KZT");
    kzt_per_unit = rate.ok() && rate->rate > 0 ? rate->rate : decision.value("kzt_per_unit", 1.0);
  }
  const PlanPolicy policy = PolicyFor(currency, kzt_per_unit);
  const absl::Time run_time = absl::FromUnixSeconds(decision.value("run_time", std::int64_t{0}));

  struct Entry {
    AdGroupSnapshot snapshot;
    AdGroupWindows windows;
    std::string direction_id;
    std::string objective;
    double target = 0;
  };
  std::vector<Entry> entries;
  std::vector<std::optional<double>> cpms;
  for (const Json& item : decision["snapshot"]) {
    Entry entry;
    entry.snapshot.adgroup_id = JsonText(item, "adgroup_id");
    entry.snapshot.campaign_id = JsonText(item, "campaign_id");
    entry.snapshot.operation_status = JsonText(item, "operation_status");
    entry.snapshot.daily_budget = item.value("daily_budget", 0.0);
    entry.snapshot.impressions_yesterday = item.value("impressions_yesterday", std::int64_t{0});
    if (item.contains("last_budget_change") && item["last_budget_change"].is_number()) {
      entry.snapshot.last_budget_change =
          absl::FromUnixSeconds(item["last_budget_change"].get<std::int64_t>());
    }
    const Json& windows = item.contains("windows") ? item["windows"] : Json::object();
    entry.windows.yesterday = MetricsFromJson(windows.value("yesterday", Json::object()));
    entry.windows.last_3d = MetricsFromJson(windows.value("last_3d", Json::object()));
    entry.windows.last_7d = MetricsFromJson(windows.value("last_7d", Json::object()));
    entry.windows.last_30d = MetricsFromJson(windows.value("last_30d", Json::object()));
    entry.windows.today = MetricsFromJson(windows.value("today", Json::object()));
    if (item.contains("ads") && item["ads"].is_array()) {
      for (const Json& ad : item["ads"]) {
        AdSnapshot snapshot;
        snapshot.ad_id = JsonText(ad, "ad_id");
        snapshot.operation_status = JsonText(ad, "operation_status");
        snapshot.spend_yesterday = ad.value("spend_yesterday", 0.0);
        snapshot.leads_yesterday = ad.value("leads_yesterday", std::int64_t{0});
        entry.snapshot.ads.push_back(snapshot);
      }
    }
    entry.direction_id = JsonText(item, "direction_id");
    entry.objective = JsonText(item, "objective");
    entry.target = item.value("target_cpl", policy.target_cpl);
    cpms.push_back(CostPerMille(entry.windows.yesterday));
    entries.push_back(std::move(entry));
  }
  const std::optional<double> median_cpm = MedianCpm(cpms);
  std::map<std::string, double> recorded_scores;
  std::map<std::string, std::string> recorded_classes;
  for (const v1::AdGroupHealth& health : recorded.healthscores()) {
    recorded_scores[health.adgroup_id()] = health.score();
    recorded_classes[health.adgroup_id()] = health.class_();
  }
  std::vector<AdGroupSnapshot> snapshots;
  std::map<std::string, std::vector<AdGroupSnapshot>> by_direction;
  std::map<std::string, double> targets;
  for (Entry& entry : entries) {
    entry.snapshot.health = ScoreAdGroup(entry.windows, entry.objective, entry.target, median_cpm);
    const HealthScore& health = entry.snapshot.health;
    if (!health.skipped) {
      v1::AdGroupHealth* out = response.add_healthscores();
      out->set_adgroup_id(entry.snapshot.adgroup_id);
      out->set_campaign_id(entry.snapshot.campaign_id);
      out->set_direction_id(entry.direction_id);
      out->set_score(health.score);
      out->set_class_(health.health_class);
      out->set_cpl_gap(health.cpl_gap);
      out->set_trend(health.trend);
      out->set_ctr_penalty(health.ctr_penalty);
      out->set_cpm_penalty(health.cpm_penalty);
      out->set_today_adj(health.today_adjustment);
      out->set_volume_factor(health.volume_factor);
      out->set_target_cpl(entry.target);
      out->set_daily_budget(entry.snapshot.daily_budget);
      const auto was = recorded_scores.find(entry.snapshot.adgroup_id);
      if (was == recorded_scores.end() || was->second != health.score ||
          recorded_classes[entry.snapshot.adgroup_id] != health.health_class) {
        v1::ReplayDifference* difference = response.add_differences();
        difference->set_adgroup_id(entry.snapshot.adgroup_id);
        if (was != recorded_scores.end()) {
          difference->set_recorded_score(was->second);
          difference->set_recorded_class(recorded_classes[entry.snapshot.adgroup_id]);
        }
        difference->set_replayed_score(health.score);
        difference->set_replayed_class(health.health_class);
      }
    }
    targets[entry.direction_id] = entry.target;
    by_direction[entry.direction_id].push_back(entry.snapshot);
    snapshots.push_back(entry.snapshot);
  }
  std::vector<PlannedAction> proposed;
  for (const auto& [direction_id, group] : by_direction) {
    PlanPolicy direction_policy = policy;
    direction_policy.target_cpl = targets[direction_id];
    for (PlannedAction& action : DeterministicPlan(group, direction_policy)) {
      proposed.push_back(std::move(action));
    }
  }
  const GuardedPlan guarded =
      ApplyGuards(proposed, snapshots, policy, JsonText(decision, "report_only_reason"), run_time);
  for (const PlannedAction& action : guarded.actions) *response.add_actions() = ToAction(action);
  for (const GuardOutcome& outcome : guarded.outcomes) {
    v1::GuardOutcome* out = response.add_guardoutcomes();
    out->set_type(outcome.action_type);
    out->set_guard(outcome.guard);
    out->set_outcome(outcome.effect);
    out->set_reason(outcome.detail);
  }
  bool same = response.actions_size() == recorded.actions_size();
  for (int i = 0; same && i < response.actions_size(); ++i) {
    same = google::protobuf::util::MessageDifferencer::Equals(response.actions(i),
                                                              recorded.actions(i));
  }
  response.set_sameplan(same);
  if (recorded.plannote() != kPlanNote) {
    response.set_note(absl::StrCat("the run's plan came from ", recorded.plannote(),
                                   "; the replay uses the deterministic rules"));
  }
  return absl::OkStatus();
}

absl::Status BrainCore::SetDispatchPause(const Principal& principal,
                                         const v1::SetDispatchPauseRequest& request,
                                         v1::DispatchPauseState& response) {
  RequestValidator validator;
  validator.Uuid("user_account_id", request.user_account_id(), /*required=*/false);
  validator.Uuid("account_id", request.account_id(), /*required=*/false);
  if (request.all_accounts() && (!request.account_id().empty() || !request.user_account_id().empty())) {
    validator.Fail("all_accounts", "cannot be combined with account_id or user_account_id");
  }
  CheckLength(validator, "reason", request.reason(), 0, 500);
  if (!validator.ok()) return validator.status();
  storage::DispatchPauseRow row;
  std::string user_id;
  if (request.all_accounts()) {
    if (absl::Status allowed = principal.RequireOperator(); !allowed.ok()) return allowed;
    row.scope = "*";
  } else {
    absl::StatusOr<std::string> user = principal.EffectiveUser(request.user_account_id(), "user_account_id");
    if (!user.ok()) return user.status();
    user_id = *user;
    row.user_account_id = user_id;
    if (request.account_id().empty()) {
      row.scope = absl::StrCat("user:", user_id);
    } else {
      storage::AdAccountRepository accounts(database_);
      absl::StatusOr<storage::AdAccount> account = accounts.Get(request.account_id());
      if (!account.ok() || account->user_account_id != user_id) {
        return WithErrorInfo(absl::NotFoundError(absl::StrCat("ad account ", request.account_id(),
                                                              " not found")),
                             "AD_ACCOUNT_NOT_FOUND", kDomain, {{"field", "account_id"}});
      }
      row.scope = absl::StrCat("account:", request.account_id());
    }
  }
  row.paused_by = principal.actor();
  if (!request.reason().empty()) row.reason = request.reason();
  const absl::Status changed =
      request.paused() ? pauses_.Pause(row, clock_.Now()) : pauses_.Resume(row.scope);
  auditor_.Record(principal,
                  {request.paused() ? "BrainService.PauseDispatch" : "BrainService.ResumeDispatch",
                   user_id, request.account_id(), "dispatch_scope", row.scope, "",
                   Json{{"reason", request.reason()}}.dump()},
                  changed);
  if (!changed.ok()) return changed;
  v1::GetDispatchPauseRequest get;
  if (!request.all_accounts()) {
    get.set_user_account_id(user_id);
    get.set_account_id(request.account_id());
  }
  return GetDispatchPause(principal, get, response);
}

absl::Status BrainCore::GetDispatchPause(const Principal& principal,
                                         const v1::GetDispatchPauseRequest& request,
                                         v1::DispatchPauseState& response) {
  RequestValidator validator;
  validator.Uuid("user_account_id", request.user_account_id(), /*required=*/false);
  validator.Uuid("account_id", request.account_id(), /*required=*/false);
  if (!validator.ok()) return validator.status();
  std::optional<std::string> user_id;
  if (!(principal.is_operator() && request.user_account_id().empty())) {
    absl::StatusOr<std::string> user = principal.EffectiveUser(request.user_account_id(), "user_account_id");
    if (!user.ok()) return user.status();
    user_id = *user;
  }
  absl::StatusOr<std::vector<storage::DispatchPauseRow>> listed = pauses_.List(user_id);
  if (!listed.ok()) return listed.status();
  const std::string asked = !request.account_id().empty()
                                ? absl::StrCat("account:", request.account_id())
                                : user_id.has_value() ? absl::StrCat("user:", *user_id) : "*";
  bool paused = false;
  for (const storage::DispatchPauseRow& pause : *listed) {
    paused = paused || pause.scope == "*" || pause.scope == asked;
    v1::DispatchPause* out = response.add_pauses();
    out->set_scope(pause.scope);
    out->set_paused_by(pause.paused_by);
    out->set_reason(pause.reason.value_or(""));
    out->set_created_at(TimeText(pause.created_at));
  }
  response.set_paused(paused);
  return absl::OkStatus();
}

}  // namespace ttads::server

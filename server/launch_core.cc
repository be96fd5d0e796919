#include "server/launch_core.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"
#include "server/budget_rules.h"
#include "server/crypto_util.h"
#include "server/idempotency.h"
#include "server/log.h"
#include "server/proto_convert.h"
#include "server/rpc_status.h"
#include "server/tiktok_status.h"
#include "server/validation.h"
#include "storage/uuid.h"
#include "tiktok/tiktok_error.h"

namespace ttads::server {
namespace {

using Json = nlohmann::json;

constexpr char kDomain[] = "ttads.v1";
constexpr char kSource[] = "tiktok_campaign_builder";
constexpr int kAutoCreativesPerDirection = 5;   // the existing system's choice
constexpr int kAutoCreativesScanned = 20;
constexpr int kMaxManualCreatives = 50;
constexpr int kMaxAdsets = 10;

bool IsUuid(const std::string& text) { return storage::CanonicalUuid("id", text).ok(); }

Json ParseObject(const std::string& text) {
  if (text.empty()) return Json::object();
  Json parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  return parsed.is_discarded() || !parsed.is_object() ? Json::object() : parsed;
}

std::string JsonText(const Json& object, const char* key) {
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : "";
}

// The caller's key, or a fresh one when the old body carried none.
absl::StatusOr<std::string> EffectiveKey(const std::string& key) {
  if (key.empty()) return absl::StrCat("ttads-", storage::NewUuid());
  if (absl::Status valid = ValidateIdempotencyKey(key); !valid.ok()) {
    return InvalidField("idempotency_key", valid.message());
  }
  return key;
}

std::string ProtoJson(const google::protobuf::Message& message) {
  std::string text;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(message, &text, options).ok()) return "";
  return text;
}

void SetMutation(v1::MutationInfo& mutation, const std::string& key, bool replayed,
                 bool validate_only, const std::string& operation_id) {
  mutation.set_idempotency_key(key);
  mutation.set_replayed(replayed);
  mutation.set_validate_only(validate_only);
  mutation.set_operation_id(operation_id);
}

// Loads a stored answer; `mutation` says it is a replay.
template <typename Response>
absl::Status Replay(const std::string& key, const storage::ExecutionRow& execution,
                    Response& response) {
  if (!google::protobuf::util::JsonStringToMessage(execution.result_json, &response).ok()) {
    return absl::DataLossError(
        absl::StrCat("stored answer of launch ", execution.id, " is unreadable"));
  }
  SetMutation(*response.mutable_mutation(), key, /*replayed=*/true, false, execution.id);
  return absl::OkStatus();
}

bool Launchable(const storage::Creative& creative, std::string& why) {
  if (!creative.is_active) {
    why = "is not active";
  } else if (creative.status != "ready") {
    why = absl::StrCat("is not ready (status ", creative.status, ")");
  } else if (creative.media_type.has_value() && *creative.media_type != "video") {
    why = absl::StrCat("is a ", *creative.media_type, ", TikTok launches take videos");
  } else if (!creative.tiktok_video_id.has_value() &&
             (!creative.media_url.has_value() || creative.media_url->empty())) {
    why = "has neither a tiktok_video_id nor a media_url";
  } else {
    return true;
  }
  return false;
}

// The creatives a launch names: 1..50 distinct UUIDs (`field` is the list's name).
void CheckCreativeIds(RequestValidator& validator, const std::string& field,
                      const google::protobuf::RepeatedPtrField<std::string>& ids) {
  if (ids.empty() || ids.size() > kMaxManualCreatives) {
    validator.Fail(field, absl::StrCat("must name 1..", kMaxManualCreatives, " creatives"));
  }
  std::set<std::string> seen;
  for (int i = 0; i < ids.size(); ++i) {
    const std::string item = absl::StrCat(field, "[", i, "]");
    if (!IsUuid(ids[i])) validator.Fail(item, "must be a UUID");
    if (!seen.insert(ids[i]).second) validator.Fail(item, "is named twice");
  }
}

void CheckBudgetField(RequestValidator& validator, const std::string& field, double budget) {
  if (!std::isfinite(budget) || budget < 0) validator.Fail(field, "must be a positive number");
}

// The budget check that needs the account currency.
absl::Status CheckMinimum(const LaunchContext& context, const std::string& field, double budget) {
  if (budget > 0 && budget < context.min_daily_budget) {
    return InvalidField(field, absl::StrCat("must be at least the minimum daily budget of ",
                                            context.min_daily_budget, " ", context.currency));
  }
  return absl::OkStatus();
}

std::string ModeOf(const AdGroupLaunch& launch) {
  if (launch.use_pool) return "use_existing";
  return launch.campaign_id.empty() ? "create_new" : "create_adgroup";
}

}  // namespace

absl::StatusOr<std::optional<LaunchCore::Operation>> LaunchCore::Find(const std::string& user_id,
                                                                     const std::string& key,
                                                                     const std::string& hash) {
  absl::StatusOr<storage::ExecutionRow> row = executions_.FindByKey(user_id, key);
  if (!row.ok()) {
    if (row.status().code() == absl::StatusCode::kNotFound) return std::nullopt;
    return row.status();
  }
  const Json request = ParseObject(row->request_json);
  if (row->source != kSource || JsonText(request, "hash") != hash) {
    return WithErrorInfo(
        absl::AlreadyExistsError(absl::StrCat(
            "idempotency_key '", key,
            "' was already used for a different request; use a new key for a new launch")),
        "IDEMPOTENCY_KEY_REUSED", kDomain, {{"idempotency_key", key}});
  }
  Operation operation{key, *row, false, true};
  const absl::Time now = clock_.Now();
  if (row->status == "success" && !row->result_json.empty()) {
    operation.replay = true;
    return operation;
  }
  absl::StatusOr<bool> taken = row->status == "running"
                                   ? executions_.TakeOver(row->id, now - lease_, now)
                                   : executions_.Reopen(row->id, now);
  if (!taken.ok()) return taken.status();
  if (!*taken) {
    return WithErrorInfo(
        absl::AbortedError(absl::StrCat("a launch with idempotency_key '", key,
                                        "' is still running; retry with the same key later")),
        "IDEMPOTENCY_KEY_IN_PROGRESS", kDomain,
        {{"idempotency_key", key}, {"operation_id", row->id}});
  }
  return operation;
}

absl::StatusOr<LaunchCore::Operation> LaunchCore::Create(const Principal& principal,
                                                         const std::string& user_id,
                                                         const std::string& key,
                                                         const std::string& hash,
                                                         const std::string& rpc,
                                                         const LaunchContext& context) {
  storage::ExecutionRow row;
  row.id = context.operation_id;
  row.user_account_id = user_id;
  row.account_id = NullIfEmpty(context.access.account_id);
  row.ad_account_id = context.access.advertiser_id();
  row.idempotency_key = key;
  row.source = kSource;
  row.request_json = Json{{"hash", hash}, {"rpc", rpc}, {"actor", principal.actor()}}.dump();
  absl::StatusOr<storage::ExecutionClaim> claim = executions_.CreateOrGet(row, {}, context.stamp);
  if (!claim.ok()) return claim.status();
  if (!claim->created) {
    return WithErrorInfo(
        absl::AbortedError(absl::StrCat("a launch with idempotency_key '", key,
                                        "' started concurrently; retry with the same key")),
        "IDEMPOTENCY_KEY_IN_PROGRESS", kDomain, {{"idempotency_key", key}});
  }
  return Operation{key, claim->execution, false, false};
}

absl::StatusOr<LaunchContext> LaunchCore::Prepare(const std::string& user_id,
                                                  const std::string& account_id,
                                                  const std::string& identity_id) {
  LaunchContext context;
  absl::StatusOr<TikTokAccess> access = access_.Resolve(user_id, account_id);
  if (!access.ok()) return access.status();
  context.access = *std::move(access);
  const std::string& token = context.access.access_token;
  const std::string& advertiser = context.access.advertiser_id();

  absl::StatusOr<std::vector<tiktok::AdvertiserInfo>> info =
      tiktok_.GetAdvertiserInfo(token, {advertiser}, {});
  if (!info.ok()) return access_.OnTikTokError(context.access, info.status());
  for (const tiktok::AdvertiserInfo& item : *info) {
    if (item.advertiser_id == advertiser) context.currency = item.currency;
  }
  if (context.currency.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("TikTok did not report the currency of advertiser ", advertiser));
  }
  absl::StatusOr<double> minimum = MinDailyBudget(context.currency);
  context.min_daily_budget = minimum.ok() ? *minimum : 0;

  // The ads' identity: the direction's, else the one found at OAuth; never another tenant's.
  const std::string wanted = !identity_id.empty() ? identity_id : context.access.credentials.identity_id;
  tiktok::IdentityQuery query;
  query.advertiser_id = advertiser;
  absl::StatusOr<std::vector<tiktok::Identity>> identities = tiktok_.GetIdentities(token, query);
  if (!identities.ok()) return access_.OnTikTokError(context.access, identities.status());
  for (const tiktok::Identity& identity : *identities) {
    if (wanted.empty() ? identity.identity_type == "TT_USER" : identity.identity_id == wanted) {
      context.identity = identity;
      break;
    }
  }
  if (context.identity.identity_id.empty()) {
    return WithErrorInfo(
        absl::FailedPreconditionError(
            wanted.empty()
                ? absl::StrCat("advertiser ", advertiser,
                               " has no TikTok identity (TT_USER) to run ads under")
                : absl::StrCat("TikTok identity ", wanted, " is not available to advertiser ",
                               advertiser)),
        "NO_TIKTOK_IDENTITY", kDomain, {{"advertiser_id", advertiser}});
  }
  return context;
}

absl::StatusOr<storage::Direction> LaunchCore::TikTokDirection(const std::string& user_id,
                                                               const std::string& direction_id) {
  absl::StatusOr<storage::Direction> direction = directions_.Get(user_id, direction_id);
  if (direction.ok() && direction->is_active && direction->platform == "tiktok") return direction;
  if (!direction.ok() && direction.status().code() != absl::StatusCode::kNotFound) {
    return direction.status();
  }
  return WithErrorInfo(absl::NotFoundError("Direction not found, inactive, or not TikTok"),
                       "DIRECTION_NOT_FOUND", kDomain, {{"direction_id", direction_id}});
}

absl::StatusOr<std::vector<storage::Creative>> LaunchCore::LaunchableCreatives(
    const std::string& user_id, const google::protobuf::RepeatedPtrField<std::string>& ids,
    const std::string& field) {
  std::vector<storage::Creative> creatives;
  RequestValidator validator;
  for (int i = 0; i < ids.size(); ++i) {
    const std::string name = absl::StrCat(field, "[", i, "]");
    absl::StatusOr<storage::Creative> creative = creatives_.Get(user_id, ids[i]);
    if (!creative.ok()) {
      if (creative.status().code() != absl::StatusCode::kNotFound) return creative.status();
      return WithErrorInfo(absl::NotFoundError(absl::StrCat(name, ": creative ", ids[i],
                                                            " not found")),
                           "CREATIVE_NOT_FOUND", kDomain, {{"field", name}});
    }
    std::string why;
    if (!Launchable(*creative, why)) validator.Fail(name, absl::StrCat("creative ", why));
    creatives.push_back(*std::move(creative));
  }
  if (!validator.ok()) return validator.status();
  return creatives;
}

absl::StatusOr<AdGroupLaunch> LaunchCore::DirectionLaunch(const LaunchContext& context,
                                                          const storage::Direction& direction,
                                                          const std::string& objective,
                                                          double budget, absl::Time start,
                                                          const std::string& label) {
  AdGroupLaunch launch;
  launch.direction_id = direction.id;
  absl::StatusOr<ObjectiveSpec> spec =
      ObjectiveFor(objective.empty() ? direction.tiktok_objective.value_or("") : objective,
                   objective.empty() ? "direction.tiktok_objective" : "objective");
  if (!spec.ok()) return spec.status();
  launch.objective = *spec;
  const std::string stamp = NameStamp(context.stamp);
  launch.use_pool = direction.tiktok_adgroup_mode.value_or("") == "use_existing";
  launch.campaign_id = direction.tiktok_campaign_id.value_or("");
  if (launch.campaign_id.empty()) {
    launch.write_campaign_to_direction = true;
    launch.campaign_name = absl::StrCat(direction.name, " - ", label, " ", stamp);
  }
  launch.adgroup_name = absl::StrCat(direction.name, " - ", label, " ", stamp);
  launch.link_adgroup_to_direction = !launch.campaign_id.empty();
  launch.mapping_source = launch.campaign_id.empty() && !launch.use_pool
                              ? "tiktok_campaign_builder"
                              : "tiktok_direction";
  // A direction budget set before the minimum changed is raised to it rather than refused.
  launch.daily_budget =
      budget > 0 ? budget
                 : std::max<double>(direction.tiktok_daily_budget.value_or(0),
                                    context.min_daily_budget);
  if (launch.daily_budget <= 0) launch.daily_budget = 2500;
  launch.schedule_start = start;

  storage::AdSettings settings;
  absl::StatusOr<storage::AdSettings> stored =
      directions_.GetAdSettings(direction.user_account_id, direction.id);
  if (stored.ok()) {
    settings = *std::move(stored);
  } else if (stored.status().code() != absl::StatusCode::kNotFound) {
    return stored.status();
  }
  launch.location_ids = LocationIdsFor(settings.cities_json);
  launch.age_groups = AgeGroupsFor(settings.age_min, settings.age_max);
  launch.gender = GenderFor(settings.gender);
  launch.landing_page_url = settings.site_url.value_or("");

  const auto missing = [&](const std::string& what, const std::string& reason) {
    return WithErrorInfo(absl::FailedPreconditionError(absl::StrCat(
                             "direction \"", direction.name, "\" (", launch.objective.name,
                             ") needs ", what)),
                         reason, kDomain, {{"direction_id", direction.id}});
  };
  if (launch.objective.name == "conversions") {
    launch.pixel_id = direction.tiktok_pixel_id.value_or(settings.pixel_id.value_or(""));
    launch.optimization_event = "FORM";
    if (launch.pixel_id.empty()) return missing("a TikTok pixel (tiktok_pixel_id)", "PIXEL_REQUIRED");
  } else if (launch.objective.name == "lead_generation") {
    launch.page_id =
        direction.tiktok_instant_page_id.value_or(settings.lead_form_id.value_or(""));
    if (launch.page_id.empty()) {
      return missing("a TikTok instant page (tiktok_instant_page_id)", "INSTANT_PAGE_REQUIRED");
    }
  } else if (launch.objective.name == "whatsapp") {
    // (landing page: the WhatsApp link below)
    absl::StatusOr<std::string> phone =
        directions_.WhatsAppNumberOf(direction.user_account_id, direction.id);
    if (!phone.ok()) {
      if (phone.status().code() != absl::StatusCode::kNotFound) return phone.status();
      return missing("a WhatsApp number", "WHATSAPP_NUMBER_REQUIRED");
    }
    launch.landing_page_url = WhatsAppUrl(*phone, settings.client_question.value_or(""));
  }
  if (launch.objective.promotion_type == "WEBSITE" && launch.landing_page_url.empty()) {
    return missing("a landing page (site_url in its ad settings)", "LANDING_PAGE_REQUIRED");
  }
  return launch;
}

absl::Status LaunchCore::LaunchError(const LaunchContext& context, const Operation& operation,
                                     const absl::Status& error, const std::string& step) {
  absl::Status shown = access_.OnTikTokError(context.access, error);
  return WithErrorInfo(std::move(shown), "LAUNCH_STEP_FAILED", kDomain,
                       {{"idempotency_key", operation.key},
                        {"operation_id", operation.execution.id},
                        {"step", step},
                        {"tiktok_code", absl::StrCat(tiktok::TikTokCodeOf(error))}});
}

absl::Status LaunchCore::Finish(const Principal& principal, const Operation& operation,
                                const std::string& rpc, const google::protobuf::Message* response,
                                const std::string& status, const absl::Status& error,
                                const std::string& failed_step) {
  const absl::Time now = clock_.Now();
  if (response != nullptr) {
    if (absl::Status saved = executions_.SetResult(operation.execution.id, ProtoJson(*response));
        !saved.ok()) {
      return saved;
    }
  }
  std::string error_json;
  if (!error.ok()) {
    error_json = Json{{"error", "launch_failed"},
                      {"message", UserFacingMessage(error)},
                      {"step", failed_step}}
                     .dump();
  }
  auditor_.Record(principal,
                  {rpc.find('.') == std::string::npos
                       ? absl::StrCat("CampaignBuilderService.", rpc)
                       : rpc,
                   operation.execution.user_account_id,
                   TextOf(operation.execution.account_id), "launch", operation.execution.id,
                   operation.key,
                   Json{{"operation_id", operation.execution.id},
                        {"status", status},
                        {"advertiser_id", operation.execution.ad_account_id},
                        {"resumed", operation.resumed},
                        {"failed_step", failed_step}}
                       .dump()},
                  error);
  return executions_.FinishExecution(operation.execution.id, status, status != "failed",
                                     error_json, now);
}

// ---------------------------------------------------------------------------------------------

absl::Status LaunchCore::ManualLaunch(const Principal& principal,
                                      const v1::ManualLaunchRequest& request,
                                      v1::ManualLaunchResponse& response) {
  return RunManual(principal, request, ManualOverrides{}, response);
}

absl::Status LaunchCore::CreateAdGroupInDirection(const Principal& principal,
                                                  const DirectionAdGroupSpec& spec,
                                                  v1::ManualLaunchResponse& response) {
  v1::ManualLaunchRequest request;
  request.set_user_account_id(spec.user_account_id);
  request.set_account_id(spec.account_id);
  request.set_direction_id(spec.direction_id);
  for (const std::string& id : spec.creative_ids) request.add_creative_ids(id);
  request.set_daily_budget(spec.daily_budget);
  request.set_idempotency_key(spec.idempotency_key);
  ManualOverrides overrides;
  overrides.force_adgroup = true;
  overrides.adgroup_name = spec.adgroup_name;
  overrides.enabled = spec.enabled;
  overrides.rpc = "ActionService.CreateAdGroupWithCreatives";
  return RunManual(principal, request, overrides, response);
}

absl::Status LaunchCore::RunManual(const Principal& principal,
                                   const v1::ManualLaunchRequest& request,
                                   const ManualOverrides& overrides,
                                   v1::ManualLaunchResponse& response) {
  RequestValidator validator;
  validator.Uuid("user_account_id", request.user_account_id(), /*required=*/false);
  validator.Uuid("account_id", request.account_id(), /*required=*/false);
  validator.Uuid("direction_id", request.direction_id(), /*required=*/true);
  CheckCreativeIds(validator, "creative_ids", request.creative_ids());
  CheckBudgetField(validator, "daily_budget", request.daily_budget());
  if (!request.objective().empty()) {
    if (absl::Status objective = ObjectiveFor(request.objective(), "objective").status();
        !objective.ok()) {
      validator.Fail("objective", "must be one of traffic, conversions, reach, video_views, "
                                  "lead_generation, whatsapp");
    }
  }
  if (!validator.ok()) return validator.status();
  absl::StatusOr<std::string> user_id =
      principal.EffectiveUser(request.user_account_id(), "user_account_id");
  if (!user_id.ok()) return user_id.status();
  absl::StatusOr<std::string> key = EffectiveKey(request.idempotency_key());
  if (!key.ok()) return key.status();
  const std::string hash = overrides.force_adgroup
                               ? ToHex(Sha256(absl::StrCat(RequestFingerprint(request), "|adgroup|",
                                                        overrides.adgroup_name, "|",
                                                        overrides.enabled)))
                               : RequestFingerprint(request);

  std::optional<Operation> operation;
  if (!request.validate_only()) {
    absl::StatusOr<std::optional<Operation>> found = Find(*user_id, *key, hash);
    if (!found.ok()) return found.status();
    operation = *std::move(found);
    if (operation.has_value() && operation->replay) {
      return Replay(*key, operation->execution, response);
    }
  }

  absl::StatusOr<storage::Direction> direction = TikTokDirection(*user_id, request.direction_id());
  if (!direction.ok()) return direction.status();
  absl::StatusOr<std::vector<storage::Creative>> creatives =
      LaunchableCreatives(*user_id, request.creative_ids(), "creative_ids");
  if (!creatives.ok()) return creatives.status();
  absl::StatusOr<LaunchContext> context =
      Prepare(*user_id, request.account_id(), direction->tiktok_identity_id.value_or(""));
  if (!context.ok()) return context.status();
  if (absl::Status minimum = CheckMinimum(*context, "daily_budget", request.daily_budget());
      !minimum.ok()) {
    return minimum;
  }
  context->operation_id = operation ? operation->execution.id : storage::NewUuid();
  context->stamp = operation ? operation->execution.created_at : clock_.Now();
  absl::StatusOr<AdGroupLaunch> launch =
      DirectionLaunch(*context, *direction, request.objective(), request.daily_budget(),
                      clock_.Now(), "Manual");
  if (!launch.ok()) return launch.status();
  launch->unit = "manual";
  launch->creatives = *std::move(creatives);
  if (overrides.force_adgroup) {
    if (launch->campaign_id.empty()) {
      return WithErrorInfo(
          absl::FailedPreconditionError(absl::StrCat(
              "direction \"", direction->name,
              "\" has no TikTok campaign yet (tiktok_campaign_id): launch it once first")),
          "DIRECTION_HAS_NO_CAMPAIGN", kDomain, {{"direction_id", direction->id}});
    }
    launch->use_pool = false;
    launch->link_adgroup_to_direction = true;
    launch->mapping_source = "tiktok_direction";
    launch->enabled = overrides.enabled;
    if (!overrides.adgroup_name.empty()) launch->adgroup_name = overrides.adgroup_name;
  }
  const std::string mode = ModeOf(*launch);
  if (launch->use_pool && !operation) {
    absl::StatusOr<storage::TikTokAdGroup> pick = directions_.PickPoolAdGroup(direction->id);
    if (!pick.ok()) {
      if (pick.status().code() != absl::StatusCode::kNotFound) return pick.status();
      return WithErrorInfo(absl::FailedPreconditionError("No available pre-created ad groups"),
                           "NO_POOL_ADGROUP", kDomain, {{"direction_id", direction->id}});
    }
  }

  response.set_direction_id(direction->id);
  response.set_direction_name(direction->name);
  response.set_mode(mode);
  if (request.validate_only()) {
    response.set_success(true);
    response.set_message(absl::StrCat("Validated: would launch ", launch->creatives.size(),
                                      " ad(s) in mode ", mode));
    response.set_campaign_id(launch->campaign_id);
    SetMutation(*response.mutable_mutation(), *key, false, true, "");
    return absl::OkStatus();
  }
  if (!operation) {
    absl::StatusOr<Operation> created =
        Create(principal, *user_id, *key, hash, overrides.rpc, *context);
    if (!created.ok()) return created.status();
    operation = *std::move(created);
  }
  LaunchJournal journal(executions_, operation->execution.id, clock_);
  if (absl::Status loaded = journal.Load(); !loaded.ok()) return loaded;
  absl::StatusOr<LaunchResult> result = workflow_.Run(*context, journal, *launch);
  if (!result.ok()) {
    if (absl::Status finished = Finish(principal, *operation, overrides.rpc, nullptr, "failed",
                                       result.status(), journal.failed_step());
        !finished.ok()) {
      return finished;
    }
    return LaunchError(*context, *operation, result.status(), journal.failed_step());
  }
  response.set_success(true);
  const int count = static_cast<int>(result->ads.size());
  response.set_message(mode == "use_existing"     ? absl::StrCat("TikTok ads launched: ", count, " ad(s) created")
                       : mode == "create_adgroup" ? absl::StrCat("TikTok ad group created: ", count, " ad(s)")
                                                  : absl::StrCat("TikTok campaign created: ", count, " ad(s)"));
  response.set_campaign_id(result->campaign_id);
  response.set_adgroup_id(mode == "use_existing" ? result->pool_row_id : result->tiktok_adgroup_id);
  response.set_tiktok_adgroup_id(result->tiktok_adgroup_id);
  response.set_ads_created(count);
  for (const v1::LaunchedAd& ad : result->ads) *response.add_ads() = ad;
  SetMutation(*response.mutable_mutation(), *key, false, false, operation->execution.id);
  return Finish(principal, *operation, overrides.rpc, &response, "success", absl::OkStatus(), "");
}

absl::Status LaunchCore::AutoLaunch(const Principal& principal,
                                    const v1::AutoLaunchRequest& request,
                                    v1::AutoLaunchResponse& response) {
  RequestValidator validator;
  validator.Uuid("user_account_id", request.user_account_id(), /*required=*/false);
  validator.Uuid("user_id", request.user_id(), /*required=*/false);
  validator.Uuid("account_id", request.account_id(), /*required=*/false);
  if (!request.user_account_id().empty() && !request.user_id().empty() &&
      request.user_account_id() != request.user_id()) {
    validator.Fail("user_id", "must equal user_account_id when both are given");
  }
  for (int i = 0; i < request.direction_ids_size(); ++i) {
    if (!IsUuid(request.direction_ids(i))) {
      validator.Fail(absl::StrCat("direction_ids[", i, "]"), "must be a UUID");
    }
  }
  absl::StatusOr<absl::Time> start =
      ScheduleStart(request.start_mode(), clock_.Now(), "start_mode");
  if (!start.ok()) validator.Fail("start_mode", "must be now or midnight_almaty");
  if (!validator.ok()) return validator.status();
  const std::string& named =
      request.user_account_id().empty() ? request.user_id() : request.user_account_id();
  absl::StatusOr<std::string> user_id = principal.EffectiveUser(
      named, request.user_account_id().empty() && !request.user_id().empty() ? "user_id"
                                                                            : "user_account_id");
  if (!user_id.ok()) return user_id.status();
  absl::StatusOr<std::string> key = EffectiveKey(request.idempotency_key());
  if (!key.ok()) return key.status();
  v1::AutoLaunchRequest normalized = request;  // userId and user_account_id are one field
  normalized.set_user_account_id(*user_id);
  normalized.clear_user_id();
  const std::string hash = RequestFingerprint(normalized);

  std::optional<Operation> operation;
  if (!request.validate_only()) {
    absl::StatusOr<std::optional<Operation>> found = Find(*user_id, *key, hash);
    if (!found.ok()) return found.status();
    operation = *std::move(found);
    if (operation.has_value() && operation->replay) {
      return Replay(*key, operation->execution, response);
    }
  }

  // The directions: those named, or every active TikTok direction (of the account).
  std::vector<storage::Direction> directions;
  if (request.direction_ids_size() > 0) {
    for (const std::string& id : request.direction_ids()) {
      absl::StatusOr<storage::Direction> direction = TikTokDirection(*user_id, id);
      if (!direction.ok()) return direction.status();
      directions.push_back(*std::move(direction));
    }
  } else {
    storage::DirectionFilter filter;
    filter.platform = "tiktok";
    filter.is_active = true;
    if (!request.account_id().empty()) filter.account_id = std::optional<std::string>(request.account_id());
    storage::PageRequest page{"", 100};
    do {
      absl::StatusOr<storage::Page<storage::Direction>> listed =
          directions_.List(*user_id, filter, page);
      if (!listed.ok()) return listed.status();
      for (storage::Direction& direction : listed->items) directions.push_back(std::move(direction));
      page.page_token = listed->next_page_token;
    } while (!page.page_token.empty());
  }
  if (directions.empty()) {
    return WithErrorInfo(absl::FailedPreconditionError("No active TikTok directions found"),
                         "NO_ACTIVE_TIKTOK_DIRECTIONS", kDomain,
                         {{"hint", "Create a TikTok direction first or check that directions "
                                   "are active"}});
  }
  absl::StatusOr<LaunchContext> context = Prepare(*user_id, request.account_id(), "");
  if (!context.ok()) return context.status();
  context->operation_id = operation ? operation->execution.id : storage::NewUuid();
  context->stamp = operation ? operation->execution.created_at : clock_.Now();
  if (!request.validate_only() && !operation) {
    absl::StatusOr<Operation> created = Create(principal, *user_id, *key, hash, "AutoLaunch", *context);
    if (!created.ok()) return created.status();
    operation = *std::move(created);
  }
  std::optional<LaunchJournal> journal;
  if (operation) {
    journal.emplace(executions_, operation->execution.id, clock_);
    if (absl::Status loaded = journal->Load(); !loaded.ok()) return loaded;
  }

  int launched = 0;
  int failed = 0;
  absl::Status reauth;
  for (const storage::Direction& direction : directions) {
    v1::DirectionLaunchResult* result = response.add_results();
    result->set_direction_id(direction.id);
    result->set_direction_name(direction.name);
    const auto fail = [&](const absl::Status& error) {
      ++failed;
      result->set_success(false);
      result->set_status("failed");
      result->set_error(UserFacingMessage(error));
      std::string details(FromTikTokStatus(error).message());
      if (auto tiktok_error = tiktok::TikTokErrorOf(error)) {
        details = absl::StrCat("TikTok code ", tiktok_error->code, ": ", tiktok_error->message,
                               " (request_id ", tiktok_error->request_id, ")");
      }
      result->set_error_details(details);
    };
    const auto skip = [&](const std::string& reason) {
      result->set_skipped(true);
      result->set_reason(reason);
    };
    const std::string unit = absl::StrCat("d/", direction.id);
    // Which creatives: chosen once and journalled, so a retry launches the same ones.
    std::vector<std::string> chosen;
    const Json* plan = journal ? journal->Result(unit + "/plan") : nullptr;
    if (plan != nullptr) {
      for (const Json& id : (*plan)["creative_ids"]) chosen.push_back(id.get<std::string>());
    } else {
      absl::StatusOr<std::vector<storage::Creative>> eligible =
          creatives_.ListTikTokEligible(*user_id, direction.id, kAutoCreativesScanned);
      if (!eligible.ok()) return eligible.status();
      if (eligible->empty()) {
        storage::CreativeFilter ready;
        ready.direction_id = std::optional<std::string>(direction.id);
        ready.status = "ready";
        ready.is_active = true;
        absl::StatusOr<storage::Page<storage::Creative>> any =
            creatives_.List(*user_id, ready, storage::PageRequest{"", 1});
        if (!any.ok()) return any.status();
        skip(any->items.empty() ? "No ready creatives for this direction"
                                : "No eligible TikTok video creatives for this direction");
        continue;
      }
      for (int i = 0; i < std::min<int>(kAutoCreativesPerDirection, eligible->size()); ++i) {
        chosen.push_back((*eligible)[i].id);
      }
    }
    google::protobuf::RepeatedPtrField<std::string> ids(chosen.begin(), chosen.end());
    absl::StatusOr<std::vector<storage::Creative>> creatives =
        LaunchableCreatives(*user_id, ids, "creatives");
    absl::StatusOr<AdGroupLaunch> launch =
        creatives.ok() ? DirectionLaunch(*context, direction, "", 0, *start, "Auto")
                       : absl::StatusOr<AdGroupLaunch>(creatives.status());
    if (!launch.ok()) {
      fail(launch.status());
      continue;
    }
    launch->unit = unit;
    launch->creatives = *std::move(creatives);
    const std::string mode = ModeOf(*launch);
    result->set_mode(mode);
    if (launch->use_pool && (!journal || journal->Result(unit + "/pool_claim") == nullptr)) {
      absl::StatusOr<storage::TikTokAdGroup> pick = directions_.PickPoolAdGroup(direction.id);
      if (!pick.ok()) {
        if (pick.status().code() != absl::StatusCode::kNotFound) return pick.status();
        result->clear_mode();
        skip("No available pre-created ad groups");
        continue;
      }
    }
    if (request.validate_only()) {
      ++launched;
      result->set_success(true);
      result->set_campaign_id(launch->campaign_id);
      continue;
    }
    if (plan == nullptr) {
      absl::StatusOr<Json> recorded = journal->Run(
          unit + "/plan", "ttads.ChooseCreatives", {{"direction_id", direction.id}},
          [&](bool) -> absl::StatusOr<Json> { return Json{{"creative_ids", chosen}}; });
      if (!recorded.ok()) return recorded.status();
    }
    absl::StatusOr<LaunchResult> outcome = workflow_.Run(*context, *journal, *launch);
    if (!outcome.ok()) {
      fail(outcome.status());
      if (tiktok::NeedsReauth(outcome.status())) {
        reauth = outcome.status();
        break;
      }
      continue;
    }
    ++launched;
    result->set_success(true);
    result->set_campaign_id(outcome->campaign_id);
    result->set_adgroup_id(mode == "use_existing" ? outcome->pool_row_id
                                                  : outcome->tiktok_adgroup_id);
    result->set_tiktok_adgroup_id(outcome->tiktok_adgroup_id);
    result->set_ads_created(static_cast<int>(outcome->ads.size()));
    for (const v1::LaunchedAd& ad : outcome->ads) *result->add_ads() = ad;
  }
  response.set_success(true);
  response.set_message(absl::StrCat("Processed ", response.results_size(),
                                    " TikTok direction(s)"));
  if (request.validate_only()) {
    SetMutation(*response.mutable_mutation(), *key, false, true, "");
    return absl::OkStatus();
  }
  SetMutation(*response.mutable_mutation(), *key, false, false, operation->execution.id);
  if (!reauth.ok()) {
    (void)Finish(principal, *operation, "AutoLaunch", nullptr, "failed", reauth,
                 journal->failed_step());
    return LaunchError(*context, *operation, reauth, journal->failed_step());
  }
  // A launch with failed directions stays open: a retry with the same key continues them.
  const std::string status = failed == 0 ? "success" : launched > 0 ? "partial" : "failed";
  return Finish(principal, *operation, "AutoLaunch", &response, status,
                failed == 0 ? absl::OkStatus()
                            : absl::UnavailableError(absl::StrCat(failed, " direction(s) failed")),
                failed == 0 ? "" : journal->failed_step());
}

absl::Status LaunchCore::ManualLaunchMulti(const Principal& principal,
                                           const v1::ManualLaunchMultiRequest& request,
                                           v1::ManualLaunchMultiResponse& response) {
  RequestValidator validator;
  validator.Uuid("user_account_id", request.user_account_id(), /*required=*/false);
  validator.Uuid("account_id", request.account_id(), /*required=*/false);
  validator.Uuid("direction_id", request.direction_id(), /*required=*/true);
  if (request.adsets_size() == 0 || request.adsets_size() > kMaxAdsets) {
    validator.Fail("adsets", absl::StrCat("must hold 1..", kMaxAdsets, " ad sets"));
  }
  for (int a = 0; a < request.adsets_size(); ++a) {
    const v1::AdsetSpec& adset = request.adsets(a);
    const std::string prefix = absl::StrCat("adsets[", a, "]");
    CheckCreativeIds(validator, prefix + ".creative_ids", adset.creative_ids());
    CheckBudgetField(validator, prefix + ".daily_budget", adset.daily_budget());
  }
  if (!request.objective().empty() && !ObjectiveFor(request.objective(), "objective").ok()) {
    validator.Fail("objective", "must be one of traffic, conversions, reach, video_views, "
                                "lead_generation, whatsapp");
  }
  if (!validator.ok()) return validator.status();
  absl::StatusOr<std::string> user_id =
      principal.EffectiveUser(request.user_account_id(), "user_account_id");
  if (!user_id.ok()) return user_id.status();
  absl::StatusOr<std::string> key = EffectiveKey(request.idempotency_key());
  if (!key.ok()) return key.status();
  const std::string hash = RequestFingerprint(request);

  std::optional<Operation> operation;
  if (!request.validate_only()) {
    absl::StatusOr<std::optional<Operation>> found = Find(*user_id, *key, hash);
    if (!found.ok()) return found.status();
    operation = *std::move(found);
    if (operation.has_value() && operation->replay) {
      return Replay(*key, operation->execution, response);
    }
  }
  absl::StatusOr<storage::Direction> direction = TikTokDirection(*user_id, request.direction_id());
  if (!direction.ok()) return direction.status();
  std::vector<std::vector<storage::Creative>> creatives;
  for (int a = 0; a < request.adsets_size(); ++a) {
    absl::StatusOr<std::vector<storage::Creative>> adset_creatives = LaunchableCreatives(
        *user_id, request.adsets(a).creative_ids(), absl::StrCat("adsets[", a, "].creative_ids"));
    if (!adset_creatives.ok()) return adset_creatives.status();
    creatives.push_back(*std::move(adset_creatives));
  }
  absl::StatusOr<LaunchContext> context =
      Prepare(*user_id, request.account_id(), direction->tiktok_identity_id.value_or(""));
  if (!context.ok()) return context.status();
  for (int a = 0; a < request.adsets_size(); ++a) {
    if (absl::Status minimum = CheckMinimum(*context, absl::StrCat("adsets[", a, "].daily_budget"),
                                            request.adsets(a).daily_budget());
        !minimum.ok()) {
      return minimum;
    }
  }
  context->operation_id = operation ? operation->execution.id : storage::NewUuid();
  context->stamp = operation ? operation->execution.created_at : clock_.Now();
  absl::StatusOr<AdGroupLaunch> base =
      DirectionLaunch(*context, *direction, request.objective(), 0, clock_.Now(), "Adset");
  if (!base.ok()) return base.status();
  // Multi always creates ad groups, in the direction's campaign (created by the first adset
  // when the direction has none, named after the direction).
  base->use_pool = false;
  base->link_adgroup_to_direction = true;
  base->mapping_source = "tiktok_direction";
  base->campaign_name = direction->name;
  base->campaign_step = "campaign";  // shared by the adsets

  response.set_direction_id(direction->id);
  response.set_direction_name(direction->name);
  response.set_campaign_id(base->campaign_id);
  response.set_total_adsets(request.adsets_size());
  if (request.validate_only()) {
    response.set_success(true);
    response.set_message(absl::StrCat("Validated: would create ", request.adsets_size(),
                                      " ad set(s)"));
    SetMutation(*response.mutable_mutation(), *key, false, true, "");
    return absl::OkStatus();
  }
  if (!operation) {
    absl::StatusOr<Operation> created =
        Create(principal, *user_id, *key, hash, "ManualLaunchMulti", *context);
    if (!created.ok()) return created.status();
    operation = *std::move(created);
  }
  LaunchJournal journal(executions_, operation->execution.id, clock_);
  if (absl::Status loaded = journal.Load(); !loaded.ok()) return loaded;

  int total_ads = 0;
  int failed = 0;
  std::string first_error;
  std::string campaign_id = base->campaign_id;
  absl::Status reauth;
  for (int a = 0; a < request.adsets_size(); ++a) {
    AdGroupLaunch launch = *base;
    launch.unit = absl::StrCat("adset/", a);
    launch.campaign_id = campaign_id;
    launch.adgroup_name = absl::StrCat(direction->name, " - Adset ", a + 1, " ",
                                       NameStamp(context->stamp));
    launch.daily_budget = request.adsets(a).daily_budget() > 0 ? request.adsets(a).daily_budget()
                                                              : base->daily_budget;
    launch.creatives = creatives[static_cast<size_t>(a)];
    v1::AdsetResult* adset = response.add_adsets();
    adset->set_index(a);
    adset->set_daily_budget(launch.daily_budget);
    absl::StatusOr<LaunchResult> outcome = workflow_.Run(*context, journal, launch);
    if (!outcome.ok()) {
      ++failed;
      adset->set_success(false);
      adset->set_error(UserFacingMessage(outcome.status()));
      if (first_error.empty()) first_error = adset->error();
      if (tiktok::NeedsReauth(outcome.status())) {
        reauth = outcome.status();
        break;
      }
      continue;
    }
    campaign_id = outcome->campaign_id;
    adset->set_success(true);
    adset->set_adset_id(outcome->tiktok_adgroup_id);
    adset->set_adset_name(outcome->adgroup_name);
    adset->set_ads_created(static_cast<int>(outcome->ads.size()));
    for (const v1::LaunchedAd& ad : outcome->ads) *adset->add_ads() = ad;
    total_ads += adset->ads_created();
  }
  const int created = request.adsets_size() - failed;
  response.set_campaign_id(campaign_id);
  response.set_success(created > 0 && reauth.ok());
  response.set_total_ads(total_ads);
  response.set_success_count(reauth.ok() ? created : response.adsets_size() - failed);
  response.set_failed_count(failed);
  response.set_message(
      absl::StrCat("TikTok: создано ", response.success_count(), " адсетов, ", total_ads, " объявлений"));
  if (created == 0 || !reauth.ok()) response.set_error(first_error);
  SetMutation(*response.mutable_mutation(), *key, false, false, operation->execution.id);
  if (!reauth.ok()) {
    (void)Finish(principal, *operation, "ManualLaunchMulti", nullptr, "failed", reauth,
                 journal.failed_step());
    return LaunchError(*context, *operation, reauth, journal.failed_step());
  }
  const std::string status = failed == 0 ? "success" : created > 0 ? "partial" : "failed";
  return Finish(principal, *operation, "ManualLaunchMulti", &response, status,
                failed == 0 ? absl::OkStatus()
                            : absl::UnavailableError(absl::StrCat(failed, " ad set(s) failed")),
                failed == 0 ? "" : journal.failed_step());
}

absl::Status LaunchCore::CreateCampaign(const Principal& principal,
                                        const v1::CreateCampaignRequest& request,
                                        v1::CreateCampaignResponse& response) {
  RequestValidator validator;
  validator.Uuid("user_account_id", request.user_account_id(), /*required=*/false);
  validator.Uuid("account_id", request.account_id(), /*required=*/false);
  CheckLength(validator, "campaign_name", request.campaign_name(), 1, 512);
  CheckCreativeIds(validator, "creative_ids", request.creative_ids());
  CheckBudgetField(validator, "daily_budget", request.daily_budget());
  absl::StatusOr<ObjectiveSpec> objective = ObjectiveFor(request.objective(), "objective");
  if (!objective.ok()) {
    validator.Fail("objective", "must be one of traffic, conversions, reach, video_views, "
                                "lead_generation, whatsapp");
  } else if (objective->name == "lead_generation" && request.page_id().empty()) {
    validator.Fail("page_id", "required when objective is lead_generation (the instant form)");
  } else if (objective->name == "conversions") {
    validator.Fail("objective",
                   "conversions needs a TikTok pixel: launch it from a direction with a "
                   "tiktok_pixel_id (manual-launch)");
  } else if (objective->name == "whatsapp") {
    validator.Fail("objective",
                   "whatsapp needs the direction's WhatsApp number: launch it from a direction "
                   "(manual-launch)");
  }
  if (objective.ok() && objective->promotion_type == "WEBSITE" &&
      request.landing_page_url().empty()) {
    validator.Fail("landing_page_url", "required: TikTok refuses website ads without one");
  }
  if (!request.landing_page_url().empty() &&
      request.landing_page_url().rfind("https://", 0) != 0 &&
      request.landing_page_url().rfind("http://", 0) != 0) {
    validator.Fail("landing_page_url", "must be an http(s) URL");
  }
  if (!request.page_id().empty() &&
      request.page_id().find_first_not_of("0123456789") != std::string::npos) {
    validator.Fail("page_id", "must be a TikTok id (digits)");
  }
  if (!validator.ok()) return validator.status();
  absl::StatusOr<std::string> user_id =
      principal.EffectiveUser(request.user_account_id(), "user_account_id");
  if (!user_id.ok()) return user_id.status();
  absl::StatusOr<std::string> key = EffectiveKey(request.idempotency_key());
  if (!key.ok()) return key.status();
  const std::string hash = RequestFingerprint(request);

  std::optional<Operation> operation;
  if (!request.validate_only()) {
    absl::StatusOr<std::optional<Operation>> found = Find(*user_id, *key, hash);
    if (!found.ok()) return found.status();
    operation = *std::move(found);
    if (operation.has_value() && operation->replay) {
      return Replay(*key, operation->execution, response);
    }
  }
  absl::StatusOr<std::vector<storage::Creative>> creatives =
      LaunchableCreatives(*user_id, request.creative_ids(), "creative_ids");
  if (!creatives.ok()) return creatives.status();
  absl::StatusOr<LaunchContext> context = Prepare(*user_id, request.account_id(), "");
  if (!context.ok()) return context.status();
  if (absl::Status minimum = CheckMinimum(*context, "daily_budget", request.daily_budget());
      !minimum.ok()) {
    return minimum;
  }
  context->operation_id = operation ? operation->execution.id : storage::NewUuid();
  context->stamp = operation ? operation->execution.created_at : clock_.Now();

  AdGroupLaunch launch;
  launch.unit = "campaign";
  launch.objective = *objective;
  launch.campaign_name = request.campaign_name();
  launch.adgroup_name = request.campaign_name();
  launch.daily_budget = request.daily_budget() > 0
                            ? request.daily_budget()
                            : (context->min_daily_budget > 0 ? context->min_daily_budget : 2500);
  launch.schedule_start = clock_.Now();
  launch.location_ids = {kDefaultLocationId};
  launch.age_groups = AgeGroupsFor(18, 65);
  launch.enabled = !request.has_auto_activate() || request.auto_activate().value();
  launch.page_id = request.page_id();
  launch.landing_page_url = request.landing_page_url();
  launch.creatives = *std::move(creatives);
  launch.mapping_source = "tiktok_campaign_builder";
  response.set_objective(objective->name);
  if (request.validate_only()) {
    response.set_success(true);
    response.set_message(absl::StrCat("Validated: would create TikTok Campaign \"",
                                      request.campaign_name(), "\" with ",
                                      launch.creatives.size(), " ad(s)"));
    SetMutation(*response.mutable_mutation(), *key, false, true, "");
    return absl::OkStatus();
  }
  if (!operation) {
    absl::StatusOr<Operation> created =
        Create(principal, *user_id, *key, hash, "CreateCampaign", *context);
    if (!created.ok()) return created.status();
    operation = *std::move(created);
  }
  LaunchJournal journal(executions_, operation->execution.id, clock_);
  if (absl::Status loaded = journal.Load(); !loaded.ok()) return loaded;
  absl::StatusOr<LaunchResult> result = workflow_.Run(*context, journal, launch);
  if (!result.ok()) {
    if (absl::Status finished = Finish(principal, *operation, "CreateCampaign", nullptr, "failed",
                                       result.status(), journal.failed_step());
        !finished.ok()) {
      return finished;
    }
    return LaunchError(*context, *operation, result.status(), journal.failed_step());
  }
  response.set_success(true);
  response.set_campaign_id(result->campaign_id);
  response.set_adgroup_id(result->tiktok_adgroup_id);
  for (const v1::LaunchedAd& ad : result->ads) *response.add_ads() = ad;
  response.set_ads_count(static_cast<int>(result->ads.size()));
  response.set_message(absl::StrCat("TikTok Campaign \"", request.campaign_name(),
                                    "\" created successfully with ", result->ads.size(),
                                    " ad(s) (status: ", launch.enabled ? "ENABLED" : "DISABLED",
                                    ")"));
  SetMutation(*response.mutable_mutation(), *key, false, false, operation->execution.id);
  return Finish(principal, *operation, "CreateCampaign", &response, "success", absl::OkStatus(),
                "");
}

}  // namespace ttads::server

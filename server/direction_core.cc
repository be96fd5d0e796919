#include "server/direction_core.h"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "server/json_text.h"
#include "server/proto_convert.h"
#include "server/budget_rules.h"
#include "server/rpc_status.h"
#include "server/validation.h"
#include "storage/page_token.h"
#include "storage/time_format.h"
#include "storage/uuid.h"

namespace ttads::server {
namespace {

constexpr char kTikTok[] = "tiktok";
constexpr char kFacebook[] = "facebook";

// The legacy (Facebook) columns: the existing system writes 500 and 50 on TikTok rows.
constexpr int kDefaultDailyBudgetCents = 500;
constexpr int kMinDailyBudgetCents = 500;
constexpr int kDefaultTargetCplCents = 50;
// Upper bound of whole-currency amounts (the INTEGER columns hold them with room to spare).
constexpr double kMaxAmount = 1e9;
// tiktok_target_cpl is NUMERIC(10, 2).
constexpr double kMaxTargetCpl = 99999999.99;
// default_ad_settings, as the contract states it (TikTok's oldest age group is 55+, stored as 65).
constexpr int kDefaultAgeMin = 18;
constexpr int kDefaultAgeMax = 65;
constexpr int kMinAge = 13;
constexpr int kMaxAge = 65;
constexpr std::size_t kMaxCities = 200;
constexpr std::size_t kMaxCityLength = 100;
constexpr std::size_t kMaxClientQuestion = 1000;
constexpr std::size_t kMaxAdGroupName = 512;
constexpr std::size_t kMaxOptimizationLevel = 50;
// Lists of this service.
constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 200;


bool IsTikTokObjective(absl::string_view value) {
  return OneOf(value,
               {"traffic", "conversions", "reach", "video_views", "lead_generation", "whatsapp"});
}
bool IsLegacyObjective(absl::string_view value) {
  return OneOf(value, {"whatsapp", "conversions", "instagram_traffic", "instagram_dm",
                       "site_leads", "lead_forms", "app_installs"});
}
bool IsCampaignStatus(absl::string_view value) {
  return OneOf(value, {"ACTIVE", "PAUSED", "ARCHIVED", "DELETED"});
}
bool IsAdGroupMode(absl::string_view value) { return OneOf(value, {"use_existing", "create_new"}); }
bool IsAdGroupStatus(absl::string_view value) { return OneOf(value, {"ENABLE", "DISABLE", "DELETE"}); }

constexpr char kTikTokObjectiveRule[] =
    "must be traffic, conversions, reach, video_views, lead_generation or whatsapp";
constexpr char kLegacyObjectiveRule[] =
    "must be whatsapp, conversions, instagram_traffic, instagram_dm, site_leads, lead_forms or "
    "app_installs";
constexpr char kCampaignStatusRule[] = "must be ACTIVE, PAUSED, ARCHIVED or DELETED";
constexpr char kAdGroupModeRule[] = "must be use_existing or create_new";

// TikTok object ids (campaign, ad group) are decimal digit strings.
bool IsTikTokNumericId(absl::string_view id) {
  return !id.empty() && id.size() <= 32 &&
         std::all_of(id.begin(), id.end(), [](char c) { return absl::ascii_isdigit(c); });
}
// Pixel, identity and instant page ids are not always numeric.
bool IsTikTokToken(absl::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return absl::ascii_isalnum(c) || c == '_' || c == '-';
  });
}
void CheckNumericId(RequestValidator& validator, absl::string_view field, absl::string_view id) {
  if (!id.empty() && !IsTikTokNumericId(id)) {
    validator.Fail(field, "must be a TikTok id of 1..32 digits");
  }
}
void CheckToken(RequestValidator& validator, absl::string_view field, absl::string_view id) {
  if (!id.empty() && !IsTikTokToken(id)) {
    validator.Fail(field, "must be 1..64 letters, digits, '_' or '-'");
  }
}

void CheckName(RequestValidator& validator, absl::string_view field, absl::string_view name) {
  CheckLength(validator, field, name, 2, 100);
  if (!name.empty() && absl::StripAsciiWhitespace(name).empty()) {
    validator.Fail(field, "must not be blank");
  }
}

// A daily budget in the account currency (set = not 0): at least the minimum.
void CheckDailyBudget(RequestValidator& validator, absl::string_view field, double value,
                      bool whole) {
  const double minimum = MinDirectionDailyBudget();
  if (!std::isfinite(value) || value < minimum || value > kMaxAmount) {
    validator.Fail(field, absl::StrCat("must be at least ", minimum,
                                       " (the minimum daily budget in KZT) and at most ",
                                       kMaxAmount));
  } else if (whole && value != std::floor(value)) {
    validator.Fail(field, "must be a whole amount");
  }
}
void CheckTargetCplKzt(RequestValidator& validator, absl::string_view field, double value) {
  if (!std::isfinite(value) || value < 1 || value > kMaxAmount || value != std::floor(value)) {
    validator.Fail(field, absl::StrCat("must be a whole amount of KZT from 1 to ", kMaxAmount));
  }
}
void CheckTargetCpl(RequestValidator& validator, absl::string_view field, double value) {
  if (!std::isfinite(value) || value < 0.01 || value > kMaxTargetCpl) {
    validator.Fail(field, absl::StrCat("must be from 0.01 to ", kMaxTargetCpl));
  }
}
double RoundCents(double value) { return std::round(value * 100) / 100; }

std::string EffectiveTikTokObjective(const std::string& tiktok_objective) {
  return tiktok_objective.empty() ? "traffic" : tiktok_objective;
}

void ValidateAdSettings(RequestValidator& validator, const std::string& prefix,
                        const v1::DirectionAdSettings& settings) {
  if (settings.cities_size() > static_cast<int>(kMaxCities)) {
    validator.Fail(prefix + "cities", absl::StrCat("must list at most ", kMaxCities, " cities"));
  }
  for (int i = 0; i < settings.cities_size(); ++i) {
    const std::string& city = settings.cities(i);
    if (city.empty() || CharacterCount(city) > kMaxCityLength) {
      validator.Fail(absl::StrCat(prefix, "cities[", i, "]"),
                     absl::StrCat("must be 1..", kMaxCityLength, " characters"));
    }
  }
  const auto check_age = [&](const char* name, int age) {
    if (age != 0 && (age < kMinAge || age > kMaxAge)) {
      validator.Fail(prefix + name, absl::StrCat("must be ", kMinAge, "..", kMaxAge, " (0 = ",
                                                 name == std::string("age_min") ? kDefaultAgeMin
                                                                                : kDefaultAgeMax,
                                                 ")"));
    }
  };
  check_age("age_min", settings.age_min());
  check_age("age_max", settings.age_max());
  const int age_min = settings.age_min() == 0 ? kDefaultAgeMin : settings.age_min();
  const int age_max = settings.age_max() == 0 ? kDefaultAgeMax : settings.age_max();
  if (age_min > age_max) validator.Fail(prefix + "age_max", "must be at least age_min");
  if (!settings.gender().empty() && !OneOf(settings.gender(), {"all", "male", "female"})) {
    validator.Fail(prefix + "gender", "must be all, male or female");
  }
  if (!settings.site_url().empty() &&
      (settings.site_url().size() > 2048 ||
       (settings.site_url().rfind("https://", 0) != 0 &&
        settings.site_url().rfind("http://", 0) != 0))) {
    validator.Fail(prefix + "site_url", "must be an http(s) URL of at most 2048 characters");
  }
  if (CharacterCount(settings.client_question()) > kMaxClientQuestion) {
    validator.Fail(prefix + "client_question",
                   absl::StrCat("must be at most ", kMaxClientQuestion, " characters"));
  }
}

// The settings row `settings` describes, keeping the columns the contract does not carry
// (description, … used by the Facebook side) and an unset site_url from `existing`.
storage::AdSettings SettingsRow(const storage::Direction& direction,
                                const v1::DirectionAdSettings& settings,
                                const std::optional<storage::AdSettings>& existing) {
  storage::AdSettings row = existing.value_or(storage::AdSettings{});
  row.direction_id = direction.id;
  row.user_id = direction.user_account_id;
  if (settings.cities_size() == 0) {
    row.cities_json = std::nullopt;
  } else {
    std::vector<std::string> quoted;
    for (const std::string& city : settings.cities()) quoted.push_back(JsonQuote(city));
    row.cities_json = absl::StrCat("[", absl::StrJoin(quoted, ","), "]");
  }
  row.age_min = settings.age_min() == 0 ? kDefaultAgeMin : settings.age_min();
  row.age_max = settings.age_max() == 0 ? kDefaultAgeMax : settings.age_max();
  row.gender = settings.gender().empty() ? "all" : settings.gender();
  row.client_question = NullIfEmpty(settings.client_question());
  if (!settings.site_url().empty()) row.site_url = settings.site_url();
  return row;
}

// The city keys of a stored JSON array (strings; other values as their JSON text). A value that
// is not a JSON array reads as no cities.
std::vector<std::string> CitiesOf(const std::optional<std::string>& json) {
  std::vector<std::string> cities;
  if (!json.has_value() || json->empty()) return cities;
  simdjson::dom::parser parser;
  simdjson::dom::array array;
  if (parser.parse(*json).get_array().get(array) != simdjson::SUCCESS) return cities;
  for (simdjson::dom::element item : array) {
    std::string_view text;
    if (item.get_string().get(text) == simdjson::SUCCESS) {
      cities.emplace_back(text);
    } else {
      cities.push_back(simdjson::minify(item));
    }
  }
  return cities;
}

// A DoubleValue on an INTEGER column: absent leaves it, 0 clears it, a value sets it.
storage::NullableField<int> WholePatch(bool present, const google::protobuf::DoubleValue& value) {
  if (!present) return {};
  if (value.value() == 0) return storage::SetNull<int>();
  return storage::NullableField<int>(std::in_place, static_cast<int>(value.value()));
}
// A DoubleValue on a NUMERIC column: absent leaves it, 0 clears it, a value sets it (to cents).
storage::NullableField<double> AmountPatch(bool present,
                                           const google::protobuf::DoubleValue& value) {
  if (!present) return {};
  if (value.value() == 0) return storage::SetNull<double>();
  return storage::NullableField<double>(std::in_place, RoundCents(value.value()));
}

// Applies a patch field to a row field (for the validate_only preview).
template <typename Field, typename Target>
void Apply(const Field& field, Target& target) {
  if (field.has_value()) target = *field;
}

void ApplyPatch(const storage::DirectionPatch& patch, storage::Direction& row) {
  Apply(patch.name, row.name);
  Apply(patch.objective, row.objective);
  Apply(patch.daily_budget_cents, row.daily_budget_cents);
  Apply(patch.target_cpl_cents, row.target_cpl_cents);
  Apply(patch.is_active, row.is_active);
  Apply(patch.campaign_status, row.campaign_status);
  Apply(patch.whatsapp_phone_number_id, row.whatsapp_phone_number_id);
  Apply(patch.tiktok_campaign_id, row.tiktok_campaign_id);
  Apply(patch.tiktok_pixel_id, row.tiktok_pixel_id);
  Apply(patch.tiktok_identity_id, row.tiktok_identity_id);
  Apply(patch.tiktok_objective, row.tiktok_objective);
  Apply(patch.tiktok_daily_budget, row.tiktok_daily_budget);
  Apply(patch.tiktok_target_cpl_kzt, row.tiktok_target_cpl_kzt);
  Apply(patch.tiktok_target_cpl, row.tiktok_target_cpl);
  Apply(patch.tiktok_adgroup_mode, row.tiktok_adgroup_mode);
  Apply(patch.tiktok_instant_page_id, row.tiktok_instant_page_id);
  Apply(patch.optimization_level, row.optimization_level);
}

void ApplyPatch(const storage::TikTokAdGroupPatch& patch, storage::TikTokAdGroup& row) {
  Apply(patch.status, row.status);
  Apply(patch.is_active, row.is_active);
  Apply(patch.daily_budget, row.daily_budget);
  Apply(patch.adgroup_name, row.adgroup_name);
}

// The pool's order: least used first, then the longest linked (then id, to be total).
using PoolKey = std::tuple<int, std::string, std::string>;
PoolKey PoolKeyOf(const storage::TikTokAdGroup& row) {
  return {row.ads_count, storage::FormatTimestamp(row.linked_at), row.id};
}
// The pool's page token: the last entry's key, web-safe base64 of "g1|ads_count|linked_at|id".
std::string PoolPageToken(const PoolKey& key) {
  return absl::WebSafeBase64Escape(absl::StrCat("g1|", std::get<0>(key), "|", std::get<1>(key),
                                                "|", std::get<2>(key)));
}
std::optional<PoolKey> DecodePoolPageToken(const std::string& token) {
  std::string text;
  if (token.size() > 512 || !absl::WebSafeBase64Unescape(token, &text)) return std::nullopt;
  const std::vector<std::string> parts = absl::StrSplit(text, '|');
  int ads_count = 0;
  if (parts.size() != 4 || parts[0] != "g1" || !absl::SimpleAtoi(parts[1], &ads_count) ||
      !storage::ParseTimestamp(parts[2]).ok() || !storage::IsUuid(parts[3])) {
    return std::nullopt;
  }
  return PoolKey{ads_count, parts[2], parts[3]};
}

// The pool entry `id` of `groups`, or nullptr.
const storage::TikTokAdGroup* FindEntry(const std::vector<storage::TikTokAdGroup>& groups,
                                        const std::string& id) {
  for (const storage::TikTokAdGroup& group : groups) {
    if (absl::EqualsIgnoreCase(group.id, id)) return &group;
  }
  return nullptr;
}

}  // namespace

std::string LegacyObjectiveOf(const std::string& tiktok_objective) {
  if (tiktok_objective == "conversions") return "site_leads";
  if (tiktok_objective == "lead_generation") return "lead_forms";
  if (tiktok_objective == "whatsapp") return "whatsapp";
  return "instagram_traffic";  // traffic, reach, video_views, "" (traffic)
}

void ToProto(const storage::Direction& row, v1::Direction& out) {
  out.set_id(row.id);
  out.set_user_account_id(row.user_account_id);
  out.set_account_id(TextOf(row.account_id));
  out.set_name(row.name);
  out.set_platform(row.platform.value_or(kFacebook));
  out.set_objective(row.objective);
  out.set_daily_budget_cents(row.daily_budget_cents);
  out.set_target_cpl_cents(row.target_cpl_cents);
  out.set_is_active(row.is_active);
  out.set_campaign_status(TextOf(row.campaign_status));
  out.set_whatsapp_phone_number_id(TextOf(row.whatsapp_phone_number_id));
  // whatsapp_phone_number (the joined phone number) stays "": the repository does not read it.
  out.set_tiktok_campaign_id(TextOf(row.tiktok_campaign_id));
  out.set_tiktok_pixel_id(TextOf(row.tiktok_pixel_id));
  out.set_tiktok_identity_id(TextOf(row.tiktok_identity_id));
  out.set_tiktok_objective(TextOf(row.tiktok_objective));
  out.set_tiktok_daily_budget(row.tiktok_daily_budget.value_or(0));
  out.set_tiktok_target_cpl_kzt(row.tiktok_target_cpl_kzt.value_or(0));
  out.set_tiktok_target_cpl(row.tiktok_target_cpl.value_or(0));
  out.set_tiktok_adgroup_mode(TextOf(row.tiktok_adgroup_mode));
  out.set_tiktok_instant_page_id(TextOf(row.tiktok_instant_page_id));
  out.set_optimization_level(TextOf(row.optimization_level));
  out.set_created_at(TimeText(row.created_at));
  out.set_updated_at(TimeText(row.updated_at));
}

void ToProto(const storage::AdSettings& row, v1::DirectionAdSettings& out) {
  out.set_direction_id(row.direction_id);
  out.clear_cities();
  for (std::string& city : CitiesOf(row.cities_json)) out.add_cities(std::move(city));
  out.set_age_min(row.age_min);
  out.set_age_max(row.age_max);
  out.set_gender(row.gender);
  out.set_client_question(TextOf(row.client_question));
  out.set_site_url(TextOf(row.site_url));
  out.set_updated_at(TimeText(row.updated_at));
}

void ToProto(const storage::TikTokAdGroup& row, v1::DirectionAdGroup& out) {
  out.set_id(row.id);
  out.set_direction_id(row.direction_id);
  out.set_tiktok_adgroup_id(row.tiktok_adgroup_id);
  out.set_adgroup_name(TextOf(row.adgroup_name));
  out.set_daily_budget(row.daily_budget.value_or(0));
  out.set_status(TextOf(row.status));
  out.set_ads_count(row.ads_count);
  out.set_last_used_at(TimeText(row.last_used_at));
  out.set_linked_at(TimeText(row.linked_at));
  out.set_is_active(row.is_active);
  out.set_created_at(TimeText(row.created_at));
  out.set_updated_at(TimeText(row.updated_at));
}

// ---- helpers --------------------------------------------------------------------------------

absl::StatusOr<storage::Direction> DirectionCore::LoadDirection(const Principal& principal,
                                                                const std::string& direction_id) {
  std::string owner = principal.user_account_id;
  if (principal.is_operator()) {
    absl::StatusOr<std::string> found = directions_.OwnerOf(direction_id);
    if (!found.ok()) return found.status();
    owner = *std::move(found);
  }
  absl::StatusOr<storage::Direction> row = directions_.Get(owner, direction_id);
  if (!row.ok()) return row.status();
  if (absl::Status allowed = principal.CheckUserAccess(row->user_account_id); !allowed.ok()) {
    return allowed;
  }
  return row;
}

absl::Status DirectionCore::CheckWouldWrite(const std::string& user_account_id,
                                            const std::string& except_id,
                                            const std::optional<std::string>& name,
                                            const std::optional<std::string>& platform,
                                            bool activating) {
  const auto each = [&](const storage::DirectionFilter& filter,
                        absl::FunctionRef<void(const storage::Direction&)> visit) -> absl::Status {
    storage::PageRequest page{"", storage::kMaxPageSize};
    while (true) {
      absl::StatusOr<storage::Page<storage::Direction>> listed =
          directions_.List(user_account_id, filter, page);
      if (!listed.ok()) return listed.status();
      for (const storage::Direction& row : listed->items) visit(row);
      if (listed->next_page_token.empty()) return absl::OkStatus();
      page.page_token = listed->next_page_token;
    }
  };
  if (name.has_value()) {
    const std::string effective_platform = platform.value_or(kFacebook);
    storage::DirectionFilter filter;
    filter.platform = effective_platform;
    bool taken = false;
    absl::Status status = each(filter, [&](const storage::Direction& row) {
      if (row.name == *name && row.id != except_id) taken = true;
    });
    if (!status.ok()) return status;
    if (taken) {
      return absl::AlreadyExistsError(absl::StrCat("a ", effective_platform,
                                                   " direction named '", *name,
                                                   "' already exists for this user"));
    }
  }
  if (activating) {
    storage::DirectionFilter filter;
    filter.is_active = true;
    int active = 0;
    absl::Status status = each(filter, [&](const storage::Direction& row) {
      if (row.id != except_id) ++active;
    });
    if (!status.ok()) return status;
    if (active >= storage::kMaxActiveDirectionsPerUser) {
      return absl::FailedPreconditionError(absl::StrCat(
          "at most ", storage::kMaxActiveDirectionsPerUser, " active directions per user"));
    }
  }
  return absl::OkStatus();
}

// ---- directions -----------------------------------------------------------------------------

absl::Status DirectionCore::CreateDirection(const Principal& principal,
                                            const v1::CreateDirectionRequest& request,
                                            v1::CreateDirectionResponse& response) {
  RequestValidator validator;
  validator.Uuid("user_account_id", request.user_account_id(),
                 /*required=*/principal.is_operator());
  validator.Uuid("account_id", request.account_id(), /*required=*/false);
  CheckName(validator, "name", request.name());
  if (!request.platform().empty() && !OneOf(request.platform(), {kTikTok, kFacebook})) {
    validator.Fail("platform", "must be tiktok or facebook");
  }
  const std::string platform = request.platform().empty() ? kTikTok : request.platform();
  const bool tiktok = platform == kTikTok;
  if (!request.tiktok_objective().empty() && !IsTikTokObjective(request.tiktok_objective())) {
    validator.Fail("tiktok_objective", kTikTokObjectiveRule);
  }
  const std::string tiktok_objective = EffectiveTikTokObjective(request.tiktok_objective());
  std::string objective = request.objective();
  if (!objective.empty() && !IsLegacyObjective(objective)) {
    validator.Fail("objective", kLegacyObjectiveRule);
  } else if (tiktok) {
    if (objective.empty()) {
      objective = LegacyObjectiveOf(tiktok_objective);
    } else if (objective != LegacyObjectiveOf(tiktok_objective)) {
      validator.Fail("objective",
                     absl::StrCat("must be ", LegacyObjectiveOf(tiktok_objective),
                                  " (or empty): a tiktok direction's objective follows its "
                                  "tiktok_objective"));
    }
  } else if (objective.empty()) {
    validator.Fail("objective", "is required for facebook directions");
  }
  if (request.daily_budget_cents() != 0 && request.daily_budget_cents() < kMinDailyBudgetCents) {
    validator.Fail("daily_budget_cents",
                   absl::StrCat("must be at least ", kMinDailyBudgetCents, " (0 = ",
                                kDefaultDailyBudgetCents, ")"));
  }
  if (request.target_cpl_cents() < 0) {
    validator.Fail("target_cpl_cents",
                   absl::StrCat("must be at least 1 (0 = ", kDefaultTargetCplCents, ")"));
  }
  if (!request.campaign_status().empty() && !IsCampaignStatus(request.campaign_status())) {
    validator.Fail("campaign_status", kCampaignStatusRule);
  }
  validator.Uuid("whatsapp_phone_number_id", request.whatsapp_phone_number_id(), false);
  CheckNumericId(validator, "tiktok_campaign_id", request.tiktok_campaign_id());
  CheckToken(validator, "tiktok_pixel_id", request.tiktok_pixel_id());
  CheckToken(validator, "tiktok_identity_id", request.tiktok_identity_id());
  CheckToken(validator, "tiktok_instant_page_id", request.tiktok_instant_page_id());
  if (request.tiktok_daily_budget() != 0) {
    CheckDailyBudget(validator, "tiktok_daily_budget", request.tiktok_daily_budget(), true);
  }
  if (request.tiktok_target_cpl_kzt() != 0) {
    CheckTargetCplKzt(validator, "tiktok_target_cpl_kzt", request.tiktok_target_cpl_kzt());
  }
  if (request.tiktok_target_cpl() != 0) {
    CheckTargetCpl(validator, "tiktok_target_cpl", request.tiktok_target_cpl());
  }
  if (!request.tiktok_adgroup_mode().empty() && !IsAdGroupMode(request.tiktok_adgroup_mode())) {
    validator.Fail("tiktok_adgroup_mode", kAdGroupModeRule);
  }
  if (tiktok && tiktok_objective == "lead_generation" && request.tiktok_instant_page_id().empty()) {
    validator.Fail("tiktok_instant_page_id", "is required when tiktok_objective is lead_generation");
  }
  if (!request.optimization_level().empty()) {
    CheckLength(validator, "optimization_level", request.optimization_level(), 1,
                kMaxOptimizationLevel);
  }
  if (request.has_ad_settings()) ValidateAdSettings(validator, "ad_settings.", request.ad_settings());
  if (!validator.ok()) return validator.status();
  absl::StatusOr<std::string> user =
      principal.EffectiveUser(request.user_account_id(), "user_account_id");
  if (!user.ok()) return user.status();

  storage::Direction row;
  row.user_account_id = *user;
  row.account_id = NullIfEmpty(request.account_id());
  row.name = request.name();
  row.platform = platform;
  row.objective = objective;
  row.daily_budget_cents =
      request.daily_budget_cents() == 0 ? kDefaultDailyBudgetCents : request.daily_budget_cents();
  row.target_cpl_cents =
      request.target_cpl_cents() == 0 ? kDefaultTargetCplCents : request.target_cpl_cents();
  row.is_active = request.has_is_active() ? request.is_active().value() : true;
  row.campaign_status = request.campaign_status().empty() ? "PAUSED" : request.campaign_status();
  row.whatsapp_phone_number_id = NullIfEmpty(request.whatsapp_phone_number_id());
  row.tiktok_campaign_id = NullIfEmpty(request.tiktok_campaign_id());
  row.tiktok_pixel_id = NullIfEmpty(request.tiktok_pixel_id());
  row.tiktok_identity_id = NullIfEmpty(request.tiktok_identity_id());
  // A TikTok direction records its objective explicitly ("" is traffic).
  row.tiktok_objective = tiktok ? std::optional<std::string>(tiktok_objective)
                                : NullIfEmpty(request.tiktok_objective());
  if (request.tiktok_daily_budget() != 0) {
    row.tiktok_daily_budget = static_cast<int>(request.tiktok_daily_budget());
  }
  if (request.tiktok_target_cpl_kzt() != 0) {
    row.tiktok_target_cpl_kzt = static_cast<int>(request.tiktok_target_cpl_kzt());
  }
  if (request.tiktok_target_cpl() != 0) row.tiktok_target_cpl = RoundCents(request.tiktok_target_cpl());
  row.tiktok_adgroup_mode = NullIfEmpty(request.tiktok_adgroup_mode());
  row.tiktok_instant_page_id = NullIfEmpty(request.tiktok_instant_page_id());
  row.optimization_level =
      request.optimization_level().empty() ? "level_1" : request.optimization_level();

  return RunIdempotent(idempotency_, principal, "DirectionService/CreateDirection", request,
                       response, [&]() -> absl::Status {
    AuditRecord audit{"DirectionService.CreateDirection", row.user_account_id,
                      request.account_id(), "direction", "", request.idempotency_key(),
                      JsonObject({{"name", row.name}, {"platform", platform}})};
    const absl::Status status = [&]() -> absl::Status {
      if (absl::StatusOr<storage::UserAccount> owner = user_accounts_.Get(row.user_account_id);
          !owner.ok()) {
        return owner.status();
      }
      if (row.account_id.has_value()) {
        absl::StatusOr<storage::AdAccount> account =
            ad_accounts_.GetForUser(row.user_account_id, *row.account_id);
        if (account.status().code() == absl::StatusCode::kNotFound) {
          return absl::NotFoundError(absl::StrCat("account_id: ad account ", *row.account_id,
                                                  " is not an ad account of this user account"));
        }
        if (!account.ok()) return account.status();
      }
      if (request.validate_only()) {
        if (absl::Status free = CheckWouldWrite(row.user_account_id, "", row.name, row.platform,
                                                row.is_active);
            !free.ok()) {
          return free;
        }
        ToProto(row, *response.mutable_direction());
        return absl::OkStatus();
      }
      absl::StatusOr<storage::Direction> created = directions_.Create(row, clock_.Now());
      if (!created.ok()) return created.status();
      audit.target_id = created->id;
      if (request.has_ad_settings()) {
        absl::StatusOr<storage::AdSettings> settings = directions_.UpsertAdSettings(
            SettingsRow(*created, request.ad_settings(), std::nullopt), clock_.Now());
        if (!settings.ok()) return settings.status();
      }
      ToProto(*created, *response.mutable_direction());
      return absl::OkStatus();
    }();
    if (!request.validate_only()) auditor_.Record(principal, audit, status);
    return status;
  });
}

absl::Status DirectionCore::UpdateDirection(const Principal& principal,
                                            const v1::UpdateDirectionRequest& request,
                                            v1::UpdateDirectionResponse& response) {
  RequestValidator validator;
  validator.Uuid("direction_id", request.direction_id(), /*required=*/true);
  if (request.has_name()) CheckName(validator, "name", request.name().value());
  if (request.has_objective() && !IsLegacyObjective(request.objective().value())) {
    validator.Fail("objective", kLegacyObjectiveRule);
  }
  if (request.has_daily_budget_cents() &&
      request.daily_budget_cents().value() < kMinDailyBudgetCents) {
    validator.Fail("daily_budget_cents", absl::StrCat("must be at least ", kMinDailyBudgetCents));
  }
  if (request.has_target_cpl_cents() && request.target_cpl_cents().value() < 1) {
    validator.Fail("target_cpl_cents", "must be at least 1");
  }
  if (request.has_campaign_status() && !IsCampaignStatus(request.campaign_status().value())) {
    validator.Fail("campaign_status", kCampaignStatusRule);
  }
  validator.Uuid("whatsapp_phone_number_id", request.whatsapp_phone_number_id().value(), false);
  CheckNumericId(validator, "tiktok_campaign_id", request.tiktok_campaign_id().value());
  CheckToken(validator, "tiktok_pixel_id", request.tiktok_pixel_id().value());
  CheckToken(validator, "tiktok_identity_id", request.tiktok_identity_id().value());
  CheckToken(validator, "tiktok_instant_page_id", request.tiktok_instant_page_id().value());
  if (!request.tiktok_objective().value().empty() &&
      !IsTikTokObjective(request.tiktok_objective().value())) {
    validator.Fail("tiktok_objective", kTikTokObjectiveRule);
  }
  if (request.has_tiktok_daily_budget() && request.tiktok_daily_budget().value() != 0) {
    CheckDailyBudget(validator, "tiktok_daily_budget", request.tiktok_daily_budget().value(),
                     true);
  }
  if (request.has_tiktok_target_cpl_kzt() && request.tiktok_target_cpl_kzt().value() != 0) {
    CheckTargetCplKzt(validator, "tiktok_target_cpl_kzt", request.tiktok_target_cpl_kzt().value());
  }
  if (request.has_tiktok_target_cpl() && request.tiktok_target_cpl().value() != 0) {
    CheckTargetCpl(validator, "tiktok_target_cpl", request.tiktok_target_cpl().value());
  }
  if (!request.tiktok_adgroup_mode().value().empty() &&
      !IsAdGroupMode(request.tiktok_adgroup_mode().value())) {
    validator.Fail("tiktok_adgroup_mode", kAdGroupModeRule);
  }
  if (!request.optimization_level().value().empty()) {
    CheckLength(validator, "optimization_level", request.optimization_level().value(), 1,
                kMaxOptimizationLevel);
  }
  if (!validator.ok()) return validator.status();

  storage::DirectionPatch patch;
  patch.name = ValuePatch(request.has_name(), request.name());
  patch.objective = ValuePatch(request.has_objective(), request.objective());
  patch.daily_budget_cents = ValuePatch(request.has_daily_budget_cents(), request.daily_budget_cents());
  patch.target_cpl_cents = ValuePatch(request.has_target_cpl_cents(), request.target_cpl_cents());
  patch.is_active = ValuePatch(request.has_is_active(), request.is_active());
  patch.campaign_status = TextPatch(request.has_campaign_status(), request.campaign_status());
  patch.whatsapp_phone_number_id =
      TextPatch(request.has_whatsapp_phone_number_id(), request.whatsapp_phone_number_id());
  patch.tiktok_campaign_id = TextPatch(request.has_tiktok_campaign_id(), request.tiktok_campaign_id());
  patch.tiktok_pixel_id = TextPatch(request.has_tiktok_pixel_id(), request.tiktok_pixel_id());
  patch.tiktok_identity_id = TextPatch(request.has_tiktok_identity_id(), request.tiktok_identity_id());
  patch.tiktok_objective = TextPatch(request.has_tiktok_objective(), request.tiktok_objective());
  patch.tiktok_daily_budget =
      WholePatch(request.has_tiktok_daily_budget(), request.tiktok_daily_budget());
  patch.tiktok_target_cpl_kzt =
      WholePatch(request.has_tiktok_target_cpl_kzt(), request.tiktok_target_cpl_kzt());
  patch.tiktok_target_cpl = AmountPatch(request.has_tiktok_target_cpl(), request.tiktok_target_cpl());
  patch.tiktok_adgroup_mode =
      TextPatch(request.has_tiktok_adgroup_mode(), request.tiktok_adgroup_mode());
  patch.tiktok_instant_page_id =
      TextPatch(request.has_tiktok_instant_page_id(), request.tiktok_instant_page_id());
  patch.optimization_level =
      TextPatch(request.has_optimization_level(), request.optimization_level());

  return RunIdempotent(idempotency_, principal, "DirectionService/UpdateDirection", request,
                       response, [&]() -> absl::Status {
    AuditRecord audit{"DirectionService.UpdateDirection", principal.user_account_id, "",
                      "direction", request.direction_id(), request.idempotency_key(), ""};
    const absl::Status status = [&]() -> absl::Status {
      absl::StatusOr<storage::Direction> current = LoadDirection(principal, request.direction_id());
      if (!current.ok()) return current.status();
      audit.user_account_id = current->user_account_id;
      audit.account_id = TextOf(current->account_id);

      // Rules across fields, on the direction as it would be afterwards.
      storage::Direction after = *current;
      ApplyPatch(patch, after);
      if (after.platform.value_or(kFacebook) == kTikTok) {
        const std::string expected =
            LegacyObjectiveOf(EffectiveTikTokObjective(TextOf(after.tiktok_objective)));
        if (request.has_objective() && request.objective().value() != expected) {
          return InvalidField("objective",
                              absl::StrCat("must be ", expected,
                                           ": a tiktok direction's objective follows its "
                                           "tiktok_objective"));
        }
        if (request.has_tiktok_objective()) patch.objective = after.objective = expected;
        if (TextOf(after.tiktok_objective) == "lead_generation" &&
            TextOf(after.tiktok_instant_page_id).empty()) {
          return InvalidField("tiktok_instant_page_id",
                              "is required when tiktok_objective is lead_generation");
        }
      }
      if (request.validate_only()) {
        const bool renamed = patch.name.has_value() && *patch.name != current->name;
        const bool activating = patch.is_active.value_or(false) && !current->is_active;
        absl::Status would = CheckWouldWrite(
            current->user_account_id, current->id,
            renamed ? patch.name : std::nullopt, current->platform, activating);
        if (!would.ok()) return would;
        ToProto(after, *response.mutable_direction());
        return absl::OkStatus();
      }
      absl::StatusOr<storage::Direction> updated = directions_.Update(
          current->user_account_id, current->id, patch, clock_.Now());
      if (!updated.ok()) return updated.status();
      ToProto(*updated, *response.mutable_direction());
      return absl::OkStatus();
    }();
    if (!request.validate_only()) auditor_.Record(principal, audit, status);
    return status;
  });
}

absl::Status DirectionCore::GetDirection(const Principal& principal,
                                         const v1::GetDirectionRequest& request,
                                         v1::Direction& response) {
  RequestValidator validator;
  validator.Uuid("direction_id", request.direction_id(), /*required=*/true);
  if (!validator.ok()) return validator.status();
  absl::StatusOr<storage::Direction> row = LoadDirection(principal, request.direction_id());
  if (!row.ok()) return row.status();
  ToProto(*row, response);
  return absl::OkStatus();
}

absl::Status DirectionCore::ListDirections(const Principal& principal,
                                           const v1::ListDirectionsRequest& request,
                                           v1::ListDirectionsResponse& response) {
  RequestValidator validator;
  validator.Uuid("user_account_id", request.user_account_id(), /*required=*/false);
  if (principal.is_operator() && request.user_account_id().empty()) {
    validator.Fail("user_account_id",
                   "is required for the operator (listing every user's directions at once is "
                   "not supported)");
  }
  validator.Uuid("account_id", request.account_id(), /*required=*/false);
  if (!request.platform().empty() && !OneOf(request.platform(), {kTikTok, kFacebook})) {
    validator.Fail("platform", "must be tiktok or facebook");
  }
  if (!request.status().empty() && !OneOf(request.status(), {"active", "paused", "all"})) {
    validator.Fail("status", "must be active, paused or all");
  }
  if (!validator.ok()) return validator.status();
  absl::StatusOr<std::string> user =
      principal.EffectiveUser(request.user_account_id(), "user_account_id");
  if (!user.ok()) return user.status();

  storage::DirectionFilter filter;
  if (!request.account_id().empty()) {
    filter.account_id = storage::NullableField<std::string>(std::in_place, request.account_id());
  }
  if (!request.platform().empty()) filter.platform = request.platform();
  if (request.status() == "active") filter.is_active = true;
  if (request.status() == "paused") filter.is_active = false;
  absl::StatusOr<storage::Page<storage::Direction>> page = directions_.List(
      *user, filter, PageOf(request.page_size(), request.page_token(), kMaxPageSize));
  if (!page.ok()) return page.status();
  for (const storage::Direction& row : page->items) ToProto(row, *response.add_directions());
  response.set_next_page_token(page->next_page_token);
  return absl::OkStatus();
}

// ---- default ad settings --------------------------------------------------------------------

absl::Status DirectionCore::GetDirectionAdSettings(const Principal& principal,
                                                   const v1::GetDirectionAdSettingsRequest& request,
                                                   v1::DirectionAdSettings& response) {
  RequestValidator validator;
  validator.Uuid("direction_id", request.direction_id(), /*required=*/true);
  if (!validator.ok()) return validator.status();
  absl::StatusOr<storage::Direction> direction = LoadDirection(principal, request.direction_id());
  if (!direction.ok()) return direction.status();
  absl::StatusOr<storage::AdSettings> settings =
      directions_.GetAdSettings(direction->user_account_id, direction->id);
  if (settings.status().code() == absl::StatusCode::kNotFound) {
    storage::AdSettings defaults;  // no cities, ages 18..65, gender all
    defaults.direction_id = direction->id;
    ToProto(defaults, response);
    return absl::OkStatus();
  }
  if (!settings.ok()) return settings.status();
  ToProto(*settings, response);
  return absl::OkStatus();
}

absl::Status DirectionCore::SetDirectionAdSettings(const Principal& principal,
                                                   const v1::SetDirectionAdSettingsRequest& request,
                                                   v1::SetDirectionAdSettingsResponse& response) {
  RequestValidator validator;
  validator.Uuid("direction_id", request.direction_id(), /*required=*/true);
  ValidateAdSettings(validator, "ad_settings.", request.ad_settings());
  if (!validator.ok()) return validator.status();

  return RunIdempotent(idempotency_, principal, "DirectionService/SetDirectionAdSettings", request,
                       response, [&]() -> absl::Status {
    AuditRecord audit{"DirectionService.SetDirectionAdSettings", principal.user_account_id, "",
                      "direction", request.direction_id(), request.idempotency_key(), ""};
    const absl::Status status = [&]() -> absl::Status {
      absl::StatusOr<storage::Direction> direction =
          LoadDirection(principal, request.direction_id());
      if (!direction.ok()) return direction.status();
      audit.user_account_id = direction->user_account_id;
      audit.account_id = TextOf(direction->account_id);
      std::optional<storage::AdSettings> existing;
      absl::StatusOr<storage::AdSettings> read =
          directions_.GetAdSettings(direction->user_account_id, direction->id);
      if (read.ok()) {
        existing = *std::move(read);
      } else if (read.status().code() != absl::StatusCode::kNotFound) {
        return read.status();
      }
      const storage::AdSettings row = SettingsRow(*direction, request.ad_settings(), existing);
      if (request.validate_only()) {
        ToProto(row, *response.mutable_ad_settings());
        return absl::OkStatus();
      }
      absl::StatusOr<storage::AdSettings> stored = directions_.UpsertAdSettings(row, clock_.Now());
      if (!stored.ok()) return stored.status();
      ToProto(*stored, *response.mutable_ad_settings());
      return absl::OkStatus();
    }();
    if (!request.validate_only()) auditor_.Record(principal, audit, status);
    return status;
  });
}

// ---- the ad group pool ----------------------------------------------------------------------

absl::Status DirectionCore::AddDirectionAdGroup(const Principal& principal,
                                                const v1::AddDirectionAdGroupRequest& request,
                                                v1::AddDirectionAdGroupResponse& response) {
  RequestValidator validator;
  validator.Uuid("direction_id", request.direction_id(), /*required=*/true);
  if (request.tiktok_adgroup_id().empty()) {
    validator.Fail("tiktok_adgroup_id", "is required");
  } else {
    CheckNumericId(validator, "tiktok_adgroup_id", request.tiktok_adgroup_id());
  }
  if (CharacterCount(request.adgroup_name()) > kMaxAdGroupName) {
    validator.Fail("adgroup_name", absl::StrCat("must be at most ", kMaxAdGroupName, " characters"));
  }
  if (request.daily_budget() != 0) {
    CheckDailyBudget(validator, "daily_budget", request.daily_budget(), false);
  }
  if (!request.status().empty() && !OneOf(request.status(), {"ENABLE", "DISABLE"})) {
    validator.Fail("status", "must be ENABLE or DISABLE");
  }
  if (!validator.ok()) return validator.status();

  return RunIdempotent(idempotency_, principal, "DirectionService/AddDirectionAdGroup", request,
                       response, [&]() -> absl::Status {
    AuditRecord audit{"DirectionService.AddDirectionAdGroup", principal.user_account_id, "",
                      "direction_adgroup", "", request.idempotency_key(),
                      JsonObject({{"direction_id", request.direction_id()},
                                  {"tiktok_adgroup_id", request.tiktok_adgroup_id()}})};
    const absl::Status status = [&]() -> absl::Status {
      absl::StatusOr<storage::Direction> direction =
          LoadDirection(principal, request.direction_id());
      if (!direction.ok()) return direction.status();
      audit.user_account_id = direction->user_account_id;
      audit.account_id = TextOf(direction->account_id);
      if (direction->platform.value_or(kFacebook) != kTikTok) {
        return absl::FailedPreconditionError(
            absl::StrCat("direction ", direction->id, " is not a tiktok direction"));
      }
      storage::TikTokAdGroup row;
      row.direction_id = direction->id;
      row.tiktok_adgroup_id = request.tiktok_adgroup_id();
      row.adgroup_name = NullIfEmpty(request.adgroup_name());
      if (request.daily_budget() != 0) row.daily_budget = RoundCents(request.daily_budget());
      row.status = NullIfEmpty(request.status());
      row.is_active = request.has_is_active() ? request.is_active().value() : true;
      if (request.validate_only()) {
        absl::StatusOr<std::vector<storage::TikTokAdGroup>> pool =
            directions_.ListAdGroups(direction->id);
        if (!pool.ok()) return pool.status();
        for (const storage::TikTokAdGroup& group : *pool) {
          if (group.tiktok_adgroup_id == row.tiktok_adgroup_id) row = group;  // re-adding
        }
        ToProto(row, *response.mutable_adgroup());
        return absl::OkStatus();
      }
      absl::StatusOr<storage::TikTokAdGroup> added = directions_.AddAdGroup(row, clock_.Now());
      if (!added.ok()) return added.status();
      audit.target_id = added->id;
      ToProto(*added, *response.mutable_adgroup());
      return absl::OkStatus();
    }();
    if (!request.validate_only()) auditor_.Record(principal, audit, status);
    return status;
  });
}

absl::Status DirectionCore::ListDirectionAdGroups(const Principal& principal,
                                                  const v1::ListDirectionAdGroupsRequest& request,
                                                  v1::ListDirectionAdGroupsResponse& response) {
  RequestValidator validator;
  validator.Uuid("direction_id", request.direction_id(), /*required=*/true);
  if (!request.status().empty() && !IsAdGroupStatus(request.status())) {
    validator.Fail("status", "must be ENABLE, DISABLE or DELETE");
  }
  std::optional<PoolKey> after;
  if (!request.page_token().empty()) {
    after = DecodePoolPageToken(request.page_token());
    if (!after.has_value()) validator.Fail("page_token", "malformed");
  }
  if (!validator.ok()) return validator.status();
  absl::StatusOr<storage::Direction> direction = LoadDirection(principal, request.direction_id());
  if (!direction.ok()) return direction.status();
  absl::StatusOr<std::vector<storage::TikTokAdGroup>> pool =
      directions_.ListAdGroups(direction->id);
  if (!pool.ok()) return pool.status();

  // A pool holds a handful of ad groups: filter, order and page them here.
  std::vector<std::pair<PoolKey, const storage::TikTokAdGroup*>> entries;
  for (const storage::TikTokAdGroup& group : *pool) {
    if (!request.status().empty() && TextOf(group.status) != request.status()) continue;
    if (request.active_only() && !group.is_active) continue;
    PoolKey key = PoolKeyOf(group);
    if (after.has_value() && !(key > *after)) continue;
    entries.emplace_back(std::move(key), &group);
  }
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  const std::size_t size = static_cast<std::size_t>(
      request.page_size() <= 0 ? kDefaultPageSize : std::min(request.page_size(), kMaxPageSize));
  for (std::size_t i = 0; i < entries.size() && i < size; ++i) {
    ToProto(*entries[i].second, *response.add_adgroups());
  }
  if (entries.size() > size) response.set_next_page_token(PoolPageToken(entries[size - 1].first));
  return absl::OkStatus();
}

absl::Status DirectionCore::UpdateDirectionAdGroup(const Principal& principal,
                                                   const v1::UpdateDirectionAdGroupRequest& request,
                                                   v1::UpdateDirectionAdGroupResponse& response) {
  RequestValidator validator;
  validator.Uuid("direction_id", request.direction_id(), /*required=*/true);
  validator.Uuid("direction_adgroup_id", request.direction_adgroup_id(), /*required=*/true);
  if (request.has_status() && !IsAdGroupStatus(request.status().value())) {
    validator.Fail("status", "must be ENABLE, DISABLE or DELETE");
  }
  if (request.has_daily_budget() && request.daily_budget().value() != 0) {
    CheckDailyBudget(validator, "daily_budget", request.daily_budget().value(), false);
  }
  if (CharacterCount(request.adgroup_name().value()) > kMaxAdGroupName) {
    validator.Fail("adgroup_name", absl::StrCat("must be at most ", kMaxAdGroupName, " characters"));
  }
  if (!validator.ok()) return validator.status();

  storage::TikTokAdGroupPatch patch;
  patch.status = TextPatch(request.has_status(), request.status());
  patch.is_active = ValuePatch(request.has_is_active(), request.is_active());
  patch.daily_budget = AmountPatch(request.has_daily_budget(), request.daily_budget());
  patch.adgroup_name = TextPatch(request.has_adgroup_name(), request.adgroup_name());

  return RunIdempotent(idempotency_, principal, "DirectionService/UpdateDirectionAdGroup", request,
                       response, [&]() -> absl::Status {
    AuditRecord audit{"DirectionService.UpdateDirectionAdGroup", principal.user_account_id, "",
                      "direction_adgroup", request.direction_adgroup_id(),
                      request.idempotency_key(),
                      JsonObject({{"direction_id", request.direction_id()}})};
    const absl::Status status = [&]() -> absl::Status {
      absl::StatusOr<storage::Direction> direction =
          LoadDirection(principal, request.direction_id());
      if (!direction.ok()) return direction.status();
      audit.user_account_id = direction->user_account_id;
      audit.account_id = TextOf(direction->account_id);
      absl::StatusOr<std::vector<storage::TikTokAdGroup>> pool =
          directions_.ListAdGroups(direction->id);
      if (!pool.ok()) return pool.status();
      const storage::TikTokAdGroup* entry = FindEntry(*pool, request.direction_adgroup_id());
      if (entry == nullptr) {
        return absl::NotFoundError(absl::StrCat("ad group ", request.direction_adgroup_id(),
                                                " is not in the pool of direction ",
                                                direction->id));
      }
      if (request.validate_only()) {
        storage::TikTokAdGroup preview = *entry;
        ApplyPatch(patch, preview);
        ToProto(preview, *response.mutable_adgroup());
        return absl::OkStatus();
      }
      absl::StatusOr<storage::TikTokAdGroup> updated =
          directions_.UpdateAdGroup(entry->id, patch, clock_.Now());
      if (!updated.ok()) return updated.status();
      ToProto(*updated, *response.mutable_adgroup());
      return absl::OkStatus();
    }();
    if (!request.validate_only()) auditor_.Record(principal, audit, status);
    return status;
  });
}

absl::Status DirectionCore::RemoveDirectionAdGroup(const Principal& principal,
                                                   const v1::RemoveDirectionAdGroupRequest& request,
                                                   v1::RemoveDirectionAdGroupResponse& response) {
  RequestValidator validator;
  validator.Uuid("direction_id", request.direction_id(), /*required=*/true);
  validator.Uuid("direction_adgroup_id", request.direction_adgroup_id(), /*required=*/true);
  if (!validator.ok()) return validator.status();

  return RunIdempotent(idempotency_, principal, "DirectionService/RemoveDirectionAdGroup", request,
                       response, [&]() -> absl::Status {
    AuditRecord audit{"DirectionService.RemoveDirectionAdGroup", principal.user_account_id, "",
                      "direction_adgroup", request.direction_adgroup_id(),
                      request.idempotency_key(), ""};
    const absl::Status status = [&]() -> absl::Status {
      absl::StatusOr<storage::Direction> direction =
          LoadDirection(principal, request.direction_id());
      if (!direction.ok()) return direction.status();
      audit.user_account_id = direction->user_account_id;
      audit.account_id = TextOf(direction->account_id);
      absl::StatusOr<std::vector<storage::TikTokAdGroup>> pool =
          directions_.ListAdGroups(direction->id);
      if (!pool.ok()) return pool.status();
      const storage::TikTokAdGroup* entry = FindEntry(*pool, request.direction_adgroup_id());
      bool removed = false;
      if (entry != nullptr && !request.validate_only()) {
        absl::Status deleted = directions_.RemoveAdGroup(entry->id);
        if (deleted.ok()) {
          removed = true;
        } else if (deleted.code() != absl::StatusCode::kNotFound) {  // gone meanwhile: fine
          return deleted;
        }
      }
      response.set_removed(removed);
      audit.details_json = JsonObject({{"direction_id", direction->id},
                                       {"removed", removed ? "true" : "false"}});
      return absl::OkStatus();
    }();
    if (!request.validate_only()) auditor_.Record(principal, audit, status);
    return status;
  });
}

double MinDirectionDailyBudget() {
  const absl::StatusOr<double> kzt = MinDailyBudget("KZT");
  return kzt.ok() ? *kzt : 2500;
}

}  // namespace ttads::server

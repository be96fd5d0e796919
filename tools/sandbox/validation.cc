#include "tools/sandbox/validation.h"

#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "tools/sandbox/sandbox_state.h"

namespace ttads::sandbox {

void InvalidParameter(const std::string& message) {
  throw ApiError(kCodeInvalidParameter, message);
}

Json PageInfo(const PageRequest& page, int64_t total) {
  int64_t total_page = (total + page.page_size - 1) / page.page_size;
  return Json{{"page", page.page},
              {"page_size", page.page_size},
              {"total_number", total},
              {"total_page", total_page}};
}

Params::Params(const Json& values, bool query_encoded)
    : values_(values.is_object() ? values : Json::object()), query_encoded_(query_encoded) {}

const Json* Params::Find(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end() || it->is_null()) return nullptr;
  if (query_encoded_ && it->is_string() && it->get_ref<const std::string&>().empty()) {
    return nullptr;
  }
  return &*it;
}

bool Params::Has(const std::string& key) const { return Find(key) != nullptr; }

void Params::Require(std::initializer_list<const char*> keys) const {
  std::vector<std::string> list;
  for (const char* key : keys) list.emplace_back(key);
  Require(list);
}

void Params::Require(const std::vector<std::string>& keys) const {
  std::vector<std::string> missing;
  for (const std::string& key : keys) {
    if (!Has(key)) missing.push_back(key);
  }
  if (!missing.empty()) {
    InvalidParameter(
        absl::StrCat("Missing required field(s): ", absl::StrJoin(missing, ", "), "."));
  }
}

std::optional<std::string> Params::String(const std::string& key) const {
  const Json* value = Find(key);
  if (value == nullptr) return std::nullopt;
  if (value->is_string()) return value->get<std::string>();
  if (value->is_number_unsigned()) return absl::StrCat(value->get<uint64_t>());
  if (value->is_number_integer()) return absl::StrCat(value->get<int64_t>());
  InvalidParameter(absl::StrCat(key, ": Not a valid string."));
}

std::string Params::RequiredString(const std::string& key) const {
  Require({key.c_str()});
  return *String(key);
}

std::optional<int64_t> Params::Int(const std::string& key) const {
  const Json* value = Find(key);
  if (value == nullptr) return std::nullopt;
  if (value->is_number_integer()) return value->get<int64_t>();
  if (value->is_number_float()) {
    double d = value->get<double>();
    if (std::floor(d) == d && std::fabs(d) < 9e18) return static_cast<int64_t>(d);
  }
  int64_t parsed = 0;
  if (value->is_string() && absl::SimpleAtoi(value->get<std::string>(), &parsed)) return parsed;
  InvalidParameter(absl::StrCat(key, ": Not a valid integer."));
}

std::optional<double> Params::Number(const std::string& key) const {
  const Json* value = Find(key);
  if (value == nullptr) return std::nullopt;
  if (value->is_number()) return value->get<double>();
  double parsed = 0;
  if (value->is_string() && absl::SimpleAtod(value->get<std::string>(), &parsed) &&
      std::isfinite(parsed)) {
    return parsed;
  }
  InvalidParameter(absl::StrCat(key, ": Not a valid number."));
}

std::optional<bool> Params::Bool(const std::string& key) const {
  const Json* value = Find(key);
  if (value == nullptr) return std::nullopt;
  if (value->is_boolean()) return value->get<bool>();
  if (value->is_string()) {
    std::string text = absl::AsciiStrToLower(value->get<std::string>());
    if (text == "true") return true;
    if (text == "false") return false;
  }
  InvalidParameter(absl::StrCat(key, ": Not a valid boolean."));
}

std::optional<Json> Params::Value(const std::string& key) const {
  const Json* value = Find(key);
  if (value == nullptr) return std::nullopt;
  if (query_encoded_ && value->is_string()) {
    absl::string_view text = absl::StripAsciiWhitespace(value->get_ref<const std::string&>());
    if (!text.empty() && (text.front() == '[' || text.front() == '{')) {
      std::optional<Json> parsed = ParseJson(std::string(text));
      if (!parsed) InvalidParameter(absl::StrCat(key, ": Invalid JSON."));
      return parsed;
    }
  }
  return *value;
}

std::optional<Params> Params::Object(const std::string& key) const {
  std::optional<Json> value = Value(key);
  if (!value) return std::nullopt;
  if (!value->is_object()) InvalidParameter(absl::StrCat(key, ": Not a valid mapping type."));
  return Params(*value, /*query_encoded=*/false);
}

std::optional<std::vector<Params>> Params::ObjectList(const std::string& key) const {
  std::optional<Json> value = Value(key);
  if (!value) return std::nullopt;
  if (!value->is_array()) InvalidParameter(absl::StrCat(key, ": Not a valid list."));
  std::vector<Params> items;
  for (const Json& item : *value) {
    if (!item.is_object()) InvalidParameter(absl::StrCat(key, ": Not a valid mapping type."));
    items.emplace_back(item, /*query_encoded=*/false);
  }
  return items;
}

std::optional<std::vector<std::string>> Params::IdList(const std::string& key,
                                                       size_t max_count) const {
  std::optional<Json> value = Value(key);
  if (!value) return std::nullopt;
  if (!value->is_array()) InvalidParameter(absl::StrCat(key, ": Not a valid list."));
  std::vector<std::string> ids;
  for (const Json& item : *value) {
    if (item.is_string() && !item.get_ref<const std::string&>().empty()) {
      ids.push_back(item.get<std::string>());
    } else if (item.is_number_unsigned()) {
      ids.push_back(absl::StrCat(item.get<uint64_t>()));
    } else if (item.is_number_integer()) {
      ids.push_back(absl::StrCat(item.get<int64_t>()));
    } else {
      InvalidParameter(absl::StrCat(key, ": Not a valid id: ", item.dump(), "."));
    }
  }
  CheckListLength(key, ids.size(), max_count);
  return ids;
}

std::optional<std::vector<std::string>> Params::StringList(const std::string& key) const {
  std::optional<Json> value = Value(key);
  if (!value) return std::nullopt;
  if (!value->is_array()) InvalidParameter(absl::StrCat(key, ": Not a valid list."));
  std::vector<std::string> items;
  for (const Json& item : *value) {
    if (!item.is_string()) {
      InvalidParameter(absl::StrCat(key, ": Not a valid string: ", item.dump(), "."));
    }
    items.push_back(item.get<std::string>());
  }
  return items;
}

std::optional<std::string> Params::Enum(const std::string& key, const EnumSet& allowed) const {
  std::optional<std::string> value = String(key);
  if (value) CheckEnum(key, *value, allowed);
  return value;
}

std::optional<std::vector<std::string>> Params::EnumList(const std::string& key,
                                                         const EnumSet& allowed) const {
  std::optional<std::vector<std::string>> values = StringList(key);
  if (values) {
    for (const std::string& value : *values) CheckEnum(key, value, allowed);
  }
  return values;
}

std::optional<absl::Time> Params::DateTime(const std::string& key) const {
  std::optional<std::string> text = String(key);
  if (!text) return std::nullopt;
  std::optional<absl::Time> t = ParseDateTime(*text);
  if (!t) InvalidParameter(absl::StrCat(key, ": Time format should be %Y-%m-%d %H:%M:%S."));
  return t;
}

PageRequest Params::Page(int64_t default_size, int64_t max_size) const {
  PageRequest page;
  page.page = Int("page").value_or(1);
  page.page_size = Int("page_size").value_or(default_size);
  if (page.page < 1) InvalidParameter("page: Must be greater than or equal to 1.");
  if (page.page_size < 1 || page.page_size > max_size) {
    InvalidParameter(absl::StrCat("page_size: Must be between 1 and ", max_size, "."));
  }
  return page;
}

void CheckEnum(const std::string& key, const std::string& value, const EnumSet& allowed) {
  if (allowed.count(value) == 0) {
    InvalidParameter(absl::StrCat(key, ": Must be one of: ", absl::StrJoin(allowed, ", "), "."));
  }
}

void CheckListLength(const std::string& key, size_t size, size_t max_count) {
  if (size < 1 || size > max_count) {
    InvalidParameter(absl::StrCat(key, ": Length must be between 1 and ", max_count, "."));
  }
}

MinBudget MinBudgetFor(const SandboxConfig& config, const std::string& currency) {
  auto it = config.min_budgets.find(currency);
  if (it != config.min_budgets.end()) return it->second;
  it = config.min_budgets.find("USD");
  return it != config.min_budgets.end() ? it->second : MinBudget{};
}

void CheckCampaignBudget(const SandboxConfig& config, const std::string& currency, double budget) {
  double minimum = MinBudgetFor(config, currency).campaign;
  if (budget < minimum) {
    InvalidParameter(
        absl::StrFormat("The budget of the campaign is too low. The minimum budget is %.2f %s.",
                        minimum, currency));
  }
}

void CheckAdGroupBudget(const SandboxConfig& config, const std::string& currency,
                        const std::string& budget_mode, double budget, int64_t days) {
  double minimum = MinBudgetFor(config, currency).adgroup_daily;
  if (budget_mode == "BUDGET_MODE_TOTAL") {
    minimum *= static_cast<double>(days < 1 ? 1 : days);
    if (budget < minimum) {
      InvalidParameter(
          absl::StrFormat("The lifetime budget of the ad group is too low. The minimum is %.2f %s "
                          "(%.2f per scheduled day).",
                          minimum, currency, MinBudgetFor(config, currency).adgroup_daily));
    }
    return;
  }
  if (budget < minimum) {
    InvalidParameter(absl::StrFormat(
        "The daily budget of the ad group is too low. The minimum daily budget is %.2f %s.",
        minimum, currency));
  }
}

#define TTADS_SANDBOX_ENUM(name, ...)                           \
  const EnumSet& name() {                                       \
    static const EnumSet* const set = new EnumSet{__VA_ARGS__}; \
    return *set;                                                \
  }

TTADS_SANDBOX_ENUM(ObjectiveTypes, "APP_PROMOTION", "WEB_CONVERSIONS", "REACH", "TRAFFIC",
                   "VIDEO_VIEWS", "PRODUCT_SALES", "ENGAGEMENT", "LEAD_GENERATION", "RF_REACH",
                   "BRAND_CONSIDERATION")
TTADS_SANDBOX_ENUM(ReadableObjectiveTypes, "APP_PROMOTION", "WEB_CONVERSIONS", "REACH", "TRAFFIC",
                   "VIDEO_VIEWS", "PRODUCT_SALES", "ENGAGEMENT", "LEAD_GENERATION", "RF_REACH",
                   "TOPVIEW_REACH", "BRAND_CONSIDERATION", "CONVERSIONS", "APP_INSTALL",
                   "CATALOG_SALES", "SHOP_PURCHASES", "RF_APP_INSTALL", "RF_ENGAGEMENT",
                   "RF_TRAFFIC", "RF_VIDEO_VIEW")
TTADS_SANDBOX_ENUM(CampaignBudgetModes, "BUDGET_MODE_INFINITE", "BUDGET_MODE_DAY",
                   "BUDGET_MODE_TOTAL", "BUDGET_MODE_DYNAMIC_DAILY_BUDGET")
TTADS_SANDBOX_ENUM(AdGroupBudgetModes, "BUDGET_MODE_INFINITE", "BUDGET_MODE_DAY",
                   "BUDGET_MODE_TOTAL", "BUDGET_MODE_DYNAMIC_DAILY_BUDGET")
TTADS_SANDBOX_ENUM(WriteOperationStatuses, "ENABLE", "DISABLE", "DELETE")
TTADS_SANDBOX_ENUM(CreateOperationStatuses, "ENABLE", "DISABLE")
TTADS_SANDBOX_ENUM(PrimaryStatuses, "STATUS_ALL", "STATUS_NOT_DELETE", "STATUS_DELETE",
                   "STATUS_DELIVERY_OK", "STATUS_DISABLE", "STATUS_NOT_DELIVERY",
                   "STATUS_TIME_DONE", "STATUS_RF_CLOSED", "STATUS_FROZEN",
                   "STATUS_DELIVERY_PARTIAL")
TTADS_SANDBOX_ENUM(SpecialIndustries, "HOUSING", "EMPLOYMENT", "CREDIT")
TTADS_SANDBOX_ENUM(CampaignTypes, "REGULAR_CAMPAIGN", "IOS14_CAMPAIGN")
TTADS_SANDBOX_ENUM(PlacementTypes, "PLACEMENT_TYPE_AUTOMATIC", "PLACEMENT_TYPE_NORMAL")
TTADS_SANDBOX_ENUM(Placements, "PLACEMENT_TIKTOK", "PLACEMENT_PANGLE",
                   "PLACEMENT_GLOBAL_APP_BUNDLE")
TTADS_SANDBOX_ENUM(AgeGroups, "AGE_13_17", "AGE_18_24", "AGE_25_34", "AGE_35_44", "AGE_45_54",
                   "AGE_55_100")
TTADS_SANDBOX_ENUM(Genders, "GENDER_MALE", "GENDER_FEMALE", "GENDER_UNLIMITED")
TTADS_SANDBOX_ENUM(ScheduleTypes, "SCHEDULE_FROM_NOW", "SCHEDULE_START_END")
TTADS_SANDBOX_ENUM(OptimizationGoals, "CLICK", "CONVERT", "INSTALL", "IN_APP_EVENT", "SHOW",
                   "REACH", "LEAD_GENERATION", "CONVERSATION", "FOLLOWERS", "PROFILE_VIEWS",
                   "PAGE_VISITS", "VALUE", "AUTOMATIC_VALUE_OPTIMIZATION", "ENGAGED_VIEW",
                   "ENGAGED_VIEW_FIFTEEN", "TRAFFIC_LANDING_PAGE_VIEW", "MT_LIVE_ROOM",
                   "PRODUCT_CLICK_IN_LIVE")
TTADS_SANDBOX_ENUM(BillingEvents, "CPC", "CPM", "CPV", "OCPM")
TTADS_SANDBOX_ENUM(BidTypes, "BID_TYPE_NO_BID", "BID_TYPE_CUSTOM")
TTADS_SANDBOX_ENUM(PacingModes, "PACING_MODE_SMOOTH", "PACING_MODE_FAST")
TTADS_SANDBOX_ENUM(PromotionTypes, "WEBSITE", "APP_ANDROID", "APP_IOS", "GAME", "LEAD_GENERATION",
                   "LEAD_GEN_CLICK_TO_TT_DIRECT_MESSAGE",
                   "LEAD_GEN_CLICK_TO_SOCIAL_MEDIA_APP_MESSAGE", "LEAD_GEN_CLICK_TO_CALL",
                   "WEBSITE_OR_DISPLAY", "TIKTOK_SHOP", "VIDEO_SHOPPING", "LIVE_SHOPPING",
                   "PSA_PRODUCT", "EXTERNAL_OR_DISPLAY")
TTADS_SANDBOX_ENUM(PromotionTargetTypes, "INSTANT_PAGE", "EXTERNAL_WEBSITE")
TTADS_SANDBOX_ENUM(AdFormats, "SINGLE_VIDEO", "SINGLE_IMAGE", "CAROUSEL_ADS", "CATALOG_CAROUSEL",
                   "LIVE_CONTENT")
// The reference lists these up to CALL_NOW and "..."; the rest are inferred from TikTok's docs.
TTADS_SANDBOX_ENUM(CallToActions, "LEARN_MORE", "SHOP_NOW", "SIGN_UP", "CONTACT_US", "APPLY_NOW",
                   "BOOK_NOW", "DOWNLOAD_NOW", "ORDER_NOW", "SEND_MESSAGE", "GET_QUOTE",
                   "SUBSCRIBE", "WATCH_NOW", "VIEW_NOW", "INSTALL_NOW", "PLAY_GAME", "READ_MORE",
                   "INTERESTED", "VISIT_STORE", "CALL_NOW", "GET_TICKETS_NOW", "EXPERIENCE_NOW",
                   "PREORDER_NOW", "LISTEN_NOW", "JOIN_THIS_HASHTAG", "SHOOT_WITH_THIS_EFFECT",
                   "VIEW_VIDEO_WITH_THIS_EFFECT")
TTADS_SANDBOX_ENUM(IdentityTypes, "CUSTOMIZED_USER", "AUTH_CODE", "TT_USER", "BC_AUTH_TT")
TTADS_SANDBOX_ENUM(UploadTypes, "UPLOAD_BY_FILE", "UPLOAD_BY_URL", "UPLOAD_BY_FILE_ID",
                   "UPLOAD_BY_VIDEO_ID")

#undef TTADS_SANDBOX_ENUM

}  // namespace ttads::sandbox

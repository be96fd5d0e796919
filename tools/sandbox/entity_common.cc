// Helpers the endpoint handlers share (declared in endpoints.h).
#include <algorithm>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/sandbox/endpoints.h"

namespace ttads::sandbox {

Advertiser& EndpointContext::AdvertiserFor(const std::string& advertiser_id) {
  auto it = state.advertisers.find(advertiser_id);
  if (it == state.advertisers.end() || (token != nullptr && !token->Grants(advertiser_id))) {
    throw ApiError(kCodeNoPermission,
                   absl::StrCat("No permission to operate advertiser ", advertiser_id,
                                ". Please check that the advertiser authorized this app."));
  }
  return it->second;
}

Advertiser& EndpointContext::RequireAdvertiser() {
  return AdvertiserFor(params.RequiredString("advertiser_id"));
}

Json SelectFields(const Json& object, const std::optional<std::vector<std::string>>& fields,
                  bool exclude_null) {
  Json out = Json::object();
  if (fields) {
    for (const std::string& field : *fields) {
      auto it = object.find(field);
      if (it == object.end()) continue;
      if (exclude_null && it->is_null()) continue;
      out[field] = *it;
    }
    return out;
  }
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (exclude_null && it->is_null()) continue;
    out[it.key()] = it.value();
  }
  return out;
}

FieldSelection ReadFieldSelection(const Params& params, const Json& template_object) {
  FieldSelection selection;
  selection.fields = params.StringList("fields");
  if (selection.fields) {
    std::vector<std::string> unknown;
    for (const std::string& field : *selection.fields) {
      if (!template_object.contains(field)) unknown.push_back(field);
    }
    if (!unknown.empty()) {
      InvalidParameter(
          absl::StrCat("fields: Invalid field(s): ", absl::StrJoin(unknown, ", "), "."));
    }
  }
  if (std::optional<std::vector<std::string>> exclude =
          params.StringList("exclude_field_types_in_response")) {
    for (const std::string& type : *exclude) {
      CheckEnum("exclude_field_types_in_response", type, EnumSet{"NULL_FIELD"});
      selection.exclude_null = true;
    }
  }
  return selection;
}

std::optional<std::string> ReadDedupeKey(const Params& params) {
  std::optional<std::string> key = params.String("request_id");
  if (!key) return std::nullopt;
  bool digits = !key->empty() && key->size() <= 19 &&
                std::all_of(key->begin(), key->end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits) InvalidParameter("request_id: Not a valid integer. It must be an int64 string.");
  return key;
}

void CheckName(const std::string& key, const std::string& name) {
  if (absl::StripAsciiWhitespace(name).empty()) {
    InvalidParameter(absl::StrCat(key, ": Field may not be empty."));
  }
  if (name.size() > 512) {
    InvalidParameter(absl::StrCat(key, ": Length must be between 1 and 512."));
  }
}

Json PageOf(const std::vector<Json>& items, const PageRequest& page, const char* list_key) {
  Json list = Json::array();
  const int64_t total = static_cast<int64_t>(items.size());
  const int64_t begin = (page.page - 1) * page.page_size;
  for (int64_t i = begin; i < total && i < begin + page.page_size; ++i) list.push_back(items[i]);
  return Json{{list_key, std::move(list)}, {"page_info", PageInfo(page, total)}};
}

bool NewerFirst(absl::Time a_time, const std::string& a_id, absl::Time b_time,
                const std::string& b_id) {
  if (a_time != b_time) return a_time > b_time;
  if (a_id.size() != b_id.size()) return a_id.size() > b_id.size();
  return a_id > b_id;
}

int64_t ScheduledDays(absl::Time start, absl::Time end) {
  double days = std::ceil(absl::ToDoubleHours(end - start) / 24.0);
  return days < 1 ? 1 : static_cast<int64_t>(days);
}

void CopyExtra(const Params& params, std::initializer_list<const char*> keys, Json& extra) {
  for (const char* key : keys) {
    auto it = params.values().find(key);
    if (it != params.values().end() && !it->is_null()) extra[key] = *it;
  }
}

CommonFilter CommonFilter::Read(const std::optional<Params>& filtering) {
  CommonFilter filter;
  if (!filtering) return filter;
  if (std::optional<std::string> primary = filtering->Enum("primary_status", PrimaryStatuses())) {
    filter.primary_status = *primary;
  }
  filter.secondary_status = filtering->String("secondary_status");
  filter.objective_type = filtering->Enum("objective_type", ReadableObjectiveTypes());
  filtering->StringList("buying_types");
  filter.created_from = filtering->DateTime("creation_filter_start_time");
  filter.created_to = filtering->DateTime("creation_filter_end_time");
  return filter;
}

bool CommonFilter::Matches(const std::string& secondary, bool deleted, const std::string& objective,
                           absl::Time create_time) const {
  if (secondary_status) {
    // CAMPAIGN_STATUS_ALL, ADGROUP_STATUS_ALL, AD_STATUS_ALL include deleted objects.
    if (!absl::EndsWith(*secondary_status, "_STATUS_ALL") && secondary != *secondary_status) {
      return false;
    }
  } else if (!MatchesPrimaryStatus(secondary, deleted, primary_status)) {
    return false;
  }
  if (objective_type && objective != *objective_type) return false;
  if (created_from && create_time < *created_from) return false;
  if (created_to && create_time > *created_to) return false;
  return true;
}

}  // namespace ttads::sandbox

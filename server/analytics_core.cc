#include "server/analytics_core.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"
#include "server/ad_group_health.h"
#include "server/brain_data.h"
#include "server/crypto_util.h"
#include "server/json_text.h"
#include "server/rpc_status.h"
#include "tiktok/tiktok_error.h"

namespace ttads::server {
namespace {

using ::google::protobuf::Struct;
using ::google::protobuf::Value;

constexpr char kDomain[] = "ttads.v1";
constexpr char kRpcProxy[] = "AnalyticsService.TikTokProxy";
constexpr char kRoiSource[] = "ttads_roi";
// TikTok's limit for a report with stat_time_day (reference §8), counted inclusively.
constexpr int kMaxDailyReportDays = 30;
// "At most 366 days after start_date" (the contract).
constexpr int kMaxRangeDays = 366;
constexpr int kDefaultRangeDays = 7;
constexpr int kDefaultRoiPageSize = 500;
constexpr int kMaxRoiPageSize = 5000;
constexpr int kMaxStatusIds = 20;  // TikTok's limit per */status/update/ call

// ---- days ----

// A strict YYYY-MM-DD day; nullopt for anything else, 2024-02-30 included.
std::optional<absl::CivilDay> ParseDay(const std::string& text) {
  absl::CivilDay day;
  if (text.size() != 10 || !absl::ParseCivilTime(text, &day)) return std::nullopt;
  if (absl::FormatCivilTime(day) != text) return std::nullopt;
  return day;
}

std::string DayText(absl::CivilDay day) { return absl::FormatCivilTime(day); }

// The latest local date anywhere on Earth (UTC+14): a day after it is in the future for every
// advertiser, whatever its zone, so it can be refused before the zone is known.
absl::CivilDay LatestDayAnywhere(absl::Time now) {
  return absl::ToCivilDay(now, absl::FixedTimeZone(14 * 60 * 60));
}

double Round2(double value) { return std::round(value * 100.0) / 100.0; }

// ---- ROI page tokens: the offset into the sorted rows of the same query ----

std::string RoiPageToken(std::size_t offset) {
  return absl::WebSafeBase64Escape(absl::StrCat("roi1|", offset));
}

std::optional<std::size_t> DecodeRoiPageToken(const std::string& token) {
  std::string text;
  if (token.size() > 128 || !absl::WebSafeBase64Unescape(token, &text)) return std::nullopt;
  const std::vector<std::string> parts = absl::StrSplit(text, '|');
  std::size_t offset = 0;
  if (parts.size() != 2 || parts[0] != "roi1" || !absl::SimpleAtoi(parts[1], &offset)) {
    return std::nullopt;
  }
  return offset;
}

bool IsDigits(absl::string_view text) {
  return !text.empty() && text.size() <= 32 &&
         text.find_first_not_of("0123456789") == absl::string_view::npos;
}

// ---- ROI sums ----

struct RoiSums {
  double spend = 0;
  double impressions = 0;
  std::int64_t clicks = 0;
  std::int64_t leads = 0;
  std::int64_t purchases = 0;
  double purchase_value = 0;

  void Add(const RoiSums& other) {
    spend += other.spend;
    impressions += other.impressions;
    clicks += other.clicks;
    leads += other.leads;
    purchases += other.purchases;
    purchase_value += other.purchase_value;
  }
};

std::int32_t ClampInt32(std::int64_t value) {
  return static_cast<std::int32_t>(
      std::clamp<std::int64_t>(value, 0, std::numeric_limits<std::int32_t>::max()));
}

// The rates from the sums (0 when the divisor is 0); every amount rounded to cents here, at the
// edge, never before summing.
void FillFigures(const RoiSums& sums, v1::RoiRow& row) {
  const auto ratio = [](double numerator, double denominator, double scale) {
    return denominator == 0 ? 0.0 : Round2(numerator / denominator * scale);
  };
  const double clicks = static_cast<double>(sums.clicks);
  row.set_spend(Round2(sums.spend));
  row.set_impressions(sums.impressions);
  row.set_clicks(ClampInt32(sums.clicks));
  row.set_ctr(ratio(clicks, sums.impressions, 100));
  row.set_cpc(ratio(sums.spend, clicks, 1));
  row.set_cpm(ratio(sums.spend, sums.impressions, 1000));
  row.set_leads(ClampInt32(sums.leads));
  row.set_cpl(ratio(sums.spend, static_cast<double>(sums.leads), 1));
  row.set_purchases(ClampInt32(sums.purchases));
  row.set_purchase_value(Round2(sums.purchase_value));
  row.set_roas(ratio(sums.purchase_value, sums.spend, 1));
  row.set_roi(ratio(sums.purchase_value - sums.spend, sums.spend, 100));
}

// An attribute or counter of a report row, "" / 0 for TikTok's "-" or a missing value.
std::string Attribute(const tiktok::ReportRow& row, const std::string& name) {
  const std::string text = row.Text(name);
  return text == "-" ? "" : text;
}

std::optional<std::string> Optional(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return text;
}

long long Count(const tiktok::ReportRow& row, const std::string& metric) {
  return static_cast<long long>(std::llround(row.NumberOr0(metric)));
}

// ---- proxy ----

struct StatusEndpoint {
  const char* endpoint;
  const char* ids_key;    // campaign_ids | adgroup_ids | ad_ids
  const char* param_key;  // the action's param: campaign_id | adgroup_id | ad_id
  const char* pause_type;
  const char* resume_type;
};

constexpr StatusEndpoint kStatusEndpoints[] = {
    {"campaign/status/update/", "campaign_ids", "campaign_id", "TikTok.PauseCampaign",
     "TikTok.ResumeCampaign"},
    {"adgroup/status/update/", "adgroup_ids", "adgroup_id", "TikTok.PauseAdGroup",
     "TikTok.ResumeAdGroup"},
    {"ad/status/update/", "ad_ids", "ad_id", "TikTok.PauseAd", "TikTok.ResumeAd"},
};

const StatusEndpoint* FindStatusEndpoint(const std::string& endpoint) {
  for (const StatusEndpoint& entry : kStatusEndpoints) {
    if (endpoint == entry.endpoint) return &entry;
  }
  return nullptr;
}

bool IsReadEndpoint(const std::string& endpoint) {
  const std::vector<std::string>& reads = ProxyReadEndpoints();
  return std::find(reads.begin(), reads.end(), endpoint) != reads.end();
}

// "campaign/get/" from "/campaign/get", "campaign/get/" or "/open_api/v1.3/campaign/get/";
// nullopt when it is not a path of lower-case words.
std::optional<std::string> NormalizeEndpoint(const std::string& raw) {
  std::string path(absl::StripAsciiWhitespace(raw));
  for (const absl::string_view prefix : {"/open_api/v1.3/", "open_api/v1.3/", "/"}) {
    if (absl::StartsWith(path, prefix)) {
      path = path.substr(prefix.size());
      break;
    }
  }
  if (path.empty() || path.size() > 100) return std::nullopt;
  if (path.back() != '/') path.push_back('/');
  if (path.find("//") != std::string::npos) return std::nullopt;
  for (const char c : path) {
    if (!absl::ascii_islower(static_cast<unsigned char>(c)) &&
        !absl::ascii_isdigit(static_cast<unsigned char>(c)) && c != '_' && c != '/') {
      return std::nullopt;
    }
  }
  return path;
}

// A JSON object as a Struct; an empty Struct when it is not an object or not representable.
Struct StructOf(const nlohmann::json& value) {
  Struct out;
  if (!value.is_object()) return out;
  if (!google::protobuf::util::JsonStringToMessage(value.dump(), &out).ok()) out.Clear();
  return out;
}

// The ids of a status update: a list of id strings (or a single "a,b" string, as a query
// string would carry it).
absl::StatusOr<std::vector<std::string>> StatusIds(const Struct& params, const char* key) {
  const auto found = params.fields().find(key);
  const std::string field = absl::StrCat("params.", key);
  if (found == params.fields().end()) return InvalidField(field, "is required");
  std::vector<std::string> ids;
  const Value& value = found->second;
  if (value.kind_case() == Value::kStringValue) {
    for (absl::string_view piece : absl::StrSplit(value.string_value(), ',', absl::SkipEmpty())) {
      ids.emplace_back(absl::StripAsciiWhitespace(piece));
    }
  } else if (value.kind_case() == Value::kListValue) {
    for (const Value& item : value.list_value().values()) {
      if (item.kind_case() != Value::kStringValue) {
        // A number may have lost digits on its way through JSON (ids exceed 2^53).
        return InvalidField(field, "must be a list of id strings");
      }
      ids.push_back(item.string_value());
    }
  } else {
    return InvalidField(field, "must be a list of id strings");
  }
  if (ids.empty() || ids.size() > static_cast<std::size_t>(kMaxStatusIds)) {
    return InvalidField(field, absl::StrCat("must hold 1..", kMaxStatusIds, " ids"));
  }
  for (const std::string& id : ids) {
    if (!IsDigits(id)) {
      return InvalidField(field, absl::StrCat("\"", id, "\" is not a TikTok id (digits)"));
    }
  }
  return ids;
}

std::string StringField(const Struct& params, const char* key) {
  const auto found = params.fields().find(key);
  if (found == params.fields().end() || found->second.kind_case() != Value::kStringValue) {
    return "";
  }
  return found->second.string_value();
}

// Merges the data objects of several TikTok answers into one, as one call for every id would
// have answered: lists are concatenated, other fields keep the last value.
void MergeData(const Struct& data, Struct& into) {
  for (const auto& [key, value] : data.fields()) {
    auto& target = (*into.mutable_fields())[key];
    if (value.kind_case() == Value::kListValue &&
        (target.kind_case() == Value::kListValue ||
         target.kind_case() == Value::KIND_NOT_SET)) {
      for (const Value& item : value.list_value().values()) {
        *target.mutable_list_value()->add_values() = item;
      }
    } else {
      target = value;
    }
  }
}

}  // namespace

const std::vector<std::string>& ProxyReadEndpoints() {
  // existing-system.md §5: campaign/adgroup/ad lists, reports, regions; plus the reads the
  // launch screens need (identities, pixels, instant pages, video and image info).
  static const auto* const endpoints = new std::vector<std::string>{
      "campaign/get/",       "adgroup/get/",         "ad/get/",
      "report/integrated/get/", "advertiser/info/",  "identity/get/",
      "pixel/list/",         "file/video/ad/info/",  "file/image/ad/info/",
      "tool/region/",        "page/get/"};
  return *endpoints;
}

const std::vector<std::string>& ProxyStatusEndpoints() {
  static const auto* const endpoints = new std::vector<std::string>{
      kStatusEndpoints[0].endpoint, kStatusEndpoints[1].endpoint, kStatusEndpoints[2].endpoint};
  return *endpoints;
}

const std::vector<std::string>& RoiReportMetrics() {
  static const auto* const metrics = new std::vector<std::string>{
      "spend",         "impressions",    "clicks",      "conversion",   "complete_payment",
      "total_complete_payment_rate",     "reach",       "video_play_actions",
      "adgroup_id",    "adgroup_name",   "campaign_id", "campaign_name", "ad_name",
      "objective_type"};
  return *metrics;
}

// ============================== TikTokProxy ==============================

absl::Status AnalyticsCore::TikTokProxy(const Principal& principal,
                                        const v1::TikTokProxyRequest& request,
                                        v1::TikTokProxyResponse& response) {
  RequestValidator validator;
  const std::optional<std::string> endpoint = NormalizeEndpoint(request.endpoint());
  if (request.endpoint().empty()) {
    validator.Fail("endpoint", "is required (a TikTok path such as campaign/get/)");
  } else if (!endpoint.has_value()) {
    validator.Fail("endpoint", "must be a TikTok API path such as campaign/get/");
  }
  const std::string method = absl::AsciiStrToUpper(request.method());
  if (!method.empty() && method != "GET" && method != "POST") {
    validator.Fail("method", "must be GET or POST");
  }
  validator.Uuid("ad_account_id", request.ad_account_id(), /*required=*/false);
  validator.Uuid("user_account_id", request.user_account_id(), /*required=*/false);
  if (!validator.ok()) return validator.status();

  const bool is_read = IsReadEndpoint(*endpoint);
  const StatusEndpoint* status_endpoint = FindStatusEndpoint(*endpoint);
  if (!is_read && status_endpoint == nullptr) {
    // The contract answers PERMISSION_DENIED (the endpoint is well-formed, just not allowed).
    std::vector<std::string> allowed = ProxyReadEndpoints();
    for (const std::string& update : ProxyStatusEndpoints()) allowed.push_back(update);
    return WithErrorInfo(
        absl::PermissionDeniedError(absl::StrCat(
            "endpoint \"", *endpoint, "\" is not allowed by the TikTok proxy; allowed: GET ",
            absl::StrJoin(ProxyReadEndpoints(), ", "), "; POST ",
            absl::StrJoin(ProxyStatusEndpoints(), ", "))),
        "ENDPOINT_NOT_ALLOWED", kDomain,
        {{"endpoint", *endpoint}, {"allowed", absl::StrJoin(allowed, ",")}});
  }
  const std::string expected = is_read ? "GET" : "POST";
  if ((method.empty() ? std::string("GET") : method) != expected) {
    return InvalidField("method", absl::StrCat(*endpoint, " is called with ", expected));
  }

  absl::StatusOr<std::string> user =
      principal.EffectiveUser(request.user_account_id(), "user_account_id");
  if (!user.ok()) return user.status();
  if (status_endpoint != nullptr) {
    return ProxyStatusUpdate(principal, *user, *endpoint, request, response);
  }

  absl::StatusOr<TikTokAccess> access = access_.Resolve(*user, request.ad_account_id());
  if (!access.ok()) return access.status();
  if (request.validate_only()) {
    response.set_code(0);
    response.set_message("OK");
    return absl::OkStatus();
  }

  std::string params_text;
  if (!google::protobuf::util::MessageToJsonString(request.params(), &params_text).ok()) {
    return InvalidField("params", "must be a JSON object");
  }
  nlohmann::json params = nlohmann::json::parse(params_text, nullptr, /*allow_exceptions=*/false);
  if (params.is_discarded() || !params.is_object()) params = nlohmann::json::object();
  // The advertiser is ttads's to choose (the caller's own credentials); a caller's advertiser
  // fields and any token it sent are dropped, never forwarded.
  for (const char* key : {"advertiser_id", "advertiser_ids", "bc_id", "access_token"}) {
    params.erase(key);
  }
  if (*endpoint == "advertiser/info/") {
    params["advertiser_ids"] = nlohmann::json::array({access->advertiser_id()});
  } else {
    params["advertiser_id"] = access->advertiser_id();
  }

  absl::StatusOr<tiktok::RawCallResult> result =
      tiktok_.CallRaw(tiktok::HttpMethod::kGet, *endpoint, access->access_token, params);
  if (!result.ok()) return access_.OnTikTokError(*access, result.status());

  const nlohmann::json body =
      nlohmann::json::parse(result->body, nullptr, /*allow_exceptions=*/false);
  response.set_code(static_cast<std::int32_t>(result->code));
  response.set_message(result->message);
  response.set_request_id(result->request_id);
  if (!body.is_discarded() && body.is_object() && body.contains("data")) {
    *response.mutable_data() = StructOf(body["data"]);
  }
  if (tiktok::LookupCode(result->code).needs_reauth) {
    // The envelope still goes back as is (the frontend shows TikTok's message); the account is
    // flagged for a new OAuth like on every other path that meets a rejected token.
    (void)access_.OnTikTokError(
        *access, tiktok::StatusForError(tiktok::ErrorForCode(result->code, result->message,
                                                             result->request_id, *endpoint,
                                                             result->http_status)));
  }
  return absl::OkStatus();
}

absl::Status AnalyticsCore::ProxyStatusUpdate(const Principal& principal,
                                              const std::string& user_id,
                                              const std::string& endpoint,
                                              const v1::TikTokProxyRequest& request,
                                              v1::TikTokProxyResponse& response) {
  const StatusEndpoint& entry = *FindStatusEndpoint(endpoint);
  absl::StatusOr<std::vector<std::string>> ids = StatusIds(request.params(), entry.ids_key);
  if (!ids.ok()) return ids.status();
  // HEAD sends operation_status; older callers sent status (existing-system.md §8 bug 3).
  std::string operation_status = StringField(request.params(), "operation_status");
  if (operation_status.empty()) operation_status = StringField(request.params(), "status");
  if (operation_status != "ENABLE" && operation_status != "DISABLE") {
    return InvalidField("params.operation_status",
                        "must be ENABLE or DISABLE (DELETE is not available through the proxy)");
  }

  v1::DispatchRequest dispatch;
  dispatch.set_source("tiktok_proxy");
  dispatch.set_validate_only(request.validate_only());
  dispatch.mutable_account()->set_user_account_id(user_id);
  dispatch.mutable_account()->set_account_id(request.ad_account_id());
  for (const std::string& id : *ids) {
    v1::Action& action = *dispatch.add_actions();
    action.set_type(operation_status == "DISABLE" ? entry.pause_type : entry.resume_type);
    (*action.mutable_params()->mutable_fields())[entry.param_key].set_string_value(id);
  }
  if (!request.idempotency_key().empty()) {
    dispatch.set_idempotency_key(request.idempotency_key());
  } else {
    // The old proxy had no key, so the frontend sends none. A key from the request's content and
    // the current minute makes a double click or a network retry of the same change apply once,
    // while the same change asked for deliberately a minute later (pause, resume, pause) is a
    // new one. SHA-256, not absl::Hash: the key must be the same on every replica and restart.
    const std::string minute =
        absl::FormatTime("%Y%m%d%H%M", clock_.Now(), absl::UTCTimeZone());
    const std::string content = absl::StrCat(user_id, "|", request.ad_account_id(), "|", endpoint,
                                             "|", operation_status, "|",
                                             absl::StrJoin(*ids, ","), "|", minute);
    dispatch.set_idempotency_key(
        absl::StrCat("proxy-", ToHex(Sha256(content)).substr(0, 32), "-", minute));
  }

  v1::DispatchResponse dispatched;
  absl::Status status = actions_.Dispatch(principal, dispatch, dispatched);
  if (!request.validate_only()) {
    auditor_.Record(principal,
                    {kRpcProxy, user_id, request.ad_account_id(), "tiktok_endpoint", endpoint,
                     dispatch.idempotency_key(),
                     JsonObject({{"execution_id", dispatched.executionid()},
                                 {"operation_status", operation_status},
                                 {"ids", absl::StrJoin(*ids, ",")}})},
                    status);
  }
  if (!status.ok()) return status;

  *response.mutable_mutation() = dispatched.mutation();
  if (request.validate_only()) {
    std::vector<FieldViolation> violations;
    for (const v1::ActionValidation& validation : dispatched.validations()) {
      for (const std::string& issue : validation.issues()) {
        violations.push_back({absl::StrCat("params.", entry.ids_key), issue});
      }
    }
    if (!violations.empty()) return InvalidArgument(violations);
    response.set_code(0);
    response.set_message("OK");
    return absl::OkStatus();
  }
  if (dispatched.status() == "running") {
    return WithErrorInfo(
        absl::AbortedError("the same status update is still being applied; retry shortly"),
        "OPERATION_IN_PROGRESS", kDomain, {{"execution_id", dispatched.executionid()}});
  }
  if (dispatched.executed()) {
    response.set_code(0);
    response.set_message("OK");
    for (const v1::ActionResult& result : dispatched.results()) {
      response.set_request_id(result.tiktok_request_id());
      const auto data = result.result().fields().find("data");
      if (data != result.result().fields().end() &&
          data->second.kind_case() == Value::kStructValue) {
        MergeData(data->second.struct_value(), *response.mutable_data());
      }
    }
    return absl::OkStatus();
  }
  // An action failed: TikTok's code and message when TikTok refused it, else ttads's (-1, as
  // the old proxy answered its own failures).
  response.set_code(-1);
  response.set_message(dispatched.message());
  for (const v1::ActionResult& result : dispatched.results()) {
    if (result.status() != "failed") continue;
    if (result.tiktok_code() != 0) response.set_code(result.tiktok_code());
    if (!result.error().empty()) response.set_message(result.error());
    response.set_request_id(result.tiktok_request_id());
    break;
  }
  return absl::OkStatus();
}

// ================================ GetRoi ================================

absl::Status AnalyticsCore::GetRoi(const Principal& principal, const v1::GetRoiRequest& request,
                                   v1::GetRoiResponse& response) {
  RequestValidator validator;
  validator.Uuid("user_account_id", request.user_account_id(), /*required=*/false);
  validator.Uuid("account_id", request.account_id(), /*required=*/false);
  validator.Uuid("direction_id", request.direction_id(), /*required=*/false);
  const std::string level = request.level().empty() ? "campaign" : request.level();
  if (level != "campaign" && level != "adgroup" && level != "ad") {
    validator.Fail("level", "must be campaign, adgroup or ad");
  }
  const std::string granularity = request.granularity().empty() ? "total" : request.granularity();
  if (granularity != "total" && granularity != "day") {
    validator.Fail("granularity", "must be total or day");
  }
  std::set<std::string> campaign_ids;
  for (const std::string& item : request.campaign_ids()) {
    for (absl::string_view piece : absl::StrSplit(item, ',', absl::SkipEmpty())) {
      const std::string id(absl::StripAsciiWhitespace(piece));
      if (!IsDigits(id)) {
        validator.Fail("campaign_ids", absl::StrCat("\"", id, "\" is not a TikTok campaign id"));
        break;
      }
      campaign_ids.insert(id);
    }
  }
  if (request.page_size() < 0 || request.page_size() > kMaxRoiPageSize) {
    validator.Fail("page_size", absl::StrCat("must be 0..", kMaxRoiPageSize));
  }
  std::optional<std::size_t> offset = std::size_t{0};
  if (!request.page_token().empty()) {
    offset = DecodeRoiPageToken(request.page_token());
    if (!offset.has_value()) validator.Fail("page_token", "malformed");
  }
  const absl::Time now = clock_.Now();
  const absl::CivilDay latest = LatestDayAnywhere(now);
  std::optional<absl::CivilDay> start;
  std::optional<absl::CivilDay> end;
  const auto parse_date = [&](const char* field, const std::string& text,
                              std::optional<absl::CivilDay>& out) {
    if (text.empty()) return;
    out = ParseDay(text);
    if (!out.has_value()) {
      validator.Fail(field, "must be a date YYYY-MM-DD");
    } else if (*out > latest) {
      validator.Fail(field, "must not be in the future");
    }
  };
  parse_date("start_date", request.start_date(), start);
  parse_date("end_date", request.end_date(), end);
  const auto check_range = [&]() {
    if (*start > *end) {
      validator.Fail("start_date", "must not be after end_date");
    } else if (*end - *start > kMaxRangeDays) {
      validator.Fail("end_date",
                     absl::StrCat("must be at most ", kMaxRangeDays, " days after start_date"));
    }
  };
  if (start.has_value() && end.has_value()) check_range();
  if (!validator.ok()) return validator.status();

  absl::StatusOr<std::string> user =
      principal.EffectiveUser(request.user_account_id(), "user_account_id");
  if (!user.ok()) return user.status();
  absl::StatusOr<TikTokAccess> access = access_.Resolve(*user, request.account_id());
  if (!access.ok()) return access.status();

  // The advertiser's currency and time zone: report days are its local days.
  absl::StatusOr<std::vector<tiktok::AdvertiserInfo>> infos =
      tiktok_.GetAdvertiserInfo(access->access_token, {access->advertiser_id()}, {});
  if (!infos.ok()) return access_.OnTikTokError(*access, infos.status());
  std::string currency;
  std::string timezone;
  for (const tiktok::AdvertiserInfo& info : *infos) {
    if (info.advertiser_id != access->advertiser_id()) continue;
    currency = info.currency;
    timezone = info.timezone.empty() ? info.display_timezone : info.timezone;
  }
  std::vector<std::string> notes;
  const ResolvedZone zone = ResolveBrainZone(timezone, notes);
  const absl::CivilDay today = absl::ToCivilDay(now, zone.zone);

  if (!end.has_value()) end = today - 1;
  if (!start.has_value()) start = *end - (kDefaultRangeDays - 1);
  check_range();
  if (!validator.ok()) return validator.status();

  storage::MetricsScope scope;
  scope.user_account_id = access->user_account_id;
  if (!access->account_id.empty()) scope.account_id = access->account_id;
  scope.platform = "tiktok";
  scope.advertiser_id = access->advertiser_id();

  // Which days to read: the ones never read in full, and today (still changing) and later.
  absl::StatusOr<std::vector<std::string>> covered =
      history_.CoveredDays(scope, DayText(*start), DayText(*end));
  if (!covered.ok()) return covered.status();
  const std::set<std::string> covered_set(covered->begin(), covered->end());
  std::vector<absl::CivilDay> missing;
  for (absl::CivilDay day = *start; day <= *end; ++day) {
    if (day >= today || covered_set.count(DayText(day)) == 0) missing.push_back(day);
  }
  if (absl::Status fetched = FetchDays(*access, scope, missing, today, currency, kRoiSource);
      !fetched.ok()) {
    return fetched;
  }

  absl::StatusOr<std::vector<storage::MetricsHistoryRow>> rows =
      history_.List(scope, DayText(*start), DayText(*end));
  if (!rows.ok()) return rows.status();

  // Directions: a campaign's (account_directions.tiktok_campaign_id), an ad group's
  // (direction_tiktok_adgroups) and an ad's (ad_creative_mapping.direction_id).
  std::map<std::string, storage::Direction> directions;  // by id
  std::map<std::string, std::string> campaign_direction;
  std::map<std::string, std::string> adgroup_direction;
  {
    storage::DirectionFilter filter;
    filter.account_id = access->account_id.empty()
                            ? storage::SetNull<std::string>()
                            : storage::NullableField<std::string>(access->account_id);
    storage::PageRequest page{.page_token = "", .page_size = storage::kMaxPageSize};
    do {
      absl::StatusOr<storage::Page<storage::Direction>> listed =
          directions_.List(*user, filter, page);
      if (!listed.ok()) return listed.status();
      for (storage::Direction& direction : listed->items) {
        if (direction.tiktok_campaign_id.has_value() && !direction.tiktok_campaign_id->empty()) {
          campaign_direction.emplace(*direction.tiktok_campaign_id, direction.id);
        }
        absl::StatusOr<std::vector<storage::TikTokAdGroup>> groups =
            directions_.ListAdGroups(direction.id);
        if (!groups.ok()) return groups.status();
        for (const storage::TikTokAdGroup& group : *groups) {
          adgroup_direction.emplace(group.tiktok_adgroup_id, direction.id);
        }
        directions.emplace(direction.id, std::move(direction));
      }
      page.page_token = listed->next_page_token;
    } while (!page.page_token.empty());
  }
  absl::StatusOr<std::map<std::string, storage::AdCreativeLink>> links =
      history_.CreativeLinks(*user);
  if (!links.ok()) return links.status();

  struct Group {
    v1::RoiRow row;
    RoiSums sums;
  };
  std::map<std::pair<std::string, std::string>, Group> groups;  // (date, object id)
  RoiSums totals;
  for (const storage::MetricsHistoryRow& stored : *rows) {
    const std::string campaign_id = stored.campaign_id.value_or("");
    const std::string adgroup_id = stored.adset_id.value_or("");
    if (!campaign_ids.empty() && campaign_ids.count(campaign_id) == 0) continue;
    const auto link = links->find(stored.ad_id);
    std::string direction_id;
    if (link != links->end() && link->second.direction_id.has_value()) {
      direction_id = *link->second.direction_id;
    }
    if (direction_id.empty() && adgroup_direction.count(adgroup_id) > 0) {
      direction_id = adgroup_direction[adgroup_id];
    }
    if (direction_id.empty() && campaign_direction.count(campaign_id) > 0) {
      direction_id = campaign_direction[campaign_id];
    }
    if (!request.direction_id().empty() &&
        absl::AsciiStrToLower(request.direction_id()) != direction_id) {
      continue;
    }
    const auto direction = directions.find(direction_id);

    // Leads by the objective rule: the direction's objective when the ad belongs to one (as the
    // brain decides), else the one stored with the row.
    RoiSums sums;
    sums.spend = stored.spend;
    sums.impressions = static_cast<double>(stored.impressions);
    sums.clicks = stored.clicks;
    sums.leads = stored.leads;
    if (direction != directions.end()) {
      const storage::Direction& d = direction->second;
      const std::string objective = d.tiktok_objective.value_or("").empty()
                                        ? d.objective
                                        : *d.tiktok_objective;
      WindowMetrics metrics;
      metrics.clicks = stored.clicks;
      metrics.conversions = stored.conversions;
      sums.leads = LeadsFor(metrics, objective);
    }
    sums.purchases = stored.purchases;
    sums.purchase_value = stored.purchase_value;
    totals.Add(sums);

    std::string id = campaign_id;
    if (level == "adgroup") id = adgroup_id;
    if (level == "ad") id = stored.ad_id;
    Group& group = groups[{granularity == "day" ? stored.date : "", id}];
    group.sums.Add(sums);
    v1::RoiRow& row = group.row;
    if (granularity == "day") row.set_date(stored.date);
    row.set_campaign_id(campaign_id);
    if (row.campaign_name().empty()) row.set_campaign_name(stored.campaign_name.value_or(""));
    if (level != "campaign") {
      row.set_adgroup_id(adgroup_id);
      if (row.adgroup_name().empty()) row.set_adgroup_name(stored.adset_name.value_or(""));
    }
    if (level == "ad") {
      row.set_ad_id(stored.ad_id);
      if (row.ad_name().empty()) row.set_ad_name(stored.ad_name.value_or(""));
      std::string creative = stored.user_creative_id.value_or("");
      if (link != links->end()) creative = link->second.user_creative_id;
      if (row.user_creative_id().empty()) row.set_user_creative_id(creative);
    }
    if (row.direction_id().empty() && direction != directions.end()) {
      row.set_direction_id(direction_id);
      row.set_direction_name(direction->second.name);
    }
  }

  std::vector<v1::RoiRow> out;
  out.reserve(groups.size());
  for (auto& [key, group] : groups) {
    FillFigures(group.sums, group.row);
    out.push_back(std::move(group.row));
  }
  std::stable_sort(out.begin(), out.end(), [](const v1::RoiRow& a, const v1::RoiRow& b) {
    if (a.date() != b.date()) return a.date() < b.date();
    return a.spend() > b.spend();
  });
  const std::size_t page_size =
      static_cast<std::size_t>(request.page_size() == 0 ? kDefaultRoiPageSize : request.page_size());
  const std::size_t first = std::min(*offset, out.size());
  const std::size_t last = std::min(out.size(), first + page_size);
  for (std::size_t i = first; i < last; ++i) *response.add_rows() = std::move(out[i]);
  if (last < out.size()) response.set_next_page_token(RoiPageToken(last));
  FillFigures(totals, *response.mutable_totals());
  response.set_currency(currency);
  response.mutable_period()->set_start_date(DayText(*start));
  response.mutable_period()->set_end_date(DayText(*end));
  return absl::OkStatus();
}

absl::StatusOr<int> AnalyticsCore::CollectRecentDays(const TikTokAccess& access, int days,
                                                     const std::string& source) {
  absl::StatusOr<std::vector<tiktok::AdvertiserInfo>> infos =
      tiktok_.GetAdvertiserInfo(access.access_token, {access.advertiser_id()}, {});
  if (!infos.ok()) return access_.OnTikTokError(access, infos.status());
  std::string currency;
  std::string timezone;
  for (const tiktok::AdvertiserInfo& info : *infos) {
    if (info.advertiser_id != access.advertiser_id()) continue;
    currency = info.currency;
    timezone = info.timezone.empty() ? info.display_timezone : info.timezone;
  }
  std::vector<std::string> notes;
  const absl::CivilDay today = absl::ToCivilDay(clock_.Now(), ResolveBrainZone(timezone, notes).zone);
  storage::MetricsScope scope;
  scope.user_account_id = access.user_account_id;
  if (!access.account_id.empty()) scope.account_id = access.account_id;
  scope.platform = "tiktok";
  scope.advertiser_id = access.advertiser_id();
  std::vector<absl::CivilDay> window;
  for (absl::CivilDay day = today - days; day < today; ++day) window.push_back(day);
  int stored = 0;
  if (absl::Status fetched = FetchDays(access, scope, window, today, currency, source, &stored);
      !fetched.ok()) {
    return fetched;
  }
  return stored;
}

absl::Status AnalyticsCore::FetchDays(const TikTokAccess& access,
                                      const storage::MetricsScope& scope,
                                      const std::vector<absl::CivilDay>& missing,
                                      absl::CivilDay today, const std::string& currency,
                                      const std::string& source, int* stored_rows) {
  // Contiguous runs of missing days, each cut into reports of at most 30 days.
  std::vector<std::pair<absl::CivilDay, absl::CivilDay>> chunks;
  for (const absl::CivilDay day : missing) {
    if (!chunks.empty() && chunks.back().second + 1 == day &&
        day - chunks.back().first < kMaxDailyReportDays) {
      chunks.back().second = day;
    } else {
      chunks.emplace_back(day, day);
    }
  }
  absl::StatusOr<std::map<std::string, storage::AdCreativeLink>> links =
      history_.CreativeLinks(scope.user_account_id);
  if (!links.ok()) return links.status();

  for (const auto& [first, last] : chunks) {
    tiktok::ReportQuery query;
    query.advertiser_id = access.advertiser_id();
    query.report_type = "BASIC";
    query.service_type = "AUCTION";
    query.data_level = "AUCTION_AD";
    query.dimensions = {"ad_id", "stat_time_day"};
    query.metrics = RoiReportMetrics();
    query.start_date = DayText(first);
    query.end_date = DayText(last);
    query.page_size = 1000;
    // Deleted ads too: their spend is part of their campaign's, as TikTok's campaign reports
    // count it (the same choice as the brain's data).
    query.filtering = {tiktok::ReportFilter::In("ad_status", {"STATUS_ALL"})};
    absl::StatusOr<tiktok::ReportResult> report = tiktok_.GetReport(access.access_token, query);
    if (!report.ok()) return access_.OnTikTokError(access, report.status());

    std::vector<storage::MetricsHistoryRow> rows;
    for (const tiktok::ReportRow& item : report->rows) {
      storage::MetricsHistoryRow row;
      row.ad_id = item.Dimension("ad_id");
      row.date = item.Dimension("stat_time_day").substr(0, 10);
      const std::optional<absl::CivilDay> day = ParseDay(row.date);
      if (row.ad_id.empty() || !day.has_value() || *day < first || *day > last) continue;
      row.user_account_id = scope.user_account_id;
      row.account_id = scope.account_id;
      row.platform = scope.platform;
      row.source = source;
      row.adset_id = Optional(Attribute(item, "adgroup_id"));
      row.campaign_id = Optional(Attribute(item, "campaign_id"));
      row.spend = Round2(item.NumberOr0("spend"));
      row.impressions = Count(item, "impressions");
      row.clicks = Count(item, "clicks");
      row.conversions = Count(item, "conversion");
      row.purchases = Count(item, "complete_payment");
      // Despite its name, TikTok's total purchase value (reference §8).
      row.purchase_value = Round2(item.NumberOr0("total_complete_payment_rate"));
      row.reach = Count(item, "reach");
      row.video_views = Count(item, "video_play_actions");
      row.objective_type = Optional(Attribute(item, "objective_type"));
      WindowMetrics metrics;
      metrics.clicks = row.clicks;
      metrics.conversions = row.conversions;
      row.leads = LeadsFor(metrics, row.objective_type.value_or(""));
      row.currency = Optional(currency);
      row.advertiser_id = access.advertiser_id();
      row.campaign_name = Optional(Attribute(item, "campaign_name"));
      row.adset_name = Optional(Attribute(item, "adgroup_name"));
      row.ad_name = Optional(Attribute(item, "ad_name"));
      const auto link = links->find(row.ad_id);
      if (link != links->end()) row.user_creative_id = link->second.user_creative_id;
      rows.push_back(std::move(row));
    }
    const absl::Time now = clock_.Now();
    absl::StatusOr<int> stored = history_.Upsert(rows, now);
    if (!stored.ok()) return stored.status();
    if (stored_rows != nullptr) *stored_rows += *stored;
    std::vector<std::string> finished;
    for (absl::CivilDay day = first; day <= last && day < today; ++day) {
      finished.push_back(DayText(day));
    }
    if (absl::Status marked = history_.MarkDaysCovered(scope, finished, now); !marked.ok()) {
      return marked;
    }
  }
  return absl::OkStatus();
}

}  // namespace ttads::server

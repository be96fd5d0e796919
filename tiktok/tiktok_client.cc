#include "tiktok/tiktok_client.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <utility>

#include "absl/random/random.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "simdjson.h"
#include "tiktok/lenient.h"
#include "tiktok/pagination.h"

namespace ttads::tiktok {
namespace {

Params ObjectOr(const Params& params) { return params.is_object() ? params : Params::object(); }

Params Strings(const std::vector<std::string>& values) {
  Params array = Params::array();
  for (const std::string& value : values) array.push_back(value);
  return array;
}

void SetIfNotEmpty(Params* params, const char* key, const std::string& value) {
  if (!value.empty()) (*params)[key] = value;
}

std::string AsString(absl::string_view text) { return std::string(text); }

absl::Status Invalid(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("TikTok request: ", what));
}

// The final Status of a failed call: the verdict's error with the attempt count, plus a note.
absl::Status FinalStatus(const ResponseVerdict& verdict, int attempts, absl::string_view note) {
  TikTokError error = verdict.error;
  error.attempts = attempts;
  absl::Status status = MakeTikTokStatus(verdict.status_code, error);
  if (note.empty()) return status;
  absl::Status noted(status.code(), absl::StrCat(status.message(), " (", note, ")"));
  SetTikTokError(&noted, error);
  return noted;
}

int ClampPageSize(int page_size, int max) { return std::clamp(page_size, 1, max); }

// Splits id filters so no list exceeds kMaxFilterIds; at most one list may need splitting.
// Returns no filterings when a given id list holds no usable id (nothing can match).
absl::StatusOr<std::vector<Params>> IdFilterings(
    const Params& base,
    const std::vector<std::pair<std::string, const std::vector<std::string>*>>& lists) {
  Params filtering = ObjectOr(base);
  std::string split_key;
  std::vector<std::vector<std::string>> split_batches;
  for (const auto& [key, ids] : lists) {
    if (ids->empty()) continue;
    std::vector<std::vector<std::string>> batches = BatchIds(*ids, kMaxFilterIds);
    if (batches.empty()) return std::vector<Params>();
    if (batches.size() == 1) {
      filtering[key] = Strings(batches[0]);
      continue;
    }
    if (!split_key.empty()) {
      return Invalid("only one id filter may hold more than 100 ids");
    }
    split_key = key;
    split_batches = std::move(batches);
  }
  std::vector<Params> out;
  if (split_key.empty()) {
    out.push_back(std::move(filtering));
    return out;
  }
  for (const std::vector<std::string>& batch : split_batches) {
    Params one = filtering;
    one[split_key] = Strings(batch);
    out.push_back(std::move(one));
  }
  return out;
}

std::string ContentDispositionFileName(absl::string_view header) {
  const size_t at = header.find("filename=");
  if (at == absl::string_view::npos) return "";
  absl::string_view name = header.substr(at + 9);
  if (!name.empty() && name.front() == '"') {
    name.remove_prefix(1);
    const size_t end = name.find('"');
    return std::string(name.substr(0, end));
  }
  const size_t end = name.find(';');
  return std::string(absl::StripAsciiWhitespace(name.substr(0, end)));
}

std::vector<std::string> AdIdsOf(const JsonValue& data) {
  std::vector<std::string> ids = ReadIdsField(&data, "ad_ids");
  if (!ids.empty()) return ids;
  ids = ReadIdsField(&data, "ad_id");
  if (!ids.empty()) return ids;
  if (const JsonValue* creatives = FieldOf(&data, "creatives");
      creatives != nullptr && creatives->is_array()) {
    for (const JsonValue& creative : creatives->items()) {
      std::string id = ReadIdField(&creative, "ad_id");
      if (!id.empty()) ids.push_back(std::move(id));
    }
  }
  return ids;
}

Params CreativeParams(const AdCreative& creative) {
  Params p = ObjectOr(creative.extra);
  SetIfNotEmpty(&p, "ad_name", creative.ad_name);
  SetIfNotEmpty(&p, "ad_format", creative.ad_format);
  SetIfNotEmpty(&p, "video_id", creative.video_id);
  if (!creative.image_ids.empty()) p["image_ids"] = Strings(creative.image_ids);
  SetIfNotEmpty(&p, "ad_text", creative.ad_text);
  SetIfNotEmpty(&p, "call_to_action", creative.call_to_action);
  SetIfNotEmpty(&p, "landing_page_url", creative.landing_page_url);
  SetIfNotEmpty(&p, "identity_type", creative.identity_type);
  SetIfNotEmpty(&p, "identity_id", creative.identity_id);
  SetIfNotEmpty(&p, "identity_authorized_bc_id", creative.identity_authorized_bc_id);
  SetIfNotEmpty(&p, "display_name", creative.display_name);
  SetIfNotEmpty(&p, "page_id", creative.page_id);
  SetIfNotEmpty(&p, "tracking_pixel_id", creative.tracking_pixel_id);
  SetIfNotEmpty(&p, "operation_status", creative.operation_status);
  return p;
}

// True when `create_time` shows the object was created before `not_before`.
bool CreatedBefore(const std::string& create_time, absl::Time not_before) {
  const std::optional<absl::Time> created = ParseTikTokDateTime(create_time);
  return created.has_value() && *created < not_before;
}

// A random positive int64 in decimal: TikTok's request_id dedupe key.
std::string RandomDedupeId() {
  static absl::Mutex* const mutex = new absl::Mutex();
  static absl::BitGen* const gen = new absl::BitGen();
  absl::MutexLock lock(mutex);
  return absl::StrCat(absl::Uniform<uint64_t>(*gen, uint64_t{1} << 40, uint64_t{1} << 63));
}


// ---- report pages ----
// A report page is read straight from its `data` text into ReportRows, not through the generic
// JsonValue tree: a 1000-row page is about 30,000 JSON values, and building, walking and freeing
// that tree cost about as much again as filling the rows (docs/performance.md, figure 6). The values are kept exactly as ReadReportRow keeps them: strings unescaped, number tokens
// verbatim, booleans as "true"/"false", nulls left out (metrics) or "" (dimensions).

namespace od = simdjson::ondemand;

// The text of one dimension or metric value; nullopt for null. False on malformed JSON.
bool ReadReportValue(od::value value, std::optional<std::string>& out) {
  od::json_type type;
  if (value.type().get(type) != simdjson::SUCCESS) return false;
  switch (type) {
    case od::json_type::string: {
      std::string_view text;
      if (value.get_string().get(text) != simdjson::SUCCESS) return false;
      out.emplace(text);
      return true;
    }
    case od::json_type::number: {
      std::string_view token = value.raw_json_token();
      while (!token.empty() && absl::ascii_isspace(static_cast<unsigned char>(token.back()))) {
        token.remove_suffix(1);
      }
      if (!IsJsonNumberToken(absl::string_view(token.data(), token.size()))) return false;
      out.emplace(token);
      return true;
    }
    case od::json_type::boolean: {
      bool flag = false;
      if (value.get_bool().get(flag) != simdjson::SUCCESS) return false;
      out.emplace(flag ? "true" : "false");
      return true;
    }
    case od::json_type::null: {
      bool is_null = false;
      if (value.is_null().get(is_null) != simdjson::SUCCESS || !is_null) return false;
      out.reset();
      return true;
    }
    case od::json_type::object:
    case od::json_type::array: {  // never sent; kept as compact JSON, as ReadMetricText does
      std::string_view raw;
      if (type == od::json_type::object) {
        od::object object;
        if (value.get_object().get(object) || object.raw_json().get(raw)) return false;
      } else {
        od::array array;
        if (value.get_array().get(array) || array.raw_json().get(raw)) return false;
      }
      absl::StatusOr<JsonValue> parsed = ParseJson(absl::string_view(raw.data(), raw.size()));
      if (!parsed.ok()) return false;
      out.emplace(parsed->ToJson());
      return true;
    }
  }
  return false;
}

// One `dimensions` or `metrics` object into `into`; nulls are left out of metrics and read as ""
// in dimensions (ReadReportRow's rules). False on malformed JSON.
bool ReadReportFields(od::value value, bool keep_null_as_empty,
                      std::map<std::string, std::string>& into) {
  od::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) return false;
  for (auto field_result : object) {
    od::field field;
    std::string_view key;
    if (std::move(field_result).get(field) != simdjson::SUCCESS ||
        field.unescaped_key().get(key) != simdjson::SUCCESS) {
      return false;
    }
    std::optional<std::string> text;
    if (!ReadReportValue(field.value(), text)) return false;
    if (!text.has_value()) {
      if (!keep_null_as_empty) continue;
      text.emplace();
    }
    into.insert_or_assign(std::string(key), *std::move(text));
  }
  return true;
}

// The rows of one page's `data` ({list: [...], page_info: {...}}), appended to `rows`; returns
// the page_info. INVALID_ARGUMENT when `data_json` is not such JSON.
absl::StatusOr<PageInfo> ReadReportPage(const std::string& data_json,
                                        std::vector<ReportRow>& rows) {
  const absl::Status malformed = absl::InvalidArgumentError("report data is not valid JSON");
  const simdjson::padded_string padded(data_json);
  od::parser parser;
  od::document document;
  od::object data;
  if (parser.iterate(padded).get(document) != simdjson::SUCCESS) return malformed;
  if (document.type().value_unsafe() != od::json_type::object) return PageInfo{};  // no rows
  if (document.get_object().get(data) != simdjson::SUCCESS) return malformed;
  PageInfo info;
  bool seen_list = false;
  bool seen_info = false;
  for (auto field_result : data) {
    od::field field;
    std::string_view key;
    if (std::move(field_result).get(field) != simdjson::SUCCESS ||
        field.unescaped_key().get(key) != simdjson::SUCCESS) {
      return malformed;
    }
    od::value value = field.value();
    od::json_type type;
    if (value.type().get(type) != simdjson::SUCCESS) return malformed;
    if (key == "list" && !seen_list && type == od::json_type::array) {
      seen_list = true;
      od::array list;
      if (value.get_array().get(list) != simdjson::SUCCESS) return malformed;
      for (auto item_result : list) {
        od::value item;
        if (std::move(item_result).get(item) != simdjson::SUCCESS) return malformed;
        ReportRow row;
        od::json_type item_type;
        if (item.type().get(item_type) != simdjson::SUCCESS) return malformed;
        if (item_type == od::json_type::object) {
          od::object object;
          if (item.get_object().get(object) != simdjson::SUCCESS) return malformed;
          bool seen_dimensions = false;
          bool seen_metrics = false;
          for (auto part_result : object) {
            od::field part;
            std::string_view part_key;
            if (std::move(part_result).get(part) != simdjson::SUCCESS ||
                part.unescaped_key().get(part_key) != simdjson::SUCCESS) {
              return malformed;
            }
            od::value part_value = part.value();
            od::json_type part_type;
            if (part_value.type().get(part_type) != simdjson::SUCCESS) return malformed;
            // The first "dimensions" / "metrics" object counts (FieldOf's rule).
            bool* seen = part_key == "dimensions" ? &seen_dimensions
                         : part_key == "metrics"  ? &seen_metrics
                                                  : nullptr;
            if (seen == nullptr || *seen || part_type != od::json_type::object) continue;
            *seen = true;
            if (!ReadReportFields(part_value, /*keep_null_as_empty=*/seen == &seen_dimensions,
                                  seen == &seen_dimensions ? row.dimensions : row.metrics)) {
              return malformed;
            }
          }
        }
        rows.push_back(std::move(row));
      }
    } else if (key == "page_info" && !seen_info) {
      seen_info = true;
      std::string_view raw;
      od::object object;
      if (type != od::json_type::object) continue;  // page_info that is no object: no info
      if (value.get_object().get(object) || object.raw_json().get(raw)) return malformed;
      absl::StatusOr<JsonValue> parsed = ParseJson(absl::string_view(raw.data(), raw.size()));
      if (!parsed.ok()) return malformed;
      info = ReadPageInfo(JsonValue::Object({{"page_info", *std::move(parsed)}}));
    }
  }
  return info;
}
}  // namespace

absl::StatusOr<std::unique_ptr<TikTokClient>> TikTokClient::Create(TikTokClientConfig config,
                                                                   TikTokClientDeps deps) {
  if (config.base_url.empty()) return Invalid("base_url is empty");
  if (config.version.empty()) return Invalid("version is empty");
  if (deps.transport == nullptr) {
    CurlTransportOptions options;
    options.connect_timeout = config.connect_timeout;
    options.timeout = config.request_timeout;
    options.max_idle_handles = config.max_idle_connections;
    options.user_agent = config.user_agent;
    absl::StatusOr<std::unique_ptr<CurlTransport>> transport =
        CurlTransport::Create(std::move(options));
    if (!transport.ok()) return transport.status();
    deps.transport = std::shared_ptr<HttpTransport>(*std::move(transport));
  }
  if (deps.clock == nullptr) deps.clock = SystemClock::Get();
  if (deps.rate_limiter == nullptr) {
    deps.rate_limiter = deps.clock == SystemClock::Get()
                            ? RateLimiter::Shared(config.app_id, config.rate_limit)
                            : std::make_shared<RateLimiter>(config.rate_limit, deps.clock);
  }
  if (!deps.random) deps.random = DefaultRandomSource();
  if (!deps.dedupe_id_generator) deps.dedupe_id_generator = &RandomDedupeId;
  return std::unique_ptr<TikTokClient>(new TikTokClient(std::move(config), std::move(deps)));
}

TikTokClient::TikTokClient(TikTokClientConfig config, TikTokClientDeps deps)
    : config_(std::move(config)),
      endpoint_{config_.base_url, config_.version},
      transport_(std::move(deps.transport)),
      limiter_(std::move(deps.rate_limiter)),
      clock_(deps.clock),
      backoff_(config_.retry, std::move(deps.random)),
      logger_(std::move(deps.logger)),
      dedupe_id_generator_(std::move(deps.dedupe_id_generator)) {}

std::string TikTokClient::NewDedupeId() { return dedupe_id_generator_(); }

void TikTokClient::Log(const CallLogRecord& record) const {
  if (!logger_) return;
  try {
    logger_(record);
  } catch (...) {
    // A log sink must not break a TikTok call.
  }
}

HttpRequest TikTokClient::BuildRequest(const CallSpec& spec, const std::string& path,
                                       absl::Duration timeout) const {
  HttpRequest request;
  request.method = spec.method;
  request.timeout = timeout;
  if (spec.method == HttpMethod::kGet) {
    request.url = endpoint_.UrlWithQuery(path, EncodeQuery(spec.params));
  } else {
    request.url = endpoint_.Url(path);
    if (!spec.multipart.empty()) {
      request.multipart = spec.multipart;
    } else {
      request.body = ToJsonText(ObjectOr(spec.params));
      request.content_type = "application/json";
    }
  }
  if (!spec.access_token.empty()) request.headers.emplace_back("Access-Token", spec.access_token);
  // A write that must not happen twice (ad/create, uploads, the auth-code exchange) must not be
  // re-sent by libcurl either (see HttpRequest::fresh_connection); writes with a dedupe key and
  // idempotent ones may reuse connections.
  request.fresh_connection =
      spec.method == HttpMethod::kPost &&
      (spec.retry_mode == RetryMode::kNotIdempotent || spec.retry_mode == RetryMode::kNever);
  return request;
}

TikTokClient::CallOutcome TikTokClient::Call(const CallSpec& spec) {
  CallOutcome out;
  const std::string path = NormalizePath(spec.path);
  const absl::Time start = clock_->Now();
  const absl::Time deadline = std::min(spec.deadline, start + config_.retry.deadline);
  const absl::Duration per_attempt =
      spec.timeout > absl::ZeroDuration() ? spec.timeout : config_.request_timeout;
  for (int attempt = 1;; ++attempt) {
    CallLogRecord record;
    record.method = std::string(HttpMethodName(spec.method));
    record.path = path;
    record.advertiser_id = spec.advertiser_id;
    record.attempt = attempt;

    absl::StatusOr<absl::Duration> waited = limiter_->Acquire(path, spec.advertiser_id, deadline);
    if (!waited.ok()) {
      record.outcome = std::string(kReasonLocalRateLimit);
      record.error = std::string(waited.status().message());
      Log(record);
      out.status = attempt == 1 ? waited.status()
                                : FinalStatus(out.verdict, attempt - 1,
                                              "no retry: the rate limiter's wait passes the "
                                              "call's deadline");
      return out;
    }
    record.rate_limit_wait = *waited;
    const absl::Duration left = deadline - clock_->Now();
    if (left <= absl::ZeroDuration()) {
      if (attempt > 1) {
        out.status = FinalStatus(out.verdict, attempt - 1, "retry deadline reached");
      } else {
        TikTokError error;
        error.path = path;
        error.reason = std::string(kReasonDeadline);
        error.message = "the call's deadline passed before it could be sent";
        out.status = MakeTikTokStatus(absl::StatusCode::kDeadlineExceeded, error);
      }
      return out;
    }

    const absl::Duration timeout = std::min(per_attempt, left);
    const HttpRequest request = BuildRequest(spec, path, timeout);
    HttpCallInfo info;
    absl::StatusOr<HttpResponse> response = transport_->Send(request, &info);
    const bool request_sent = response.ok() || info.request_sent;
    ResponseVerdict verdict = response.ok()
                                  ? JudgeResponse(path, *response, spec.verdict)
                                  : JudgeTransportFailure(path, response.status());
    out.attempts = attempt;
    record.duration = info.elapsed;
    record.new_connections = info.new_connections;
    if (response.ok()) record.http_status = response->status;
    if (verdict.has_envelope) {
      record.code = verdict.envelope.code;
      record.request_id = verdict.envelope.request_id;
    }
    if (response.ok()) record.log_id = response->Header("x-tt-logid");
    HttpResponse current = response.ok() ? *std::move(response) : HttpResponse();

    if (verdict.ok) {
      record.outcome = "ok";
      Log(record);
      out.verdict = std::move(verdict);
      out.response = std::move(current);
      out.status = absl::OkStatus();
      return out;
    }
    verdict.error.attempts = attempt;
    if (attempt > 1 && timeout < per_attempt && verdict.error.reason == kReasonTimeout) {
      // The deadline, not TikTok, cut this attempt short: the previous answer says more.
      record.outcome = verdict.error.reason;
      record.error = verdict.error.message;
      Log(record);
      out.status = FinalStatus(out.verdict, attempt,
                               absl::StrCat("gave up after ", attempt,
                                            " attempts: retry deadline"));
      return out;
    }
    record.outcome = verdict.error.reason;
    record.error = verdict.error.message;
    bool again = MayRetry(config_.retry, spec.retry_mode, verdict.error, request_sent, attempt);
    std::string note;
    absl::Duration delay;
    if (again) {
      delay = backoff_.Delay(attempt, verdict.error.rate_limited);
      if (clock_->Now() + delay >= deadline) {
        again = false;
        note = absl::StrCat("gave up after ", attempt, " attempts: retry deadline");
      }
    } else if (verdict.error.retryable && attempt > 1) {
      note = absl::StrCat("gave up after ", attempt, " attempts");
    } else if (verdict.error.retryable && spec.retry_mode == RetryMode::kNotIdempotent &&
               request_sent) {
      note = "not retried: the request may have taken effect";
    }
    record.final = !again;
    record.backoff = again ? delay : absl::ZeroDuration();
    Log(record);
    out.verdict = std::move(verdict);
    out.response = std::move(current);
    if (!again) {
      out.status = FinalStatus(out.verdict, attempt, note);
      return out;
    }
    clock_->SleepFor(delay);
  }
}

absl::StatusOr<JsonValue> TikTokClient::CallData(const CallSpec& spec) {
  CallOutcome outcome = Call(spec);
  if (!outcome.status.ok()) return outcome.status;
  return std::move(outcome.verdict.data);
}

absl::Status TikTokClient::CallPaged(CallSpec spec, int page_size, absl::string_view list_key,
                                     const std::function<void(const JsonValue&)>& on_item,
                                     int64_t* pages) {
  return ReadAllPages([&](int64_t page) -> absl::StatusOr<PageInfo> {
    spec.params["page"] = page;
    spec.params["page_size"] = page_size;
    absl::StatusOr<JsonValue> data = CallData(spec);
    if (!data.ok()) return data.status();
    if (pages != nullptr) ++*pages;
    if (const JsonValue* list = FieldOf(&*data, list_key); list != nullptr && list->is_array()) {
      for (const JsonValue& item : list->items()) on_item(item);
    }
    return ReadPageInfo(*data);
  });
}

// ---- OAuth ----

absl::StatusOr<AccessTokenResult> TikTokClient::ExchangeAuthCode(absl::string_view auth_code) {
  if (auth_code.empty()) return Invalid("auth_code is empty");
  CallSpec spec;
  spec.method = HttpMethod::kPost;
  spec.path = "oauth2/access_token/";
  spec.params = {{"app_id", config_.app_id},
                 {"secret", config_.app_secret},
                 {"auth_code", AsString(auth_code)}};
  spec.retry_mode = RetryMode::kNotIdempotent;  // the code is single-use
  absl::StatusOr<JsonValue> data = CallData(spec);
  if (!data.ok()) return data.status();
  AccessTokenResult result;
  result.access_token = ReadStringField(&*data, "access_token");
  result.advertiser_ids = ReadIdsField(&*data, "advertiser_ids");
  if (const JsonValue* scope = FieldOf(&*data, "scope"); scope != nullptr && scope->is_array()) {
    for (const JsonValue& item : scope->items()) {
      if (std::optional<int64_t> id = ReadInt(&item); id.has_value()) result.scope.push_back(*id);
    }
  }
  result.data_json = data->ToJson();
  if (result.access_token.empty()) {
    return absl::InternalError("TikTok oauth2/access_token/: no access_token in the answer");
  }
  return result;
}

absl::StatusOr<AuthorizedAdvertisersResult> TikTokClient::GetAuthorizedAdvertisers(
    absl::string_view access_token) {
  CallSpec spec;
  spec.path = "oauth2/advertiser/get/";
  spec.access_token = AsString(access_token);
  spec.params = {{"app_id", config_.app_id}, {"secret", config_.app_secret}};
  absl::StatusOr<JsonValue> data = CallData(spec);
  if (!data.ok()) return data.status();
  AuthorizedAdvertisersResult result;
  if (const JsonValue* list = FieldOf(&*data, "list"); list != nullptr && list->is_array()) {
    for (const JsonValue& item : list->items()) {
      result.advertisers.push_back(
          {ReadIdField(&item, "advertiser_id"), ReadStringField(&item, "advertiser_name")});
    }
  }
  result.data_json = data->ToJson();
  return result;
}

absl::StatusOr<RevokeTokenResult> TikTokClient::RevokeToken(absl::string_view access_token) {
  if (access_token.empty()) return Invalid("access_token is empty");
  CallSpec spec;
  spec.method = HttpMethod::kPost;
  spec.path = "oauth2/revoke_token/";
  spec.params = {{"app_id", config_.app_id},
                 {"secret", config_.app_secret},
                 {"access_token", AsString(access_token)}};
  spec.retry_mode = RetryMode::kIdempotent;  // revoking twice leaves it revoked
  CallOutcome outcome = Call(spec);
  RevokeTokenResult result;
  if (!outcome.status.ok()) {
    if (!NeedsReauth(outcome.status)) return outcome.status;
    result.already_invalid = true;
    return result;
  }
  const JsonValue& data = outcome.verdict.data;
  result.app_id = ReadIdField(&data, "app_id");
  result.advertiser_ids = ReadIdsField(&data, "advertiser_ids");
  result.data_json = data.ToJson();
  return result;
}

// ---- account ----

absl::StatusOr<std::vector<AdvertiserInfo>> TikTokClient::GetAdvertiserInfo(
    absl::string_view access_token, const std::vector<std::string>& advertiser_ids,
    const std::vector<std::string>& fields) {
  std::vector<AdvertiserInfo> out;
  for (const std::vector<std::string>& batch : BatchIds(advertiser_ids, kMaxAdvertiserInfoIds)) {
    CallSpec spec;
    spec.path = "advertiser/info/";
    spec.access_token = AsString(access_token);
    spec.params["advertiser_ids"] = Strings(batch);
    if (!fields.empty()) spec.params["fields"] = Strings(fields);
    if (batch.size() == 1) spec.advertiser_id = batch[0];
    absl::StatusOr<JsonValue> data = CallData(spec);
    if (!data.ok()) return data.status();
    if (const JsonValue* list = FieldOf(&*data, "list"); list != nullptr && list->is_array()) {
      for (const JsonValue& item : list->items()) out.push_back(ReadAdvertiserInfo(item));
    }
  }
  return out;
}

absl::StatusOr<std::vector<Identity>> TikTokClient::GetIdentities(absl::string_view access_token,
                                                                  const IdentityQuery& query) {
  if (query.advertiser_id.empty()) return Invalid("advertiser_id is empty");
  CallSpec spec;
  spec.path = "identity/get/";
  spec.access_token = AsString(access_token);
  spec.advertiser_id = query.advertiser_id;
  spec.params = ObjectOr(query.extra);
  spec.params["advertiser_id"] = query.advertiser_id;
  SetIfNotEmpty(&spec.params, "identity_type", query.identity_type);
  SetIfNotEmpty(&spec.params, "identity_authorized_bc_id", query.identity_authorized_bc_id);
  std::vector<Identity> out;
  absl::Status status =
      CallPaged(spec, ClampPageSize(query.page_size, kMaxPageSizeIdentity), "identity_list",
                [&](const JsonValue& item) { out.push_back(ReadIdentity(item)); });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<std::vector<Pixel>> TikTokClient::ListPixels(absl::string_view access_token,
                                                            absl::string_view advertiser_id) {
  if (advertiser_id.empty()) return Invalid("advertiser_id is empty");
  CallSpec spec;
  spec.path = "pixel/list/";
  spec.access_token = AsString(access_token);
  spec.advertiser_id = AsString(advertiser_id);
  spec.params["advertiser_id"] = AsString(advertiser_id);
  std::vector<Pixel> out;
  absl::Status status = CallPaged(spec, kMaxPageSizePixel, "pixels", [&](const JsonValue& item) {
    out.push_back(ReadPixel(item));
  });
  if (!status.ok()) return status;
  return out;
}

// ---- campaigns ----

absl::StatusOr<CampaignCreateResult> TikTokClient::CreateCampaign(
    absl::string_view access_token, const CampaignCreateRequest& request) {
  if (request.advertiser_id.empty()) return Invalid("advertiser_id is empty");
  if (request.campaign_name.empty()) return Invalid("campaign_name is empty");
  if (request.objective_type.empty()) return Invalid("objective_type is empty");
  const absl::Time start = clock_->Now();
  CampaignCreateResult result;
  result.dedupe_request_id =
      request.dedupe_request_id.empty() ? NewDedupeId() : request.dedupe_request_id;
  CallSpec spec;
  spec.method = HttpMethod::kPost;
  spec.path = "campaign/create/";
  spec.access_token = AsString(access_token);
  spec.advertiser_id = request.advertiser_id;
  spec.retry_mode = RetryMode::kDedupeKey;
  Params& p = spec.params;
  p = ObjectOr(request.extra);
  p["advertiser_id"] = request.advertiser_id;
  p["campaign_name"] = request.campaign_name;
  p["objective_type"] = request.objective_type;
  SetIfNotEmpty(&p, "budget_mode", request.budget_mode);
  if (request.budget.has_value()) p["budget"] = *request.budget;
  SetIfNotEmpty(&p, "operation_status", request.operation_status);
  if (request.budget_optimize_on.has_value()) p["budget_optimize_on"] = *request.budget_optimize_on;
  p["request_id"] = result.dedupe_request_id;

  CallOutcome outcome = Call(spec);
  if (outcome.status.ok()) {
    result.campaign = ReadCampaign(outcome.verdict.data);
    result.campaign_id = result.campaign.campaign_id;
    result.data_json = outcome.verdict.envelope.data_json;
    if (result.campaign_id.empty()) {
      return absl::InternalError("TikTok campaign/create/: no campaign_id in the answer");
    }
    return result;
  }
  if (TikTokCodeOf(outcome.status) != 40050) return outcome.status;
  // "Duplicated request": an earlier attempt with this key created it. Find it by name.
  CampaignQuery query;
  query.advertiser_id = request.advertiser_id;
  query.filtering = {{"campaign_name", request.campaign_name}};
  absl::StatusOr<std::vector<Campaign>> found = GetCampaigns(access_token, query);
  if (!found.ok()) return outcome.status;
  std::vector<Campaign> matches;
  for (Campaign& campaign : *found) {
    if (campaign.campaign_name == request.campaign_name &&
        !CreatedBefore(campaign.create_time, start - config_.read_back_slack)) {
      matches.push_back(std::move(campaign));
    }
  }
  if (matches.size() != 1) return outcome.status;
  result.campaign = std::move(matches[0]);
  result.campaign_id = result.campaign.campaign_id;
  result.recovered_by_read_back = true;
  result.data_json = result.campaign.raw_json;
  return result;
}

absl::Status TikTokClient::ListEntities(absl::string_view access_token,
                                       const EntityListing& listing,
                                       const std::function<void(const JsonValue&)>& on_item) {
  absl::StatusOr<std::vector<Params>> filterings =
      IdFilterings(*listing.filtering, listing.id_lists);
  if (!filterings.ok()) return filterings.status();
  for (const Params& filtering : *filterings) {
    CallSpec spec;
    spec.path = std::string(listing.path);
    spec.access_token = AsString(access_token);
    spec.advertiser_id = *listing.advertiser_id;
    spec.params["advertiser_id"] = *listing.advertiser_id;
    if (!listing.fields->empty()) spec.params["fields"] = Strings(*listing.fields);
    if (!filtering.empty()) spec.params["filtering"] = filtering;
    absl::Status status =
        CallPaged(spec, ClampPageSize(listing.page_size, kMaxPageSizeEntities), "list", on_item);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Campaign>> TikTokClient::GetCampaigns(absl::string_view access_token,
                                                                 const CampaignQuery& query) {
  if (query.advertiser_id.empty()) return Invalid("advertiser_id is empty");
  std::vector<Campaign> out;
  const absl::Status status = ListEntities(
      access_token,
      {"campaign/get/", &query.advertiser_id, &query.fields, &query.filtering, query.page_size,
       {{"campaign_ids", &query.campaign_ids}}},
      [&](const JsonValue& item) { out.push_back(ReadCampaign(item)); });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<CampaignUpdateResult> TikTokClient::UpdateCampaign(
    absl::string_view access_token, const CampaignUpdateRequest& request) {
  if (request.advertiser_id.empty()) return Invalid("advertiser_id is empty");
  if (request.campaign_id.empty()) return Invalid("campaign_id is empty");
  CallSpec spec;
  spec.method = HttpMethod::kPost;
  spec.path = "campaign/update/";
  spec.access_token = AsString(access_token);
  spec.advertiser_id = request.advertiser_id;
  spec.retry_mode = RetryMode::kIdempotent;  // sets values: repeating it changes nothing
  spec.params = ObjectOr(request.extra);
  spec.params["advertiser_id"] = request.advertiser_id;
  spec.params["campaign_id"] = request.campaign_id;
  if (request.campaign_name.has_value()) spec.params["campaign_name"] = *request.campaign_name;
  if (request.budget.has_value()) spec.params["budget"] = *request.budget;
  CallOutcome outcome = Call(spec);
  if (!outcome.status.ok()) return outcome.status;
  CampaignUpdateResult result;
  result.campaign = ReadCampaign(outcome.verdict.data);
  result.data_json = outcome.verdict.envelope.data_json;
  return result;
}

absl::StatusOr<StatusUpdateResult> TikTokClient::UpdateStatus(
    absl::string_view access_token, absl::string_view path, absl::string_view advertiser_id,
    absl::string_view ids_key, const std::vector<std::string>& ids,
    absl::string_view operation_status, const Params& extra) {
  if (advertiser_id.empty()) return Invalid("advertiser_id is empty");
  if (operation_status.empty()) return Invalid("operation_status is empty");
  const std::vector<std::vector<std::string>> batches = BatchIds(ids, kMaxStatusUpdateIds);
  if (batches.empty()) return Invalid(absl::StrCat(ids_key, " is empty"));
  StatusUpdateResult result;
  size_t done = 0;
  for (const std::vector<std::string>& batch : batches) {
    CallSpec spec;
    spec.method = HttpMethod::kPost;
    spec.path = AsString(path);
    spec.access_token = AsString(access_token);
    spec.advertiser_id = AsString(advertiser_id);
    spec.retry_mode = RetryMode::kIdempotent;  // setting a status twice leaves it set
    spec.params = ObjectOr(extra);
    spec.params["advertiser_id"] = AsString(advertiser_id);
    spec.params[AsString(ids_key)] = Strings(batch);
    spec.params["operation_status"] = AsString(operation_status);
    CallOutcome outcome = Call(spec);
    if (!outcome.status.ok()) {
      if (done == 0) return outcome.status;
      absl::Status status(outcome.status.code(),
                          absl::StrCat(outcome.status.message(), " (", done, " of ",
                                       ids.size(), " ids were updated before this batch)"));
      if (std::optional<TikTokError> error = TikTokErrorOf(outcome.status)) {
        SetTikTokError(&status, *error);
      }
      return status;
    }
    const JsonValue& data = outcome.verdict.data;
    std::vector<std::string> updated = ReadIdsField(&data, ids_key);
    if (updated.empty() && outcome.verdict.envelope.code == 0) updated = batch;
    result.ids.insert(result.ids.end(), updated.begin(), updated.end());
    if (std::string status = ReadStringField(&data, "status"); !status.empty()) {
      result.status = std::move(status);
    }
    if (const JsonValue* errors = FieldOf(&data, "error_list");
        errors != nullptr && errors->is_array()) {
      for (const JsonValue& item : errors->items()) {
        std::string id;
        for (const char* key : {"adgroup_id", "campaign_id", "ad_id", "id"}) {
          if (id.empty()) id = ReadIdField(&item, key);
        }
        result.errors.push_back({std::move(id), ReadStringField(&item, "error_message")});
      }
    }
    if (outcome.verdict.envelope.code == 20001 || !result.errors.empty()) result.partial = true;
    result.data_json.push_back(outcome.verdict.envelope.data_json);
    done += batch.size();
  }
  if (result.status.empty()) result.status = AsString(operation_status);
  return result;
}

absl::StatusOr<StatusUpdateResult> TikTokClient::UpdateCampaignStatus(
    absl::string_view access_token, absl::string_view advertiser_id,
    const std::vector<std::string>& campaign_ids, absl::string_view operation_status) {
  return UpdateStatus(access_token, "campaign/status/update/", advertiser_id, "campaign_ids",
                      campaign_ids, operation_status, Params::object());
}

// ---- ad groups ----

absl::StatusOr<AdGroupCreateResult> TikTokClient::CreateAdGroup(
    absl::string_view access_token, const AdGroupCreateRequest& request) {
  if (request.advertiser_id.empty()) return Invalid("advertiser_id is empty");
  if (request.campaign_id.empty()) return Invalid("campaign_id is empty");
  if (request.adgroup_name.empty()) return Invalid("adgroup_name is empty");
  const absl::Time start = clock_->Now();
  AdGroupCreateResult result;
  result.dedupe_request_id =
      request.dedupe_request_id.empty() ? NewDedupeId() : request.dedupe_request_id;
  CallSpec spec;
  spec.method = HttpMethod::kPost;
  spec.path = "adgroup/create/";
  spec.access_token = AsString(access_token);
  spec.advertiser_id = request.advertiser_id;
  spec.retry_mode = RetryMode::kDedupeKey;
  Params& p = spec.params;
  p = ObjectOr(request.extra);
  p["advertiser_id"] = request.advertiser_id;
  p["campaign_id"] = request.campaign_id;
  p["adgroup_name"] = request.adgroup_name;
  SetIfNotEmpty(&p, "budget_mode", request.budget_mode);
  if (request.budget.has_value()) p["budget"] = *request.budget;
  SetIfNotEmpty(&p, "schedule_type", request.schedule_type);
  SetIfNotEmpty(&p, "schedule_start_time", request.schedule_start_time);
  SetIfNotEmpty(&p, "schedule_end_time", request.schedule_end_time);
  SetIfNotEmpty(&p, "optimization_goal", request.optimization_goal);
  SetIfNotEmpty(&p, "billing_event", request.billing_event);
  SetIfNotEmpty(&p, "bid_type", request.bid_type);
  SetIfNotEmpty(&p, "pacing", request.pacing);
  SetIfNotEmpty(&p, "placement_type", request.placement_type);
  if (!request.placements.empty()) p["placements"] = Strings(request.placements);
  if (!request.location_ids.empty()) p["location_ids"] = Strings(request.location_ids);
  SetIfNotEmpty(&p, "promotion_type", request.promotion_type);
  SetIfNotEmpty(&p, "operation_status", request.operation_status);
  p["request_id"] = result.dedupe_request_id;

  CallOutcome outcome = Call(spec);
  if (outcome.status.ok()) {
    result.adgroup = ReadAdGroup(outcome.verdict.data);
    result.adgroup_id = result.adgroup.adgroup_id;
    result.data_json = outcome.verdict.envelope.data_json;
    if (result.adgroup_id.empty()) {
      return absl::InternalError("TikTok adgroup/create/: no adgroup_id in the answer");
    }
    return result;
  }
  if (TikTokCodeOf(outcome.status) != 40050) return outcome.status;
  AdGroupQuery query;
  query.advertiser_id = request.advertiser_id;
  query.campaign_ids = {request.campaign_id};
  query.filtering = {{"adgroup_name", request.adgroup_name}};
  absl::StatusOr<std::vector<AdGroup>> found = GetAdGroups(access_token, query);
  if (!found.ok()) return outcome.status;
  std::vector<AdGroup> matches;
  for (AdGroup& adgroup : *found) {
    if (adgroup.adgroup_name == request.adgroup_name &&
        !CreatedBefore(adgroup.create_time, start - config_.read_back_slack)) {
      matches.push_back(std::move(adgroup));
    }
  }
  if (matches.size() != 1) return outcome.status;
  result.adgroup = std::move(matches[0]);
  result.adgroup_id = result.adgroup.adgroup_id;
  result.recovered_by_read_back = true;
  result.data_json = result.adgroup.raw_json;
  return result;
}

absl::StatusOr<std::vector<AdGroup>> TikTokClient::GetAdGroups(absl::string_view access_token,
                                                               const AdGroupQuery& query) {
  if (query.advertiser_id.empty()) return Invalid("advertiser_id is empty");
  std::vector<AdGroup> out;
  const absl::Status status = ListEntities(
      access_token,
      {"adgroup/get/", &query.advertiser_id, &query.fields, &query.filtering, query.page_size,
       {{"campaign_ids", &query.campaign_ids}, {"adgroup_ids", &query.adgroup_ids}}},
      [&](const JsonValue& item) { out.push_back(ReadAdGroup(item)); });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<AdGroupUpdateResult> TikTokClient::UpdateAdGroup(
    absl::string_view access_token, const AdGroupUpdateRequest& request) {
  if (request.advertiser_id.empty()) return Invalid("advertiser_id is empty");
  if (request.adgroup_id.empty()) return Invalid("adgroup_id is empty");
  CallSpec spec;
  spec.method = HttpMethod::kPost;
  spec.path = "adgroup/update/";
  spec.access_token = AsString(access_token);
  spec.advertiser_id = request.advertiser_id;
  spec.retry_mode = RetryMode::kIdempotent;
  spec.params = ObjectOr(request.extra);
  spec.params["advertiser_id"] = request.advertiser_id;
  spec.params["adgroup_id"] = request.adgroup_id;
  if (request.adgroup_name.has_value()) spec.params["adgroup_name"] = *request.adgroup_name;
  if (request.budget.has_value()) spec.params["budget"] = *request.budget;
  CallOutcome outcome = Call(spec);
  if (!outcome.status.ok()) return outcome.status;
  AdGroupUpdateResult result;
  result.adgroup = ReadAdGroup(outcome.verdict.data);
  result.data_json = outcome.verdict.envelope.data_json;
  return result;
}

absl::StatusOr<StatusUpdateResult> TikTokClient::UpdateAdGroupStatus(
    absl::string_view access_token, absl::string_view advertiser_id,
    const std::vector<std::string>& adgroup_ids, absl::string_view operation_status,
    bool allow_partial_success) {
  Params extra = Params::object();
  if (allow_partial_success) extra["allow_partial_success"] = true;
  return UpdateStatus(access_token, "adgroup/status/update/", advertiser_id, "adgroup_ids",
                      adgroup_ids, operation_status, extra);
}

absl::StatusOr<AdGroupBudgetUpdateResult> TikTokClient::UpdateAdGroupBudgets(
    absl::string_view access_token, const AdGroupBudgetUpdateRequest& request) {
  if (request.advertiser_id.empty()) return Invalid("advertiser_id is empty");
  if (request.budgets.empty() && request.schedule_budgets.empty()) {
    return Invalid("no budget to update");
  }
  CallSpec spec;
  spec.method = HttpMethod::kPost;
  spec.path = "adgroup/budget/update/";
  spec.access_token = AsString(access_token);
  spec.advertiser_id = request.advertiser_id;
  spec.retry_mode = RetryMode::kIdempotent;
  spec.params["advertiser_id"] = request.advertiser_id;
  if (!request.budgets.empty()) {
    Params list = Params::array();
    for (const AdGroupBudget& b : request.budgets) {
      list.push_back({{"adgroup_id", b.adgroup_id}, {"budget", b.budget}});
    }
    spec.params["budget"] = std::move(list);
  }
  if (!request.schedule_budgets.empty()) {
    Params list = Params::array();
    for (const AdGroupBudget& b : request.schedule_budgets) {
      list.push_back({{"adgroup_id", b.adgroup_id}, {"schedule_budget", b.budget}});
    }
    spec.params["schedule_budget"] = std::move(list);
  }
  spec.verdict.parse_data = false;
  CallOutcome outcome = Call(spec);
  if (!outcome.status.ok()) return outcome.status;
  return AdGroupBudgetUpdateResult{outcome.verdict.envelope.data_json};
}

// ---- ads ----

absl::StatusOr<std::map<std::string, std::string>> TikTokClient::FindAdsByName(
    absl::string_view access_token, absl::string_view advertiser_id,
    absl::string_view adgroup_id, const std::vector<std::string>& names, absl::Time not_before) {
  AdQuery query;
  query.advertiser_id = AsString(advertiser_id);
  query.adgroup_ids = {AsString(adgroup_id)};
  absl::StatusOr<std::vector<Ad>> ads = GetAds(access_token, query);
  if (!ads.ok()) return ads.status();
  const std::set<std::string> wanted(names.begin(), names.end());
  std::map<std::string, std::string> found;
  for (const Ad& ad : *ads) {
    if (wanted.count(ad.ad_name) == 0 || CreatedBefore(ad.create_time, not_before)) continue;
    found.emplace(ad.ad_name, ad.ad_id);
  }
  return found;
}

absl::StatusOr<AdCreateResult> TikTokClient::CreateAds(absl::string_view access_token,
                                                       const AdCreateRequest& request) {
  if (request.advertiser_id.empty()) return Invalid("advertiser_id is empty");
  if (request.adgroup_id.empty()) return Invalid("adgroup_id is empty");
  if (request.creatives.empty() || request.creatives.size() > kMaxCreativesPerAdCreate) {
    return Invalid("ad/create takes 1-20 creatives");
  }
  // A retry needs every creative to be findable by a name unique within the request.
  std::vector<std::string> names;
  std::set<std::string> distinct;
  for (const AdCreative& creative : request.creatives) {
    names.push_back(creative.ad_name);
    if (!creative.ad_name.empty()) distinct.insert(creative.ad_name);
  }
  const bool can_read_back = distinct.size() == names.size();

  CallSpec spec;
  spec.method = HttpMethod::kPost;
  spec.path = "ad/create/";
  spec.access_token = AsString(access_token);
  spec.advertiser_id = request.advertiser_id;
  spec.retry_mode = RetryMode::kNever;  // retries happen here, after a read-back
  spec.params["advertiser_id"] = request.advertiser_id;
  spec.params["adgroup_id"] = request.adgroup_id;
  Params creatives = Params::array();
  for (const AdCreative& creative : request.creatives) creatives.push_back(CreativeParams(creative));
  spec.params["creatives"] = std::move(creatives);

  const absl::Time start = clock_->Now();
  spec.deadline = start + config_.retry.deadline;
  for (int attempt = 1;; ++attempt) {
    CallOutcome outcome = Call(spec);
    if (outcome.status.ok()) {
      AdCreateResult result;
      result.ad_ids = AdIdsOf(outcome.verdict.data);
      result.data_json = outcome.verdict.envelope.data_json;
      if (result.ad_ids.empty()) {
        return absl::InternalError("TikTok ad/create/: no ad_ids in the answer");
      }
      return result;
    }
    TikTokError error = outcome.verdict.error;
    error.attempts = attempt;
    // RetryMode::kIdempotent here: whether the create took effect is settled by the read-back.
    if (!can_read_back ||
        !MayRetry(config_.retry, RetryMode::kIdempotent, error, true, attempt)) {
      return FinalStatus(outcome.verdict, attempt,
                         error.retryable && !can_read_back
                             ? "not retried: creatives need distinct ad_names for a read-back"
                             : "");
    }
    absl::StatusOr<std::map<std::string, std::string>> found = FindAdsByName(
        access_token, request.advertiser_id, request.adgroup_id, names,
        start - config_.read_back_slack);
    if (!found.ok()) {
      TikTokError unknown = error;
      unknown.reason = std::string(kReasonOutcomeUnknown);
      unknown.retryable = false;
      unknown.message = absl::StrCat(error.message,
                                     "; the read-back (ad/get) failed too, so whether the ads "
                                     "were created is unknown: not retried (",
                                     found.status().message(), ")");
      return MakeTikTokStatus(absl::StatusCode::kUnavailable, unknown);
    }
    if (found->size() == names.size()) {
      AdCreateResult result;
      for (const std::string& name : names) result.ad_ids.push_back(found->at(name));
      result.recovered_by_read_back = true;
      return result;
    }
    if (!found->empty()) {
      TikTokError partial = error;
      partial.reason = std::string(kReasonPartialCreate);
      partial.retryable = false;
      std::vector<std::string> ids;
      for (const auto& [name, id] : *found) ids.push_back(absl::StrCat(name, "=", id));
      partial.message = absl::StrCat(error.message, "; ", found->size(), " of ", names.size(),
                                     " ads exist (", absl::StrJoin(ids, ", "),
                                     "): not retried");
      return MakeTikTokStatus(absl::StatusCode::kAborted, partial);
    }
    // Proven not created: wait and create again.
    const absl::Duration delay = backoff_.Delay(attempt, error.rate_limited);
    if (clock_->Now() + delay >= spec.deadline) {
      return FinalStatus(outcome.verdict, attempt,
                         absl::StrCat("gave up after ", attempt, " attempts: retry deadline"));
    }
    clock_->SleepFor(delay);
  }
}

absl::StatusOr<std::vector<Ad>> TikTokClient::GetAds(absl::string_view access_token,
                                                     const AdQuery& query) {
  if (query.advertiser_id.empty()) return Invalid("advertiser_id is empty");
  std::vector<Ad> out;
  const absl::Status status = ListEntities(
      access_token,
      {"ad/get/", &query.advertiser_id, &query.fields, &query.filtering, query.page_size,
       {{"campaign_ids", &query.campaign_ids}, {"adgroup_ids", &query.adgroup_ids},
        {"ad_ids", &query.ad_ids}}},
      [&](const JsonValue& item) { out.push_back(ReadAd(item)); });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<StatusUpdateResult> TikTokClient::UpdateAdStatus(
    absl::string_view access_token, absl::string_view advertiser_id,
    const std::vector<std::string>& ad_ids, absl::string_view operation_status) {
  return UpdateStatus(access_token, "ad/status/update/", advertiser_id, "ad_ids", ad_ids,
                      operation_status, Params::object());
}

// ---- files ----

namespace {

VideoUploadResult ReadVideoUpload(const ResponseVerdict& verdict) {
  VideoUploadResult result;
  const JsonValue& data = verdict.data;
  // data is an array of videos (Go SDK), or one video object (seen in practice).
  if (data.is_array()) {
    for (const JsonValue& item : data.items()) result.videos.push_back(ReadVideoInfo(item));
  } else if (data.is_object()) {
    if (const JsonValue* list = data.Find("list"); list != nullptr && list->is_array()) {
      for (const JsonValue& item : list->items()) result.videos.push_back(ReadVideoInfo(item));
    } else {
      result.videos.push_back(ReadVideoInfo(data));
    }
  }
  if (!result.videos.empty()) result.video = result.videos.front();
  result.data_json = verdict.envelope.data_json;
  return result;
}

}  // namespace

absl::StatusOr<VideoUploadResult> TikTokClient::UploadVideoByUrl(
    absl::string_view access_token, const VideoUploadByUrlRequest& request) {
  if (request.advertiser_id.empty()) return Invalid("advertiser_id is empty");
  if (request.video_url.empty()) return Invalid("video_url is empty");
  CallSpec spec;
  spec.method = HttpMethod::kPost;
  spec.path = "file/video/ad/upload/";
  spec.access_token = AsString(access_token);
  spec.advertiser_id = request.advertiser_id;
  spec.retry_mode = RetryMode::kNotIdempotent;  // every upload makes a new video
  spec.timeout = config_.upload_timeout;
  spec.params = ObjectOr(request.extra);
  spec.params["advertiser_id"] = request.advertiser_id;
  spec.params["upload_type"] = "UPLOAD_BY_URL";
  spec.params["video_url"] = request.video_url;
  SetIfNotEmpty(&spec.params, "file_name", request.file_name);
  CallOutcome outcome = Call(spec);
  if (!outcome.status.ok()) return outcome.status;
  VideoUploadResult result = ReadVideoUpload(outcome.verdict);
  if (result.video.video_id.empty()) {
    return absl::InternalError("TikTok file/video/ad/upload/: no video_id in the answer");
  }
  return result;
}

absl::StatusOr<VideoUploadResult> TikTokClient::UploadVideoByFile(
    absl::string_view access_token, const VideoUploadByFileRequest& request) {
  if (request.advertiser_id.empty()) return Invalid("advertiser_id is empty");
  absl::StatusOr<int64_t> size = UploadSize(request.source);
  if (!size.ok()) return size.status();
  Params fields = ObjectOr(request.extra);
  fields["advertiser_id"] = request.advertiser_id;
  fields["upload_type"] = "UPLOAD_BY_FILE";
  const std::string file_name =
      request.file_name.empty() ? request.source.file_name : request.file_name;
  SetIfNotEmpty(&fields, "file_name", file_name);
  UploadSource source = request.source;
  if (source.file_name.empty()) source.file_name = file_name;
  absl::StatusOr<MultipartForm> form =
      BuildUploadForm(fields, "video_file", "video_signature", source);
  if (!form.ok()) return form.status();
  CallSpec spec;
  spec.method = HttpMethod::kPost;
  spec.path = "file/video/ad/upload/";
  spec.access_token = AsString(access_token);
  spec.advertiser_id = request.advertiser_id;
  spec.retry_mode = RetryMode::kNotIdempotent;
  spec.multipart = form->parts();
  const int64_t megabytes = (*size + (int64_t{1} << 20) - 1) >> 20;
  spec.timeout = std::max(config_.upload_timeout,
                          config_.upload_timeout_per_mb * static_cast<double>(megabytes));
  CallOutcome outcome = Call(spec);
  if (!outcome.status.ok()) return outcome.status;
  VideoUploadResult result = ReadVideoUpload(outcome.verdict);
  if (result.video.video_id.empty()) {
    return absl::InternalError("TikTok file/video/ad/upload/: no video_id in the answer");
  }
  return result;
}

absl::StatusOr<std::vector<VideoInfo>> TikTokClient::GetVideoInfo(
    absl::string_view access_token, absl::string_view advertiser_id,
    const std::vector<std::string>& video_ids) {
  if (advertiser_id.empty()) return Invalid("advertiser_id is empty");
  std::vector<VideoInfo> out;
  for (const std::vector<std::string>& batch : BatchIds(video_ids, kMaxVideoInfoIds)) {
    CallSpec spec;
    spec.path = "file/video/ad/info/";
    spec.access_token = AsString(access_token);
    spec.advertiser_id = AsString(advertiser_id);
    spec.params["advertiser_id"] = AsString(advertiser_id);
    spec.params["video_ids"] = Strings(batch);
    absl::StatusOr<JsonValue> data = CallData(spec);
    if (!data.ok()) return data.status();
    if (const JsonValue* list = FieldOf(&*data, "list"); list != nullptr && list->is_array()) {
      for (const JsonValue& item : list->items()) out.push_back(ReadVideoInfo(item));
    }
  }
  return out;
}

absl::StatusOr<ImageUploadResult> TikTokClient::UploadImage(absl::string_view access_token,
                                                            const ImageUploadRequest& request) {
  if (request.advertiser_id.empty()) return Invalid("advertiser_id is empty");
  if (!request.source.has_value() && request.image_url.empty()) {
    return Invalid("an image upload needs a file or an image_url");
  }
  CallSpec spec;
  spec.method = HttpMethod::kPost;
  spec.path = "file/image/ad/upload/";
  spec.access_token = AsString(access_token);
  spec.advertiser_id = request.advertiser_id;
  spec.retry_mode = RetryMode::kNotIdempotent;
  spec.timeout = config_.upload_timeout;
  Params fields = ObjectOr(request.extra);
  fields["advertiser_id"] = request.advertiser_id;
  if (request.source.has_value()) {
    fields["upload_type"] = "UPLOAD_BY_FILE";
    const std::string file_name =
        request.file_name.empty() ? request.source->file_name : request.file_name;
    SetIfNotEmpty(&fields, "file_name", file_name);
    UploadSource source = *request.source;
    if (source.file_name.empty()) source.file_name = file_name;
    absl::StatusOr<MultipartForm> form =
        BuildUploadForm(fields, "image_file", "image_signature", source);
    if (!form.ok()) return form.status();
    spec.multipart = form->parts();
  } else {
    fields["upload_type"] = "UPLOAD_BY_URL";
    fields["image_url"] = request.image_url;
    SetIfNotEmpty(&fields, "file_name", request.file_name);
    spec.params = std::move(fields);
  }
  CallOutcome outcome = Call(spec);
  if (!outcome.status.ok()) return outcome.status;
  const JsonValue& data = outcome.verdict.data;
  ImageUploadResult result;
  if (data.is_array() && !data.items().empty()) {
    result.image = ReadImageInfo(data.items().front());
  } else {
    result.image = ReadImageInfo(data);
  }
  result.data_json = outcome.verdict.envelope.data_json;
  if (result.image.image_id.empty()) {
    return absl::InternalError("TikTok file/image/ad/upload/: no image_id in the answer");
  }
  return result;
}

// ---- reporting ----

absl::StatusOr<ReportResult> TikTokClient::GetReport(absl::string_view access_token,
                                                     const ReportQuery& query) {
  if (query.advertiser_id.empty()) return Invalid("advertiser_id is empty");
  if (query.report_type.empty()) return Invalid("report_type is empty");
  if (!query.query_lifetime && (query.start_date.empty() || query.end_date.empty())) {
    return Invalid("start_date and end_date are required unless query_lifetime");
  }
  Params base = ObjectOr(query.extra);
  base["advertiser_id"] = query.advertiser_id;
  base["report_type"] = query.report_type;
  SetIfNotEmpty(&base, "data_level", query.data_level);
  if (!query.dimensions.empty()) base["dimensions"] = Strings(query.dimensions);
  if (!query.metrics.empty()) base["metrics"] = Strings(query.metrics);
  if (query.query_lifetime) {
    base["query_lifetime"] = true;
  } else {
    base["start_date"] = query.start_date;
    base["end_date"] = query.end_date;
  }
  SetIfNotEmpty(&base, "service_type", query.service_type);
  SetIfNotEmpty(&base, "order_field", query.order_field);
  SetIfNotEmpty(&base, "order_type", query.order_type);

  // At most one IN filter may exceed the id limit; it is split into several reports.
  int split_index = -1;
  for (size_t i = 0; i < query.filtering.size(); ++i) {
    if (BatchIds(query.filtering[i].values, kMaxReportFilterIds).size() > 1) {
      if (split_index >= 0) return Invalid("only one report filter may hold more than 100 ids");
      split_index = static_cast<int>(i);
    }
  }
  if (split_index >= 0) {
    const bool has_id_dimension =
        std::any_of(query.dimensions.begin(), query.dimensions.end(),
                    [](const std::string& d) { return absl::EndsWith(d, "_id"); });
    if (!has_id_dimension) {
      return Invalid(
          "a report filter of more than 100 ids needs an id dimension (rows of the split "
          "reports would otherwise overlap)");
    }
  }
  std::vector<std::vector<std::string>> split_batches = {{}};
  if (split_index >= 0) {
    split_batches = BatchIds(query.filtering[split_index].values, kMaxReportFilterIds);
  }

  ReportResult result;
  for (const std::vector<std::string>& batch : split_batches) {
    Params filtering = Params::array();
    for (size_t i = 0; i < query.filtering.size(); ++i) {
      const ReportFilter& filter = query.filtering[i];
      std::string value = filter.filter_value;
      if (static_cast<int>(i) == split_index) {
        value = ToJsonText(Strings(batch));
      } else if (!filter.values.empty()) {
        value = ToJsonText(Strings(filter.values));
      }
      filtering.push_back({{"field_name", filter.field_name},
                           {"filter_type", filter.filter_type},
                           {"filter_value", value}});
    }
    CallSpec spec;
    spec.path = "report/integrated/get/";
    spec.access_token = AsString(access_token);
    spec.advertiser_id = query.advertiser_id;
    spec.params = base;
    if (!filtering.empty()) spec.params["filtering"] = std::move(filtering);
    // Pages are read by ReadReportPage, not through the JsonValue tree (see there).
    spec.verdict.parse_data = false;
    const int page_size = ClampPageSize(query.page_size, kMaxPageSizeEntities);
    absl::Status status = ReadAllPages([&](int64_t page) -> absl::StatusOr<PageInfo> {
      spec.params["page"] = page;
      spec.params["page_size"] = page_size;
      CallOutcome outcome = Call(spec);
      if (!outcome.status.ok()) return outcome.status;
      ++result.pages_read;
      absl::StatusOr<PageInfo> info = ReadReportPage(outcome.verdict.envelope.data_json,
                                                     result.rows);
      if (!info.ok()) {
        // As JudgeResponse judges unreadable data (ParseEnvelope has already checked the text,
        // so this is not expected to happen).
        TikTokError error;
        error.path = "report/integrated/get/";
        error.http_status = outcome.response.status;
        error.request_id = outcome.verdict.envelope.request_id;
        error.log_id = outcome.response.Header("x-tt-logid");
        error.reason = std::string(kReasonBadData);
        error.message = std::string(info.status().message());
        error.retryable = true;
        error.attempts = outcome.attempts;
        return MakeTikTokStatus(absl::StatusCode::kUnavailable, error);
      }
      return info;
    });
    if (!status.ok()) return status;
  }
  return result;
}

// ---- leads ----

absl::StatusOr<LeadTask> TikTokClient::CreateLeadTask(absl::string_view access_token,
                                                      const LeadTaskRequest& request) {
  if (request.advertiser_id.empty()) return Invalid("advertiser_id is empty");
  if (request.task_id.empty() && request.page_id.empty() && request.ad_id.empty()) {
    return Invalid("a lead task needs page_id or ad_id (or task_id to poll)");
  }
  CallSpec spec;
  spec.method = HttpMethod::kPost;
  spec.path = "page/lead/task/";
  spec.access_token = AsString(access_token);
  spec.advertiser_id = request.advertiser_id;
  // Polling is a read; a repeated create only makes a second, harmless download task.
  spec.retry_mode = RetryMode::kIdempotent;
  spec.params = ObjectOr(request.extra);
  spec.params["advertiser_id"] = request.advertiser_id;
  SetIfNotEmpty(&spec.params, "page_id", request.page_id);
  SetIfNotEmpty(&spec.params, "ad_id", request.ad_id);
  SetIfNotEmpty(&spec.params, "task_id", request.task_id);
  CallOutcome outcome = Call(spec);
  if (!outcome.status.ok()) return outcome.status;
  const JsonValue& data = outcome.verdict.data;
  LeadTask task;
  task.task_id = ReadIdField(&data, "task_id");
  task.status = ReadStringField(&data, "status");
  task.file_name = ReadStringField(&data, "file_name");
  task.file_type = ReadStringField(&data, "file_type");
  task.data_json = outcome.verdict.envelope.data_json;
  return task;
}

absl::StatusOr<LeadFile> TikTokClient::DownloadLeadTask(absl::string_view access_token,
                                                        absl::string_view advertiser_id,
                                                        absl::string_view task_id) {
  if (advertiser_id.empty()) return Invalid("advertiser_id is empty");
  if (task_id.empty()) return Invalid("task_id is empty");
  CallSpec spec;
  spec.path = "page/lead/task/download/";
  spec.access_token = AsString(access_token);
  spec.advertiser_id = AsString(advertiser_id);
  spec.params["advertiser_id"] = AsString(advertiser_id);
  spec.params["task_id"] = AsString(task_id);
  spec.timeout = config_.upload_timeout;
  spec.verdict.allow_file_body = true;
  spec.verdict.parse_data = false;
  CallOutcome outcome = Call(spec);
  if (!outcome.status.ok()) return outcome.status;
  LeadFile file;
  file.content_type = outcome.response.Header("content-type");
  file.file_name = ContentDispositionFileName(outcome.response.Header("content-disposition"));
  file.bytes = std::move(outcome.response.body);
  return file;
}

// ---- lookups ----

absl::StatusOr<RegionResult> TikTokClient::SearchRegions(absl::string_view access_token,
                                                         const RegionQuery& query) {
  if (query.advertiser_id.empty()) return Invalid("advertiser_id is empty");
  CallSpec spec;
  spec.path = "tool/region/";
  spec.access_token = AsString(access_token);
  spec.advertiser_id = query.advertiser_id;
  spec.params = ObjectOr(query.extra);
  spec.params["advertiser_id"] = query.advertiser_id;
  if (!query.placements.empty()) spec.params["placements"] = Strings(query.placements);
  SetIfNotEmpty(&spec.params, "objective_type", query.objective_type);
  SetIfNotEmpty(&spec.params, "level_range", query.level_range);
  SetIfNotEmpty(&spec.params, "language", query.language);
  CallOutcome outcome = Call(spec);
  if (!outcome.status.ok()) return outcome.status;
  const JsonValue& data = outcome.verdict.data;
  RegionResult result;
  if (const JsonValue* info = FieldOf(&data, "region_info"); info != nullptr && info->is_array()) {
    for (const JsonValue& item : info->items()) result.regions.push_back(ReadRegion(item));
  }
  result.region_list = ReadStringsField(&data, "region_list");
  result.data_json = outcome.verdict.envelope.data_json;
  return result;
}

absl::StatusOr<std::vector<InstantPage>> TikTokClient::ListInstantPages(
    absl::string_view access_token, const InstantPageQuery& query) {
  if (query.advertiser_id.empty()) return Invalid("advertiser_id is empty");
  CallSpec spec;
  spec.path = "page/get/";
  spec.access_token = AsString(access_token);
  spec.advertiser_id = query.advertiser_id;
  spec.params = ObjectOr(query.extra);
  spec.params["advertiser_id"] = query.advertiser_id;
  SetIfNotEmpty(&spec.params, "business_type", query.business_type);
  // The filter is `page_status` on the wire (Go SDK model/page/get.go); `status` is ignored.
  SetIfNotEmpty(&spec.params, "page_status", query.status);
  SetIfNotEmpty(&spec.params, "title", query.title);
  std::vector<InstantPage> out;
  absl::Status status =
      CallPaged(spec, ClampPageSize(query.page_size, kMaxPageSizeInstantPage), "list",
                [&](const JsonValue& item) { out.push_back(ReadInstantPage(item)); });
  if (!status.ok()) return status;
  return out;
}

// ---- generic ----

absl::StatusOr<RawCallResult> TikTokClient::CallRaw(HttpMethod method, absl::string_view path,
                                                    absl::string_view access_token,
                                                    const Params& params) {
  if (NormalizePath(path) == "/") return Invalid("path is empty");
  CallSpec spec;
  spec.method = method;
  spec.path = AsString(path);
  spec.access_token = AsString(access_token);
  spec.params = ObjectOr(params);
  if (const auto it = spec.params.find("advertiser_id");
      it != spec.params.end() && (it->is_string() || it->is_number_integer())) {
    spec.advertiser_id = QueryValueText(*it);
  }
  spec.retry_mode =
      method == HttpMethod::kGet ? RetryMode::kIdempotent : RetryMode::kNotIdempotent;
  spec.verdict.parse_data = false;
  CallOutcome outcome = Call(spec);
  if (!outcome.verdict.has_envelope) return outcome.status;
  RawCallResult result;
  result.body = std::move(outcome.response.body);
  result.code = outcome.verdict.envelope.code;
  result.message = outcome.verdict.envelope.message;
  result.request_id = outcome.verdict.envelope.request_id;
  result.http_status = outcome.response.status;
  result.attempts = outcome.attempts;
  return result;
}

}  // namespace ttads::tiktok

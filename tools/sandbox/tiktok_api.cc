#include "tools/sandbox/tiktok_api.h"

#include <exception>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tools/sandbox/endpoints.h"
#include "tools/sandbox/faults.h"
#include "tools/sandbox/seed_loader.h"
#include "tools/sandbox/validation.h"

namespace ttads::sandbox {
namespace {

struct Route {
  const char* path;
  bool get;
  bool post;
  bool needs_token;
  EndpointHandler handler;
};

constexpr Route kRoutes[] = {
    {"oauth2/access_token/", false, true, false, OAuthAccessToken},
    {"oauth2/advertiser/get/", true, false, true, OAuthAdvertiserGet},
    {"oauth2/revoke_token/", false, true, false, OAuthRevokeToken},
    {"advertiser/info/", true, false, true, AdvertiserInfo},
    {"identity/get/", true, false, true, IdentityGet},
    {"pixel/list/", true, false, true, PixelList},
    {"campaign/create/", false, true, true, CampaignCreate},
    {"campaign/get/", true, false, true, CampaignGet},
    {"campaign/update/", false, true, true, CampaignUpdate},
    {"campaign/status/update/", false, true, true, CampaignStatusUpdate},
    {"adgroup/create/", false, true, true, AdGroupCreate},
    {"adgroup/get/", true, false, true, AdGroupGet},
    {"adgroup/update/", false, true, true, AdGroupUpdate},
    {"adgroup/status/update/", false, true, true, AdGroupStatusUpdate},
    {"adgroup/budget/update/", false, true, true, AdGroupBudgetUpdate},
    {"ad/create/", false, true, true, AdCreate},
    {"ad/get/", true, false, true, AdGet},
    {"ad/update/", false, true, true, AdUpdate},
    {"ad/status/update/", false, true, true, AdStatusUpdate},
    {"file/video/ad/upload/", false, true, true, VideoUpload},
    {"file/video/ad/info/", true, false, true, VideoInfo},
    {"file/image/ad/upload/", false, true, true, ImageUpload},
    {"report/integrated/get/", true, true, true, ReportIntegratedGet},
    {"page/lead/task/", true, true, true, PageLeadTask},
    {"page/lead/task/download/", true, false, true, PageLeadTaskDownload},
    {"tool/region/", true, false, true, ToolRegion},
    {"page/get/", true, false, true, PageGet},
};

const Route* FindRoute(const std::string& method, const std::string& path) {
  if (!absl::StartsWith(path, kApiPrefix)) return nullptr;
  std::string relative = path.substr(sizeof(kApiPrefix) - 1);
  for (const Route& route : kRoutes) {
    if (relative != route.path) continue;
    if ((method == "GET" && route.get) || (method == "POST" && route.post)) return &route;
    return nullptr;  // wrong method: TikTok's gateway answers 404 (reference §13)
  }
  return nullptr;
}

std::string Dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

TikTokApi::TikTokApi(SandboxConfig config, SandboxClock& clock, RateLimiter& rate_limiter)
    : config_(config), state_(config.random_seed), clock_(clock), rate_limiter_(rate_limiter) {}

std::string TikTokApi::RoutedEndpoint(const std::string& method, const std::string& path) {
  const Route* route = FindRoute(method, path);
  return route == nullptr ? "" : route->path;
}

ApiResponse TikTokApi::Handle(const ApiRequest& request) {
  ApiResponse response;
  const Route* route = FindRoute(request.method, request.path);
  if (route == nullptr) {
    // No route (wrong path, missing trailing slash, wrong method): plain HTTP 404.
    response.http_status = 404;
    response.content_type = "text/plain; charset=utf-8";
    response.body = "404 page not found";
    return response;
  }
  response.endpoint = route->path;
  const absl::Time now = clock_.Now();

  absl::MutexLock lock(&mu_);
  response.request_id = state_.NewRequestId(now);
  EndpointResult result;
  try {
    const AccessToken* token = nullptr;
    if (route->needs_token) {
      if (!request.access_token || request.access_token->empty()) {
        throw ApiError(kCodeTokenEmpty, DefaultErrorMessage(kCodeTokenEmpty));
      }
      auto found = state_.tokens.find(*request.access_token);
      if (found == state_.tokens.end() || found->second.revoked) {
        throw ApiError(kCodeTokenInvalid, DefaultErrorMessage(kCodeTokenInvalid));
      }
      token = &found->second;
    }

    Json values = Json::object();
    bool query_encoded = true;
    if (request.method == "GET") {
      values = request.query;
    } else if (request.multipart) {
      values = request.form;
    } else if (!request.body.empty()) {
      std::optional<Json> body = ParseJson(request.body);
      if (!body || !body->is_object()) {
        InvalidParameter(
            "The request body must be a JSON object (Content-Type: "
            "application/json).");
      }
      values = std::move(*body);
      query_encoded = false;
    }
    const Params params(values, query_encoded);

    // Rate limits: the app's global QPS, its per-endpoint QPS, then the advertiser's per-path QPS.
    std::string app_id = token != nullptr ? token->app_id : "";
    if (app_id.empty() && values.contains("app_id") && values["app_id"].is_string()) {
      app_id = values["app_id"].get<std::string>();
    }
    if (!app_id.empty()) {
      bool allowed = rate_limiter_.Allow(absl::StrCat("app:", app_id), config_.app_qps);
      auto endpoint_qps = config_.endpoint_qps.find(route->path);
      if (allowed && endpoint_qps != config_.endpoint_qps.end()) {
        allowed = rate_limiter_.Allow(absl::StrCat("app:", app_id, ":", route->path),
                                      endpoint_qps->second);
      }
      if (!allowed) throw ApiError(kCodeAppRateLimited, DefaultErrorMessage(kCodeAppRateLimited));
    }
    if (config_.advertiser_qps > 0 && values.contains("advertiser_id")) {
      const Json& id = values["advertiser_id"];
      std::string advertiser_id = id.is_string() ? id.get<std::string>() : id.dump();
      if (!rate_limiter_.Allow(absl::StrCat("advertiser:", advertiser_id, ":", route->path),
                               config_.advertiser_qps)) {
        throw ApiError(kCodeAdvertiserRateLimited,
                       absl::StrCat("Advertiser (", advertiser_id, ")'s QPS reaches QPS limit ",
                                    config_.advertiser_qps,
                                    " for current path, request is temporarily restricted."));
      }
    }

    EndpointContext ctx{state_, config_, now, request, params, token};
    result = route->handler(ctx);
  } catch (const ApiError& error) {
    result = EndpointResult{};
    result.code = error.code();
    result.message = error.message();
  } catch (const nlohmann::json::exception& error) {
    result = EndpointResult{};
    result.code = kCodeInvalidParameter;
    result.message = absl::StrCat("Parameter error: ", error.what());
  } catch (const std::exception& error) {
    result = EndpointResult{};
    result.code = kCodeSystemError;
    result.message = "System error.";
  }

  response.headers["X-Tt-Logid"] = response.request_id;
  if (result.raw && result.code == kCodeOk) {
    response.content_type = result.raw->first;
    response.body = std::move(result.raw->second);
    response.headers["Content-Disposition"] = "attachment";
    return response;
  }
  response.code = result.code;
  response.message = result.message;
  response.body = Dump(Json{
      {"code", result.code},
      {"message", result.message},
      {"request_id", response.request_id},
      {"data", result.code == kCodeOk || result.code == kCodePartialSuccess ? result.data
                                                                            : Json::object()}});
  return response;
}

absl::Status TikTokApi::LoadSeed(const Json& seed, bool reset) {
  const absl::Time now = clock_.Now();
  absl::MutexLock lock(&mu_);
  if (reset) state_.Clear();
  return ApplySeed(seed, now, config_, state_);
}

Json TikTokApi::Summary() {
  absl::MutexLock lock(&mu_);
  return state_.Summary();
}

std::vector<std::string> TikTokApi::AccessTokens() {
  absl::MutexLock lock(&mu_);
  std::vector<std::string> tokens;
  for (const auto& [token, unused] : state_.tokens) tokens.push_back(token);
  return tokens;
}

absl::StatusOr<std::string> TikTokApi::IssueAuthCode(const std::string& app_id,
                                                     std::vector<std::string> advertiser_ids) {
  const absl::Time now = clock_.Now();
  absl::MutexLock lock(&mu_);
  if (state_.apps.count(app_id) == 0) {
    return absl::NotFoundError(absl::StrCat("unknown app_id ", app_id));
  }
  if (advertiser_ids.empty()) {
    for (const auto& [id, advertiser] : state_.advertisers) advertiser_ids.push_back(id);
  }
  for (const std::string& id : advertiser_ids) {
    if (state_.advertisers.count(id) == 0) {
      return absl::NotFoundError(absl::StrCat("unknown advertiser_id ", id));
    }
  }
  AuthCode code;
  code.auth_code = state_.NewSecret();
  code.app_id = app_id;
  code.advertiser_ids = std::move(advertiser_ids);
  code.scope = {1, 2, 3, 4, 5, 6, 7, 10};
  code.expires_at = now + absl::Seconds(config_.auth_code_ttl_seconds);
  state_.auth_codes[code.auth_code] = code;
  return code.auth_code;
}

std::string TikTokApi::NewRequestId() {
  const absl::Time now = clock_.Now();
  absl::MutexLock lock(&mu_);
  return state_.NewRequestId(now);
}

SandboxConfig TikTokApi::config() {
  absl::MutexLock lock(&mu_);
  return config_;
}

void TikTokApi::set_config(const SandboxConfig& config) {
  absl::MutexLock lock(&mu_);
  config_ = config;
}

}  // namespace ttads::sandbox

// oauth2/access_token/, oauth2/advertiser/get/, oauth2/revoke_token/ (reference §2).
#include "absl/strings/str_cat.h"
#include "tools/sandbox/endpoints.h"

namespace ttads::sandbox {
namespace {

// The app named by app_id whose secret matches; 40113 for an unknown app, 40101 for a wrong
// secret (TikTok documents both codes for both causes; this split is ours).
const App& CheckApp(EndpointContext& ctx, const std::string& app_id, const std::string& secret) {
  auto app = ctx.state.apps.find(app_id);
  if (app == ctx.state.apps.end()) {
    throw ApiError(kCodeAppNotFound, "The app has been blocked or does not exist.");
  }
  if (app->second.secret != secret) {
    throw ApiError(kCodeInvalidAuthParameters, "Secret and app_id do not match.");
  }
  return app->second;
}

}  // namespace

EndpointResult OAuthAccessToken(EndpointContext& ctx) {
  const Params& p = ctx.params;
  p.Require({"app_id", "secret", "auth_code"});
  const App& app = CheckApp(ctx, p.RequiredString("app_id"), p.RequiredString("secret"));
  auto code = ctx.state.auth_codes.find(p.RequiredString("auth_code"));
  if (code == ctx.state.auth_codes.end() || code->second.app_id != app.app_id) {
    throw ApiError(kCodeInvalidAuthParameters, "The authorization code is invalid.");
  }
  if (code->second.used) {
    throw ApiError(kCodeAuthCodeInvalid,
                   "The auth_code has been used. Please re-authorize and try again with a new "
                   "auth_code.");
  }
  if (ctx.now >= code->second.expires_at) {
    throw ApiError(kCodeAuthCodeInvalid,
                   "The auth_code has expired. Please re-authorize and try again with a new "
                   "auth_code.");
  }
  code->second.used = true;
  AccessToken token;
  token.access_token = ctx.state.NewSecret();
  token.app_id = app.app_id;
  token.advertiser_ids = code->second.advertiser_ids;
  token.scope = code->second.scope;
  token.create_time = ctx.now;
  ctx.state.tokens[token.access_token] = token;

  EndpointResult result;
  result.data = Json{{"access_token", token.access_token}, {"scope", token.scope}};
  if (p.Bool("return_advertiser_ids").value_or(true)) {
    result.data["advertiser_ids"] = token.advertiser_ids;
  }
  return result;
}

EndpointResult OAuthAdvertiserGet(EndpointContext& ctx) {
  const Params& p = ctx.params;
  p.Require({"app_id", "secret"});
  const App& app = CheckApp(ctx, p.RequiredString("app_id"), p.RequiredString("secret"));
  if (ctx.token->app_id != app.app_id) {
    throw ApiError(kCodeAppNotFound,
                   "The app_id is inconsistent with the token's app information. Please retry "
                   "after correcting it.");
  }
  Json list = Json::array();
  for (const std::string& id : ctx.token->advertiser_ids) {
    auto advertiser = ctx.state.advertisers.find(id);
    if (advertiser == ctx.state.advertisers.end()) continue;
    list.push_back({{"advertiser_id", id}, {"advertiser_name", advertiser->second.name}});
  }
  EndpointResult result;
  result.data = Json{{"list", std::move(list)}};
  return result;
}

// inferred: the request is {app_id, secret, access_token} (Go SDK); the token goes in the body,
// so the Access-Token header is not required; `data` is {} (undocumented). Revoking a revoked
// token succeeds again.
EndpointResult OAuthRevokeToken(EndpointContext& ctx) {
  const Params& p = ctx.params;
  p.Require({"app_id", "secret", "access_token"});
  const App& app = CheckApp(ctx, p.RequiredString("app_id"), p.RequiredString("secret"));
  auto token = ctx.state.tokens.find(p.RequiredString("access_token"));
  if (token == ctx.state.tokens.end()) {
    throw ApiError(kCodeTokenInvalid, "Access token is incorrect or has been revoked.");
  }
  if (token->second.app_id != app.app_id) {
    throw ApiError(kCodeAppNotFound,
                   "The app_id is inconsistent with the token's app information. Please retry "
                   "after correcting it.");
  }
  token->second.revoked = true;
  return EndpointResult{};
}

}  // namespace ttads::sandbox

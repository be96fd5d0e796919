// Every REST route of the existing frontend, brain and batch, end to end over real HTTP: the
// TikTok sandbox, ttads-server and the REST gateway as processes. For each of the golden routes
// of test/contract/golden/ the test builds the state the route needs (user, ad account connected
// with OAuth at the sandbox, directions, creatives, ...), sends the golden request through the
// gateway with the run's ids in place of the golden's, once spelt as the golden is and once with
// every multi-word key in the other case (snake_case <-> camelCase), with
// `Authorization: Bearer <token>` (the frontend's JWT; an API key for the brain's two routes),
// and compares the answer with the golden response:
//   * every key of the golden is in ours with the same JSON type (an int64 printed as a string
//     is not a number), recursively; arrays by their first element (or element by element
//     where the test builds the golden's whole list); a golden null matches a null-like value;
//   * booleans always, other values only where they are stable across runs (status strings,
//     fixed messages, enums); never ids, timestamps or metrics.
// Routes that change things at TikTok are checked at the sandbox afterwards. Then the error
// statuses not covered by gateway_test.cc and frontend_flow_test.cc: 400 naming the field,
// 401 for a forged or expired JWT, and 429 when TikTok keeps answering its rate-limit code.
#include <httplib.h>

#include <cctype>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "server/jwt.h"
#include "test/e2e/e2e_stack.h"
#include "test/integration/media_server.h"
#include "test/server/fake_telegram.h"

#ifndef TTADS_GOLDEN_DIR
#error "TTADS_GOLDEN_DIR must name the folder of the golden JSON samples"
#endif

namespace ttads::testing {
namespace {

using Json = nlohmann::json;
using IdMap = std::map<std::string, std::string>;

constexpr const char* kAdmin = E2eStack::kAdminToken;

// The sandbox's demo advertisers (demo_seed.json): the ad account is connected to the KZT one,
// the user account's legacy credentials to the USD one, so that an account_id the gateway
// dropped would show in the answer.
constexpr char kKztAdvertiser[] = "7400000000000000001";
constexpr char kUsdAdvertiser[] = "7400000000000000002";
constexpr char kKztAdvertiserName[] = "Demo Almaty (KZT)";
constexpr char kKztLeadPage[] = "7700000000000000001";
constexpr char kKztCampaign[] = "7800000000000000001";        // ENABLE, holds the pool group
constexpr char kUsdCampaign[] = "7800000000000000002";        // ENABLE
constexpr char kUsdLeadPage[] = "7700000000000000002";        // seeded by the test
constexpr char kHistoryCampaign[] = "7800000000000000011";    // demo_history_seed.json

// The golden samples' ids (test/contract/golden/*.json).
constexpr char kGoldenUser[] = "0f8c2a4e-6b1d-4c3a-9e57-2d8f1b6a9c03";
constexpr char kGoldenAdAccount[] = "5b7e9d21-3c4f-4a8b-b1e6-7f0a2c9d8e14";
constexpr char kGoldenDirections[4][37] = {
    "a3c1e5f7-2b4d-4e6f-8a1c-3e5f7a9b1c2d", "b4d2f6a8-3c5e-4f7a-9b2d-4f6a8b0c2d3e",
    "c5e3a7b9-4d6f-4a8b-8c3e-5a7b9c1d3e4f", "d6f4b8c0-5e7a-4b9c-9d4f-6b8c0d2e4f5a"};
constexpr char kGoldenCreatives[3][37] = {"e7a5c9d1-6f8b-4c0d-8e5a-7c9d1e3f5a6b",
                                          "f8b6d0e2-7a9c-4d1e-9f6b-8d0e2f4a6b7c",
                                          "0a1c3e5f-8b0d-4e2f-af7c-9e1f3a5b7c8d"};
constexpr char kGoldenAdvertiser[] = "7412345678901234567";
constexpr char kGoldenCampaign[] = "1849263051728394";
constexpr char kGoldenSecondCampaign[] = "1849281100223311";
constexpr char kGoldenAdGroup[] = "1849263057611203";
constexpr char kGoldenAd[] = "1849263072031582";
constexpr char kGoldenPage[] = "7430918273645102337";
constexpr char kGoldenBrainKey[] = "think-20261125-0800-k3x9qa";

struct Route {
  const char* name;  // golden file stem
  const char* method;
  const char* path;
};
constexpr Route kAutoLaunch{"auto-launch", "POST", "/api/tiktok-campaign-builder/auto-launch"};
constexpr Route kManualLaunch{"manual-launch", "POST",
                              "/api/tiktok-campaign-builder/manual-launch"};
constexpr Route kManualLaunchMulti{"manual-launch-multi", "POST",
                                   "/api/tiktok-campaign-builder/manual-launch-multi"};
constexpr Route kCreateCampaign{"create-campaign", "POST",
                                "/api/tiktok-campaign-builder/create-campaign"};
constexpr Route kCampaigns{"campaigns", "GET", "/api/tiktok-campaign-builder/campaigns"};
constexpr Route kPauseCampaign{"pause-campaign", "POST",
                               "/api/tiktok-campaign-builder/pause-campaign"};
constexpr Route kResumeCampaign{"resume-campaign", "POST",
                                "/api/tiktok-campaign-builder/resume-campaign"};
constexpr Route kReport{"report", "GET", "/api/tiktok-campaign-builder/report"};
constexpr Route kAvailableCreatives{"available-creatives", "GET",
                                    "/api/tiktok-campaign-builder/available-creatives"};
constexpr Route kAdvertiserInfo{"advertiser-info", "GET",
                                "/api/tiktok-campaign-builder/advertiser-info"};
constexpr Route kOAuthExchange{"oauth-exchange", "POST", "/api/tiktok/oauth/exchange"};
constexpr Route kAgentActions{"agent-actions", "POST", "/api/agent/actions"};
constexpr Route kBrainRunTikTok{"brain-run-tiktok", "POST", "/api/brain/run-tiktok"};
constexpr Route kTikTokProxy{"tiktok-proxy", "POST", "/api/tiktok-proxy"};

// How the request's keys are spelt: as in the golden, or every multi-word key in the other
// case (the gateway must understand both).
enum class Spelling { kAsWritten, kOtherCase };
constexpr Spelling kBothSpellings[] = {Spelling::kAsWritten, Spelling::kOtherCase};
std::string SpellingName(Spelling spelling) {
  return spelling == Spelling::kAsWritten ? "as written" : "other case";
}

// ---------------------------------------------------------------------------
// Golden samples: reading, ids, spelling.

Json ReadGolden(const std::string& file) {
  std::ifstream in(std::string(TTADS_GOLDEN_DIR) + "/" + file);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Json parsed = Json::parse(text, nullptr, false);
  EXPECT_FALSE(parsed.is_discarded()) << file << " is missing or not JSON";
  return parsed;
}

// The golden's ids replaced by the run's, in string values: a whole value, or each element of
// a comma-separated list (the report's campaign_ids).
Json SubstituteIds(const Json& value, const IdMap& ids) {
  if (value.is_object()) {
    Json out = Json::object();
    for (const auto& [key, item] : value.items()) out[key] = SubstituteIds(item, ids);
    return out;
  }
  if (value.is_array()) {
    Json out = Json::array();
    for (const Json& item : value) out.push_back(SubstituteIds(item, ids));
    return out;
  }
  if (!value.is_string()) return value;
  if (const auto it = ids.find(value.get<std::string>()); it != ids.end()) return it->second;
  std::vector<std::string> parts = absl::StrSplit(value.get<std::string>(), ',');
  for (std::string& part : parts) {
    if (const auto it = ids.find(part); it != ids.end()) part = it->second;
  }
  return absl::StrJoin(parts, ",");
}

std::string SnakeToCamel(const std::string& key) {
  std::string out;
  bool upper = false;
  for (const char c : key) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

std::string CamelToSnake(const std::string& key) {
  std::string out;
  for (const char c : key) {
    if (std::isupper(static_cast<unsigned char>(c))) {
      out += '_';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out;
}

// Every multi-word key in the other case. `params` holds TikTok's own parameters (a
// google.protobuf.Struct passed to TikTok as is), so its keys keep their spelling.
Json OtherCase(const Json& value) {
  if (value.is_array()) {
    Json out = Json::array();
    for (const Json& item : value) out.push_back(OtherCase(item));
    return out;
  }
  if (!value.is_object()) return value;
  Json out = Json::object();
  for (const auto& [key, item] : value.items()) {
    const std::string other = key.find('_') != std::string::npos ? SnakeToCamel(key)
                                                                  : CamelToSnake(key);
    out[other] = key == "params" ? item : OtherCase(item);
  }
  return out;
}

Json Spelt(const Json& request, Spelling spelling) {
  return spelling == Spelling::kAsWritten ? request : OtherCase(request);
}

// ---------------------------------------------------------------------------
// Comparison with the golden response.

struct GoldenCheck {
  // Paths whose values must equal the golden's ("results[*].mode": any element). Booleans are
  // always compared.
  std::set<std::string> values;
  // Arrays compared element by element (same length) instead of by their first element.
  std::set<std::string> every_element;
};

std::string Wildcard(const std::string& path) {
  static const std::regex kIndex(R"(\[\d+\])");
  return std::regex_replace(path, kIndex, "[*]");
}

bool Listed(const std::set<std::string>& paths, const std::string& path) {
  return paths.count(path) != 0 || paths.count(Wildcard(path)) != 0;
}

const char* JsonType(const Json& value) {
  if (value.is_number()) return "number";  // integers and doubles alike
  return value.type_name();
}

// What the old API's JSON null looks like in ours: null, or (proto3 scalars have no null;
// common.proto maps SQL NULL to the zero value) the type's default.
bool IsNullLike(const Json& value) {
  return value.is_null() || (value.is_string() && value.get<std::string>().empty()) ||
         (value.is_number() && value.get<double>() == 0) ||
         (value.is_boolean() && !value.get<bool>()) || (value.is_array() && value.empty()) ||
         (value.is_object() && value.empty());
}

void CompareWithGolden(const Json& golden, const Json& ours, const std::string& path,
                       const GoldenCheck& check, std::vector<std::string>* diffs) {
  const std::string where = path.empty() ? "<root>" : path;
  if (golden.is_null()) {
    if (!IsNullLike(ours)) diffs->push_back(where + ": golden null, ours " + ours.dump());
    return;
  }
  if (std::string(JsonType(golden)) != JsonType(ours)) {
    diffs->push_back(absl::StrCat(where, ": golden is a JSON ", JsonType(golden), ", ours a JSON ",
                                  JsonType(ours), " (", ours.dump(), ")"));
    return;
  }
  if (golden.is_object()) {
    for (const auto& [key, value] : golden.items()) {
      const std::string key_path = path.empty() ? key : path + "." + key;
      if (!ours.contains(key)) {
        if (!value.is_null()) diffs->push_back(key_path + ": missing in ours");
        continue;
      }
      CompareWithGolden(value, ours.at(key), key_path, check, diffs);
    }
    return;
  }
  if (golden.is_array()) {
    if (golden.empty()) return;
    if (ours.empty()) {
      diffs->push_back(absl::StrCat(where, ": golden has ", golden.size(),
                                    " element(s), ours none (nothing to compare the shape with)"));
      return;
    }
    if (!Listed(check.every_element, path)) {
      CompareWithGolden(golden[0], ours[0], path + "[0]", check, diffs);
      return;
    }
    if (golden.size() != ours.size()) {
      diffs->push_back(absl::StrCat(where, ": golden has ", golden.size(), " elements, ours ",
                                    ours.size()));
      return;
    }
    for (std::size_t i = 0; i < golden.size(); ++i) {
      CompareWithGolden(golden[i], ours[i], absl::StrCat(path, "[", i, "]"), check, diffs);
    }
    return;
  }
  const bool numbers_differ = golden.is_number() && golden.get<double>() != ours.get<double>();
  const bool differ = golden.is_number() ? numbers_differ : golden != ours;
  if (differ && (golden.is_boolean() || Listed(check.values, path))) {
    diffs->push_back(where + ": golden " + golden.dump() + ", ours " + ours.dump());
  }
}

void ExpectMatchesGolden(const Route& route, const Json& ours, const GoldenCheck& check,
                         const std::string& what) {
  const Json golden = ReadGolden(std::string(route.name) + ".response.json");
  std::vector<std::string> diffs;
  CompareWithGolden(golden, ours, "", check, &diffs);
  for (const std::string& diff : diffs) {
    ADD_FAILURE() << route.name << " (" << what << "): " << diff;
  }
  if (!diffs.empty()) ADD_FAILURE() << route.name << " (" << what << "), ours: " << ours.dump();
}

// The comparison must be able to fail.
TEST(FrontendRoutesGoldenComparison, FindsMissingKeysTypeAndStableValueDifferences) {
  const Json golden = Json::parse(
      R"({"success":true,"n":5,"id":"x","mode":"a","list":[{"k":"v"}],"gone":"y","nil":null})");
  GoldenCheck check;
  check.values = {"mode"};
  std::vector<std::string> diffs;
  CompareWithGolden(golden, golden, "", check, &diffs);
  EXPECT_TRUE(diffs.empty());
  // n as a string (an int64), mode changed, success changed, list element lost its key, gone
  // missing; id differs but is not a stable value; nil matches "".
  const Json ours = Json::parse(
      R"({"success":false,"n":"5","id":"z","mode":"b","list":[{"j":"v"}],"nil":""})");
  CompareWithGolden(golden, ours, "", check, &diffs);
  EXPECT_EQ(diffs.size(), 5u) << absl::StrJoin(diffs, "\n");
  diffs.clear();
  CompareWithGolden(golden, Json::parse(R"({"success":true,"n":5,"id":"x","mode":"a",
                                            "list":[],"gone":"y"})"),
                    "", check, &diffs);
  EXPECT_EQ(diffs.size(), 1u) << absl::StrJoin(diffs, "\n");  // an empty list has no shape
}

TEST(FrontendRoutesGoldenComparison, OtherCaseKeepsTikTokParams) {
  const Json converted = OtherCase(Json::parse(
      R"({"user_account_id":"u","adsets":[{"daily_budget":1}],"params":{"page_size":1},
          "account":{"userAccountId":"u"},"state":"s"})"));
  EXPECT_EQ(converted.dump(),
            R"({"account":{"user_account_id":"u"},"adsets":[{"dailyBudget":1}],)"
            R"("params":{"page_size":1},"state":"s","userAccountId":"u"})");
}

// ---------------------------------------------------------------------------
// The fixture: the three processes, a multi-account user with one ad account, media and a
// fake Telegram Bot API.

class FrontendRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    E2eStack::Options options;
    // Neither side throttles the many calls of a launch; the 429 test injects 40100 itself.
    options.sandbox_args = {"--app-qps", "0", "--ad-create-qps", "0"};
    options.server_env = {"TTADS_TIKTOK_APP_QPS=1000", "TTADS_TIKTOK_ADVERTISER_QPS=1000",
                          "TELEGRAM_BOT_TOKEN=e2e-bot",
                          absl::StrCat("TELEGRAM_API_BASE_URL=", telegram_.BaseUrl())};
    for (const std::string& entry : extra_server_env_) options.server_env.push_back(entry);
    ASSERT_NO_FATAL_FAILURE(stack_.Start(options));

    auto [user_status, user] = stack_.SendJson(
        "POST", "/api/v1/admin/user-accounts", kAdmin,
        {{"username", "frontend"}, {"multi_account_enabled", true}, {"telegram_id", "4242"}});
    ASSERT_EQ(user_status, 200) << user.dump();
    user_ = user["user_account"]["id"].get<std::string>();
    jwt_ = server::SignJwt({user_, absl::Now() + absl::Hours(1)}, E2eStack::kJwtSecret,
                           absl::Now());
    auto [account_status, account] =
        stack_.SendJson("POST", "/api/v1/accounts", jwt_, {{"name", "KZ main"}});
    ASSERT_EQ(account_status, 200) << account.dump();
    ad_account_ = account["account"]["account_id"].get<std::string>();
  }

  void TearDown() override {
    stack_.Stop();
    if (HasFailure()) {
      const std::string& log = stack_.server_log();
      std::cerr << "ttads-server log (last 8000 bytes):\n"
                << log.substr(log.size() > 8000 ? log.size() - 8000 : 0) << "\n";
    }
  }

  // A request as the user: with the frontend's JWT, or the API key once UseApiKey() was called.
  std::pair<int, Json> Send(const std::string& method, const std::string& path,
                            const Json& body = {}) {
    const std::string& token = api_key_.empty() ? jwt_ : api_key_;
    return method == "GET" ? stack_.Send("GET", path, token)
                           : stack_.SendJson(method, path, token, body);
  }

  // From now on, calls carry an API key of the user (as the brain and batch callers do).
  void UseApiKey() {
    auto [status, key] = stack_.SendJson("POST", "/api/v1/admin/api-keys", kAdmin,
                                         {{"user_account_id", user_}, {"name", "brain"}});
    ASSERT_EQ(status, 200) << key.dump();
    api_key_ = key.value("secret", "");
    ASSERT_FALSE(api_key_.empty()) << key.dump();
  }

  // The golden request of `route` with the run's ids, spelt as asked.
  static Json GoldenRequest(const Route& route, const IdMap& ids, Spelling spelling) {
    return Spelt(SubstituteIds(ReadGolden(std::string(route.name) + ".request.json"), ids),
                 spelling);
  }

  // Sends `request` (a query-parameter map for GET routes) and expects HTTP 200.
  Json Call(const Route& route, const Json& request, const std::string& what) {
    std::string path = route.path;
    Json body;
    if (std::string(route.method) == "GET") {
      char separator = '?';
      for (const auto& [name, value] : request.items()) {
        absl::StrAppend(&path, std::string(1, separator), name, "=",
                        UrlEncode(value.get<std::string>()));
        separator = '&';
      }
    } else {
      body = request;
    }
    auto [status, answer] = Send(route.method, path, body);
    EXPECT_EQ(status, 200) << route.name << " (" << what << "): " << answer.dump()
                           << "\nrequest: " << request.dump();
    return answer;
  }

  // Sends the golden request in one spelling and compares the answer with the golden response.
  Json CallGolden(const Route& route, const IdMap& ids, Spelling spelling,
                  const GoldenCheck& check) {
    const Json request = GoldenRequest(route, ids, spelling);
    const Json answer = Call(route, request, SpellingName(spelling));
    ExpectMatchesGolden(route, answer, check, SpellingName(spelling));
    return answer;
  }

  // ---- state -----------------------------------------------------------------------------

  std::string FreshAuthCode() {
    const Json issued = stack_.SandboxControl(
        "POST", "auth_codes",
        {{"app_id", E2eStack::kAppId},
         {"advertiser_ids", Json::array({kKztAdvertiser, kUsdAdvertiser})}});
    return issued.value("auth_code", "");
  }

  // Connects with a signed state: the ad account (the token's first advertiser, KZT) or, with
  // `ad_account_id` empty, the user account's legacy credentials (the USD advertiser).
  void Connect(const std::string& ad_account_id, const std::string& advertiser_id) {
    auto [state_status, state] = Send(
        "GET", absl::StrCat("/api/v1/tiktok/oauth/state?ad_account_id=", ad_account_id));
    ASSERT_EQ(state_status, 200) << state.dump();
    Json body = {{"code", FreshAuthCode()}, {"state", state["state"]}};
    if (!advertiser_id.empty()) body["advertiser_id"] = advertiser_id;
    auto [status, exchange] = Send("POST", "/api/tiktok/oauth/exchange", body);
    ASSERT_EQ(status, 200) << exchange.dump();
    ASSERT_EQ(exchange["business_id"], advertiser_id.empty() ? kKztAdvertiser : advertiser_id);
  }
  void ConnectBoth() {
    ASSERT_NO_FATAL_FAILURE(Connect(ad_account_, ""));
    ASSERT_NO_FATAL_FAILURE(Connect("", kUsdAdvertiser));
  }

  void LoadHistorySeed() {
    std::ifstream file(TTADS_SANDBOX_HISTORY_SEED);
    const std::string seed((std::istreambuf_iterator<char>(file)),
                           std::istreambuf_iterator<char>());
    stack_.SandboxControl("POST", "seed", Json::parse(seed));
  }

  // A TikTok direction; `fields` adds to or overrides the defaults (traffic, a landing page).
  std::string CreateDirection(const std::string& name, const std::string& account_id,
                              const Json& fields = Json::object()) {
    const Json ad_settings = {{"site_url", "https://example.com/clinic"},
                              {"cities", Json::array({"1522867"})}};
    Json body = {{"name", name},
                 {"platform", "tiktok"},
                 {"tiktok_objective", "traffic"},
                 {"ad_settings", ad_settings}};
    if (!account_id.empty()) body["account_id"] = account_id;
    for (const auto& [key, value] : fields.items()) body[key] = value;
    auto [status, created] = Send("POST", "/api/v1/directions", body);
    EXPECT_EQ(status, 200) << created.dump();
    return created["direction"].value("id", "");
  }

  // A ready video creative whose media the local media server serves (unique file names: the
  // sandbox refuses a second upload of a name).
  std::string CreateCreative(const std::string& title, const std::string& direction_id,
                             const std::string& account_id, const Json& fields = Json::object()) {
    const std::string file = absl::StrCat("clip-", ++media_files_);
    Json body = {{"title", title},
                 {"description", absl::StrCat("Ad text of ", title)},
                 {"media_url", media_.Url(file + ".mp4")},
                 {"thumbnail_url", media_.Url(file + ".png")},
                 {"media_type", "video"},
                 {"status", "ready"}};
    if (!direction_id.empty()) body["direction_id"] = direction_id;
    if (!account_id.empty()) body["account_id"] = account_id;
    for (const auto& [key, value] : fields.items()) body[key] = value;
    auto [status, created] = Send("POST", "/api/v1/creatives", body);
    EXPECT_EQ(status, 200) << created.dump();
    return created["creative"].value("id", "");
  }

  // ---- the sandbox, read directly --------------------------------------------------------

  Json SandboxList(const std::string& endpoint, const std::string& advertiser_id,
                   const Json& filtering) {
    const Json answer = stack_.TikTok(
        "GET", endpoint,
        {{"advertiser_id", advertiser_id}, {"filtering", filtering}, {"page_size", 100}});
    EXPECT_EQ(answer.value("code", -1), 0) << endpoint << ": " << answer.dump();
    return answer.contains("data") ? answer["data"].value("list", Json::array()) : Json::array();
  }
  Json SandboxCampaign(const std::string& advertiser_id, const std::string& campaign_id) {
    const Json list = SandboxList("campaign/get/", advertiser_id,
                                  {{"campaign_ids", Json::array({campaign_id})}});
    return list.empty() ? Json() : list[0];
  }
  Json SandboxAdGroup(const std::string& advertiser_id, const std::string& adgroup_id) {
    const Json list = SandboxList("adgroup/get/", advertiser_id,
                                  {{"adgroup_ids", Json::array({adgroup_id})}});
    return list.empty() ? Json() : list[0];
  }
  Json SandboxAdsOf(const std::string& advertiser_id, const std::string& adgroup_id) {
    return SandboxList("ad/get/", advertiser_id, {{"adgroup_ids", Json::array({adgroup_id})}});
  }
  void SetSandboxCampaignStatus(const std::string& advertiser_id, const std::string& campaign_id,
                                const std::string& status) {
    const Json answer = stack_.TikTok("POST", "campaign/status/update/",
                                      {{"advertiser_id", advertiser_id},
                                       {"campaign_ids", Json::array({campaign_id})},
                                       {"operation_status", status}});
    ASSERT_EQ(answer.value("code", -1), 0) << answer.dump();
  }
  // The requests the sandbox received at `endpoint` since its log was last cleared.
  Json SandboxRequests(const std::string& endpoint) {
    return stack_.SandboxControl("GET", absl::StrCat("requests?endpoint=", endpoint))
        .value("requests", Json::array());
  }

  IdMap AccountIds() const {
    return {{kGoldenUser, user_}, {kGoldenAdAccount, ad_account_}};
  }

  // Set before SetUp by tests that need other server settings.
  std::vector<std::string> extra_server_env_;
  FakeTelegram telegram_;
  MediaServer media_;
  E2eStack stack_;
  std::string user_;
  std::string jwt_;
  std::string api_key_;
  std::string ad_account_;
  int media_files_ = 0;
};

// ---------------------------------------------------------------------------
// The campaign builder: /api/tiktok-campaign-builder/*

TEST_F(FrontendRoutesTest, AutoLaunchMatchesTheGolden) {
  ASSERT_NO_FATAL_FAILURE(ConnectBoth());
  const Json golden = ReadGolden("auto-launch.response.json");
  const std::string insufficient_funds = golden["results"][3]["error"];
  // Two disabled ad groups of the KZT campaign for the use_existing pools (one per spelling).
  const std::string pool[2] = {"7900000000000000101", "7900000000000000102"};
  Json adgroups = Json::array();
  for (const std::string& id : pool) {
    adgroups.push_back({{"adgroup_id", id},
                        {"campaign_id", kKztCampaign},
                        {"adgroup_name", absl::StrCat("Pool group ", id)},
                        {"operation_status", "DISABLE"},
                        {"budget_mode", "BUDGET_MODE_DAY"},
                        {"budget", 2500},
                        {"optimization_goal", "CLICK"},
                        {"billing_event", "CPC"},
                        {"bid_type", "BID_TYPE_NO_BID"},
                        {"pacing", "PACING_MODE_SMOOTH"},
                        {"placement_type", "PLACEMENT_TYPE_NORMAL"},
                        {"placements", Json::array({"PLACEMENT_TIKTOK"})},
                        {"location_ids", Json::array({"1522867"})},
                        {"promotion_type", "WEBSITE"}});
  }
  stack_.SandboxControl("POST", "seed", {{"adgroups", adgroups}});

  GoldenCheck check;
  check.values = {"success",           "message",           "results[*].mode",
                  "results[*].reason", "results[*].status", "results[*].error"};
  check.every_element = {"results"};
  int round = 0;
  for (const Spelling spelling : kBothSpellings) {
    SCOPED_TRACE(SpellingName(spelling));
    const std::string suffix = absl::StrCat(" #", ++round);
    // The golden's four outcomes: a new campaign, the pool, no video creative, a TikTok error.
    const std::string launched = CreateDirection("Almaty implants" + suffix, ad_account_);
    CreateCreative("Implant clip A" + suffix, launched, ad_account_);
    CreateCreative("Implant clip B" + suffix, launched, ad_account_);
    const std::string pooled = CreateDirection("Astana veneers" + suffix, ad_account_,
                                               {{"tiktok_adgroup_mode", "use_existing"}});
    auto [pool_status, linked] =
        Send("POST", absl::StrCat("/api/v1/directions/", pooled, "/adgroups"),
             {{"tiktok_adgroup_id", pool[round - 1]}, {"status", "DISABLE"}});
    ASSERT_EQ(pool_status, 200) << linked.dump();
    CreateCreative("Veneers clip" + suffix, pooled, ad_account_);
    const std::string no_video = CreateDirection("Shymkent braces" + suffix, ad_account_);
    CreateCreative("Braces photo" + suffix, no_video, ad_account_,
                   {{"media_type", "image"},
                    {"media_url", ""},
                    {"thumbnail_url", ""},
                    {"image_url", media_.Url(absl::StrCat("photo-", round, ".png"))}});
    const std::string refused = CreateDirection("Karaganda whitening" + suffix, ad_account_);
    CreateCreative("Whitening clip" + suffix, refused, ad_account_);
    // TikTok refuses the second campaign of the launch (the fourth direction's).
    stack_.SandboxControl("POST", "faults",
                          {{"kind", "error"},
                           {"path", "campaign/create/"},
                           {"code", 40002},
                           {"message", insufficient_funds},
                           {"skip", 1},
                           {"times", 1}});

    IdMap ids = AccountIds();
    const std::string directions[4] = {launched, pooled, no_video, refused};
    for (int i = 0; i < 4; ++i) ids[kGoldenDirections[i]] = directions[i];
    const Json answer = CallGolden(kAutoLaunch, ids, spelling, check);
    ASSERT_EQ(answer["results"].size(), 4u) << answer.dump();
    for (int i = 0; i < 4; ++i) EXPECT_EQ(answer["results"][i]["direction_id"], directions[i]);

    // At the sandbox: the new campaign with its two ads, and the pool group enabled with one.
    const Json& created = answer["results"][0];
    EXPECT_EQ(SandboxCampaign(kKztAdvertiser, created.value("campaign_id", "")).value(
                  "operation_status", ""),
              "ENABLE");
    EXPECT_EQ(SandboxAdsOf(kKztAdvertiser, created.value("adgroup_id", "")).size(), 2u);
    const Json& used = answer["results"][1];
    EXPECT_EQ(used["tiktok_adgroup_id"], pool[round - 1]);
    EXPECT_EQ(SandboxAdGroup(kKztAdvertiser, pool[round - 1]).value("operation_status", ""),
              "ENABLE");
    EXPECT_EQ(SandboxAdsOf(kKztAdvertiser, pool[round - 1]).size(), 1u);
  }
}

TEST_F(FrontendRoutesTest, ManualLaunchMatchesTheGolden) {
  ASSERT_NO_FATAL_FAILURE(ConnectBoth());
  GoldenCheck check;
  check.values = {"success", "message", "mode"};
  int round = 0;
  for (const Spelling spelling : kBothSpellings) {
    SCOPED_TRACE(SpellingName(spelling));
    const std::string suffix = absl::StrCat(" #", ++round);
    const std::string direction = CreateDirection("Almaty implants" + suffix, ad_account_);
    const std::string first = CreateCreative("Implant clip A" + suffix, direction, ad_account_);
    const std::string second = CreateCreative("Implant clip B" + suffix, direction, ad_account_);
    IdMap ids = AccountIds();
    ids[kGoldenDirections[0]] = direction;
    ids[kGoldenCreatives[0]] = first;
    ids[kGoldenCreatives[1]] = second;
    const Json answer = CallGolden(kManualLaunch, ids, spelling, check);
    ASSERT_EQ(answer["ads"].size(), 2u) << answer.dump();
    EXPECT_EQ(answer["ads"][0]["user_creative_id"], first);
    EXPECT_EQ(answer["direction_id"], direction);

    // At the sandbox: a traffic campaign, an ad group with the body's budget, two ads.
    const Json campaign = SandboxCampaign(kKztAdvertiser, answer.value("campaign_id", ""));
    EXPECT_EQ(campaign.value("objective_type", ""), "TRAFFIC") << campaign.dump();
    const Json adgroup = SandboxAdGroup(kKztAdvertiser, answer.value("adgroup_id", ""));
    EXPECT_EQ(adgroup.value("budget", 0.0), 5000) << adgroup.dump();
    EXPECT_EQ(SandboxAdsOf(kKztAdvertiser, answer.value("adgroup_id", "")).size(), 2u);
  }
}

TEST_F(FrontendRoutesTest, ManualLaunchMultiMatchesTheGolden) {
  // `account_id: null` (legacy mode): the user account's own credentials, the USD advertiser,
  // which gets a lead form here.
  ASSERT_NO_FATAL_FAILURE(ConnectBoth());
  stack_.SandboxControl("POST", "seed",
                        {{"pages", Json::array({{{"page_id", kUsdLeadPage},
                                                 {"advertiser_id", kUsdAdvertiser},
                                                 {"title", "Consultation request"},
                                                 {"status", "PUBLISHED"},
                                                 {"business_type", "LEAD_GEN"}}})}});
  GoldenCheck check;
  check.values = {"success"};
  int round = 0;
  for (const Spelling spelling : kBothSpellings) {
    SCOPED_TRACE(SpellingName(spelling));
    const std::string suffix = absl::StrCat(" #", ++round);
    const std::string direction =
        CreateDirection("Almaty implants" + suffix, "",
                        {{"tiktok_objective", "lead_generation"},
                         {"tiktok_instant_page_id", kUsdLeadPage}});
    IdMap ids = AccountIds();
    ids[kGoldenDirections[0]] = direction;
    std::vector<std::string> creatives;
    for (int i = 0; i < 3; ++i) {
      creatives.push_back(CreateCreative(absl::StrCat("Lead clip ", i, suffix), direction, ""));
      ids[kGoldenCreatives[i]] = creatives.back();
    }
    const Json answer = CallGolden(kManualLaunchMulti, ids, spelling, check);
    EXPECT_EQ(answer["success_count"], 2) << answer.dump();
    EXPECT_EQ(answer["failed_count"], 0);
    EXPECT_EQ(answer["total_ads"], 3);
    EXPECT_EQ(answer["message"], "TikTok: создано 2 адсетов, 3 объявлений");
    ASSERT_EQ(answer["adsets"].size(), 2u) << answer.dump();

    // At the sandbox (USD advertiser): a lead-generation campaign with both ad groups.
    const Json campaign = SandboxCampaign(kUsdAdvertiser, answer.value("campaign_id", ""));
    EXPECT_EQ(campaign.value("objective_type", ""), "LEAD_GENERATION") << campaign.dump();
    const Json second = SandboxAdGroup(kUsdAdvertiser, answer["adsets"][1].value("adset_id", ""));
    EXPECT_EQ(second.value("budget", 0.0), 2500.5) << second.dump();
    EXPECT_EQ(SandboxAdsOf(kUsdAdvertiser, answer["adsets"][0].value("adset_id", "")).size(), 2u);
  }
}

TEST_F(FrontendRoutesTest, CreateCampaignMatchesTheGolden) {
  ASSERT_NO_FATAL_FAILURE(ConnectBoth());
  const std::string golden_name = ReadGolden("create-campaign.request.json")["campaign_name"];
  GoldenCheck check;
  check.values = {"success", "objective"};
  int round = 0;
  for (const Spelling spelling : kBothSpellings) {
    SCOPED_TRACE(SpellingName(spelling));
    ++round;
    const std::string creative =
        CreateCreative(absl::StrCat("Implant clip #", round), "", ad_account_);
    IdMap ids = AccountIds();
    ids[kGoldenCreatives[0]] = creative;
    ids[kGoldenPage] = kKztLeadPage;
    GoldenCheck this_check = check;
    std::string name = golden_name;
    if (spelling == Spelling::kAsWritten) {
      this_check.values.insert("message");  // the golden's name, so the golden's message
    } else {
      name += " (2)";  // TikTok refuses a second live campaign of the same name
      ids[golden_name] = name;
    }
    const Json answer = CallGolden(kCreateCampaign, ids, spelling, this_check);
    EXPECT_EQ(answer["message"], absl::StrCat("TikTok Campaign \"", name,
                                              "\" created successfully with 1 ad(s) (status: "
                                              "DISABLED)"));
    ASSERT_EQ(answer["ads"].size(), 1u) << answer.dump();
    EXPECT_EQ(answer["ads"][0]["user_creative_id"], creative);

    // At the sandbox: lead generation, created disabled (auto_activate false), one ad.
    const Json campaign = SandboxCampaign(kKztAdvertiser, answer.value("campaign_id", ""));
    EXPECT_EQ(campaign.value("campaign_name", ""), name) << campaign.dump();
    EXPECT_EQ(campaign.value("objective_type", ""), "LEAD_GENERATION");
    EXPECT_EQ(campaign.value("operation_status", ""), "DISABLE");
    const Json ads = SandboxAdsOf(kKztAdvertiser, answer.value("adgroup_id", ""));
    ASSERT_EQ(ads.size(), 1u);
    EXPECT_EQ(ads[0].value("page_id", ""), kKztLeadPage) << ads[0].dump();
  }
}

TEST_F(FrontendRoutesTest, CampaignsMatchesTheGolden) {
  ASSERT_NO_FATAL_FAILURE(ConnectBoth());
  GoldenCheck check;
  check.values = {"success"};
  for (const Spelling spelling : kBothSpellings) {
    SCOPED_TRACE(SpellingName(spelling));
    const Json answer = CallGolden(kCampaigns, AccountIds(), spelling, check);
    // The ad account's (KZT) campaigns, not the legacy credentials' (USD): account_id arrived.
    std::set<std::string> ids;
    for (const Json& campaign : answer["campaigns"]) ids.insert(campaign.value("campaign_id", ""));
    EXPECT_TRUE(ids.count(kKztCampaign)) << answer.dump();
    EXPECT_FALSE(ids.count(kUsdCampaign)) << answer.dump();
    EXPECT_EQ(answer["total"], static_cast<int>(ids.size()));
  }
}

TEST_F(FrontendRoutesTest, PauseCampaignMatchesTheGoldenAndPausesAtTikTok) {
  ASSERT_NO_FATAL_FAILURE(ConnectBoth());
  GoldenCheck check;
  check.values = {"success", "message"};
  IdMap ids = AccountIds();
  ids[kGoldenCampaign] = kKztCampaign;
  for (const Spelling spelling : kBothSpellings) {
    SCOPED_TRACE(SpellingName(spelling));
    ASSERT_NO_FATAL_FAILURE(SetSandboxCampaignStatus(kKztAdvertiser, kKztCampaign, "ENABLE"));
    const Json answer = CallGolden(kPauseCampaign, ids, spelling, check);
    EXPECT_EQ(answer["campaign_id"], kKztCampaign);
    EXPECT_EQ(SandboxCampaign(kKztAdvertiser, kKztCampaign).value("operation_status", ""),
              "DISABLE");
  }
}

TEST_F(FrontendRoutesTest, ResumeCampaignMatchesTheGoldenAndResumesAtTikTok) {
  // The golden body has no account_id: the legacy credentials, so the USD advertiser's campaign.
  ASSERT_NO_FATAL_FAILURE(ConnectBoth());
  GoldenCheck check;
  check.values = {"success", "message"};
  IdMap ids = AccountIds();
  ids[kGoldenCampaign] = kUsdCampaign;
  for (const Spelling spelling : kBothSpellings) {
    SCOPED_TRACE(SpellingName(spelling));
    ASSERT_NO_FATAL_FAILURE(SetSandboxCampaignStatus(kUsdAdvertiser, kUsdCampaign, "DISABLE"));
    const Json answer = CallGolden(kResumeCampaign, ids, spelling, check);
    EXPECT_EQ(answer["campaign_id"], kUsdCampaign);
    EXPECT_EQ(SandboxCampaign(kUsdAdvertiser, kUsdCampaign).value("operation_status", ""),
              "ENABLE");
  }
}

TEST_F(FrontendRoutesTest, ReportMatchesTheGolden) {
  ASSERT_NO_FATAL_FAILURE(ConnectBoth());
  LoadHistorySeed();  // a campaign with weeks of delivery before the golden's dates
  GoldenCheck check;
  check.values = {"success", "period.start_date", "period.end_date"};
  IdMap ids = AccountIds();
  ids[kGoldenCampaign] = kHistoryCampaign;
  ids[kGoldenSecondCampaign] = kKztCampaign;
  for (const Spelling spelling : kBothSpellings) {
    SCOPED_TRACE(SpellingName(spelling));
    const Json answer = CallGolden(kReport, ids, spelling, check);
    // One row per requested campaign of the KZT advertiser, no other.
    std::set<std::string> rows;
    for (const Json& row : answer["report"]["list"]) {
      rows.insert(row["dimensions"].value("campaign_id", ""));
    }
    EXPECT_EQ(rows, (std::set<std::string>{kHistoryCampaign, kKztCampaign})) << answer.dump();
  }
}

TEST_F(FrontendRoutesTest, AvailableCreativesMatchesTheGolden) {
  ASSERT_NO_FATAL_FAILURE(ConnectBoth());
  const std::string direction = CreateDirection("Almaty implants", ad_account_);
  // The golden's two creatives, oldest first: one already at TikTok, one with NULL description
  // and video id.
  const std::string uploaded = CreateCreative("Implants turnkey", direction, ad_account_,
                                              {{"tiktok_video_id", "v10033g50000e2euploaded00"}});
  absl::SleepFor(absl::Milliseconds(20));  // distinct created_at, so a fixed newest-first order
  const std::string fresh =
      CreateCreative("Patient review, 30 s", direction, ad_account_, {{"description", ""}});
  const std::string other = CreateDirection("Other direction", ad_account_);
  CreateCreative("Other clip", other, ad_account_);  // not listed: another direction
  GoldenCheck check;
  check.values = {"success", "creatives[*].media_type"};
  check.every_element = {"creatives"};
  IdMap ids = AccountIds();
  ids[kGoldenDirections[0]] = direction;
  for (const Spelling spelling : kBothSpellings) {
    SCOPED_TRACE(SpellingName(spelling));
    const Json answer = CallGolden(kAvailableCreatives, ids, spelling, check);
    ASSERT_EQ(answer["creatives"].size(), 2u) << answer.dump();
    EXPECT_EQ(answer["creatives"][0]["id"], fresh);
    EXPECT_EQ(answer["creatives"][1]["id"], uploaded);
    EXPECT_EQ(answer["creatives"][1]["tiktok_video_id"], "v10033g50000e2euploaded00");
    EXPECT_EQ(answer["count"], 2);
  }
}

TEST_F(FrontendRoutesTest, AdvertiserInfoMatchesTheGolden) {
  ASSERT_NO_FATAL_FAILURE(ConnectBoth());
  // The sandbox's KZT advertiser has the golden's status, currency and time zone; the legacy
  // credentials' advertiser (USD, New York) would not, had account_id been dropped.
  GoldenCheck check;
  check.values = {"success",
                  "advertiser.code",
                  "advertiser.message",
                  "advertiser.data.list[0].status",
                  "advertiser.data.list[0].currency",
                  "advertiser.data.list[0].timezone"};
  for (const Spelling spelling : kBothSpellings) {
    SCOPED_TRACE(SpellingName(spelling));
    const Json answer = CallGolden(kAdvertiserInfo, AccountIds(), spelling, check);
    EXPECT_EQ(answer["advertiser"]["data"]["list"][0]["advertiser_id"], kKztAdvertiser);
  }
}

// ---------------------------------------------------------------------------
// OAuth: POST /api/tiktok/oauth/exchange, with the golden's old-style unsigned state.

TEST_F(FrontendRoutesTest, OAuthExchangeMatchesTheGoldenAndConnectsTheAccount) {
  // The golden state is base64 JSON {user_id, ad_account_id, ts}: the run's ids go inside.
  const Json golden_request = ReadGolden("oauth-exchange.request.json");
  std::string state_json;
  ASSERT_TRUE(absl::Base64Unescape(golden_request["state"].get<std::string>(), &state_json));
  Json state = Json::parse(state_json);
  ASSERT_EQ(state["user_id"], kGoldenUser);
  state["user_id"] = user_;
  state["ad_account_id"] = ad_account_;
  state["ts"] = absl::ToUnixMillis(absl::Now());

  GoldenCheck check;
  check.values = {"success", "message"};
  for (const Spelling spelling : kBothSpellings) {
    SCOPED_TRACE(SpellingName(spelling));
    IdMap ids = AccountIds();
    ids[golden_request["auth_code"].get<std::string>()] = FreshAuthCode();  // good once
    ids[golden_request["state"].get<std::string>()] = absl::Base64Escape(state.dump());
    const Json answer = CallGolden(kOAuthExchange, ids, spelling, check);
    EXPECT_EQ(answer["business_id"], kKztAdvertiser);
    EXPECT_EQ(answer["account_id"], kKztAdvertiserName);  // the old wire's meaning: the name
    EXPECT_EQ(answer["ad_account_id"], ad_account_);
    EXPECT_EQ(answer["identity_id"], "7500000000000000001");
    EXPECT_EQ(answer["advertisers"].size(), 2u);
    EXPECT_FALSE(answer.contains("access_token"));  // never returned (account_service.proto)
  }
  auto [status, account] =
      Send("GET", absl::StrCat("/api/v1/accounts/", user_, "?account_id=", ad_account_));
  ASSERT_EQ(status, 200) << account.dump();
  EXPECT_EQ(account["tiktok_connected"], true) << account.dump();
}

// ---------------------------------------------------------------------------
// The brain's dispatch (POST /api/agent/actions) and the batch's POST /api/brain/run-tiktok.

TEST_F(FrontendRoutesTest, AgentActionsMatchesTheGoldenAndAppliesAtTikTok) {
  ASSERT_NO_FATAL_FAILURE(ConnectBoth());
  LoadHistorySeed();
  ASSERT_NO_FATAL_FAILURE(UseApiKey());
  GoldenCheck check;
  check.values = {"executed"};
  // Each spelling changes another ad group and ad of the always-on campaign.
  const std::string adgroups[2] = {"790000000000000012", "790000000000000013"};
  const std::string ads[2] = {"8000000000000001121", "8000000000000001131"};
  int round = 0;
  for (const Spelling spelling : kBothSpellings) {
    SCOPED_TRACE(SpellingName(spelling));
    IdMap ids = AccountIds();
    ids[kGoldenAdvertiser] = kKztAdvertiser;
    ids[kGoldenCampaign] = kHistoryCampaign;
    ids[kGoldenAdGroup] = adgroups[round];
    ids[kGoldenAd] = ads[round];
    ids[kGoldenBrainKey] = absl::StrCat("think-e2e-actions-", round);
    const Json answer = CallGolden(kAgentActions, ids, spelling, check);
    EXPECT_FALSE(answer.value("executionId", "").empty()) << answer.dump();
    EXPECT_EQ(SandboxAdGroup(kKztAdvertiser, adgroups[round]).value("budget", 0.0), 6500);
    const Json ad = SandboxList("ad/get/", kKztAdvertiser, {{"ad_ids", Json::array({ads[round]})}});
    ASSERT_EQ(ad.size(), 1u);
    EXPECT_EQ(ad[0].value("operation_status", ""), "DISABLE");
    ++round;
  }
}

TEST_F(FrontendRoutesTest, BrainRunTikTokMatchesTheGoldenAndDispatchesNothing) {
  ASSERT_NO_FATAL_FAILURE(ConnectBoth());
  LoadHistorySeed();
  // The always-on campaign in a direction of the ad account, with a target CPL its ad groups
  // beat or miss by far, so that the plan has actions.
  CreateDirection("Always-on traffic", ad_account_,
                  {{"tiktok_campaign_id", kHistoryCampaign}, {"tiktok_target_cpl", 400}});
  ASSERT_NO_FATAL_FAILURE(UseApiKey());
  stack_.SandboxControl("DELETE", "requests");
  GoldenCheck check;
  check.values = {"planNote", "platform", "actions[0].type"};
  int round = 0;
  for (const Spelling spelling : kBothSpellings) {
    SCOPED_TRACE(SpellingName(spelling));
    IdMap ids = AccountIds();
    const std::string key = absl::StrCat("think-e2e-brain-", ++round);
    ids[kGoldenBrainKey] = key;
    const Json answer = CallGolden(kBrainRunTikTok, ids, spelling, check);
    EXPECT_EQ(answer["idempotencyKey"], key);
    EXPECT_TRUE(answer["agentResponse"].is_null()) << answer.dump();
  }
  // dispatch false: a plan and a report, nothing changed at TikTok; the report went out.
  for (const char* endpoint : {"campaign/status/update/", "adgroup/update/",
                               "adgroup/status/update/", "ad/status/update/"}) {
    EXPECT_TRUE(SandboxRequests(endpoint).empty()) << endpoint;
  }
  EXPECT_TRUE(telegram_.WaitForMessages(2));
}

// ---------------------------------------------------------------------------
// The frontend's TikTok proxy: POST /api/tiktok-proxy.

TEST_F(FrontendRoutesTest, TikTokProxyMatchesTheGolden) {
  ASSERT_NO_FATAL_FAILURE(ConnectBoth());
  GoldenCheck check;
  check.values = {"code", "message"};
  for (const Spelling spelling : kBothSpellings) {
    SCOPED_TRACE(SpellingName(spelling));
    const Json answer = CallGolden(kTikTokProxy, AccountIds(), spelling, check);
    // adAccountId / ad_account_id arrived: the KZT advertiser's campaigns.
    std::set<std::string> ids;
    for (const Json& campaign : answer["data"]["list"]) {
      ids.insert(campaign.value("campaign_id", ""));
    }
    EXPECT_TRUE(ids.count(kKztCampaign)) << answer.dump();
    EXPECT_FALSE(ids.count(kUsdCampaign)) << answer.dump();
  }
}

// ---------------------------------------------------------------------------
// Error statuses the other e2e tests do not cover (gateway_test.cc: 400 with BadRequest, 401
// without credentials, 403 another tenant's object, 404, 409 idempotency conflict, 503 while
// the server restarts; frontend_flow_test.cc: 412 CREDENTIALS_NOT_FOUND, 403 outside the proxy's
// whitelist).

TEST_F(FrontendRoutesTest, InvalidFieldIs400AndTheBodyNamesTheField) {
  ASSERT_NO_FATAL_FAILURE(ConnectBoth());
  const std::string direction = CreateDirection("Almaty implants", ad_account_);
  IdMap ids = AccountIds();
  ids[kGoldenDirections[0]] = direction;
  ids[kGoldenCreatives[0]] = CreateCreative("Implant clip A", direction, ad_account_);
  ids[kGoldenCreatives[1]] = CreateCreative("Implant clip B", direction, ad_account_);
  const Json before = stack_.SandboxControl("GET", "state");

  const auto field_violations = [](const Json& body) {
    std::vector<std::string> fields;
    for (const Json& detail : body.value("details", Json::array())) {
      if (detail.value("@type", "") != "type.googleapis.com/google.rpc.BadRequest") continue;
      for (const Json& violation : detail.value("field_violations", Json::array())) {
        fields.push_back(violation.value("field", ""));
      }
    }
    return fields;
  };
  // Below the KZT minimum daily budget (2500).
  Json low_budget = GoldenRequest(kManualLaunch, ids, Spelling::kAsWritten);
  low_budget["daily_budget"] = 100;
  auto [budget_status, budget] = Send("POST", kManualLaunch.path, low_budget);
  EXPECT_EQ(budget_status, 400) << budget.dump();
  EXPECT_EQ(field_violations(budget), std::vector<std::string>{"daily_budget"}) << budget.dump();
  EXPECT_TRUE(absl::StrContains(budget.value("message", ""), "daily_budget")) << budget.dump();
  // A camelCase body's bad field is named by its proto name.
  Json bad_direction = GoldenRequest(kManualLaunch, ids, Spelling::kOtherCase);
  bad_direction["directionId"] = "not-a-uuid";
  auto [direction_status, refused] = Send("POST", kManualLaunch.path, bad_direction);
  EXPECT_EQ(direction_status, 400) << refused.dump();
  EXPECT_EQ(field_violations(refused), std::vector<std::string>{"direction_id"}) << refused.dump();
  // Nothing was created at TikTok.
  EXPECT_EQ(stack_.SandboxControl("GET", "state"), before);
}

TEST_F(FrontendRoutesTest, ForgedOrExpiredJwtIs401AndChangesNothing) {
  ASSERT_NO_FATAL_FAILURE(ConnectBoth());
  stack_.SandboxControl("DELETE", "requests");
  const absl::Time now = absl::Now();
  const std::string tokens[] = {
      server::SignJwt({user_, now + absl::Hours(1)}, "not-the-server-secret", now),  // forged
      server::SignJwt({user_, now - absl::Hours(1)}, E2eStack::kJwtSecret,
                      now - absl::Hours(2)),  // expired
      jwt_.substr(0, jwt_.rfind('.') + 1) + "AAAA",  // signature cut off
      "not-a-jwt"};
  IdMap ids = AccountIds();
  ids[kGoldenCampaign] = kKztCampaign;
  const Json pause = GoldenRequest(kPauseCampaign, ids, Spelling::kAsWritten);
  for (const std::string& token : tokens) {
    auto [read_status, read] =
        stack_.Send("GET", absl::StrCat(kCampaigns.path, "?account_id=", ad_account_), token);
    EXPECT_EQ(read_status, 401) << token << ": " << read.dump();
    auto [pause_status, paused] = stack_.SendJson("POST", kPauseCampaign.path, token, pause);
    EXPECT_EQ(pause_status, 401) << token << ": " << paused.dump();
  }
  EXPECT_TRUE(SandboxRequests("campaign/get/").empty());
  EXPECT_TRUE(SandboxRequests("campaign/status/update/").empty());
  EXPECT_EQ(SandboxCampaign(kKztAdvertiser, kKztCampaign).value("operation_status", ""), "ENABLE");
}

class FrontendRoutesRateLimitTest : public FrontendRoutesTest {
 protected:
  void SetUp() override {
    // A short retry budget per TikTok call, so that a rate limit that does not lift ends soon.
    extra_server_env_ = {"TTADS_TIKTOK_RETRY_DEADLINE_MS=1000"};
    FrontendRoutesTest::SetUp();
  }
};

TEST_F(FrontendRoutesRateLimitTest, PersistentTikTokRateLimitIs429AndChangesNothing) {
  ASSERT_NO_FATAL_FAILURE(ConnectBoth());
  const auto expect_rate_limited = [](int status, const Json& body, const std::string& path) {
    const std::string what = "TikTok " + path;
    EXPECT_EQ(status, 429) << what << ": " << body.dump();
    // Says what happened, once: "TikTok <path>: code 40100 RATE_LIMITED_APP: ...".
    const std::string message = body.value("message", "");
    EXPECT_EQ(message.rfind(what + ": code 40100 RATE_LIMITED_APP: ", 0), 0u) << message;
    EXPECT_EQ(message.find(what, 1), std::string::npos) << "repeated: " << message;
    bool info = false;
    for (const Json& detail : body.value("details", Json::array())) {
      if (detail.value("@type", "") != "type.googleapis.com/google.rpc.ErrorInfo") continue;
      info = info || detail["metadata"].value("tiktok_code", "") == "40100";
    }
    EXPECT_TRUE(info) << what << ": no ErrorInfo with tiktok_code 40100: " << body.dump();
  };

  // A read: TikTok answers 40100 to every campaign/get/.
  stack_.SandboxControl("POST", "faults", {{"spec", "error:campaign/get/,code=40100,times=1000"}});
  stack_.SandboxControl("DELETE", "requests");
  auto [read_status, read] =
      Send("GET", absl::StrCat(kCampaigns.path, "?account_id=", ad_account_));
  expect_rate_limited(read_status, read, "campaign/get/");
  EXPECT_FALSE(SandboxRequests("campaign/get/").empty());
  // The proxy passes TikTok's envelope through as the old proxy did: HTTP 200 with code 40100
  // (a contract decision, analytics_service.proto); the frontend treats code != 0 as a failure.
  auto [proxy_status, proxy] = Send(
      "POST", kTikTokProxy.path, GoldenRequest(kTikTokProxy, AccountIds(), Spelling::kAsWritten));
  EXPECT_EQ(proxy_status, 200) << proxy.dump();
  EXPECT_EQ(proxy.value("code", 0), 40100) << proxy.dump();
  stack_.SandboxControl("DELETE", "faults");

  // A change: the campaign is found, then every campaign/status/update/ answers 40100. A
  // direction runs the campaign, so ttads would record the pause on it too.
  const std::string direction =
      CreateDirection("Existing campaign", ad_account_,
                      {{"tiktok_campaign_id", kKztCampaign}, {"campaign_status", "ACTIVE"}});
  stack_.SandboxControl("POST", "faults",
                        {{"spec", "error:campaign/status/update/,code=40100,times=1000"}});
  stack_.SandboxControl("DELETE", "requests");
  IdMap ids = AccountIds();
  ids[kGoldenCampaign] = kKztCampaign;
  auto [pause_status, paused] =
      Send("POST", kPauseCampaign.path, GoldenRequest(kPauseCampaign, ids, Spelling::kAsWritten));
  expect_rate_limited(pause_status, paused, "campaign/status/update/");
  const Json updates = SandboxRequests("campaign/status/update/");
  EXPECT_FALSE(updates.empty());
  for (const Json& update : updates) EXPECT_EQ(update.value("code", 0), 40100) << update.dump();
  stack_.SandboxControl("DELETE", "faults");
  EXPECT_EQ(SandboxCampaign(kKztAdvertiser, kKztCampaign).value("operation_status", ""), "ENABLE");
  auto [direction_status, stored] = Send("GET", absl::StrCat("/api/v1/directions/", direction));
  ASSERT_EQ(direction_status, 200) << stored.dump();
  EXPECT_EQ(stored["campaign_status"], "ACTIVE") << stored.dump();
}

}  // namespace
}  // namespace ttads::testing

// AnalyticsService end to end: ttads-server (in process, over a real gRPC channel) against the
// TikTok sandbox (real HTTP), on SQLite and PostgreSQL. The proxy's whitelist, advertiser
// override, envelope pass-through and status updates through the action API; the ROI figures
// against TikTok's own campaign report, and their cache (which days reach TikTok).
#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "client/rpc_client.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "server/rpc_status.h"
#include "storage/audit_log_repository.h"
#include "storage/execution_repository.h"
#include "test/integration/server_sandbox_fixture.h"
#include "ttads/v1/analytics_service.pb.h"

namespace ttads::server {
namespace {

using ::google::protobuf::Struct;

constexpr char kKzAdvertiser[] = "7400000000000000001";
constexpr char kUsAdvertiser[] = "7400000000000000002";  // has the seed's only ad
constexpr char kUsCampaign[] = "7800000000000000002";
constexpr char kUsAdGroup[] = "7900000000000000002";
constexpr char kUsAd[] = "8000000000000000001";

Struct StructFrom(const std::string& json) {
  Struct out;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &out).ok()) << json;
  return out;
}

std::string ReasonOf(const absl::Status& status) {
  const auto payload = status.GetPayload("type.googleapis.com/google.rpc.ErrorInfo");
  if (!payload.has_value()) return "";
  google::rpc::ErrorInfo info;
  if (!info.ParseFromString(std::string(*payload))) return "";
  return info.reason();
}

std::string FieldOf(const absl::Status& status) {
  const auto violations = FieldViolationsOf(status);
  return violations.size() == 1 ? violations[0].field : "";
}

// The first list item of a proxy answer's data.
Struct FirstItem(const v1::TikTokProxyResponse& response) {
  const auto list = response.data().fields().find("list");
  if (list == response.data().fields().end() || list->second.list_value().values_size() == 0) {
    return {};
  }
  return list->second.list_value().values(0).struct_value();
}

std::string Text(const Struct& value, const std::string& key) {
  const auto found = value.fields().find(key);
  return found == value.fields().end() ? "" : found->second.string_value();
}

class AnalyticsTest : public ::ttads::testing::ServerSandboxTest {
 protected:
  void SetUp() override {
    ServerSandboxTest::SetUp();
    if (server_ == nullptr) return;
    user_ = NewUser("alice");
    jwt_ = JwtFor(user_);
    Connect(jwt_, "", kUsAdvertiser);  // legacy credentials: the USD advertiser
    // The sandbox's local days are the advertiser's (America/New_York).
    today_ = absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(0));
    absl::TimeZone new_york;
    if (absl::LoadTimeZone("America/New_York", &new_york)) {
      today_ = absl::ToCivilDay(absl::Now(), new_york);
    }
    sandbox_.ClearRequestLog();
  }

  absl::Status Proxy(const v1::TikTokProxyRequest& request, v1::TikTokProxyResponse& response,
                     const std::string& token = "") {
    return Client(token.empty() ? jwt_ : token).Call("AnalyticsService/TikTokProxy", request,
                                                      response);
  }
  v1::TikTokProxyRequest ProxyRequest(const std::string& endpoint, const std::string& method,
                                      const std::string& params_json) {
    v1::TikTokProxyRequest request;
    request.set_endpoint(endpoint);
    request.set_method(method);
    *request.mutable_params() = StructFrom(params_json);
    return request;
  }
  absl::Status Roi(const v1::GetRoiRequest& request, v1::GetRoiResponse& response,
                   const std::string& token = "") {
    return Client(token.empty() ? jwt_ : token).Call("AnalyticsService/GetRoi", request,
                                                      response);
  }
  v1::GetRoiRequest RoiRequest(absl::CivilDay start, absl::CivilDay end,
                               const std::string& level = "campaign",
                               const std::string& granularity = "total") {
    v1::GetRoiRequest request;
    request.set_start_date(absl::FormatCivilTime(start));
    request.set_end_date(absl::FormatCivilTime(end));
    request.set_level(level);
    request.set_granularity(granularity);
    return request;
  }
  // The report calls the sandbox received since the last ClearRequestLog.
  std::vector<sandbox::RequestLogEntry> ReportCalls() {
    return sandbox_.RequestLog("report/integrated/get/");
  }

  std::string user_;
  std::string jwt_;
  absl::CivilDay today_;
};

// ---------------------------------- proxy ----------------------------------

TEST_P(AnalyticsTest, ProxyReadReturnsTikToksEnvelopeForTheCallersOwnAdvertiser) {
  // The caller names the other advertiser its token could reach; ttads sends its own.
  v1::TikTokProxyResponse response;
  const absl::Status status = Proxy(
      ProxyRequest("campaign/get/", "GET",
                   absl::StrCat(R"({"advertiser_id":")", kKzAdvertiser,
                                R"(","fields":["campaign_id","campaign_name","operation_status"],)"
                                R"("page":1,"page_size":100})")),
      response);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(response.code(), 0);
  EXPECT_EQ(response.message(), "OK");
  EXPECT_FALSE(response.request_id().empty());
  EXPECT_FALSE(response.has_mutation());
  EXPECT_EQ(Text(FirstItem(response), "campaign_id"), kUsCampaign);
  ASSERT_TRUE(response.data().fields().contains("page_info"));

  const auto calls = sandbox_.RequestLog("campaign/get/");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].method, "GET");
  EXPECT_EQ(calls[0].query.value("advertiser_id", ""), kUsAdvertiser);
  EXPECT_EQ(calls[0].query.value("page_size", ""), "100");

  // advertiser/info: advertiser_ids is ttads's too.
  v1::TikTokProxyResponse info;
  ASSERT_TRUE(Proxy(ProxyRequest("advertiser/info/", "",
                                 absl::StrCat(R"({"advertiser_ids":[")", kKzAdvertiser, R"("]})")),
                    info)
                  .ok());
  EXPECT_EQ(info.code(), 0);
  EXPECT_EQ(Text(FirstItem(info), "advertiser_id"), kUsAdvertiser);
}

TEST_P(AnalyticsTest, EndpointsOutsideTheWhitelistAreRefusedAndNothingIsSent) {
  for (const char* endpoint : {"campaign/create/", "oauth2/revoke_token/", "adgroup/update/"}) {
    v1::TikTokProxyResponse response;
    const absl::Status status =
        Proxy(ProxyRequest(endpoint, "POST", R"({"campaign_name":"x"})"), response);
    // PERMISSION_DENIED as the contract (analytics_service.proto) says.
    EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << endpoint << " " << status;
    EXPECT_EQ(ReasonOf(status), "ENDPOINT_NOT_ALLOWED");
    EXPECT_NE(status.message().find(endpoint), std::string::npos) << status;
    EXPECT_NE(status.message().find("campaign/get/"), std::string::npos) << status;
  }
  v1::TikTokProxyResponse response;
  absl::Status malformed = Proxy(ProxyRequest("../campaign/get/", "GET", "{}"), response);
  EXPECT_EQ(malformed.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(malformed), "endpoint");
  absl::Status empty = Proxy(ProxyRequest("", "GET", "{}"), response);
  EXPECT_EQ(FieldOf(empty), "endpoint");
  // A read must be a GET, a status update a POST.
  absl::Status wrong_method = Proxy(ProxyRequest("campaign/get/", "POST", "{}"), response);
  EXPECT_EQ(wrong_method.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(wrong_method), "method");
  EXPECT_TRUE(sandbox_.RequestLog().empty());
}

TEST_P(AnalyticsTest, ProxyStatusUpdateGoesThroughTheActionApi) {
  v1::TikTokProxyRequest request = ProxyRequest(
      "adgroup/status/update/", "POST",
      absl::StrCat(R"({"advertiser_id":")", kKzAdvertiser, R"(","adgroup_ids":[")", kUsAdGroup,
                   R"("],"operation_status":"DISABLE"})"));
  v1::TikTokProxyResponse response;
  absl::Status status = Proxy(request, response);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(response.code(), 0) << response.message();
  EXPECT_FALSE(response.request_id().empty());
  ASSERT_TRUE(response.has_mutation());
  EXPECT_FALSE(response.mutation().replayed());
  const std::string key = response.mutation().idempotency_key();
  EXPECT_FALSE(key.empty());
  EXPECT_FALSE(response.mutation().operation_id().empty());

  // The action API's records: the execution and its audit entries.
  storage::ExecutionRepository executions(scratch_->database());
  absl::StatusOr<storage::ExecutionRow> execution = executions.FindByKey(user_, key);
  ASSERT_TRUE(execution.ok()) << execution.status();
  EXPECT_EQ(execution->source, "tiktok_proxy");
  EXPECT_EQ(execution->status, "success");
  EXPECT_EQ(execution->ad_account_id, kUsAdvertiser);
  storage::AuditLogRepository audit(scratch_->database());
  auto entries = audit.ListForUser(user_, {});
  ASSERT_TRUE(entries.ok()) << entries.status();
  bool proxy_audited = false;
  for (const storage::AuditEntry& entry : entries->items) {
    if (entry.action == "AnalyticsService.TikTokProxy") {
      proxy_audited = true;
      EXPECT_EQ(entry.idempotency_key, key);
      EXPECT_EQ(entry.outcome, "OK");
    }
  }
  EXPECT_TRUE(proxy_audited);

  // The sandbox's ad group changed, at ttads's advertiser.
  const auto updates = sandbox_.RequestLog("adgroup/status/update/");
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(updates[0].body.value("advertiser_id", ""), kUsAdvertiser);
  v1::TikTokProxyResponse listed;
  ASSERT_TRUE(Proxy(ProxyRequest("adgroup/get/", "GET",
                                 absl::StrCat(R"({"filtering":{"adgroup_ids":[")", kUsAdGroup,
                                              R"("]}})")),
                    listed)
                  .ok());
  EXPECT_EQ(Text(FirstItem(listed), "operation_status"), "DISABLE");

  // The same change again with the key it was given is answered from the record.
  request.set_idempotency_key(key);
  v1::TikTokProxyResponse again;
  ASSERT_TRUE(Proxy(request, again).ok());
  EXPECT_TRUE(again.mutation().replayed());
  EXPECT_EQ(sandbox_.RequestLog("adgroup/status/update/").size(), 1u);

  // Bad input never reaches TikTok.
  v1::TikTokProxyResponse refused;
  absl::Status bad = Proxy(ProxyRequest("campaign/status/update/", "POST",
                                        R"({"campaign_ids":["1"],"operation_status":"DELETE"})"),
                           refused);
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(bad), "params.operation_status");
  EXPECT_TRUE(sandbox_.RequestLog("campaign/status/update/").empty());
}

TEST_P(AnalyticsTest, ATikTokErrorCodeComesBackInTheEnvelope) {
  ASSERT_TRUE(sandbox_.AddFault("error:campaign/get/,code=40001,once").ok());
  v1::TikTokProxyResponse response;
  const absl::Status status = Proxy(ProxyRequest("campaign/get/", "GET", "{}"), response);
  ASSERT_TRUE(status.ok()) << status;  // gRPC OK, as TikTok answers HTTP 200
  EXPECT_EQ(response.code(), 40001);
  EXPECT_FALSE(response.message().empty());
}

TEST_P(AnalyticsTest, ARejectedTokenComesBackInTheEnvelopeAndFlagsTheAccount) {
  ASSERT_TRUE(sandbox_.AddFault("error:campaign/get/,code=40105,once").ok());
  v1::TikTokProxyResponse response;
  ASSERT_TRUE(Proxy(ProxyRequest("campaign/get/", "GET", "{}"), response).ok());
  EXPECT_EQ(response.code(), 40105);
  // The account now needs a new OAuth: ttads says so before calling TikTok again.
  sandbox_.ClearRequestLog();
  const absl::Status status = Proxy(ProxyRequest("campaign/get/", "GET", "{}"), response);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_EQ(ReasonOf(status), "NEEDS_REAUTH");
  EXPECT_TRUE(sandbox_.RequestLog().empty());
}

// ----------------------------------- ROI -----------------------------------

TEST_P(AnalyticsTest, RoiTotalsEqualTikToksCampaignReport) {
  const absl::CivilDay end = today_ - 1;
  const absl::CivilDay start = end - 9;
  v1::GetRoiResponse roi;
  absl::Status status = Roi(RoiRequest(start, end), roi);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(roi.currency(), "USD");
  EXPECT_EQ(roi.period().start_date(), absl::FormatCivilTime(start));
  EXPECT_EQ(roi.period().end_date(), absl::FormatCivilTime(end));
  ASSERT_EQ(roi.rows_size(), 1);
  const v1::RoiRow& row = roi.rows(0);
  EXPECT_EQ(row.campaign_id(), kUsCampaign);
  EXPECT_FALSE(row.campaign_name().empty());
  EXPECT_GT(row.spend(), 0);

  // TikTok's own campaign-level report over the same days (through the proxy).
  v1::TikTokProxyResponse report;
  ASSERT_TRUE(Proxy(ProxyRequest("report/integrated/get/", "GET",
                                 absl::StrCat(R"({"report_type":"BASIC","data_level":"AUCTION_CAMPAIGN",)"
                                              R"("dimensions":["campaign_id"],)"
                                              R"("metrics":["spend","impressions","clicks","conversion"],)"
                                              R"("start_date":")",
                                              absl::FormatCivilTime(start), R"(","end_date":")",
                                              absl::FormatCivilTime(end), R"("})")),
                    report)
                  .ok());
  ASSERT_EQ(report.code(), 0) << report.message();
  const Struct campaign = FirstItem(report);
  const Struct& metrics = campaign.fields().at("metrics").struct_value();
  const auto number = [&](const std::string& key) {
    return std::stod(metrics.fields().at(key).string_value());
  };
  EXPECT_NEAR(row.spend(), number("spend"), 0.01);
  EXPECT_NEAR(row.impressions(), number("impressions"), 0.01);
  EXPECT_NEAR(row.clicks(), number("clicks"), 0.01);
  // A TRAFFIC campaign: leads are clicks.
  EXPECT_EQ(row.leads(), row.clicks());
  EXPECT_NEAR(row.ctr(), std::round(number("clicks") / number("impressions") * 10000) / 100, 0.01);
  EXPECT_NEAR(row.cpc(), row.spend() / row.clicks(), 0.01);
  EXPECT_NEAR(row.cpl(), row.spend() / row.leads(), 0.01);
  EXPECT_NEAR(roi.totals().spend(), row.spend(), 0.01);
  EXPECT_EQ(roi.totals().campaign_id(), "");
  if (row.purchase_value() == 0) {
    EXPECT_EQ(row.roas(), 0);
    EXPECT_NEAR(row.roi(), -100, 0.01);
  } else {
    EXPECT_NEAR(row.roas(), row.purchase_value() / row.spend(), 0.01);
  }

  // Per day and per ad, the same sums.
  v1::GetRoiResponse daily;
  ASSERT_TRUE(Roi(RoiRequest(start, end, "ad", "day"), daily).ok());
  double spend = 0;
  for (const v1::RoiRow& day : daily.rows()) {
    EXPECT_FALSE(day.date().empty());
    EXPECT_EQ(day.ad_id(), kUsAd);
    EXPECT_EQ(day.adgroup_id(), kUsAdGroup);
    spend += day.spend();
  }
  EXPECT_GT(daily.rows_size(), 1);
  EXPECT_NEAR(spend, row.spend(), 0.01 * daily.rows_size());
  EXPECT_NEAR(daily.totals().spend(), row.spend(), 0.01);
}

TEST_P(AnalyticsTest, RepeatedQuestionsAreAnsweredFromTheDatabase) {
  const absl::CivilDay end = today_ - 1;
  const absl::CivilDay start = end - 9;
  v1::GetRoiResponse first;
  ASSERT_TRUE(Roi(RoiRequest(start, end), first).ok());
  ASSERT_EQ(ReportCalls().size(), 1u);

  sandbox_.ClearRequestLog();
  v1::GetRoiResponse second;
  ASSERT_TRUE(Roi(RoiRequest(start, end), second).ok());
  EXPECT_TRUE(ReportCalls().empty());
  ASSERT_EQ(second.rows_size(), 1);
  EXPECT_DOUBLE_EQ(second.rows(0).spend(), first.rows(0).spend());

  // Three more days: only those are read.
  sandbox_.ClearRequestLog();
  v1::GetRoiResponse extended;
  ASSERT_TRUE(Roi(RoiRequest(start - 3, end), extended).ok());
  const auto calls = ReportCalls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].query.value("start_date", ""), absl::FormatCivilTime(start - 3));
  EXPECT_EQ(calls[0].query.value("end_date", ""), absl::FormatCivilTime(start - 1));
  EXPECT_GE(extended.rows(0).spend(), first.rows(0).spend());

  // Today is still changing: it is read every time.
  sandbox_.ClearRequestLog();
  v1::GetRoiResponse with_today;
  ASSERT_TRUE(Roi(RoiRequest(start, today_), with_today).ok());
  ASSERT_EQ(ReportCalls().size(), 1u);
  EXPECT_EQ(ReportCalls()[0].query.value("start_date", ""), absl::FormatCivilTime(today_));
  sandbox_.ClearRequestLog();
  ASSERT_TRUE(Roi(RoiRequest(start, today_), with_today).ok());
  EXPECT_EQ(ReportCalls().size(), 1u);
}

TEST_P(AnalyticsTest, ALongRangeIsReadInThirtyDayReports) {
  const absl::CivilDay end = today_ - 1;
  const absl::CivilDay start = end - 44;  // 45 days
  v1::GetRoiResponse roi;
  ASSERT_TRUE(Roi(RoiRequest(start, end), roi).ok());
  const auto calls = ReportCalls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].query.value("start_date", ""), absl::FormatCivilTime(start));
  EXPECT_EQ(calls[0].query.value("end_date", ""), absl::FormatCivilTime(start + 29));
  EXPECT_EQ(calls[1].query.value("start_date", ""), absl::FormatCivilTime(start + 30));
  EXPECT_EQ(calls[1].query.value("end_date", ""), absl::FormatCivilTime(end));
  EXPECT_EQ(calls[0].query.value("data_level", ""), "AUCTION_AD");
  ASSERT_EQ(roi.rows_size(), 1);
  EXPECT_GT(roi.rows(0).spend(), 0);
}

TEST_P(AnalyticsTest, NoCredentialsIsAnErrorThatSaysSo) {
  const std::string bob = NewUser("bob");
  v1::GetRoiResponse roi;
  absl::Status status = Roi(v1::GetRoiRequest(), roi, JwtFor(bob));
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_EQ(ReasonOf(status), "CREDENTIALS_NOT_FOUND");
  v1::TikTokProxyResponse proxied;
  status = Proxy(ProxyRequest("campaign/get/", "GET", "{}"), proxied, JwtFor(bob));
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_EQ(ReasonOf(status), "CREDENTIALS_NOT_FOUND");
  EXPECT_TRUE(sandbox_.RequestLog().empty());
}

TEST_P(AnalyticsTest, AnotherUsersAccountIsRefused) {
  const std::string bob = NewUser("bob");
  v1::GetRoiRequest request;
  request.set_user_account_id(user_);
  v1::GetRoiResponse roi;
  EXPECT_EQ(Roi(request, roi, JwtFor(bob)).code(), absl::StatusCode::kPermissionDenied);
  v1::TikTokProxyRequest proxy = ProxyRequest("campaign/get/", "GET", "{}");
  proxy.set_user_account_id(user_);
  v1::TikTokProxyResponse proxied;
  EXPECT_EQ(Proxy(proxy, proxied, JwtFor(bob)).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(sandbox_.RequestLog().empty());
}

TEST_P(AnalyticsTest, BadDatesAndOptionsAreRefusedNamingTheField) {
  struct Case {
    std::string start, end, level, granularity, field;
  };
  const std::string tomorrow_anywhere = absl::FormatCivilTime(today_ + 3);
  const std::vector<Case> cases = {
      {"2026-13-01", "", "", "", "start_date"},
      {"", "2026-02-30", "", "", "end_date"},
      {"", tomorrow_anywhere, "", "", "end_date"},
      {"2025-03-10", "2025-03-01", "", "", "start_date"},
      {"2024-01-01", "2025-06-01", "", "", "end_date"},
      {"", "", "creative", "", "level"},
      {"", "", "", "week", "granularity"},
  };
  for (const Case& c : cases) {
    v1::GetRoiRequest request;
    request.set_start_date(c.start);
    request.set_end_date(c.end);
    request.set_level(c.level);
    request.set_granularity(c.granularity);
    v1::GetRoiResponse roi;
    const absl::Status status = Roi(request, roi);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.field << " " << status;
    EXPECT_EQ(FieldOf(status), c.field) << status;
  }
  EXPECT_TRUE(sandbox_.RequestLog().empty());
}

TEST_P(AnalyticsTest, DefaultsAreTheLastSevenDaysEndingYesterday) {
  v1::GetRoiResponse roi;
  ASSERT_TRUE(Roi(v1::GetRoiRequest(), roi).ok());
  EXPECT_EQ(roi.period().end_date(), absl::FormatCivilTime(today_ - 1));
  EXPECT_EQ(roi.period().start_date(), absl::FormatCivilTime(today_ - 7));
}

INSTANTIATE_TEST_SUITE_P(Backends, AnalyticsTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);

}  // namespace
}  // namespace ttads::server

// CampaignBuilderService's queries and pause/resume end to end: ttads-server (in process, over a
// real gRPC channel) against the TikTok sandbox over real HTTP, on SQLite and PostgreSQL.
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/rpc_client.h"
#include "google/protobuf/struct.pb.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "server/rpc_status.h"
#include "storage/audit_log_repository.h"
#include "storage/creative_repository.h"
#include "storage/direction_repository.h"
#include "storage/user_account_repository.h"
#include "test/integration/server_sandbox_fixture.h"
#include "test/test_database.h"
#include "ttads/v1/account_service.pb.h"
#include "ttads/v1/campaign_builder_service.pb.h"

namespace ttads::server {
namespace {

using ::google::protobuf::Struct;
using ::google::protobuf::Value;

constexpr char kKzAdvertiser[] = "7400000000000000001";
constexpr char kKzCampaign[] = "7800000000000000001";

std::string Text(const Struct& value, const std::string& key) {
  const auto found = value.fields().find(key);
  return found == value.fields().end() ? "" : found->second.string_value();
}

std::string ReasonOf(const absl::Status& status) {
  const auto payload = status.GetPayload("type.googleapis.com/google.rpc.ErrorInfo");
  if (!payload.has_value()) return "";
  google::rpc::ErrorInfo info;
  if (!info.ParseFromString(std::string(*payload))) return "";
  return info.reason();
}

// The single field a refusal names ("" when it names none or several).
std::string FieldOf(const absl::Status& status) {
  const auto violations = FieldViolationsOf(status);
  return violations.size() == 1 ? violations[0].field : "";
}

class CampaignQueryTest : public ::ttads::testing::ServerSandboxTest {
 protected:
  void SetUp() override {
    ServerSandboxTest::SetUp();
    if (server_ == nullptr) return;
    user_ = NewUser("alice");
    jwt_ = JwtFor(user_);
    Connect(jwt_, "", kKzAdvertiser);  // legacy credentials: the KZT advertiser
    sandbox_.ClearRequestLog();
  }

  template <typename Request, typename Response>
  absl::Status Call(const std::string& method, const Request& request, Response& response,
                    const std::string& token = "") {
    return Client(token.empty() ? jwt_ : token)
        .Call(absl::StrCat("CampaignBuilderService/", method), request, response);
  }
  // Mutating TikTok calls the sandbox received since the last ClearRequestLog.
  size_t MutationsSent() {
    size_t count = 0;
    for (const auto& entry : sandbox_.RequestLog()) {
      if (entry.method == "POST") ++count;
    }
    return count;
  }
  // The campaign as TikTok now holds it, read through ListCampaigns.
  Struct Campaign(const std::string& campaign_id) {
    v1::ListCampaignsRequest request;
    v1::ListCampaignsResponse response;
    const absl::Status status = Call("ListCampaigns", request, response);
    EXPECT_TRUE(status.ok()) << status;
    for (const Value& item : response.campaigns().values()) {
      if (Text(item.struct_value(), "campaign_id") == campaign_id) return item.struct_value();
    }
    ADD_FAILURE() << "campaign " << campaign_id << " not listed";
    return {};
  }
  // A direction of alice's whose campaign is `campaign_id`.
  std::string DirectionWithCampaign(const std::string& campaign_id, const std::string& status) {
    storage::DirectionRepository directions(scratch_->database());
    storage::Direction direction;
    direction.user_account_id = user_;
    direction.name = absl::StrCat("KZ traffic ", campaign_id);
    direction.platform = "tiktok";
    direction.objective = "instagram_traffic";
    direction.campaign_status = status;
    direction.tiktok_campaign_id = campaign_id;
    auto created = directions.Create(direction, absl::Now());
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? created->id : "";
  }
  std::string DirectionStatus(const std::string& direction_id) {
    storage::DirectionRepository directions(scratch_->database());
    auto direction = directions.Get(user_, direction_id);
    EXPECT_TRUE(direction.ok()) << direction.status();
    return direction.ok() ? direction->campaign_status.value_or("") : "";
  }
  // Adds campaigns to the KZ advertiser through the sandbox's seed.
  void SeedCampaigns(const std::vector<std::string>& ids) {
    nlohmann::json seed = {{"campaigns", nlohmann::json::array()}};
    for (const std::string& id : ids) {
      seed["campaigns"].push_back({{"campaign_id", id},
                                   {"advertiser_id", kKzAdvertiser},
                                   {"campaign_name", absl::StrCat("Seeded ", id)},
                                   {"objective_type", "TRAFFIC"},
                                   {"budget_mode", "BUDGET_MODE_DAY"},
                                   {"budget", 5000},
                                   {"operation_status", "ENABLE"}});
    }
    const absl::Status loaded = sandbox_.LoadSeed(seed.dump());
    ASSERT_TRUE(loaded.ok()) << loaded;
  }

  std::string user_;
  std::string jwt_;
};

TEST_P(CampaignQueryTest, ListCampaignsReturnsTikToksCampaignsRaw) {
  v1::ListCampaignsRequest request;
  v1::ListCampaignsResponse response;
  const absl::Status status = Call("ListCampaigns", request, response);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_TRUE(response.success());
  EXPECT_EQ(response.total(), 1);
  EXPECT_TRUE(response.next_page_token().empty());
  ASSERT_EQ(response.campaigns().values_size(), 1);
  const Struct& campaign = response.campaigns().values(0).struct_value();
  EXPECT_EQ(Text(campaign, "campaign_id"), kKzCampaign);
  EXPECT_EQ(Text(campaign, "campaign_name"), "Demo existing campaign (KZ)");
  EXPECT_EQ(Text(campaign, "operation_status"), "ENABLE");
  EXPECT_EQ(Text(campaign, "objective_type"), "TRAFFIC");
  EXPECT_EQ(campaign.fields().at("budget").number_value(), 5000);
  EXPECT_EQ(MutationsSent(), 0u);

  // The operator names the user account.
  EXPECT_EQ(FieldOf(Call("ListCampaigns", request, response, kAdmin)), "user_account_id");
  request.set_user_account_id(user_);
  response.Clear();
  ASSERT_TRUE(Call("ListCampaigns", request, response, kAdmin).ok());
  EXPECT_EQ(response.total(), 1);
}

TEST_P(CampaignQueryTest, ListCampaignsReadsEveryTikTokPageAndPagesLocally) {
  // More campaigns than one TikTok page (1000) holds.
  std::vector<std::string> ids;
  for (int i = 0; i < 1004; ++i) ids.push_back(absl::StrCat(7810000000000000000 + i));
  SeedCampaigns(ids);
  sandbox_.ClearRequestLog();

  v1::ListCampaignsRequest request;
  v1::ListCampaignsResponse response;
  ASSERT_TRUE(Call("ListCampaigns", request, response).ok());
  EXPECT_EQ(response.total(), 1005);
  EXPECT_EQ(response.campaigns().values_size(), 1005);
  EXPECT_TRUE(response.next_page_token().empty());
  EXPECT_GE(sandbox_.RequestLog("campaign/get/").size(), 2u);

  // Local pages: every campaign exactly once.
  std::set<std::string> seen;
  request.set_page_size(400);
  int pages = 0;
  do {
    response.Clear();
    const absl::Status status = Call("ListCampaigns", request, response);
    ASSERT_TRUE(status.ok()) << status;
    EXPECT_EQ(response.total(), 1005);
    for (const Value& item : response.campaigns().values()) {
      EXPECT_TRUE(seen.insert(Text(item.struct_value(), "campaign_id")).second);
    }
    request.set_page_token(response.next_page_token());
    ++pages;
  } while (!response.next_page_token().empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 1005u);
  EXPECT_EQ(seen.count(kKzCampaign), 1u);

  request.set_page_token("not a token");
  EXPECT_EQ(FieldOf(Call("ListCampaigns", request, response)), "page_token");
}

TEST_P(CampaignQueryTest, PauseAndResumeChangeTikTokAndTtadsRecords) {
  const std::string direction = DirectionWithCampaign(kKzCampaign, "ACTIVE");

  v1::PauseCampaignRequest pause;
  pause.set_campaign_id(kKzCampaign);
  v1::PauseCampaignResponse paused;
  absl::Status status = Call("PauseCampaign", pause, paused);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_TRUE(paused.success());
  EXPECT_EQ(paused.message(), "Campaign paused successfully");
  EXPECT_EQ(paused.campaign_id(), kKzCampaign);
  EXPECT_FALSE(paused.mutation().idempotency_key().empty());  // ttads made one
  EXPECT_FALSE(paused.mutation().replayed());
  const auto updates = sandbox_.RequestLog("campaign/status/update/");
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(updates[0].body["operation_status"], "DISABLE");
  EXPECT_EQ(Text(Campaign(kKzCampaign), "operation_status"), "DISABLE");
  EXPECT_EQ(DirectionStatus(direction), "PAUSED");

  v1::ResumeCampaignRequest resume;
  resume.set_campaign_id(kKzCampaign);
  resume.set_idempotency_key("resume-1");
  v1::ResumeCampaignResponse resumed;
  status = Call("ResumeCampaign", resume, resumed);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(resumed.message(), "Campaign resumed successfully");
  EXPECT_EQ(resumed.mutation().idempotency_key(), "resume-1");
  EXPECT_EQ(Text(Campaign(kKzCampaign), "operation_status"), "ENABLE");
  EXPECT_EQ(DirectionStatus(direction), "ACTIVE");

  // Both are audited: before -> after with TikTok's answer.
  storage::AuditLogRepository audit(scratch_->database());
  auto entries = audit.ListForUser(user_, {"", 50});
  ASSERT_TRUE(entries.ok()) << entries.status();
  int audited = 0;
  for (const storage::AuditEntry& entry : entries->items) {
    if (entry.action.rfind("CampaignBuilderService.", 0) != 0) continue;
    ++audited;
    EXPECT_EQ(entry.outcome, "OK");
    EXPECT_EQ(entry.target_id.value_or(""), kKzCampaign);
    ASSERT_TRUE(entry.details_json.has_value());
    const nlohmann::json details = nlohmann::json::parse(*entry.details_json);
    if (entry.action == "CampaignBuilderService.PauseCampaign") {
      EXPECT_EQ(details.value("before", ""), "ENABLE") << *entry.details_json;
      EXPECT_EQ(details.value("after", ""), "DISABLE");
    } else {
      EXPECT_EQ(details.value("before", ""), "DISABLE") << *entry.details_json;
      EXPECT_EQ(details.value("after", ""), "ENABLE");
    }
  }
  EXPECT_EQ(audited, 2);
}

TEST_P(CampaignQueryTest, ARepeatWithTheSameKeySendsNoSecondMutation) {
  v1::PauseCampaignRequest pause;
  pause.set_campaign_id(kKzCampaign);
  pause.set_idempotency_key("pause-once-1");
  v1::PauseCampaignResponse first;
  ASSERT_TRUE(Call("PauseCampaign", pause, first).ok());
  EXPECT_EQ(MutationsSent(), 1u);
  // Someone resumes it at TikTok meanwhile; the retry must not pause it again.
  v1::ResumeCampaignRequest resume;
  resume.set_campaign_id(kKzCampaign);
  v1::ResumeCampaignResponse resumed;
  ASSERT_TRUE(Call("ResumeCampaign", resume, resumed).ok());
  sandbox_.ClearRequestLog();

  v1::PauseCampaignResponse second;
  const absl::Status status = Call("PauseCampaign", pause, second);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_TRUE(second.mutation().replayed());
  EXPECT_EQ(second.mutation().idempotency_key(), "pause-once-1");
  EXPECT_EQ(second.message(), first.message());
  EXPECT_EQ(MutationsSent(), 0u);
  EXPECT_EQ(Text(Campaign(kKzCampaign), "operation_status"), "ENABLE");

  // The same key for another change is refused.
  v1::PauseCampaignRequest other = pause;
  other.set_campaign_id("7800000000000000002");
  EXPECT_EQ(Call("PauseCampaign", other, second).code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(MutationsSent(), 0u);
}

TEST_P(CampaignQueryTest, ValidateOnlyChecksTheCampaignAndChangesNothing) {
  const std::string direction = DirectionWithCampaign(kKzCampaign, "ACTIVE");
  v1::PauseCampaignRequest pause;
  pause.set_campaign_id(kKzCampaign);
  pause.set_validate_only(true);
  v1::PauseCampaignResponse response;
  const absl::Status status = Call("PauseCampaign", pause, response);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_TRUE(response.mutation().validate_only());
  EXPECT_EQ(MutationsSent(), 0u);
  EXPECT_EQ(Text(Campaign(kKzCampaign), "operation_status"), "ENABLE");
  EXPECT_EQ(DirectionStatus(direction), "ACTIVE");

  // A campaign that is not the advertiser's: the US advertiser's, or none at all.
  pause.set_campaign_id("7800000000000000002");
  EXPECT_EQ(Call("PauseCampaign", pause, response).code(), absl::StatusCode::kNotFound);
  pause.set_validate_only(false);
  EXPECT_EQ(Call("PauseCampaign", pause, response).code(), absl::StatusCode::kNotFound);
  v1::ResumeCampaignRequest resume;
  resume.set_campaign_id("7899999999999999999");
  v1::ResumeCampaignResponse resumed;
  EXPECT_EQ(Call("ResumeCampaign", resume, resumed).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(MutationsSent(), 0u);
}

TEST_P(CampaignQueryTest, GetReportMergesTikTokPagesForTheRequestedCampaigns) {
  SeedCampaigns({"7800000000000000003"});
  v1::GetReportRequest request;
  request.add_campaign_ids("7800000000000000001, 7800000000000000003");
  request.set_start_date("2026-01-01");
  request.set_end_date("2026-01-10");
  v1::GetReportResponse response;
  const absl::Status status = Call("GetReport", request, response);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_TRUE(response.success());
  EXPECT_EQ(response.period().start_date(), "2026-01-01");
  EXPECT_EQ(response.period().end_date(), "2026-01-10");
  const auto& list = response.report().fields().at("list").list_value();
  ASSERT_EQ(list.values_size(), 2);
  std::set<std::string> reported;
  for (const Value& row : list.values()) {
    const Struct& fields = row.struct_value();
    reported.insert(Text(fields.fields().at("dimensions").struct_value(), "campaign_id"));
    const Struct& metrics = fields.fields().at("metrics").struct_value();
    for (const char* metric :
         {"spend", "impressions", "clicks", "conversions", "cpc", "cpm", "ctr"}) {
      EXPECT_TRUE(metrics.fields().contains(metric)) << metric;
    }
  }
  EXPECT_EQ(reported, (std::set<std::string>{"7800000000000000001", "7800000000000000003"}));
  const Struct& page_info = response.report().fields().at("page_info").struct_value();
  EXPECT_EQ(page_info.fields().at("total_number").number_value(), 2);

  // What TikTok was asked.
  const auto queries = sandbox_.RequestLog("report/integrated/get/");
  ASSERT_FALSE(queries.empty());
  const std::string asked = queries[0].query.dump();
  EXPECT_NE(asked.find("AUCTION_CAMPAIGN"), std::string::npos) << asked;
  EXPECT_NE(asked.find("7800000000000000003"), std::string::npos) << asked;
  EXPECT_NE(asked.find("2026-01-01"), std::string::npos) << asked;
  EXPECT_NE(asked.find("conversion"), std::string::npos) << asked;

  // Defaults: the last 7 days up to today (UTC).
  request.Clear();
  response.Clear();
  ASSERT_TRUE(Call("GetReport", request, response).ok());
  const std::string today = absl::FormatTime("%Y-%m-%d", absl::Now(), absl::UTCTimeZone());
  const std::string week_ago =
      absl::FormatTime("%Y-%m-%d", absl::Now() - absl::Hours(24 * 7), absl::UTCTimeZone());
  EXPECT_EQ(response.period().end_date(), today);
  EXPECT_EQ(response.period().start_date(), week_ago);
  EXPECT_EQ(response.report().fields().at("list").list_value().values_size(), 2);
}

TEST_P(CampaignQueryTest, GetAdvertiserInfoPassesTheWholeEnvelope) {
  v1::GetAdvertiserInfoRequest request;
  v1::GetAdvertiserInfoResponse response;
  const absl::Status status = Call("GetAdvertiserInfo", request, response);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_TRUE(response.success());
  const Struct& envelope = response.advertiser();
  EXPECT_EQ(envelope.fields().at("code").number_value(), 0);
  EXPECT_FALSE(Text(envelope, "request_id").empty());
  const auto& list =
      envelope.fields().at("data").struct_value().fields().at("list").list_value();
  ASSERT_EQ(list.values_size(), 1);
  EXPECT_EQ(Text(list.values(0).struct_value(), "advertiser_id"), kKzAdvertiser);
  EXPECT_EQ(Text(list.values(0).struct_value(), "currency"), "KZT");
}

TEST_P(CampaignQueryTest, ListAvailableCreativesFiltersAndPages) {
  // An ad account and a direction to filter on.
  storage::UserAccountRepository users(scratch_->database());
  storage::UserAccountPatch multi;
  multi.multi_account_enabled = true;
  ASSERT_TRUE(users.Update(user_, multi, absl::Now()).ok());
  v1::CreateAdAccountRequest create;
  create.set_name("Second");
  v1::CreateAdAccountResponse account;
  ASSERT_TRUE(Client(jwt_).Call("AccountService/CreateAdAccount", create, account).ok());
  const std::string account_id = account.account().account_id();
  const std::string direction = DirectionWithCampaign(kKzCampaign, "ACTIVE");

  storage::CreativeRepository creatives(scratch_->database());
  const absl::Time base = absl::Now() - absl::Hours(1);
  int n = 0;
  auto add = [&](const std::string& title, auto&& tweak) {
    storage::Creative row;
    row.user_id = user_;
    row.title = title;
    row.status = "ready";
    row.media_url = "https://cdn.example.com/v.mp4";
    tweak(row);
    auto created = creatives.Create(row, base + absl::Seconds(++n));
    EXPECT_TRUE(created.ok()) << created.status();
  };
  auto none = [](storage::Creative&) {};
  add("ok-1", none);
  add("ok-2 uploaded", [](storage::Creative& row) {
    row.media_url.reset();
    row.tiktok_video_id = "v10033g50000demovideo0000000";
  });
  add("image", [](storage::Creative& row) { row.media_type = "image"; });
  add("processing", [](storage::Creative& row) { row.status = "processing"; });
  add("inactive", [](storage::Creative& row) { row.is_active = false; });
  add("nothing to upload", [](storage::Creative& row) { row.media_url.reset(); });
  add("ok-3 direction", [&](storage::Creative& row) { row.direction_id = direction; });
  add("ok-4 account", [&](storage::Creative& row) { row.account_id = account_id; });
  add("ok-5 untyped", [](storage::Creative& row) { row.media_type.reset(); });

  v1::ListAvailableCreativesRequest request;
  v1::ListAvailableCreativesResponse response;
  ASSERT_TRUE(Call("ListAvailableCreatives", request, response).ok());
  EXPECT_TRUE(response.success());
  ASSERT_EQ(response.count(), 5);
  EXPECT_EQ(response.creatives(0).title(), "ok-5 untyped");  // newest first
  EXPECT_EQ(response.creatives(4).title(), "ok-1");
  EXPECT_EQ(response.creatives(3).tiktok_video_id(), "v10033g50000demovideo0000000");
  EXPECT_TRUE(response.next_page_token().empty());
  EXPECT_TRUE(sandbox_.RequestLog().empty());  // no TikTok call

  // Full pages, whatever ineligible creatives lie between.
  request.set_page_size(2);
  std::vector<std::string> titles;
  int pages = 0;
  do {
    response.Clear();
    ASSERT_TRUE(Call("ListAvailableCreatives", request, response).ok());
    for (const auto& creative : response.creatives()) titles.push_back(creative.title());
    request.set_page_token(response.next_page_token());
    ++pages;
  } while (!response.next_page_token().empty() && pages < 10);
  EXPECT_EQ(titles, (std::vector<std::string>{"ok-5 untyped", "ok-4 account", "ok-3 direction",
                                              "ok-2 uploaded", "ok-1"}));

  request.Clear();
  request.set_direction_id(direction);
  ASSERT_TRUE(Call("ListAvailableCreatives", request, response).ok());
  ASSERT_EQ(response.count(), 1);
  EXPECT_EQ(response.creatives(0).title(), "ok-3 direction");
  request.Clear();
  request.set_account_id(account_id);
  response.Clear();
  ASSERT_TRUE(Call("ListAvailableCreatives", request, response).ok());
  ASSERT_EQ(response.count(), 1);
  EXPECT_EQ(response.creatives(0).title(), "ok-4 account");

  // Another user sees none of them, and cannot name alice.
  const std::string bob_jwt = JwtFor(NewUser("bob"));
  request.Clear();
  response.Clear();
  ASSERT_TRUE(Call("ListAvailableCreatives", request, response, bob_jwt).ok());
  EXPECT_EQ(response.count(), 0);
  request.set_user_account_id(user_);
  EXPECT_EQ(Call("ListAvailableCreatives", request, response, bob_jwt).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_P(CampaignQueryTest, AnotherUsersAccountIsRefused) {
  const std::string bob_jwt = JwtFor(NewUser("bob"));
  v1::ListCampaignsRequest list;
  list.set_user_account_id(user_);
  v1::ListCampaignsResponse campaigns;
  EXPECT_EQ(Call("ListCampaigns", list, campaigns, bob_jwt).code(),
            absl::StatusCode::kPermissionDenied);
  v1::PauseCampaignRequest pause;
  pause.set_user_account_id(user_);
  pause.set_campaign_id(kKzCampaign);
  v1::PauseCampaignResponse paused;
  EXPECT_EQ(Call("PauseCampaign", pause, paused, bob_jwt).code(),
            absl::StatusCode::kPermissionDenied);
  v1::ResumeCampaignRequest resume;
  resume.set_user_account_id(user_);
  resume.set_campaign_id(kKzCampaign);
  v1::ResumeCampaignResponse resumed;
  EXPECT_EQ(Call("ResumeCampaign", resume, resumed, bob_jwt).code(),
            absl::StatusCode::kPermissionDenied);
  v1::GetReportRequest report;
  report.set_user_account_id(user_);
  v1::GetReportResponse reported;
  EXPECT_EQ(Call("GetReport", report, reported, bob_jwt).code(),
            absl::StatusCode::kPermissionDenied);
  v1::GetAdvertiserInfoRequest info;
  info.set_user_account_id(user_);
  v1::GetAdvertiserInfoResponse advertiser;
  EXPECT_EQ(Call("GetAdvertiserInfo", info, advertiser, bob_jwt).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(sandbox_.RequestLog().empty());

  // Bob's own account has no TikTok credentials.
  pause.clear_user_account_id();
  const absl::Status missing = Call("PauseCampaign", pause, paused, bob_jwt);
  EXPECT_EQ(missing.code(), absl::StatusCode::kFailedPrecondition) << missing;
  EXPECT_EQ(ReasonOf(missing), "CREDENTIALS_NOT_FOUND");
  list.clear_user_account_id();
  EXPECT_EQ(ReasonOf(Call("ListCampaigns", list, campaigns, bob_jwt)), "CREDENTIALS_NOT_FOUND");
  report.clear_user_account_id();
  EXPECT_EQ(ReasonOf(Call("GetReport", report, reported, bob_jwt)), "CREDENTIALS_NOT_FOUND");
  info.clear_user_account_id();
  EXPECT_EQ(ReasonOf(Call("GetAdvertiserInfo", info, advertiser, bob_jwt)),
            "CREDENTIALS_NOT_FOUND");
  EXPECT_TRUE(sandbox_.RequestLog().empty());
}

TEST_P(CampaignQueryTest, BadInputIsRefusedNamingTheField) {
  v1::PauseCampaignRequest pause;
  v1::PauseCampaignResponse paused;
  EXPECT_EQ(FieldOf(Call("PauseCampaign", pause, paused)), "campaign_id");
  pause.set_campaign_id("78000000000000000x1");
  const absl::Status status = Call("PauseCampaign", pause, paused);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(status), "campaign_id");
  pause.set_campaign_id(kKzCampaign);
  pause.set_account_id("not-a-uuid");
  EXPECT_EQ(FieldOf(Call("PauseCampaign", pause, paused)), "account_id");
  v1::ResumeCampaignRequest resume;
  resume.set_campaign_id("-1");
  v1::ResumeCampaignResponse resumed;
  EXPECT_EQ(FieldOf(Call("ResumeCampaign", resume, resumed)), "campaign_id");

  v1::GetReportRequest report;
  v1::GetReportResponse reported;
  report.set_start_date("2026-13-01");
  EXPECT_EQ(FieldOf(Call("GetReport", report, reported)), "start_date");
  report.set_start_date("2026-02-30");
  EXPECT_EQ(FieldOf(Call("GetReport", report, reported)), "start_date");
  report.set_start_date("");
  report.set_end_date("01.02.2026");
  EXPECT_EQ(FieldOf(Call("GetReport", report, reported)), "end_date");
  report.set_start_date("2026-02-10");
  report.set_end_date("2026-02-01");
  EXPECT_EQ(FieldOf(Call("GetReport", report, reported)), "start_date");
  report.set_start_date("2024-01-01");
  report.set_end_date("2026-01-01");
  EXPECT_EQ(FieldOf(Call("GetReport", report, reported)), "start_date");
  report.set_start_date("");
  report.set_end_date("");
  report.add_campaign_ids("123,abc");
  EXPECT_EQ(FieldOf(Call("GetReport", report, reported)), "campaign_ids");

  v1::ListCampaignsRequest list;
  list.set_page_size(2000);
  v1::ListCampaignsResponse campaigns;
  const absl::Status too_big = Call("ListCampaigns", list, campaigns);
  EXPECT_EQ(too_big.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(too_big), "page_size");
  v1::ListAvailableCreativesRequest creatives;
  creatives.set_page_size(2000);
  v1::ListAvailableCreativesResponse available;
  EXPECT_EQ(FieldOf(Call("ListAvailableCreatives", creatives, available)), "page_size");
  creatives.set_page_size(0);
  creatives.set_direction_id("nope");
  EXPECT_EQ(FieldOf(Call("ListAvailableCreatives", creatives, available)), "direction_id");
  v1::GetAdvertiserInfoRequest info;
  info.set_user_account_id("alice");
  v1::GetAdvertiserInfoResponse advertiser;
  EXPECT_EQ(FieldOf(Call("GetAdvertiserInfo", info, advertiser)), "user_account_id");
  EXPECT_TRUE(sandbox_.RequestLog().empty());
}

TEST_P(CampaignQueryTest, ATokenTikTokRejectsNeedsReauthorisation) {
  ASSERT_TRUE(sandbox_.AddFault("error:campaign/get/,code=40105,once").ok());
  v1::ListCampaignsRequest list;
  v1::ListCampaignsResponse campaigns;
  const absl::Status status = Call("ListCampaigns", list, campaigns);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_EQ(ReasonOf(status), "NEEDS_REAUTH");
  storage::UserAccountRepository users(scratch_->database());
  EXPECT_TRUE(users.Get(user_)->tiktok_needs_reauth);

  // Later calls are refused with that reason without reaching TikTok.
  sandbox_.ClearRequestLog();
  v1::GetAdvertiserInfoRequest info;
  v1::GetAdvertiserInfoResponse advertiser;
  const absl::Status later = Call("GetAdvertiserInfo", info, advertiser);
  EXPECT_EQ(later.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(later), "NEEDS_REAUTH");
  EXPECT_TRUE(sandbox_.RequestLog().empty());
}

TEST_P(CampaignQueryTest, AFailedPauseChangesNoRecordAndCanBeRetried) {
  const std::string direction = DirectionWithCampaign(kKzCampaign, "ACTIVE");
  ASSERT_TRUE(sandbox_.AddFault("error:campaign/status/update/,code=40002,once").ok());
  v1::PauseCampaignRequest pause;
  pause.set_campaign_id(kKzCampaign);
  pause.set_idempotency_key("pause-fail-1");
  v1::PauseCampaignResponse response;
  EXPECT_FALSE(Call("PauseCampaign", pause, response).ok());
  EXPECT_EQ(DirectionStatus(direction), "ACTIVE");
  // The same key runs again (nothing was recorded for it) and succeeds.
  response.Clear();
  const absl::Status retried = Call("PauseCampaign", pause, response);
  ASSERT_TRUE(retried.ok()) << retried;
  EXPECT_FALSE(response.mutation().replayed());
  EXPECT_EQ(DirectionStatus(direction), "PAUSED");
  EXPECT_EQ(Text(Campaign(kKzCampaign), "operation_status"), "DISABLE");
}

INSTANTIATE_TEST_SUITE_P(Backends, CampaignQueryTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);

}  // namespace
}  // namespace ttads::server

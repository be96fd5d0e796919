#include "fuzz/fuzz_support.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/log.h"
#include "server/secret_box.h"
#include "storage/ad_account_repository.h"
#include "storage/creative_repository.h"
#include "storage/database.h"
#include "storage/database_url.h"
#include "storage/direction_repository.h"
#include "storage/migration_runner.h"
#include "storage/user_account_repository.h"

namespace ttads::fuzz {

void InvariantFailed(const char* file, int line, std::string_view what) {
  std::fprintf(stderr, "%s:%d: fuzz invariant failed: %.*s\n", file, line,
               static_cast<int>(what.size()), what.data());
  std::abort();
}

void Trace(absl::string_view what, const absl::Status& status) {
  static const bool verbose = std::getenv("TTADS_FUZZ_VERBOSE") != nullptr;
  if (verbose) {
    std::fprintf(stderr, "%.*s: %s\n", static_cast<int>(what.size()), what.data(),
                 status.ToString().c_str());
  }
}

void QuietLogs() { server::SetLoggingEnabled(false); }

absl::StatusOr<tiktok::HttpResponse> FunctionTransport::Send(const tiktok::HttpRequest& request,
                                                             tiktok::HttpCallInfo* info) {
  if (info != nullptr) {
    info->request_sent = true;
    info->new_connections = 0;
    info->elapsed = absl::Milliseconds(1);
  }
  return answer_(request);
}

std::string TikTokPath(const tiktok::HttpRequest& request) {
  std::string_view url = request.url;
  const size_t version = url.find("/v1.3/");
  if (version != std::string_view::npos) url.remove_prefix(version + 6);
  const size_t query = url.find('?');
  if (query != std::string_view::npos) url = url.substr(0, query);
  return std::string(url);
}

namespace {

constexpr char kPageInfo[] =
    R"("page_info":{"page":1,"page_size":1000,"total_number":1,"total_page":1})";

// data of the success envelope per API path.
const std::map<std::string, std::string>& CannedData() {
  static const auto* const data = new std::map<std::string, std::string>{
      {"oauth2/access_token/",
       R"({"access_token":"fuzz-access-token","advertiser_ids":["7300000000000000101"],)"
       R"("scope":[4,5]})"},
      {"oauth2/advertiser/get/",
       R"({"list":[{"advertiser_id":"7300000000000000101","advertiser_name":"Fuzz KZ"},)"
       R"({"advertiser_id":"7300000000000000102","advertiser_name":"Fuzz US"}]})"},
      {"oauth2/revoke_token/",
       R"({"app_id":"7300000000000000001","advertiser_ids":["7300000000000000101"]})"},
      {"advertiser/info/",
       R"({"list":[{"advertiser_id":"7300000000000000101","name":"Fuzz KZ","currency":"KZT",)"
       R"("timezone":"Asia/Almaty","display_timezone":"Asia/Almaty","status":"STATUS_ENABLE",)"
       R"("balance":"250000.00","create_time":1700000000},)"
       R"({"advertiser_id":"7300000000000000102","name":"Fuzz US","currency":"USD",)"
       R"("timezone":"America/New_York","status":"STATUS_ENABLE","balance":"900.00"}]})"},
      {"identity/get/",
       absl::StrCat(R"({"identity_list":[{"identity_id":"7000000000000000001","identity_type":)"
                    R"("TT_USER","display_name":"Fuzz","can_push_video":true}],)",
                    kPageInfo, "}")},
      {"pixel/list/",
       absl::StrCat(R"({"pixels":[{"pixel_id":"7100000000000000001","pixel_code":"C4FUZZ",)"
                    R"("events":[{"event_id":"1","optimization_event":"FORM"}]}],)",
                    kPageInfo, "}")},
      {"campaign/get/",
       absl::StrCat(R"({"list":[{"advertiser_id":"7300000000000000101","campaign_id":)"
                    R"("1800000000000000001","campaign_name":"Fuzz campaign","objective_type":)"
                    R"("TRAFFIC","budget_mode":"BUDGET_MODE_INFINITE","operation_status":)"
                    R"("ENABLE","create_time":"2026-11-01 10:00:00"}],)",
                    kPageInfo, "}")},
      {"campaign/create/",
       R"({"campaign_id":"1800000000000000002","campaign_name":"Fuzz new",)"
       R"("operation_status":"ENABLE"})"},
      {"campaign/update/", R"({"campaign_id":"1800000000000000001"})"},
      {"campaign/status/update/", R"({"campaign_ids":["1800000000000000001"],"status":"DISABLE"})"},
      {"adgroup/get/",
       absl::StrCat(R"({"list":[{"advertiser_id":"7300000000000000101","campaign_id":)"
                    R"("1800000000000000001","adgroup_id":"1810000000000000001","adgroup_name":)"
                    R"("Fuzz group","budget_mode":"BUDGET_MODE_DAY","budget":"5000.00",)"
                    R"("operation_status":"ENABLE","create_time":"2026-11-01 10:00:00"}],)",
                    kPageInfo, "}")},
      {"adgroup/create/", R"({"adgroup_id":"1810000000000000002","budget":5000})"},
      {"adgroup/update/", R"({"adgroup_id":"1810000000000000001"})"},
      {"adgroup/status/update/", R"({"adgroup_ids":["1810000000000000001"],"status":"DISABLE"})"},
      {"adgroup/budget/update/", R"({})"},
      {"ad/get/",
       absl::StrCat(R"({"list":[{"advertiser_id":"7300000000000000101","campaign_id":)"
                    R"("1800000000000000001","adgroup_id":"1810000000000000001","ad_id":)"
                    R"("1820000000000000001","ad_name":"Fuzz ad","operation_status":"ENABLE",)"
                    R"("create_time":"2026-11-01 10:00:00"}],)",
                    kPageInfo, "}")},
      {"ad/create/", R"({"ad_ids":["1820000000000000002"]})"},
      {"ad/status/update/", R"({"ad_ids":["1820000000000000001"],"status":"DISABLE"})"},
      {"file/video/ad/upload/",
       R"([{"video_id":"v10033g50000fuzz","width":720,"height":1280,"duration":12.5,)"
       R"("displayable":true,"file_name":"fuzz.mp4"}])"},
      {"file/video/ad/info/",
       R"({"list":[{"video_id":"v10033g50000fuzz","width":720,"height":1280,"displayable":true,)"
       R"("video_cover_url":"https://p16.invalid/cover.jpg"}]})"},
      {"file/image/ad/upload/",
       R"({"image_id":"ad-site-i18n-sg/fuzz","width":720,"height":1280,"displayable":true})"},
      {"report/integrated/get/",
       absl::StrCat(R"({"list":[{"dimensions":{"ad_id":"1820000000000000001","stat_time_day":)"
                    R"("2026-11-23 00:00:00"},"metrics":{"spend":"1200.00","impressions":"5000",)"
                    R"("clicks":"80","conversion":"4","adgroup_id":"1810000000000000001",)"
                    R"("campaign_id":"1800000000000000001","campaign_name":"Fuzz campaign"}}],)",
                    kPageInfo, "}")},
      {"tool/region/",
       R"({"region_list":["KZ"],"region_info":[{"location_id":"1526273","name":"Kazakhstan",)"
       R"("level":"COUNTRY","region_code":"KZ"}]})"},
      {"page/get/", absl::StrCat(R"({"list":[{"page_id":"7200000000000000001","title":"Form",)"
                                 R"("status":"PUBLISHED"}],)",
                                 kPageInfo, "}")},
      {"page/lead/task/", R"({"task_id":"fuzz-task","status":"SUCCEED","file_type":"csv"})"},
  };
  return *data;
}

}  // namespace

tiktok::HttpResponse CannedTikTokAnswer(const tiktok::HttpRequest& request) {
  const std::string path = TikTokPath(request);
  const auto found = CannedData().find(path);
  tiktok::HttpResponse response;
  response.status = 200;
  response.headers = {{"content-type", "application/json"}, {"x-tt-logid", "fuzzlog"}};
  response.body = absl::StrCat(R"({"code":0,"message":"OK","request_id":"fuzz-request","data":)",
                               found == CannedData().end() ? "{}" : found->second, "}");
  return response;
}

std::unique_ptr<tiktok::TikTokClient> MakeTikTokClient(
    std::shared_ptr<tiktok::HttpTransport> transport, tiktok::Clock* clock) {
  tiktok::TikTokClientConfig config;
  config.base_url = "http://tiktok.fuzz.invalid/open_api";
  config.app_id = "7300000000000000001";
  config.app_secret = "fuzz-app-secret";
  config.retry.max_attempts = 2;
  config.retry.limited_max_attempts = 2;
  config.retry.base_delay = absl::Milliseconds(1);
  tiktok::TikTokClientDeps deps;
  deps.transport = std::move(transport);
  deps.clock = clock;
  deps.random = [] { return 0.5; };
  deps.dedupe_id_generator = [] { return std::string("4242424242424242"); };
  absl::StatusOr<std::unique_ptr<tiktok::TikTokClient>> client =
      tiktok::TikTokClient::Create(std::move(config), std::move(deps));
  FUZZ_CHECK(client.ok(), "TikTokClient::Create failed");
  return *std::move(client);
}

namespace {

// Fails the fuzzer's start-up (not an input) when the fixture cannot be made.
template <typename T>
T Must(absl::StatusOr<T> value, const char* what) {
  if (!value.ok()) {
    std::fprintf(stderr, "fuzz fixture: %s: %s\n", what, value.status().ToString().c_str());
    std::abort();
  }
  return *std::move(value);
}
void Must(const absl::Status& status, const char* what) {
  if (!status.ok()) {
    std::fprintf(stderr, "fuzz fixture: %s: %s\n", what, status.ToString().c_str());
    std::abort();
  }
}

void CreateFixture(storage::Database& db) {
  const absl::Time now = absl::FromUnixSeconds(1795600000);
  const server::SecretBox secrets = Must(server::SecretBox::FromKeyText(kSecretKeyHex), "key");
  const std::string token = Must(secrets.Encrypt("fuzz-access-token"), "encrypt");

  storage::UserAccountRepository users(db);
  storage::UserAccount a;
  a.id = kUserA;
  a.username = "fuzz-a";
  Must(users.Create(a, now), "user a");
  Must(users.SetTikTokCredentials(
           kUserA, {token, secrets.key_id(), kAdvertiserA, "7000000000000000001"}, now),
       "user a credentials");
  storage::UserAccount b;
  b.id = kUserB;
  b.username = "fuzz-b";
  b.multi_account_enabled = true;
  Must(users.Create(b, now), "user b");

  storage::AdAccountRepository accounts(db);
  storage::AdAccount account;
  account.id = kAdAccountB;
  account.user_account_id = kUserB;
  account.name = "Fuzz US";
  Must(accounts.Create(account, now), "ad account b");
  Must(
      accounts.SetTikTokCredentials(
          kUserB, kAdAccountB, {token, secrets.key_id(), kAdvertiserB, "7000000000000000001"}, now),
      "ad account b credentials");

  storage::DirectionRepository directions(db);
  storage::Direction direction;
  direction.id = kDirectionA;
  direction.user_account_id = kUserA;
  direction.name = "Fuzz leads KZ";
  direction.platform = "tiktok";
  direction.objective = "conversions";
  direction.tiktok_objective = "traffic";
  direction.tiktok_campaign_id = "1800000000000000001";
  direction.tiktok_daily_budget = 5000;
  direction.tiktok_target_cpl_kzt = 900;
  direction.tiktok_identity_id = "7000000000000000001";
  direction.campaign_status = "ACTIVE";
  Must(directions.Create(direction, now), "direction a");
  direction.id = kDirectionB;
  direction.user_account_id = kUserB;
  direction.account_id = kAdAccountB;
  direction.name = "Fuzz traffic US";
  direction.tiktok_daily_budget = 50;
  Must(directions.Create(direction, now), "direction b");
  // A traffic launch needs the landing page of the direction's ad settings.
  for (const auto& [id, user] : {std::pair{kDirectionA, kUserA}, std::pair{kDirectionB, kUserB}}) {
    storage::AdSettings settings;
    settings.direction_id = id;
    settings.user_id = user;
    settings.cities_json = R"(["1526384"])";
    settings.site_url = "https://clinic.fuzz.invalid/";
    Must(directions.UpsertAdSettings(settings, now), "ad settings");
  }

  storage::CreativeRepository creatives(db);
  storage::Creative creative;
  creative.id = kCreativeA;
  creative.user_id = kUserA;
  creative.direction_id = kDirectionA;
  creative.title = "Fuzz video";
  creative.media_url = "http://media.fuzz.invalid/video.mp4";
  creative.thumbnail_url = "http://media.fuzz.invalid/cover.jpg";
  creative.status = "ready";
  creative.tiktok_video_id = "v10033g50000fuzz";
  Must(creatives.Create(creative, now), "creative a");
  creative.id = kCreativeB;
  creative.user_id = kUserB;
  creative.account_id = kAdAccountB;
  creative.direction_id = kDirectionB;
  Must(creatives.Create(creative, now), "creative b");
}

}  // namespace

PristineDatabase& PristineDatabase::Get() {
  static PristineDatabase* const instance = new PristineDatabase();
  return *instance;
}

PristineDatabase::PristineDatabase() {
  std::string pattern = (std::filesystem::temp_directory_path() / "ttads-fuzz-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    std::perror("mkdtemp");
    std::abort();
  }
  dir_ = pattern;
  pristine_ = dir_ + "/pristine.db";
  work_ = dir_ + "/work.db";
  {
    const storage::DatabaseTarget target =
        Must(storage::ParseDatabaseUrl(absl::StrCat("sqlite:", pristine_)), "url");
    std::unique_ptr<storage::Database> db =
        Must(storage::Database::Open(target, {.pool_size = 1}), "open");
    Must(storage::ApplyMigrations(*db, storage::EmbeddedMigrations()), "migrate");
    CreateFixture(*db);
    // Folds the WAL back into the file, so copying the file alone copies everything.
    Must(db->Run([](soci::session& session) {
      session << "PRAGMA wal_checkpoint(TRUNCATE)";
      return absl::OkStatus();
    }),
         "checkpoint");
  }
  // The directory goes when the fuzzer exits (libFuzzer leaves through exit()).
  std::atexit([] { std::filesystem::remove_all(Get().dir_); });
}

std::string PristineDatabase::Fresh() {
  std::error_code ignored;
  std::filesystem::remove(work_ + "-wal", ignored);
  std::filesystem::remove(work_ + "-shm", ignored);
  std::filesystem::copy_file(pristine_, work_, std::filesystem::copy_options::overwrite_existing);
  return absl::StrCat("sqlite:", work_);
}

}  // namespace ttads::fuzz

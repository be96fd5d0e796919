#include "tools/bench/report_parse_bench.h"

#include <chrono>
#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "server/brain_data.h"
#include "simdjson.h"
#include "tiktok/envelope.h"
#include "tiktok/http_transport.h"
#include "tiktok/json_value.h"
#include "tiktok/lenient.h"
#include "tiktok/rate_limiter.h"
#include "tiktok/tiktok_client.h"
#include "tools/bench/bench_seed.h"

namespace ttads::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Passes requests to curl and keeps the first answer's body.
class RecordingTransport final : public tiktok::HttpTransport {
 public:
  explicit RecordingTransport(std::unique_ptr<tiktok::HttpTransport> inner)
      : inner_(std::move(inner)) {}
  absl::StatusOr<tiktok::HttpResponse> Send(const tiktok::HttpRequest& request,
                                            tiktok::HttpCallInfo* info) override {
    absl::StatusOr<tiktok::HttpResponse> response = inner_->Send(request, info);
    absl::MutexLock lock(&mutex_);
    if (response.ok() && first_.empty()) {
      first_ = response->body;
      headers_ = response->headers;
    }
    return response;
  }
  std::string first() {
    absl::MutexLock lock(&mutex_);
    return first_;
  }
  std::vector<std::pair<std::string, std::string>> headers() {
    absl::MutexLock lock(&mutex_);
    return headers_;
  }

 private:
  std::unique_ptr<tiktok::HttpTransport> inner_;
  absl::Mutex mutex_;
  std::string first_ ABSL_GUARDED_BY(mutex_);
  std::vector<std::pair<std::string, std::string>> headers_ ABSL_GUARDED_BY(mutex_);
};

// Answers every request with the same recorded page, as curl would hand it over.
class ReplayTransport final : public tiktok::HttpTransport {
 public:
  ReplayTransport(std::string body, std::vector<std::pair<std::string, std::string>> headers)
      : body_(std::move(body)), headers_(std::move(headers)) {}
  absl::StatusOr<tiktok::HttpResponse> Send(const tiktok::HttpRequest& /*request*/,
                                            tiktok::HttpCallInfo* info) override {
    if (info != nullptr) info->request_sent = true;
    tiktok::HttpResponse response;
    response.status = 200;
    response.body = body_;
    response.headers = headers_;
    return response;
  }

 private:
  const std::string body_;
  const std::vector<std::pair<std::string, std::string>> headers_;
};

// The brain's daily report query (server/brain_data.cc AdDailyQuery, D-30..D-1).
tiktok::ReportQuery BrainQuery(const std::string& advertiser_id, const server::BrainDates& dates) {
  tiktok::ReportQuery query;
  query.advertiser_id = advertiser_id;
  query.report_type = "BASIC";
  query.data_level = "AUCTION_AD";
  query.dimensions = {"ad_id", "stat_time_day"};
  query.metrics = {"spend",       "impressions", "clicks",       "conversion",    "adgroup_id",
                   "campaign_id", "ad_name",     "adgroup_name", "campaign_name", "objective_type"};
  query.start_date = absl::FormatCivilTime(dates.last_30d.first);
  query.end_date = absl::FormatCivilTime(dates.last_30d.last);
  query.page_size = 1000;
  query.filtering = {tiktok::ReportFilter::In("ad_status", {"STATUS_ALL"})};
  return query;
}

absl::StatusOr<std::unique_ptr<tiktok::TikTokClient>> Client(
    const std::string& base_url, std::shared_ptr<tiktok::HttpTransport> transport) {
  tiktok::TikTokClientConfig config;
  config.base_url = base_url;
  config.app_id = kAppId;
  config.app_secret = kAppSecret;
  config.rate_limit.app_qps = 0;
  config.rate_limit.advertiser_qps = 0;
  config.rate_limit.path_qps.clear();
  tiktok::TikTokClientDeps deps;
  deps.transport = std::move(transport);
  deps.rate_limiter = std::make_shared<tiktok::RateLimiter>(config.rate_limit);
  return tiktok::TikTokClient::Create(config, std::move(deps));
}

// Runs `body` repeatedly for about `duration` (at least 20 times); microseconds per run.
template <typename Body>
double TimePerRun(absl::Duration duration, Body body) {
  for (int i = 0; i < 5; ++i) body();  // warm-up
  int64_t runs = 0;
  const SteadyClock::time_point start = SteadyClock::now();
  const SteadyClock::time_point end = start + absl::ToChronoNanoseconds(duration);
  SteadyClock::time_point now = start;
  while (runs < 20 || now < end) {
    body();
    ++runs;
    now = SteadyClock::now();
  }
  return std::chrono::duration<double, std::micro>(now - start).count() / static_cast<double>(runs);
}

}  // namespace

absl::StatusOr<ReportParseResult> RunReportParseBench(const std::string& base_url,
                                                      const std::string& advertiser_id,
                                                      absl::Duration duration) {
  absl::StatusOr<std::unique_ptr<tiktok::CurlTransport>> curl = tiktok::CurlTransport::Create({});
  if (!curl.ok()) return curl.status();
  auto recorder = std::make_shared<RecordingTransport>(*std::move(curl));
  absl::StatusOr<std::unique_ptr<tiktok::TikTokClient>> fetcher = Client(base_url, recorder);
  if (!fetcher.ok()) return fetcher.status();
  absl::TimeZone almaty;
  if (!absl::LoadTimeZone("Asia/Almaty", &almaty)) almaty = absl::FixedTimeZone(5 * 3600);
  const server::BrainDates dates = server::BrainDatesAt(absl::Now(), almaty);
  const tiktok::ReportQuery query = BrainQuery(advertiser_id, dates);
  absl::StatusOr<tiktok::ReportResult> fetched = (*fetcher)->GetReport(kAccessToken, query);
  if (!fetched.ok()) return fetched.status();

  // The first page alone: it says there is one page, so the replayed client reads only it.
  std::string page = recorder->first();
  simdjson::dom::parser parser;
  {
    simdjson::padded_string padded(page);
    simdjson::dom::element root;
    if (parser.parse(padded).get(root) != simdjson::SUCCESS) {
      return absl::InternalError("the sandbox's report page is not JSON");
    }
    int64_t total_page = 0;
    if (root["data"]["page_info"]["total_page"].get(total_page) != simdjson::SUCCESS) {
      return absl::InternalError("the report page has no page_info.total_page");
    }
    const std::string from = absl::StrCat("\"total_page\":", total_page);
    if (total_page != 1) {
      if (page.find(from) == std::string::npos) {
        return absl::InternalError(absl::StrCat("cannot find ", from, " in the page"));
      }
      page = absl::StrReplaceAll(page, {{from, "\"total_page\":1"}});
    }
  }
  ReportParseResult result;
  result.bytes = page.size();

  auto replay = std::make_shared<ReplayTransport>(page, recorder->headers());
  absl::StatusOr<std::unique_ptr<tiktok::TikTokClient>> client = Client(base_url, replay);
  if (!client.ok()) return client.status();
  absl::StatusOr<tiktok::ReportResult> once = (*client)->GetReport(kAccessToken, query);
  if (!once.ok()) return once.status();
  result.rows = once->rows.size();
  {
    server::FoldedReport folded;
    server::FoldReportRows(once->rows, dates, folded);
    if (folded.rows_folded != static_cast<int>(result.rows)) {
      return absl::InternalError(absl::StrCat("folded ", folded.rows_folded, " of ", result.rows,
                                              " rows (", folded.rows_outside, " outside, ",
                                              folded.rows_unusable, " unusable)"));
    }
  }

  const simdjson::padded_string padded(page);
  bool failed = false;
  // Rounds in turn, the fastest of each kept: the machine is shared, and a slow moment then
  // hits one round of every measurement rather than one measurement.
  constexpr int kRounds = 5;
  const absl::Duration slice = duration / kRounds;
  for (int r = 0; r < kRounds; ++r) {
    ReportParseResult round;
    round.simdjson_us = TimePerRun(slice, [&] {
      simdjson::dom::element root;
      if (parser.parse(padded).get(root) != simdjson::SUCCESS) failed = true;
    });
    round.envelope_us = TimePerRun(slice, [&] {
      if (!tiktok::ParseEnvelope(page).ok()) failed = true;
    });
    round.tree_us = TimePerRun(slice, [&] {
      if (!tiktok::ParseJson(page).ok()) failed = true;
    });
    // The generic reader GetReport used before (envelope, JSON tree, ReadReportRow per item).
    round.generic_us = TimePerRun(slice, [&] {
      absl::StatusOr<tiktok::Envelope> envelope = tiktok::ParseEnvelope(page);
      if (!envelope.ok()) {
        failed = true;
        return;
      }
      absl::StatusOr<tiktok::JsonValue> data = tiktok::ParseJson(envelope->data_json);
      if (!data.ok()) {
        failed = true;
        return;
      }
      std::vector<tiktok::ReportRow> rows;
      if (const tiktok::JsonValue* list = tiktok::FieldOf(&*data, "list"); list != nullptr) {
        for (const tiktok::JsonValue& item : list->items())
          rows.push_back(tiktok::ReadReportRow(item));
      }
      if (rows.size() != result.rows) failed = true;
    });
    round.client_us = TimePerRun(slice, [&] {
      absl::StatusOr<tiktok::ReportResult> report = (*client)->GetReport(kAccessToken, query);
      if (!report.ok()) failed = true;
    });
    round.fold_us = TimePerRun(slice, [&] {
      server::FoldedReport folded;
      server::FoldReportRows(once->rows, dates, folded);
    });
    round.total_us = TimePerRun(slice, [&] {
      absl::StatusOr<tiktok::ReportResult> report = (*client)->GetReport(kAccessToken, query);
      if (!report.ok()) {
        failed = true;
        return;
      }
      server::FoldedReport folded;
      server::FoldReportRows(report->rows, dates, folded);
    });
    const auto keep = [&](double& best, double value) {
      if (r == 0 || value < best) best = value;
    };
    keep(result.simdjson_us, round.simdjson_us);
    keep(result.envelope_us, round.envelope_us);
    keep(result.tree_us, round.tree_us);
    keep(result.generic_us, round.generic_us);
    keep(result.client_us, round.client_us);
    keep(result.fold_us, round.fold_us);
    keep(result.total_us, round.total_us);
  }
  if (failed) return absl::InternalError("a timed parse failed");
  return result;
}

}  // namespace ttads::bench

#include "server/campaign_query_core.h"

#include <algorithm>
#include <cstddef>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "server/json_text.h"
#include "server/proto_convert.h"
#include "server/rpc_status.h"
#include "storage/page_token.h"
#include "storage/uuid.h"
#include "tiktok/tiktok_error.h"

namespace ttads::server {
namespace {

using ::google::protobuf::Struct;
using ::google::protobuf::Value;

constexpr int kMaxCampaignPageSize = 1000;
constexpr int kDefaultCreativePageSize = 100;
constexpr int kMaxCreativePageSize = 500;
// TikTok's limit for a report without a time dimension (reference §8), counted inclusively.
constexpr int kMaxReportDays = 365;
constexpr int kDefaultReportDays = 7;
// The old route asked TikTok for `conversions`, which is not a TikTok metric (TikTok answers
// 40002); ttads asks for `conversion` and reports it under the old wire's name.
constexpr char kTikTokConversionMetric[] = "conversion";
constexpr char kWireConversionMetric[] = "conversions";

bool IsDigits(absl::string_view text) {
  return !text.empty() && text.size() <= 32 &&
         text.find_first_not_of("0123456789") == absl::string_view::npos;
}

void ValidateAccountIds(RequestValidator& validator, const std::string& user_account_id,
                        const std::string& account_id) {
  validator.Uuid("user_account_id", user_account_id, /*required=*/false);
  validator.Uuid("account_id", account_id, /*required=*/false);
}

// ---- ListCampaigns page tokens ----
// The list is TikTok's, read whole on every call, so a token names the last campaign returned
// (and its position, used when that campaign has since disappeared).
struct CampaignCursor {
  std::size_t offset = 0;
  std::string last_campaign_id;
};

std::string CampaignPageToken(std::size_t offset, const std::string& last_campaign_id) {
  return absl::WebSafeBase64Escape(absl::StrCat("c1|", offset, "|", last_campaign_id));
}

std::optional<CampaignCursor> DecodeCampaignPageToken(const std::string& token) {
  std::string text;
  if (token.size() > 256 || !absl::WebSafeBase64Unescape(token, &text)) return std::nullopt;
  const std::vector<std::string> parts = absl::StrSplit(text, '|');
  CampaignCursor cursor;
  if (parts.size() != 3 || parts[0] != "c1" || !absl::SimpleAtoi(parts[1], &cursor.offset) ||
      !IsDigits(parts[2])) {
    return std::nullopt;
  }
  cursor.last_campaign_id = parts[2];
  return cursor;
}

// A campaign as TikTok sent it; rebuilt from the parsed fields if the raw text is unusable.
Value CampaignValue(const tiktok::Campaign& campaign) {
  Value value;
  if (!campaign.raw_json.empty() &&
      google::protobuf::util::JsonStringToMessage(campaign.raw_json, &value).ok() &&
      value.kind_case() == Value::kStructValue) {
    return value;
  }
  value.Clear();
  auto& fields = *value.mutable_struct_value()->mutable_fields();
  fields["advertiser_id"].set_string_value(campaign.advertiser_id);
  fields["campaign_id"].set_string_value(campaign.campaign_id);
  fields["campaign_name"].set_string_value(campaign.campaign_name);
  fields["objective_type"].set_string_value(campaign.objective_type);
  fields["operation_status"].set_string_value(campaign.operation_status);
  fields["budget_mode"].set_string_value(campaign.budget_mode);
  if (campaign.budget.has_value()) fields["budget"].set_number_value(*campaign.budget);
  fields["create_time"].set_string_value(campaign.create_time);
  return value;
}

// ---- report dates ----
// A strict `YYYY-MM-DD` day (UTC midnight); nullopt for anything else, 2024-02-30 included.
std::optional<absl::Time> ParseDay(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  absl::Time day;
  std::string error;
  if (!absl::ParseTime("%Y-%m-%d", text, absl::UTCTimeZone(), &day, &error)) return std::nullopt;
  if (absl::FormatTime("%Y-%m-%d", day, absl::UTCTimeZone()) != text) return std::nullopt;
  return day;
}

std::string DayText(absl::Time time) {
  return absl::FormatTime("%Y-%m-%d", time, absl::UTCTimeZone());
}

// The campaign ids of a report request: the old `campaign_ids=a,b` arrives as one element.
std::vector<std::string> SplitCampaignIds(const google::protobuf::RepeatedPtrField<std::string>& ids) {
  std::vector<std::string> out;
  for (const std::string& item : ids) {
    for (absl::string_view piece : absl::StrSplit(item, ',')) {
      const std::string id(absl::StripAsciiWhitespace(piece));
      if (!id.empty() && std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
    }
  }
  return out;
}

Value StringMapValue(const std::map<std::string, std::string>& values) {
  Value value;
  auto& fields = *value.mutable_struct_value()->mutable_fields();
  for (const auto& [key, text] : values) fields[key].set_string_value(text);
  return value;
}

// TikTok's report data object, every page merged: {list, page_info}.
Struct ReportStruct(const tiktok::ReportResult& result) {
  Struct report;
  auto& fields = *report.mutable_fields();
  auto* list = fields["list"].mutable_list_value();
  for (const tiktok::ReportRow& row : result.rows) {
    Value* item = list->add_values();
    auto& item_fields = *item->mutable_struct_value()->mutable_fields();
    item_fields["dimensions"] = StringMapValue(row.dimensions);
    std::map<std::string, std::string> metrics = row.metrics;
    if (auto found = metrics.find(kTikTokConversionMetric); found != metrics.end()) {
      metrics[kWireConversionMetric] = found->second;
      metrics.erase(kTikTokConversionMetric);
    }
    item_fields["metrics"] = StringMapValue(metrics);
  }
  const auto count = static_cast<double>(result.rows.size());
  auto& page_info = *fields["page_info"].mutable_struct_value()->mutable_fields();
  page_info["page"].set_number_value(1);
  page_info["page_size"].set_number_value(count);
  page_info["total_number"].set_number_value(count);
  page_info["total_page"].set_number_value(1);
  return report;
}

bool IsEligible(const storage::Creative& row) {
  const std::string media_type = TextOf(row.media_type);
  return (media_type.empty() || media_type == "video") &&
         (!TextOf(row.tiktok_video_id).empty() || !TextOf(row.media_url).empty());
}

void ToProto(const storage::Creative& row, v1::AvailableCreative& out) {
  out.set_id(row.id);
  out.set_title(row.title);
  out.set_description(TextOf(row.description));
  out.set_media_url(TextOf(row.media_url));
  out.set_tiktok_video_id(TextOf(row.tiktok_video_id));
  out.set_media_type(TextOf(row.media_type));
  out.set_created_at(TimeText(row.created_at));
  out.set_updated_at(TimeText(row.updated_at));
}

}  // namespace

absl::StatusOr<TikTokAccess> CampaignQueryCore::Access(const Principal& principal,
                                                       const std::string& user_account_id,
                                                       const std::string& account_id) {
  absl::StatusOr<std::string> user = principal.EffectiveUser(user_account_id, "user_account_id");
  if (!user.ok()) return user.status();
  return access_.Resolve(*user, account_id);
}

absl::Status CampaignQueryCore::ListCampaigns(const Principal& principal,
                                              const v1::ListCampaignsRequest& request,
                                              v1::ListCampaignsResponse& response) {
  RequestValidator validator;
  ValidateAccountIds(validator, request.user_account_id(), request.account_id());
  if (request.page_size() < 0 || request.page_size() > kMaxCampaignPageSize) {
    validator.Fail("page_size", absl::StrCat("must be 0..", kMaxCampaignPageSize));
  }
  std::optional<CampaignCursor> cursor;
  if (!request.page_token().empty()) {
    cursor = DecodeCampaignPageToken(request.page_token());
    if (!cursor.has_value()) validator.Fail("page_token", "malformed");
  }
  if (!validator.ok()) return validator.status();
  absl::StatusOr<TikTokAccess> access =
      Access(principal, request.user_account_id(), request.account_id());
  if (!access.ok()) return access.status();

  tiktok::CampaignQuery query;
  query.advertiser_id = access->advertiser_id();
  absl::StatusOr<std::vector<tiktok::Campaign>> campaigns =
      tiktok_.GetCampaigns(access->access_token, query);
  if (!campaigns.ok()) return access_.OnTikTokError(*access, campaigns.status());

  std::size_t begin = 0;
  if (cursor.has_value()) {
    begin = std::min(cursor->offset, campaigns->size());
    for (std::size_t i = 0; i < campaigns->size(); ++i) {
      if ((*campaigns)[i].campaign_id == cursor->last_campaign_id) begin = i + 1;
    }
  }
  const std::size_t size = request.page_size() == 0
                               ? campaigns->size()
                               : static_cast<std::size_t>(request.page_size());
  const std::size_t end = std::min(campaigns->size(), begin + size);
  for (std::size_t i = begin; i < end; ++i) {
    *response.mutable_campaigns()->add_values() = CampaignValue((*campaigns)[i]);
  }
  if (end < campaigns->size() && end > 0) {
    response.set_next_page_token(CampaignPageToken(end, (*campaigns)[end - 1].campaign_id));
  }
  response.set_success(true);
  response.set_total(static_cast<int32_t>(campaigns->size()));
  return absl::OkStatus();
}

template <typename Request, typename Response>
absl::Status CampaignQueryCore::ChangeStatus(const Principal& principal, const Request& request,
                                             Response& response, const StatusChange& change,
                                             const char* done_message) {
  RequestValidator validator;
  ValidateAccountIds(validator, request.user_account_id(), request.account_id());
  if (request.campaign_id().empty()) {
    validator.Fail("campaign_id", "is required");
  } else if (!IsDigits(request.campaign_id())) {
    validator.Fail("campaign_id", "must be a TikTok campaign id (digits)");
  }
  if (!validator.ok()) return validator.status();
  absl::StatusOr<std::string> user =
      principal.EffectiveUser(request.user_account_id(), "user_account_id");
  if (!user.ok()) return user.status();
  const std::string& campaign_id = request.campaign_id();
  const std::string method = absl::StrReplaceAll(change.rpc, {{".", "/"}});

  return RunIdempotent(idempotency_, principal, method, request, response, [&]() -> absl::Status {
    AuditRecord audit{change.rpc, *user, request.account_id(), "tiktok_campaign", campaign_id,
                      response.mutation().idempotency_key(), ""};
    std::string advertiser_id;
    std::string before;
    std::string request_id;
    const absl::Status status = [&]() -> absl::Status {
      absl::StatusOr<TikTokAccess> access = access_.Resolve(*user, request.account_id());
      if (!access.ok()) return access.status();
      advertiser_id = access->advertiser_id();
      // The campaign must be the advertiser's; its current status is the audit's "before".
      tiktok::CampaignQuery query;
      query.advertiser_id = advertiser_id;
      query.campaign_ids = {campaign_id};
      absl::StatusOr<std::vector<tiktok::Campaign>> found =
          tiktok_.GetCampaigns(access->access_token, query);
      if (!found.ok()) return access_.OnTikTokError(*access, found.status());
      const auto match =
          std::find_if(found->begin(), found->end(), [&](const tiktok::Campaign& campaign) {
            return campaign.campaign_id == campaign_id;
          });
      if (match == found->end()) {
        return absl::NotFoundError(absl::StrCat("campaign_id: campaign ", campaign_id,
                                                " was not found at TikTok advertiser ",
                                                advertiser_id));
      }
      before = match->operation_status;
      response.set_campaign_id(campaign_id);
      if (request.validate_only()) {
        response.set_success(true);
        response.set_message(
            absl::StrCat(done_message, " (validate_only: checked, nothing was changed)"));
        return absl::OkStatus();
      }
      absl::StatusOr<tiktok::StatusUpdateResult> updated = tiktok_.UpdateCampaignStatus(
          access->access_token, advertiser_id, {campaign_id}, change.operation_status);
      if (!updated.ok()) {
        if (auto error = tiktok::TikTokErrorOf(updated.status())) request_id = error->request_id;
        return access_.OnTikTokError(*access, updated.status());
      }
      if (!updated->errors.empty()) {
        return absl::FailedPreconditionError(
            absl::StrCat("TikTok did not change campaign ", campaign_id, ": ",
                         updated->errors.front().message));
      }
      // Pausing a campaign leaves its ad groups' own operation_status alone at TikTok, so only
      // the directions' campaign_status follows.
      absl::StatusOr<int> synced = directions_.SetCampaignStatusByTikTokId(
          *user, campaign_id, change.campaign_status, clock_.Now());
      if (!synced.ok()) return synced.status();
      response.set_success(true);
      response.set_message(done_message);
      return absl::OkStatus();
    }();
    if (!request.validate_only()) {
      audit.details_json = JsonObject({{"rpc", change.rpc},
                                       {"advertiser_id", advertiser_id},
                                       {"before", before},
                                       {"after", change.operation_status},
                                       {"tiktok_request_id", request_id}});
      auditor_.Record(principal, audit, status);
    }
    return status;
  });
}

absl::Status CampaignQueryCore::PauseCampaign(const Principal& principal,
                                              const v1::PauseCampaignRequest& request,
                                              v1::PauseCampaignResponse& response) {
  return ChangeStatus(principal, request, response,
                      {"CampaignBuilderService.PauseCampaign", "DISABLE", "PAUSED"},
                      "Campaign paused successfully");
}

absl::Status CampaignQueryCore::ResumeCampaign(const Principal& principal,
                                               const v1::ResumeCampaignRequest& request,
                                               v1::ResumeCampaignResponse& response) {
  return ChangeStatus(principal, request, response,
                      {"CampaignBuilderService.ResumeCampaign", "ENABLE", "ACTIVE"},
                      "Campaign resumed successfully");
}

absl::Status CampaignQueryCore::GetReport(const Principal& principal,
                                          const v1::GetReportRequest& request,
                                          v1::GetReportResponse& response) {
  RequestValidator validator;
  ValidateAccountIds(validator, request.user_account_id(), request.account_id());
  const std::vector<std::string> campaign_ids = SplitCampaignIds(request.campaign_ids());
  for (const std::string& id : campaign_ids) {
    if (!IsDigits(id)) {
      validator.Fail("campaign_ids", absl::StrCat("\"", id, "\" is not a TikTok campaign id"));
      break;
    }
  }
  std::optional<absl::Time> end = request.end_date().empty()
                                      ? std::optional<absl::Time>(ParseDay(DayText(clock_.Now())))
                                      : ParseDay(request.end_date());
  if (!end.has_value()) validator.Fail("end_date", "must be a date YYYY-MM-DD");
  std::optional<absl::Time> start;
  if (request.start_date().empty()) {
    if (end.has_value()) start = *end - absl::Hours(24 * kDefaultReportDays);
  } else {
    start = ParseDay(request.start_date());
    if (!start.has_value()) validator.Fail("start_date", "must be a date YYYY-MM-DD");
  }
  if (start.has_value() && end.has_value()) {
    if (*start > *end) {
      validator.Fail("start_date", "must not be after end_date");
    } else if (*end - *start >= absl::Hours(24 * kMaxReportDays)) {
      validator.Fail("start_date",
                     absl::StrCat("the range must cover at most ", kMaxReportDays, " days"));
    }
  }
  if (!validator.ok()) return validator.status();
  absl::StatusOr<TikTokAccess> access =
      Access(principal, request.user_account_id(), request.account_id());
  if (!access.ok()) return access.status();

  // One query covers the range: without a time dimension TikTok allows 365 days.
  tiktok::ReportQuery query;
  query.advertiser_id = access->advertiser_id();
  query.report_type = "BASIC";
  query.service_type = "AUCTION";
  query.data_level = "AUCTION_CAMPAIGN";
  query.dimensions = {"campaign_id"};
  query.metrics = {"spend", "impressions", "clicks", kTikTokConversionMetric, "cpc", "cpm", "ctr"};
  query.start_date = DayText(*start);
  query.end_date = DayText(*end);
  if (!campaign_ids.empty()) {
    query.filtering.push_back(tiktok::ReportFilter::In("campaign_ids", campaign_ids));
  }
  absl::StatusOr<tiktok::ReportResult> report = tiktok_.GetReport(access->access_token, query);
  if (!report.ok()) return access_.OnTikTokError(*access, report.status());

  response.set_success(true);
  *response.mutable_report() = ReportStruct(*report);
  response.mutable_period()->set_start_date(query.start_date);
  response.mutable_period()->set_end_date(query.end_date);
  return absl::OkStatus();
}

absl::Status CampaignQueryCore::ListAvailableCreatives(
    const Principal& principal, const v1::ListAvailableCreativesRequest& request,
    v1::ListAvailableCreativesResponse& response) {
  RequestValidator validator;
  ValidateAccountIds(validator, request.user_account_id(), request.account_id());
  validator.Uuid("direction_id", request.direction_id(), /*required=*/false);
  if (request.page_size() < 0 || request.page_size() > kMaxCreativePageSize) {
    validator.Fail("page_size", absl::StrCat("must be 0..", kMaxCreativePageSize));
  }
  if (!request.page_token().empty() && !storage::DecodePageToken(request.page_token()).ok()) {
    validator.Fail("page_token", "malformed");
  }
  if (!validator.ok()) return validator.status();
  absl::StatusOr<std::string> user =
      principal.EffectiveUser(request.user_account_id(), "user_account_id");
  if (!user.ok()) return user.status();

  storage::CreativeFilter filter;
  filter.status = "ready";
  filter.is_active = true;
  if (!request.direction_id().empty()) {
    filter.direction_id =
        storage::NullableField<std::string>(std::in_place, request.direction_id());
  }
  const int size = request.page_size() == 0 ? kDefaultCreativePageSize : request.page_size();
  // The repository filters status, activity and direction; media type, a source to upload from
  // and the account are checked here. Reading on until the page is full keeps pages full, and
  // the token of the last page read continues right after it.
  std::string token = request.page_token();
  int count = 0;
  do {
    absl::StatusOr<storage::Page<storage::Creative>> page =
        creatives_.List(*user, filter, storage::PageRequest{token, size - count});
    if (!page.ok()) return page.status();
    for (const storage::Creative& row : page->items) {
      if (!IsEligible(row)) continue;
      if (!request.account_id().empty() &&
          !absl::EqualsIgnoreCase(TextOf(row.account_id), request.account_id())) {
        continue;
      }
      ToProto(row, *response.add_creatives());
      ++count;
    }
    token = page->next_page_token;
  } while (count < size && !token.empty());
  response.set_success(true);
  response.set_count(count);
  response.set_next_page_token(token);
  return absl::OkStatus();
}

absl::Status CampaignQueryCore::GetAdvertiserInfo(const Principal& principal,
                                                  const v1::GetAdvertiserInfoRequest& request,
                                                  v1::GetAdvertiserInfoResponse& response) {
  RequestValidator validator;
  ValidateAccountIds(validator, request.user_account_id(), request.account_id());
  if (!validator.ok()) return validator.status();
  absl::StatusOr<TikTokAccess> access =
      Access(principal, request.user_account_id(), request.account_id());
  if (!access.ok()) return access.status();

  constexpr char kPath[] = "advertiser/info/";
  absl::StatusOr<tiktok::RawCallResult> raw =
      tiktok_.CallRaw(tiktok::HttpMethod::kGet, kPath, access->access_token,
                      {{"advertiser_ids", {access->advertiser_id()}}});
  if (!raw.ok()) return access_.OnTikTokError(*access, raw.status());
  if (raw->code != 0) {
    return access_.OnTikTokError(
        *access, tiktok::StatusForError(tiktok::ErrorForCode(raw->code, raw->message,
                                                             raw->request_id, kPath,
                                                             raw->http_status)));
  }
  if (!google::protobuf::util::JsonStringToMessage(raw->body, response.mutable_advertiser())
           .ok()) {
    return absl::UnavailableError(
        absl::StrCat("TikTok answered advertiser/info/ with an unreadable envelope (request_id ",
                     raw->request_id, ")"));
  }
  response.set_success(true);
  return absl::OkStatus();
}

}  // namespace ttads::server

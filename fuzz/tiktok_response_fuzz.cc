// TikTok's answers as ttads reads them: the envelope, the JSON tree (simdjson), the entity
// readers, and the typed calls of the production client, whose HTTP answer is the input.
//
// Input: byte 0 picks the client call (mod 21, the switch below), byte 1 the HTTP status (mod
// 12, kStatuses), the rest is the response body; seeds use printable bytes, e.g. "F0{...}"
// (campaign/get/, HTTP 200).
// Invariants: a body that parses re-serialises to JSON that parses to the same text; a parsed
// envelope's data is exactly the body's `data` member.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/fuzz_support.h"
#include "tiktok/api_types.h"
#include "tiktok/envelope.h"
#include "tiktok/json_value.h"
#include "tiktok/pagination.h"
#include "tiktok/tiktok_error.h"

namespace ttads::fuzz {
namespace {

using tiktok::JsonValue;

void CheckJsonRoundTrip(absl::string_view body) {
  absl::StatusOr<JsonValue> parsed = tiktok::ParseJson(body);
  if (!parsed.ok()) return;
  const std::string once = parsed->ToJson();
  absl::StatusOr<JsonValue> again = tiktok::ParseJson(once);
  FUZZ_CHECK(again.ok(), "ToJson of a parsed document does not parse");
  FUZZ_CHECK(again->ToJson() == once, "ToJson is not stable across a re-parse");

  // The envelope reader agrees with the full parser on `data` (when the keys are unique: with
  // duplicates the two may legitimately pick different members).
  absl::StatusOr<tiktok::Envelope> envelope = tiktok::ParseEnvelope(body);
  if (!envelope.ok() || !parsed->is_object()) return;
  int data_keys = 0;
  for (const JsonValue::Field& field : parsed->fields()) data_keys += field.first == "data";
  if (data_keys != 1) return;
  absl::StatusOr<JsonValue> data = tiktok::ParseJson(envelope->data_json);
  FUZZ_CHECK(data.ok(), "envelope data of a valid document does not parse");
  FUZZ_CHECK(data->ToJson() == parsed->Find("data")->ToJson(), "envelope data differs");
}

// Every entity reader on every object of the document (list items or the data itself).
void ReadEntities(const JsonValue& value, int depth) {
  if (depth > 4) return;
  if (value.is_object()) {
    (void)tiktok::ReadCampaign(value);
    (void)tiktok::ReadAdGroup(value);
    (void)tiktok::ReadAd(value);
    (void)tiktok::ReadAdvertiserInfo(value);
    (void)tiktok::ReadIdentity(value);
    (void)tiktok::ReadPixel(value);
    (void)tiktok::ReadVideoInfo(value);
    (void)tiktok::ReadImageInfo(value);
    const tiktok::ReportRow row = tiktok::ReadReportRow(value);
    for (const auto& [name, text] : row.metrics) (void)row.Number(name);
    (void)tiktok::ReadRegion(value);
    (void)tiktok::ReadInstantPage(value);
    (void)tiktok::ReadPageInfo(value);
    for (const JsonValue::Field& field : value.fields()) ReadEntities(field.second, depth + 1);
  } else if (value.is_array()) {
    for (const JsonValue& item : value.items()) ReadEntities(item, depth + 1);
  }
}

// A fuzzed answer per request, then a hard error, so paging and retries end.
class OneBodyTransport {
 public:
  OneBodyTransport(int status, std::string body) : status_(status), body_(std::move(body)) {}
  tiktok::HttpResponse Answer(const tiktok::HttpRequest&) {
    tiktok::HttpResponse response;
    response.headers = {{"content-type", "application/json"}};
    if (++calls_ > 3) {
      response.status = 200;
      response.body = R"({"code":40002,"message":"fuzz: no more pages","request_id":"end"})";
      return response;
    }
    response.status = status_;
    response.body = body_;
    return response;
  }

 private:
  int status_;
  std::string body_;
  int calls_ = 0;
};

void RunClientCall(uint8_t selector, int status, absl::string_view body) {
  OneBodyTransport answers(status, std::string(body));
  InstantClock clock;
  auto transport = std::make_shared<FunctionTransport>(
      [&answers](const tiktok::HttpRequest& request) { return answers.Answer(request); });
  std::unique_ptr<tiktok::TikTokClient> client = MakeTikTokClient(transport, &clock);
  const std::string token = "fuzz-access-token";
  const std::string advertiser = kAdvertiserA;
  // A failure must carry a readable status (and, from TikTok, its error payload).
  auto note = [](const auto& result) {
    if (!result.ok()) (void)tiktok::TikTokErrorOf(result.status());
  };
  switch (selector % 21) {
    case 0: note(client->ExchangeAuthCode("fuzz-auth-code")); break;
    case 1: note(client->GetAuthorizedAdvertisers(token)); break;
    case 2: note(client->RevokeToken(token)); break;
    case 3: note(client->GetAdvertiserInfo(token, {advertiser}, {})); break;
    case 4: note(client->GetIdentities(token, {.advertiser_id = advertiser})); break;
    case 5: note(client->ListPixels(token, advertiser)); break;
    case 6: {
      tiktok::CampaignCreateRequest request;
      request.advertiser_id = advertiser;
      request.campaign_name = "Fuzz campaign";
      request.objective_type = "TRAFFIC";
      request.budget_mode = "BUDGET_MODE_INFINITE";
      note(client->CreateCampaign(token, request));
      break;
    }
    case 7: note(client->GetCampaigns(token, {.advertiser_id = advertiser})); break;
    case 8:
      note(client->UpdateCampaignStatus(token, advertiser, {"1800000000000000001"}, "DISABLE"));
      break;
    case 9: {
      tiktok::AdGroupCreateRequest request;
      request.advertiser_id = advertiser;
      request.campaign_id = "1800000000000000001";
      request.adgroup_name = "Fuzz group";
      request.budget_mode = "BUDGET_MODE_DAY";
      request.budget = 5000;
      note(client->CreateAdGroup(token, request));
      break;
    }
    case 10: note(client->GetAdGroups(token, {.advertiser_id = advertiser})); break;
    case 11:
      note(client->UpdateAdGroupStatus(token, advertiser, {"1810000000000000001", "2"}, "ENABLE",
                                       true));
      break;
    case 12: {
      tiktok::AdCreateRequest request;
      request.advertiser_id = advertiser;
      request.adgroup_id = "1810000000000000001";
      tiktok::AdCreative creative;
      creative.ad_name = "Fuzz ad";
      creative.video_id = "v10033g50000fuzz";
      request.creatives = {creative, creative};
      request.creatives[1].ad_name = "Fuzz ad 2";
      note(client->CreateAds(token, request));
      break;
    }
    case 13: note(client->GetAds(token, {.advertiser_id = advertiser})); break;
    case 14: {
      tiktok::VideoUploadByUrlRequest request;
      request.advertiser_id = advertiser;
      request.video_url = "http://media.fuzz.invalid/video.mp4";
      request.file_name = "fuzz.mp4";
      note(client->UploadVideoByUrl(token, request));
      break;
    }
    case 15: note(client->GetVideoInfo(token, advertiser, {"v10033g50000fuzz"})); break;
    case 16: {
      tiktok::ReportQuery query;
      query.advertiser_id = advertiser;
      query.data_level = "AUCTION_AD";
      query.dimensions = {"ad_id", "stat_time_day"};
      query.metrics = {"spend", "impressions", "clicks", "conversion", "adgroup_id"};
      query.start_date = "2026-10-25";
      query.end_date = "2026-11-23";
      note(client->GetReport(token, query));
      break;
    }
    case 17:
      note(client->CreateLeadTask(token, {.advertiser_id = advertiser, .page_id = "7"}));
      break;
    case 18: note(client->SearchRegions(token, {.advertiser_id = advertiser})); break;
    case 19: note(client->ListInstantPages(token, {.advertiser_id = advertiser})); break;
    default:
      note(client->CallRaw(tiktok::HttpMethod::kGet, "campaign/get/", token,
                           {{"advertiser_id", advertiser}}));
      break;
  }
}

}  // namespace
}  // namespace ttads::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ttads::fuzz;
  if (size < 2) return 0;
  static constexpr int kStatuses[] = {200, 200, 200, 200, 200, 500, 502, 429, 408, 404, 401, 302};
  const absl::string_view body = AsText(data + 2, size - 2);
  CheckJsonRoundTrip(body);
  if (absl::StatusOr<ttads::tiktok::JsonValue> parsed = ttads::tiktok::ParseJson(body);
      parsed.ok()) {
    ReadEntities(*parsed, 0);
  }
  RunClientCall(data[0], kStatuses[data[1] % std::size(kStatuses)], body);
  return 0;
}

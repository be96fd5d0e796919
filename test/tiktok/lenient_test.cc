// Reading TikTok's loosely typed JSON: the JSON tree, ids, metrics, dates, the envelope, paging.
#include "gtest/gtest.h"
#include "tiktok/api_types.h"
#include "tiktok/envelope.h"
#include "tiktok/json_value.h"
#include "tiktok/lenient.h"
#include "tiktok/pagination.h"

namespace ttads::tiktok {
namespace {

JsonValue Parse(absl::string_view text) {
  absl::StatusOr<JsonValue> value = ParseJson(text);
  EXPECT_TRUE(value.ok()) << value.status() << " in " << text;
  return value.ok() ? *std::move(value) : JsonValue();
}

TEST(JsonValueTest, NumbersKeepTheirTokens) {
  const JsonValue v = Parse(
      R"({"big":7012345678901234567,"bigger":123456789012345678901234567890,"neg":-1.50e+3,)"
      R"("s":"x\"y\u00e9","t":true,"n":null,"a":[1,"2",[]],"o":{}})");
  EXPECT_EQ(v.Find("big")->text(), "7012345678901234567");
  EXPECT_EQ(v.Find("bigger")->text(), "123456789012345678901234567890");
  EXPECT_EQ(v.Find("neg")->text(), "-1.50e+3");
  EXPECT_EQ(v.Find("s")->text(), "x\"y\xC3\xA9");
  EXPECT_TRUE(v.Find("t")->bool_value());
  EXPECT_TRUE(v.Find("n")->is_null());
  EXPECT_EQ(v.Find("a")->items().size(), 3u);
  EXPECT_EQ(v.Find("missing"), nullptr);
  EXPECT_EQ(v.ToJson(),
            R"({"big":7012345678901234567,"bigger":123456789012345678901234567890,)"
            R"("neg":-1.50e+3,"s":"x\"y)"
            "\xC3\xA9"
            R"(","t":true,"n":null,"a":[1,"2",[]],"o":{}})");
}

TEST(JsonValueTest, ScalarsAndErrors) {
  EXPECT_EQ(Parse(" 42 ").text(), "42");
  EXPECT_EQ(Parse("\"x\"").text(), "x");
  EXPECT_TRUE(Parse("null").is_null());
  EXPECT_FALSE(ParseJson("").ok());
  EXPECT_FALSE(ParseJson("<html>").ok());
  EXPECT_FALSE(ParseJson("{\"a\":1").ok());
  EXPECT_FALSE(ParseJson("{\"a\":1} x").ok());
  EXPECT_FALSE(ParseJson("[1,]").ok());
  EXPECT_FALSE(ParseJson("1 2").ok());
  EXPECT_FALSE(ParseJson("{\"a\":01}").ok());
  std::string escape;
  AppendJsonString(std::string("a\x01\n", 3), &escape);
  EXPECT_EQ(escape, R"("a\u0001\n")");
}

TEST(LenientTest, IdsAsStringsOrNumbersAbove2To53) {
  const JsonValue v = Parse(
      R"({"campaign_id":1800000000000000123,"adgroup_id":"1800000000000000124",)"
      R"("ids":[9007199254740993,"9007199254740995",null],"one":17,"none":null})");
  EXPECT_EQ(ReadIdField(&v, "campaign_id"), "1800000000000000123");
  EXPECT_EQ(ReadIdField(&v, "adgroup_id"), "1800000000000000124");
  EXPECT_EQ(ReadIdsField(&v, "ids"),
            (std::vector<std::string>{"9007199254740993", "9007199254740995"}));
  EXPECT_EQ(ReadIdsField(&v, "one"), (std::vector<std::string>{"17"}));
  EXPECT_EQ(ReadIdField(&v, "none"), "");
  EXPECT_EQ(ReadIdField(&v, "missing"), "");
  EXPECT_EQ(ReadIdField(nullptr, "x"), "");
}

TEST(LenientTest, MetricsAsStringsNumbersDashOrNull) {
  const JsonValue v = Parse(
      R"({"spend":"20.00","impressions":"5830","clicks":69,"ctr":"1.18%","cpc":"-",)"
      R"("conversion":null,"cpm":3.43,"bad":"abc","empty":"","inf":"inf","neg":"-2.5"})");
  EXPECT_DOUBLE_EQ(*ReadNumberField(&v, "spend"), 20.0);
  EXPECT_DOUBLE_EQ(*ReadNumberField(&v, "impressions"), 5830);
  EXPECT_DOUBLE_EQ(*ReadNumberField(&v, "clicks"), 69);
  EXPECT_DOUBLE_EQ(*ReadNumberField(&v, "ctr"), 1.18);
  EXPECT_DOUBLE_EQ(*ReadNumberField(&v, "cpm"), 3.43);
  EXPECT_DOUBLE_EQ(*ReadNumberField(&v, "neg"), -2.5);
  EXPECT_FALSE(ReadNumberField(&v, "cpc").has_value());         // "-" = no data
  EXPECT_FALSE(ReadNumberField(&v, "conversion").has_value());  // null = no data
  EXPECT_FALSE(ReadNumberField(&v, "bad").has_value());
  EXPECT_FALSE(ReadNumberField(&v, "empty").has_value());
  EXPECT_FALSE(ReadNumberField(&v, "inf").has_value());
  EXPECT_FALSE(ReadNumberField(&v, "missing").has_value());
  EXPECT_EQ(ReadNumberField(&v, "cpc").value_or(0), 0);
}

TEST(LenientTest, IntegersBooleansStrings) {
  const JsonValue v = Parse(
      R"({"i":"12","j":3,"k":"1.5","b1":true,"b2":"false","b3":1,"s":5,"t":false})");
  EXPECT_EQ(ReadIntField(&v, "i"), 12);
  EXPECT_EQ(ReadIntField(&v, "j"), 3);
  EXPECT_FALSE(ReadIntField(&v, "k").has_value());
  EXPECT_TRUE(ReadBoolField(&v, "b1"));
  EXPECT_FALSE(ReadBoolField(&v, "b2", true));
  EXPECT_TRUE(ReadBoolField(&v, "b3"));
  EXPECT_TRUE(ReadBoolField(&v, "missing", true));
  EXPECT_EQ(ReadStringField(&v, "s"), "5");
  EXPECT_EQ(ReadStringField(&v, "t"), "false");
}

TEST(LenientTest, Dates) {
  const std::optional<absl::Time> t = ParseTikTokDateTime("2024-01-02 03:04:05");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(absl::FormatTime("%Y-%m-%dT%H:%M:%S", *t, absl::UTCTimeZone()), "2024-01-02T03:04:05");
  EXPECT_EQ(FormatTikTokDateTime(*t), "2024-01-02 03:04:05");
  EXPECT_FALSE(ParseTikTokDateTime("yesterday").has_value());
  EXPECT_EQ(ParseTikTokDate("2024-01-31"), absl::CivilDay(2024, 1, 31));
  EXPECT_EQ(ParseTikTokDate("2024-01-31 00:00:00"), absl::CivilDay(2024, 1, 31));  // stat_time_day
  EXPECT_FALSE(ParseTikTokDate("2024-01-31 05:00:00").has_value());
  EXPECT_EQ(FormatTikTokDate(absl::CivilDay(2024, 2, 3)), "2024-02-03");
  const JsonValue v = Parse(R"({"create_time":1700000000,"s":"1700000001"})");
  EXPECT_EQ(ReadUnixSeconds(FieldOf(&v, "create_time")), absl::FromUnixSeconds(1700000000));
  EXPECT_EQ(ReadUnixSeconds(FieldOf(&v, "s")), absl::FromUnixSeconds(1700000001));
}

TEST(LenientTest, ReportRows) {
  const JsonValue item = Parse(
      R"({"dimensions":{"ad_id":7300000000000000001,"stat_time_day":"2024-01-01 00:00:00"},)"
      R"("metrics":{"spend":"20.00","impressions":5830,"conversion":"-","reach":null,)"
      R"("campaign_name":"Spring \"sale\"","adgroup_id":"7300000000000000002"}})");
  const ReportRow row = ReadReportRow(item);
  EXPECT_EQ(row.Dimension("ad_id"), "7300000000000000001");
  EXPECT_EQ(row.Dimension("stat_time_day"), "2024-01-01 00:00:00");
  EXPECT_DOUBLE_EQ(*row.Number("spend"), 20.0);
  EXPECT_DOUBLE_EQ(row.NumberOr0("impressions"), 5830);
  EXPECT_EQ(row.Text("conversion"), "-");
  EXPECT_FALSE(row.Number("conversion").has_value());
  EXPECT_EQ(row.metrics.count("reach"), 0u);  // null is left out
  EXPECT_EQ(row.NumberOr0("reach"), 0);
  EXPECT_EQ(row.Text("campaign_name"), "Spring \"sale\"");  // attribute metric
  EXPECT_EQ(row.Text("adgroup_id"), "7300000000000000002");
}

TEST(LenientTest, EntitiesKeepRawJson) {
  const JsonValue item = Parse(
      R"({"campaign_id":1800000000000000123,"campaign_name":"C","budget":"50.5",)"
      R"("budget_mode":"BUDGET_MODE_DAY","unknown_field":{"x":[1]}})");
  const Campaign c = ReadCampaign(item);
  EXPECT_EQ(c.campaign_id, "1800000000000000123");
  EXPECT_DOUBLE_EQ(*c.budget, 50.5);
  EXPECT_NE(c.raw_json.find(R"("unknown_field":{"x":[1]})"), std::string::npos);
  EXPECT_NE(c.raw_json.find("1800000000000000123"), std::string::npos);
}

TEST(EnvelopeTest, ParsesTheEnvelopeAndKeepsDataVerbatim) {
  absl::StatusOr<Envelope> e = ParseEnvelope(
      R"({"code":0,"message":"OK","request_id":"2024abc","data": {"list" : [ {"id":1} ] } })");
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->code, 0);
  EXPECT_EQ(e->message, "OK");
  EXPECT_EQ(e->request_id, "2024abc");
  EXPECT_EQ(e->data_json, R"({"list" : [ {"id":1} ] })");

  absl::StatusOr<Envelope> string_code =
      ParseEnvelope(R"({"code":"40100","message":"Too many","data":[]})");
  ASSERT_TRUE(string_code.ok());
  EXPECT_EQ(string_code->code, 40100);
  EXPECT_EQ(string_code->data_json, "[]");

  absl::StatusOr<Envelope> no_data = ParseEnvelope(R"({"code":40002,"message":null})");
  ASSERT_TRUE(no_data.ok());
  EXPECT_EQ(no_data->data_json, "null");
  EXPECT_EQ(no_data->message, "");

  EXPECT_FALSE(ParseEnvelope("<html><body>502</body></html>").ok());
  EXPECT_FALSE(ParseEnvelope(R"({"message":"no code"})").ok());
  EXPECT_FALSE(ParseEnvelope(R"({"code":1.5})").ok());
  EXPECT_FALSE(ParseEnvelope(R"([1,2])").ok());
  EXPECT_FALSE(ParseEnvelope(R"({"code":0,"data":{"a":1})").ok());
  EXPECT_FALSE(ParseEnvelope("").ok());
}

TEST(PaginationTest, PageInfoAndReadingAllPages) {
  const JsonValue data = Parse(
      R"({"page_info":{"page":"2","page_size":10,"total_number":25,"total_page":3}})");
  const PageInfo info = ReadPageInfo(data);
  EXPECT_EQ(info.page, 2);
  EXPECT_EQ(info.page_size, 10);
  EXPECT_EQ(info.total_number, 25);
  EXPECT_EQ(info.total_page, 3);

  std::vector<int64_t> asked;
  absl::Status status = ReadAllPages([&](int64_t page) -> absl::StatusOr<PageInfo> {
    asked.push_back(page);
    return PageInfo{page, 10, 25, 3};
  });
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(asked, (std::vector<int64_t>{1, 2, 3}));

  asked.clear();
  EXPECT_TRUE(ReadAllPages([&](int64_t page) -> absl::StatusOr<PageInfo> {
                asked.push_back(page);
                return PageInfo{};  // no page_info: one page
              }).ok());
  EXPECT_EQ(asked.size(), 1u);

  EXPECT_EQ(ReadAllPages([](int64_t) -> absl::StatusOr<PageInfo> {
              return absl::UnavailableError("down");
            }).code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(ReadAllPages([](int64_t page) -> absl::StatusOr<PageInfo> {
              return PageInfo{page, 1, 1000000, 1000000};
            },
                         5)
                .code(),
            absl::StatusCode::kInternal);
}

TEST(PaginationTest, BatchIds) {
  std::vector<std::string> ids;
  for (int i = 0; i < 45; ++i) ids.push_back(std::to_string(i));
  ids.push_back("3");  // duplicate
  ids.push_back("");   // empty
  const auto batches = BatchIds(ids, kMaxStatusUpdateIds);
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0].size(), 20u);
  EXPECT_EQ(batches[1].size(), 20u);
  EXPECT_EQ(batches[2].size(), 5u);
  EXPECT_EQ(batches[0][0], "0");
  EXPECT_EQ(batches[2][4], "44");
  EXPECT_TRUE(BatchIds({}, 100).empty());
}

}  // namespace
}  // namespace ttads::tiktok

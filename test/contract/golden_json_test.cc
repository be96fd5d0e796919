// Wire compatibility of the existing REST routes (DESIGN.md, "Wire names").
//
// The REST frontend reaches ttads through grpc-gateway 1.6.4. Its request
// decoder is jsonpb: it accepts a field's proto name AND its lowerCamel
// json_name and silently DROPS keys it does not know. Its response encoder is
// jsonpb with `OrigName: true, EmitDefaults: true`: proto field names as
// written, default values included (unset message fields as null).
//
// For every route the existing frontend / brain / batch calls, the folder
// golden/ holds one request body as the old callers send it
// (<route>.request.json) and one success response as the old API answered it
// (<route>.response.json). For GET routes the request sample is the
// query-parameter map. This test checks, per route:
//   1. Request: every key of the old body maps to a field of the RPC's request
//      message (proto name or json_name, recursively into sub-messages; keys
//      under google.protobuf.Struct / Value / ListValue fields are free-form),
//      so no key the old callers send is silently dropped; the body then
//      parses (JsonStringToMessage, ignore_unknown_fields as jsonpb) and a few
//      parsed values are spot-checked.
//   2. Response: the old answer parses into the RPC's response message with
//      unknown fields REFUSED (a field the old API returned but the proto lacks
//      fails here), is printed back with proto field names and default values
//      (as the gateway does) and compared by meaning with the golden: every
//      key/value of the golden must appear in ours with an equal value (numbers
//      as doubles, an int64 printed as a JSON string does NOT equal a JSON
//      number); extra keys in ours are fine (fields the old API left out
//      appear with default values).
//
// Only the success shapes are golden: where the old API answered a failure
// with HTTP 4xx/5xx and a body (ManualLaunchMulti when every adset failed,
// Dispatch when an action failed), ttads answers an OK response or a gRPC
// error, a contract decision documented in the .proto files.

#include <gtest/gtest.h>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "ttads/v1/account_service.pb.h"
#include "ttads/v1/action_service.pb.h"
#include "ttads/v1/analytics_service.pb.h"
#include "ttads/v1/brain_service.pb.h"
#include "ttads/v1/campaign_builder_service.pb.h"

#ifndef TTADS_GOLDEN_DIR
#error "TTADS_GOLDEN_DIR must name the folder of the golden JSON samples"
#endif

namespace {

namespace pb = google::protobuf;
namespace v1 = ttads::v1;

// ---------------------------------------------------------------------------
// JSON helpers (a parsed JSON document is a google.protobuf.Value tree).

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read " << path;
    return {};
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string GoldenPath(const std::string& file) {
  return (std::filesystem::path(TTADS_GOLDEN_DIR) / file).string();
}

// Parses any JSON text into a generic tree. Fails the test on bad JSON.
bool ParseJsonTree(const std::string& json, pb::Value* tree, const std::string& what) {
  pb::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = pb::util::JsonStringToMessage(json, tree, options);
  if (!status.ok()) {
    ADD_FAILURE() << what << " is not valid JSON: " << status.ToString();
    return false;
  }
  return true;
}

std::string ToJson(const pb::Message& message) {
  pb::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string out;
  const auto status = pb::util::MessageToJsonString(message, &out, options);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return out;
}

const char* KindName(const pb::Value& value) {
  switch (value.kind_case()) {
    case pb::Value::kNullValue: return "null";
    case pb::Value::kNumberValue: return "number";
    case pb::Value::kStringValue: return "string";
    case pb::Value::kBoolValue: return "bool";
    case pb::Value::kStructValue: return "object";
    case pb::Value::kListValue: return "array";
    case pb::Value::KIND_NOT_SET: break;
  }
  return "unset";
}

// The keys of a JSON object in sorted order (pb::Map iterates in a random
// order), so that diagnostics are stable.
std::vector<std::string> SortedKeys(const pb::Struct& object) {
  std::vector<std::string> keys;
  keys.reserve(object.fields().size());
  for (const auto& entry : object.fields()) keys.push_back(entry.first);
  std::sort(keys.begin(), keys.end());
  return keys;
}

// ---------------------------------------------------------------------------
// Request side: does the message understand every key of the old body?

bool IsFreeFormJson(const pb::Descriptor* type) {
  const std::string& name = type->full_name();
  return name == "google.protobuf.Struct" || name == "google.protobuf.Value" ||
         name == "google.protobuf.ListValue";
}

// Well-known types written as a JSON scalar (wrappers, Timestamp, Duration,
// FieldMask): the parser checks the scalar's type itself.
bool IsScalarWellKnownType(const pb::Descriptor* type) {
  static const std::set<std::string> kScalar = {
      "google.protobuf.DoubleValue", "google.protobuf.FloatValue",
      "google.protobuf.Int64Value",  "google.protobuf.UInt64Value",
      "google.protobuf.Int32Value",  "google.protobuf.UInt32Value",
      "google.protobuf.BoolValue",   "google.protobuf.StringValue",
      "google.protobuf.BytesValue",  "google.protobuf.Timestamp",
      "google.protobuf.Duration",    "google.protobuf.FieldMask"};
  return kScalar.count(type->full_name()) != 0;
}

// The field that a JSON key names, as jsonpb matches it: the proto name or the
// json_name (lowerCamel by default), exact case.
const pb::FieldDescriptor* FieldForJsonKey(const pb::Descriptor* type, const std::string& key) {
  for (int i = 0; i < type->field_count(); ++i) {
    const pb::FieldDescriptor* field = type->field(i);
    if (field->name() == key || field->json_name() == key) return field;
  }
  return nullptr;
}

void CollectUnknownKeys(const pb::Descriptor* type, const pb::Struct& object,
                        const std::string& path, std::vector<std::string>* unknown);

// Walks one value of a message-typed field.
void CollectUnknownKeysInMessageValue(const pb::Descriptor* type, const pb::Value& value,
                                      const std::string& path,
                                      std::vector<std::string>* unknown) {
  if (IsFreeFormJson(type) || IsScalarWellKnownType(type)) return;
  if (value.kind_case() == pb::Value::kStructValue) {
    CollectUnknownKeys(type, value.struct_value(), path, unknown);
  }
  // null is "not set"; any other kind is a type error the parser reports.
}

void CollectUnknownKeys(const pb::Descriptor* type, const pb::Struct& object,
                        const std::string& path, std::vector<std::string>* unknown) {
  for (const std::string& key : SortedKeys(object)) {
    const pb::Value& value = object.fields().at(key);
    const std::string key_path = path.empty() ? key : path + "." + key;
    const pb::FieldDescriptor* field = FieldForJsonKey(type, key);
    if (field == nullptr) {
      unknown->push_back(key_path + " (no field of " + type->full_name() + " is named '" + key +
                         "' by proto name or json_name)");
      continue;
    }
    if (field->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (field->is_map()) {
      const pb::FieldDescriptor* map_value = field->message_type()->map_value();
      if (map_value->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE) continue;
      if (value.kind_case() != pb::Value::kStructValue) continue;
      for (const std::string& entry_key : SortedKeys(value.struct_value())) {
        CollectUnknownKeysInMessageValue(map_value->message_type(),
                                         value.struct_value().fields().at(entry_key),
                                         key_path + "." + entry_key, unknown);
      }
    } else if (field->is_repeated()) {
      if (value.kind_case() != pb::Value::kListValue) continue;
      const auto& items = value.list_value().values();
      for (int i = 0; i < items.size(); ++i) {
        CollectUnknownKeysInMessageValue(field->message_type(), items[i],
                                         key_path + "[" + std::to_string(i) + "]", unknown);
      }
    } else {
      CollectUnknownKeysInMessageValue(field->message_type(), value, key_path, unknown);
    }
  }
}

// Checks that every key of a POST body is understood, then parses it the way
// jsonpb does (unknown keys dropped).
void ParseRequestBody(const std::string& json, const std::string& what, pb::Message* request) {
  pb::Value tree;
  ASSERT_TRUE(ParseJsonTree(json, &tree, what));
  ASSERT_EQ(tree.kind_case(), pb::Value::kStructValue) << what << " must be a JSON object";
  std::vector<std::string> unknown;
  CollectUnknownKeys(request->GetDescriptor(), tree.struct_value(), "", &unknown);
  for (const auto& key : unknown) {
    ADD_FAILURE() << what << ": key " << key
                  << " would be silently dropped by the gateway (jsonpb ignores unknown keys)";
  }
  pb::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  const auto status = pb::util::JsonStringToMessage(json, request, options);
  ASSERT_TRUE(status.ok()) << what << " does not parse into " << request->GetTypeName() << ": "
                           << status.ToString();
}

// A GET request sample is the query-parameter map `{name: "value"}`. The
// gateway (runtime.PopulateQueryParameters of grpc-gateway 1.6.4) matches a
// parameter by the field's proto name or its lowerCamel JSON name (the
// frontend_routes e2e test sends both); this check holds the old callers to the
// proto name they use. A single value of a repeated field becomes a
// one-element list (so `campaign_ids=a,b` arrives as ["a,b"]).
void ParseQueryParameters(const std::string& json, const std::string& what,
                          pb::Message* request) {
  pb::Value tree;
  ASSERT_TRUE(ParseJsonTree(json, &tree, what));
  ASSERT_EQ(tree.kind_case(), pb::Value::kStructValue) << what << " must be a JSON object";
  const pb::Descriptor* type = request->GetDescriptor();
  pb::Struct converted;
  for (const auto& [name, value] : tree.struct_value().fields()) {
    ASSERT_EQ(value.kind_case(), pb::Value::kStringValue)
        << what << ": query parameter " << name << " must be a string";
    const pb::FieldDescriptor* field = type->FindFieldByName(name);
    if (field == nullptr) {
      ADD_FAILURE() << what << ": query parameter " << name << " names no field of "
                    << type->full_name() << " (the gateway ignores it)";
      continue;
    }
    ASSERT_NE(field->cpp_type(), pb::FieldDescriptor::CPPTYPE_MESSAGE)
        << what << ": query parameter " << name << " must name a scalar field";
    pb::Value& target = (*converted.mutable_fields())[name];
    if (field->is_repeated()) {
      *target.mutable_list_value()->add_values() = value;
    } else {
      target = value;  // numbers and bools are accepted as strings by the parser
    }
  }
  std::string converted_json;
  ASSERT_TRUE(pb::util::MessageToJsonString(converted, &converted_json).ok());
  const auto status = pb::util::JsonStringToMessage(converted_json, request);
  ASSERT_TRUE(status.ok()) << what << " does not parse into " << request->GetTypeName() << ": "
                           << status.ToString();
}

void LoadRequest(const std::string& route, pb::Message* request, bool query = false) {
  const std::string file = route + ".request.json";
  const std::string json = ReadFile(GoldenPath(file));
  ASSERT_FALSE(json.empty()) << file;
  if (query) {
    ParseQueryParameters(json, file, request);
  } else {
    ParseRequestBody(json, file, request);
  }
}

// ---------------------------------------------------------------------------
// Response side: compare by meaning.

// True when `value` is what a field the old API answered with JSON null looks
// like in ours: absent, null, or (proto3 scalars have no null; the contract
// maps SQL NULL to the zero value, common.proto) the type's default.
bool IsNullLike(const pb::Value& value) {
  switch (value.kind_case()) {
    case pb::Value::KIND_NOT_SET:
    case pb::Value::kNullValue: return true;
    case pb::Value::kStringValue: return value.string_value().empty();
    case pb::Value::kNumberValue: return value.number_value() == 0;
    case pb::Value::kBoolValue: return !value.bool_value();
    case pb::Value::kListValue: return value.list_value().values().empty();
    case pb::Value::kStructValue: return value.struct_value().fields().empty();
  }
  return false;
}

void CompareByMeaning(const pb::Value& golden, const pb::Value& ours, const std::string& path,
                      std::vector<std::string>* diffs) {
  const std::string where = path.empty() ? "<root>" : path;
  if (golden.kind_case() == pb::Value::kNullValue) {
    if (!IsNullLike(ours)) diffs->push_back(where + ": golden null, ours " + KindName(ours));
    return;
  }
  if (golden.kind_case() != ours.kind_case()) {
    diffs->push_back(where + ": golden is a JSON " + KindName(golden) + ", ours a JSON " +
                     KindName(ours));
    return;
  }
  switch (golden.kind_case()) {
    case pb::Value::kNumberValue: {
      const double a = golden.number_value();
      const double b = ours.number_value();
      if (!(a == b || std::fabs(a - b) <= 1e-9 * std::max(std::fabs(a), std::fabs(b)))) {
        diffs->push_back(where + ": golden " + std::to_string(a) + ", ours " +
                         std::to_string(b));
      }
      return;
    }
    case pb::Value::kStringValue:
      if (golden.string_value() != ours.string_value()) {
        diffs->push_back(where + ": golden \"" + golden.string_value() + "\", ours \"" +
                         ours.string_value() + "\"");
      }
      return;
    case pb::Value::kBoolValue:
      if (golden.bool_value() != ours.bool_value()) {
        diffs->push_back(where + ": golden " + (golden.bool_value() ? "true" : "false") +
                         ", ours " + (ours.bool_value() ? "true" : "false"));
      }
      return;
    case pb::Value::kListValue: {
      const auto& a = golden.list_value().values();
      const auto& b = ours.list_value().values();
      if (a.size() != b.size()) {
        diffs->push_back(where + ": golden has " + std::to_string(a.size()) +
                         " elements, ours " + std::to_string(b.size()));
        return;
      }
      for (int i = 0; i < a.size(); ++i) {
        CompareByMeaning(a[i], b[i], path + "[" + std::to_string(i) + "]", diffs);
      }
      return;
    }
    case pb::Value::kStructValue: {
      const auto& ours_fields = ours.struct_value().fields();
      for (const std::string& key : SortedKeys(golden.struct_value())) {
        const pb::Value& value = golden.struct_value().fields().at(key);
        const std::string key_path = path.empty() ? key : path + "." + key;
        const auto it = ours_fields.find(key);
        if (it == ours_fields.end()) {
          // jsonpb (EmitDefaults) writes an unset message field as null; the C++
          // printer leaves it out. Either way a golden null matches.
          if (value.kind_case() != pb::Value::kNullValue) {
            diffs->push_back(key_path + ": missing in ours");
          }
          continue;
        }
        CompareByMeaning(value, it->second, key_path, diffs);
      }
      return;
    }
    case pb::Value::kNullValue:
    case pb::Value::KIND_NOT_SET: return;
  }
}

// Parses the golden response into `response` refusing unknown fields, prints it
// back as the gateway does and compares both by meaning.
void ExpectResponseMatchesGolden(const std::string& route, pb::Message* response) {
  const std::string file = route + ".response.json";
  const std::string json = ReadFile(GoldenPath(file));
  ASSERT_FALSE(json.empty()) << file;
  pb::Value golden;
  ASSERT_TRUE(ParseJsonTree(json, &golden, file));

  pb::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;  // a field the proto lacks must fail
  const auto status = pb::util::JsonStringToMessage(json, response, options);
  ASSERT_TRUE(status.ok()) << file << " does not parse into " << response->GetTypeName()
                           << " (a field of the old wire missing, misnamed or mistyped?): "
                           << status.ToString();

  const std::string printed = ToJson(*response);
  pb::Value ours;
  ASSERT_TRUE(ParseJsonTree(printed, &ours, "printed " + response->GetTypeName()));
  std::vector<std::string> diffs;
  CompareByMeaning(golden, ours, "", &diffs);
  for (const auto& diff : diffs) ADD_FAILURE() << file << ": " << diff;
  if (!diffs.empty()) ADD_FAILURE() << "ours: " << printed;
}

// ---------------------------------------------------------------------------
// The comparison itself must be able to fail.

TEST(GoldenJsonSelfTest, UnknownRequestKeyIsReported) {
  v1::PauseCampaignRequest request;
  pb::Value tree;
  ASSERT_TRUE(ParseJsonTree(R"({"user_account_id":"u","campaignId":"1","campaign_ids":["2"]})",
                            &tree, "sample"));
  std::vector<std::string> unknown;
  CollectUnknownKeys(request.GetDescriptor(), tree.struct_value(), "", &unknown);
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_NE(unknown[0].find("campaign_ids"), std::string::npos) << unknown[0];
}

TEST(GoldenJsonSelfTest, UnknownKeyInSubMessageIsReportedButStructIsFreeForm) {
  v1::DispatchRequest request;
  pb::Value tree;
  ASSERT_TRUE(ParseJsonTree(
      R"({"account":{"userAccountId":"u","telegramId":"t"},
          "actions":[{"type":"TikTok.PauseAd","params":{"anything":{"goes":[1]}}},
                     {"type":"TikTok.PauseAd","paramz":{}}]})",
      &tree, "sample"));
  std::vector<std::string> unknown;
  CollectUnknownKeys(request.GetDescriptor(), tree.struct_value(), "", &unknown);
  ASSERT_EQ(unknown.size(), 2u);
  EXPECT_EQ(unknown[0].rfind("account.telegramId", 0), 0u) << unknown[0];
  EXPECT_EQ(unknown[1].rfind("actions[1].paramz", 0), 0u) << unknown[1];
}

TEST(GoldenJsonSelfTest, ResponseFieldMissingFromProtoFailsToParse) {
  v1::PauseCampaignResponse response;
  pb::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  EXPECT_FALSE(pb::util::JsonStringToMessage(R"({"success":true,"access_token":"x"})",
                                             &response, options)
                   .ok());
}

TEST(GoldenJsonSelfTest, CompareByMeaningFindsTypeAndValueDifferences) {
  pb::Value golden;
  pb::Value ours;
  ASSERT_TRUE(ParseJsonTree(R"({"a":5,"b":"x","c":[1,2],"d":null,"e":{"f":true},"g":1})",
                            &golden, "golden"));
  // "a" as a string is what proto3 JSON writes for an int64.
  ASSERT_TRUE(ParseJsonTree(R"({"a":"5","b":"y","c":[1],"d":"","e":{"f":false},"h":1})",
                            &ours, "ours"));
  std::vector<std::string> diffs;
  CompareByMeaning(golden, ours, "", &diffs);
  std::string all;
  for (const auto& diff : diffs) all += diff + "\n";
  // a (type), b, c (size), e.f, g (missing); d (null vs "") matches.
  EXPECT_EQ(diffs.size(), 5u) << all;

  diffs.clear();
  CompareByMeaning(golden, golden, "", &diffs);
  EXPECT_TRUE(diffs.empty());
}

TEST(GoldenJsonSelfTest, EveryGoldenFileBelongsToARoute) {
  static const std::set<std::string> kRoutes = {
      "auto-launch",    "manual-launch",   "manual-launch-multi", "create-campaign",
      "campaigns",      "pause-campaign",  "resume-campaign",     "report",
      "available-creatives", "advertiser-info", "oauth-exchange", "agent-actions",
      "brain-run-tiktok", "tiktok-proxy"};
  std::set<std::string> seen;
  for (const auto& entry : std::filesystem::directory_iterator(TTADS_GOLDEN_DIR)) {
    seen.insert(entry.path().filename().string());
  }
  for (const auto& route : kRoutes) {
    EXPECT_EQ(seen.erase(route + ".request.json"), 1u) << route << " has no request sample";
    EXPECT_EQ(seen.erase(route + ".response.json"), 1u) << route << " has no response sample";
  }
  for (const auto& stray : seen) ADD_FAILURE() << "golden file of no route: " << stray;
}

// ---------------------------------------------------------------------------
// 1. Campaign builder: /api/tiktok-campaign-builder/*

constexpr char kUser[] = "0f8c2a4e-6b1d-4c3a-9e57-2d8f1b6a9c03";
constexpr char kAdAccount[] = "5b7e9d21-3c4f-4a8b-b1e6-7f0a2c9d8e14";
constexpr char kDirection[] = "a3c1e5f7-2b4d-4e6f-8a1c-3e5f7a9b1c2d";

TEST(GoldenAutoLaunch, Request) {
  v1::AutoLaunchRequest request;
  ASSERT_NO_FATAL_FAILURE(LoadRequest("auto-launch", &request));
  EXPECT_EQ(request.user_account_id(), kUser);
  EXPECT_EQ(request.account_id(), kAdAccount);
  EXPECT_EQ(request.start_mode(), "midnight_almaty");
  ASSERT_EQ(request.direction_ids_size(), 4);
  EXPECT_EQ(request.direction_ids(0), kDirection);
}

TEST(GoldenAutoLaunch, OldUserIdAliasIsUnderstood) {
  // The old schema accepts `userId` instead of user_account_id (anyOf).
  v1::AutoLaunchRequest request;
  ASSERT_NO_FATAL_FAILURE(ParseRequestBody(R"({"userId":"0f8c2a4e-6b1d-4c3a-9e57-2d8f1b6a9c03"})",
                                           "userId body", &request));
  EXPECT_EQ(request.user_id(), kUser);
}

TEST(GoldenAutoLaunch, Response) {
  v1::AutoLaunchResponse response;
  ASSERT_NO_FATAL_FAILURE(ExpectResponseMatchesGolden("auto-launch", &response));
  ASSERT_EQ(response.results_size(), 4);
  EXPECT_EQ(response.results(2).reason(), "No eligible TikTok video creatives for this direction");
  EXPECT_EQ(response.results(3).status(), "failed");
}

TEST(GoldenManualLaunch, Request) {
  v1::ManualLaunchRequest request;
  ASSERT_NO_FATAL_FAILURE(LoadRequest("manual-launch", &request));
  EXPECT_EQ(request.user_account_id(), kUser);
  EXPECT_EQ(request.direction_id(), kDirection);
  EXPECT_EQ(request.creative_ids_size(), 2);
  EXPECT_DOUBLE_EQ(request.daily_budget(), 5000);
  EXPECT_EQ(request.objective(), "traffic");
}

TEST(GoldenManualLaunch, Response) {
  v1::ManualLaunchResponse response;
  ASSERT_NO_FATAL_FAILURE(ExpectResponseMatchesGolden("manual-launch", &response));
  EXPECT_EQ(response.mode(), "create_new");
  EXPECT_EQ(response.ads_created(), 2);
}

TEST(GoldenManualLaunchMulti, Request) {
  // manualLaunchApi.ts sends `account_id: null` in legacy mode.
  v1::ManualLaunchMultiRequest request;
  ASSERT_NO_FATAL_FAILURE(LoadRequest("manual-launch-multi", &request));
  EXPECT_EQ(request.account_id(), "");
  EXPECT_EQ(request.objective(), "lead_generation");
  ASSERT_EQ(request.adsets_size(), 2);
  EXPECT_EQ(request.adsets(0).creative_ids_size(), 2);
  EXPECT_DOUBLE_EQ(request.adsets(0).daily_budget(), 3000);
  EXPECT_DOUBLE_EQ(request.adsets(1).daily_budget(), 2500.5);
}

TEST(GoldenManualLaunchMulti, Response) {
  v1::ManualLaunchMultiResponse response;
  ASSERT_NO_FATAL_FAILURE(ExpectResponseMatchesGolden("manual-launch-multi", &response));
  ASSERT_EQ(response.adsets_size(), 2);
  EXPECT_EQ(response.adsets(0).ads(1).name(), "1849270022445566");
  EXPECT_FALSE(response.adsets(1).success());
}

TEST(GoldenCreateCampaign, Request) {
  v1::CreateCampaignRequest request;
  ASSERT_NO_FATAL_FAILURE(LoadRequest("create-campaign", &request));
  EXPECT_EQ(request.campaign_name(), "Заявки — имплантация, ноябрь");
  EXPECT_DOUBLE_EQ(request.daily_budget(), 7500);
  ASSERT_TRUE(request.has_auto_activate());
  EXPECT_FALSE(request.auto_activate().value());
  EXPECT_EQ(request.page_id(), "7430918273645102337");
}

TEST(GoldenCreateCampaign, Response) {
  v1::CreateCampaignResponse response;
  ASSERT_NO_FATAL_FAILURE(ExpectResponseMatchesGolden("create-campaign", &response));
  EXPECT_EQ(response.ads_count(), 1);
  EXPECT_EQ(response.campaign_id(), "1849281100223311");
}

TEST(GoldenCampaigns, Request) {
  v1::ListCampaignsRequest request;
  ASSERT_NO_FATAL_FAILURE(LoadRequest("campaigns", &request, /*query=*/true));
  EXPECT_EQ(request.user_account_id(), kUser);
  EXPECT_EQ(request.account_id(), kAdAccount);
}

TEST(GoldenCampaigns, Response) {
  v1::ListCampaignsResponse response;
  ASSERT_NO_FATAL_FAILURE(ExpectResponseMatchesGolden("campaigns", &response));
  EXPECT_EQ(response.total(), 2);
  ASSERT_EQ(response.campaigns().values_size(), 2);
  EXPECT_EQ(response.campaigns().values(0).struct_value().fields().at("campaign_id").string_value(),
            "1849263051728394");
}

TEST(GoldenPauseCampaign, Request) {
  v1::PauseCampaignRequest request;
  ASSERT_NO_FATAL_FAILURE(LoadRequest("pause-campaign", &request));
  EXPECT_EQ(request.campaign_id(), "1849263051728394");
  EXPECT_EQ(request.account_id(), kAdAccount);
}

TEST(GoldenPauseCampaign, Response) {
  v1::PauseCampaignResponse response;
  ASSERT_NO_FATAL_FAILURE(ExpectResponseMatchesGolden("pause-campaign", &response));
  EXPECT_EQ(response.message(), "Campaign paused successfully");
}

TEST(GoldenResumeCampaign, Request) {
  v1::ResumeCampaignRequest request;
  ASSERT_NO_FATAL_FAILURE(LoadRequest("resume-campaign", &request));
  EXPECT_EQ(request.user_account_id(), kUser);
  EXPECT_EQ(request.campaign_id(), "1849263051728394");
}

TEST(GoldenResumeCampaign, Response) {
  v1::ResumeCampaignResponse response;
  ASSERT_NO_FATAL_FAILURE(ExpectResponseMatchesGolden("resume-campaign", &response));
  EXPECT_EQ(response.message(), "Campaign resumed successfully");
}

TEST(GoldenReport, Request) {
  // The old query passes campaign_ids as ONE comma-separated value; the gateway
  // does not split it (the service does).
  v1::GetReportRequest request;
  ASSERT_NO_FATAL_FAILURE(LoadRequest("report", &request, /*query=*/true));
  ASSERT_EQ(request.campaign_ids_size(), 1);
  EXPECT_EQ(request.campaign_ids(0), "1849263051728394,1849281100223311");
  EXPECT_EQ(request.start_date(), "2026-11-17");
  EXPECT_EQ(request.end_date(), "2026-11-24");
}

TEST(GoldenReport, Response) {
  v1::GetReportResponse response;
  ASSERT_NO_FATAL_FAILURE(ExpectResponseMatchesGolden("report", &response));
  EXPECT_EQ(response.period().start_date(), "2026-11-17");
  EXPECT_EQ(response.report().fields().at("list").list_value().values_size(), 2);
}

TEST(GoldenAvailableCreatives, Request) {
  v1::ListAvailableCreativesRequest request;
  ASSERT_NO_FATAL_FAILURE(LoadRequest("available-creatives", &request, /*query=*/true));
  EXPECT_EQ(request.user_account_id(), kUser);
  EXPECT_EQ(request.direction_id(), kDirection);
}

TEST(GoldenAvailableCreatives, Response) {
  // The old API answered SQL NULL columns (description, tiktok_video_id) with
  // JSON null; ttads answers "" (common.proto: an empty string means NULL).
  v1::ListAvailableCreativesResponse response;
  ASSERT_NO_FATAL_FAILURE(ExpectResponseMatchesGolden("available-creatives", &response));
  EXPECT_EQ(response.count(), 2);
  ASSERT_EQ(response.creatives_size(), 2);
  EXPECT_EQ(response.creatives(0).tiktok_video_id(), "");
  EXPECT_EQ(response.creatives(1).tiktok_video_id(), "v10033g50000cs1k2j7og65lq8r0t9a0");
}

TEST(GoldenAdvertiserInfo, Request) {
  v1::GetAdvertiserInfoRequest request;
  ASSERT_NO_FATAL_FAILURE(LoadRequest("advertiser-info", &request, /*query=*/true));
  EXPECT_EQ(request.user_account_id(), kUser);
  EXPECT_EQ(request.account_id(), kAdAccount);
}

TEST(GoldenAdvertiserInfo, Response) {
  // `advertiser` is TikTok's WHOLE envelope, not list[0].
  v1::GetAdvertiserInfoResponse response;
  ASSERT_NO_FATAL_FAILURE(ExpectResponseMatchesGolden("advertiser-info", &response));
  EXPECT_EQ(response.advertiser().fields().at("code").number_value(), 0);
  EXPECT_TRUE(response.advertiser().fields().at("data").has_struct_value());
}

// ---------------------------------------------------------------------------
// 2. OAuth: POST /api/tiktok/oauth/exchange

TEST(GoldenOAuthExchange, Request) {
  v1::ExchangeOAuthCodeRequest request;
  ASSERT_NO_FATAL_FAILURE(LoadRequest("oauth-exchange", &request));
  EXPECT_EQ(request.auth_code(), "3f9a1c7e5b2d48a6b0c4e8f2a6d0b4c8e2f6a0b4");
  EXPECT_FALSE(request.state().empty());
}

TEST(GoldenOAuthExchange, Response) {
  // The old answer also carried `access_token` (the raw TikTok token). It is
  // left out of the golden ON PURPOSE: ttads never returns the raw token (a
  // contract decision, account_service.proto), so the response message has no
  // such field and must keep not having one.
  EXPECT_EQ(v1::ExchangeOAuthCodeResponse::descriptor()->FindFieldByName("access_token"), nullptr);
  v1::ExchangeOAuthCodeResponse response;
  ASSERT_NO_FATAL_FAILURE(ExpectResponseMatchesGolden("oauth-exchange", &response));
  // `account_id` keeps its old meaning: the advertiser NAME.
  EXPECT_EQ(response.account_id(), "Dental Clinic Almaty");
  ASSERT_TRUE(response.has_ad_account_id());
  EXPECT_EQ(response.ad_account_id().value(), kAdAccount);
  EXPECT_EQ(response.advertisers_size(), 2);
}

// ---------------------------------------------------------------------------
// 3. Actions: POST /api/agent/actions (the brain's dispatch)

TEST(GoldenAgentActions, Request) {
  v1::DispatchRequest request;
  ASSERT_NO_FATAL_FAILURE(LoadRequest("agent-actions", &request));
  EXPECT_EQ(request.idempotency_key(), "think-20261125-0800-k3x9qa");
  EXPECT_EQ(request.source(), "brain");
  EXPECT_EQ(request.account().user_account_id(), kUser);
  EXPECT_EQ(request.account().account_id(), kAdAccount);
  EXPECT_EQ(request.account().ad_account_id(), "7412345678901234567");
  ASSERT_EQ(request.actions_size(), 3);
  EXPECT_EQ(request.actions(1).type(), "TikTok.UpdateAdGroupBudget");
  EXPECT_EQ(request.actions(1).params().fields().at("new_budget").number_value(), 6500);
  EXPECT_EQ(request.actions(1).params().fields().at("adgroup_id").string_value(),
            "1849263057611203");
}

TEST(GoldenAgentActions, Response) {
  v1::DispatchResponse response;
  ASSERT_NO_FATAL_FAILURE(ExpectResponseMatchesGolden("agent-actions", &response));
  EXPECT_EQ(response.executionid(), "2c4e6a8b-0d2f-4b6d-8f0a-2c4e6a8b0d2f");
  EXPECT_TRUE(response.executed());
}

// ---------------------------------------------------------------------------
// 4. Brain: POST /api/brain/run-tiktok (the batch's call)

TEST(GoldenBrainRunTikTok, Request) {
  v1::RunTikTokRequest request;
  ASSERT_NO_FATAL_FAILURE(LoadRequest("brain-run-tiktok", &request));
  EXPECT_EQ(request.idempotency_key(), "think-20261125-0800-k3x9qa");
  EXPECT_EQ(request.user_account_id(), kUser);
  EXPECT_EQ(request.account_id(), kAdAccount);
  EXPECT_FALSE(request.inputs().dispatch());
  ASSERT_TRUE(request.inputs().has_send_report());
  EXPECT_TRUE(request.inputs().send_report().value());
}

TEST(GoldenBrainRunTikTok, Response) {
  // agentResponse is null when nothing was dispatched.
  v1::RunTikTokResponse response;
  ASSERT_NO_FATAL_FAILURE(ExpectResponseMatchesGolden("brain-run-tiktok", &response));
  EXPECT_EQ(response.plannote(), "tiktok_deterministic_plan_v1");
  EXPECT_FALSE(response.has_agentresponse());
  ASSERT_EQ(response.actions_size(), 2);
  EXPECT_EQ(response.actions(1).params().fields().at("new_budget").number_value(), 6500);
  EXPECT_EQ(response.platform(), "tiktok");
}

// ---------------------------------------------------------------------------
// 5. Frontend proxy: POST /api/tiktok-proxy

TEST(GoldenTikTokProxy, Request) {
  v1::TikTokProxyRequest request;
  ASSERT_NO_FATAL_FAILURE(LoadRequest("tiktok-proxy", &request));
  EXPECT_EQ(request.endpoint(), "campaign/get/");
  EXPECT_EQ(request.method(), "GET");
  EXPECT_EQ(request.ad_account_id(), kAdAccount);
  EXPECT_EQ(request.params().fields().at("page_size").number_value(), 100);
  EXPECT_EQ(request.params().fields().at("fields").list_value().values_size(), 6);
}

TEST(GoldenTikTokProxy, Response) {
  // TikTok's envelope, raw.
  v1::TikTokProxyResponse response;
  ASSERT_NO_FATAL_FAILURE(ExpectResponseMatchesGolden("tiktok-proxy", &response));
  EXPECT_EQ(response.code(), 0);
  EXPECT_EQ(response.request_id(), "20261125081602C8E1A3B5D7F9A1C3E5F7");
  EXPECT_EQ(response.data().fields().at("list").list_value().values_size(), 1);
}

}  // namespace

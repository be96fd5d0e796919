// Hostile input at the front doors (issue #8, suite 5).
//
// Part 1 (gRPC): every RPC of every ttads.v1 service, found in the descriptor pool (a new RPC is
// covered without editing this file), gets requests generated from its request descriptor: empty,
// a base that names the caller's own objects, another tenant's ids, a 1 MB string in each string
// field, 10k elements in each repeated field, negative / NaN / ±Inf / huge numbers in each numeric
// field, hostile Structs, SQL-ish text, unknown and wrongly typed fields, invalid UTF-8, garbage
// bytes and a message above gRPC's 4 MB limit. They are sent with a user's JWT and API key, the
// operator token, another tenant's JWT, and with missing, forged, expired, tampered and revoked
// credentials. Part 2 (REST): every google.api.http route through the real gateway with bodies of
// the wrong JSON types, broken JSON, invalid UTF-8, extra fields and a body above the limit.
// Part 3: OAuth states replayed, expired, of another user, tampered or unsigned.
//
// Targets: no request that must be refused is accepted, and no answer is a server error
// (everything that reaches ttads's code is a client error with a message; bytes that are not a
// valid protobuf may be refused by gRPC's own parser before ttads sees them).
//
// TTADS_HOSTILE_ROUNDS=N (default 1) repeats Part 1's payload phase N times with fresh sizes and
// garbage (the long form).
#include <httplib.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "client/rpc_client.h"
#include "google/api/annotations.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/wire_format_lite.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/byte_buffer.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "server/crypto_util.h"
#include "server/jwt.h"
#include "server/oauth_state.h"
#include "server/secret_box.h"
#include "test/e2e/e2e_stack.h"
#include "test/integration/media_server.h"
#include "test/integration/server_sandbox_fixture.h"

namespace ttads::testing {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::DynamicMessageFactory;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::MethodDescriptor;
using google::protobuf::Reflection;
using google::protobuf::ServiceDescriptor;
using google::protobuf::internal::WireFormatLite;
using Json = nlohmann::json;

constexpr char kSecretKeyHex[] = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

int Rounds() {
  const char* text = std::getenv("TTADS_HOSTILE_ROUNDS");
  const int rounds = text == nullptr ? 1 : std::atoi(text);
  return rounds < 1 ? 1 : rounds;
}

// Every service of package ttads.v1: each .proto file of proto/ttads/v1 looked up in the generated
// pool, so a new file or RPC is covered without editing this test.
std::vector<const ServiceDescriptor*> AllServices() {
  (void)client::ContractServices();  // links every generated file
  std::vector<const ServiceDescriptor*> services;
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(TTADS_PROTO_DIR)) {
    if (entry.path().extension() == ".proto") files.push_back(entry.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  for (const std::string& name : files) {
    const auto* file = DescriptorPool::generated_pool()->FindFileByName("ttads/v1/" + name);
    EXPECT_NE(file, nullptr) << name << " is not linked into the test (client/rpc_client.cc)";
    if (file == nullptr) continue;
    for (int i = 0; i < file->service_count(); ++i) services.push_back(file->service(i));
  }
  return services;
}

std::vector<const MethodDescriptor*> AllMethods() {
  std::vector<const MethodDescriptor*> methods;
  for (const ServiceDescriptor* service : AllServices()) {
    for (int i = 0; i < service->method_count(); ++i) methods.push_back(service->method(i));
  }
  return methods;
}

// RPCs only the operator may call: an OK for any other caller is a wrong acceptance.
bool OperatorOnly(const MethodDescriptor* method) {
  return method->service()->name() == "AdminService" || method->name() == "RunBatch" ||
         method->name() == "ListBatches";
}

bool IsWrapper(const Descriptor* type) {
  return type->file()->name() == "google/protobuf/wrappers.proto";
}
bool IsStruct(const Descriptor* type) {
  return type->full_name() == "google.protobuf.Struct";
}

// ---- the tenants ------------------------------------------------------------------------------

struct Tenant {
  std::string user, jwt, api_key, api_key_id, ad_account, direction, creative, adgroup_link;
  std::string execution, brain_execution, advertiser, campaign, adgroup, identity, page;
  std::string marker;  // in every name of the tenant's objects, to see it in a leaked answer
};

// The tenant's object a request field names, by the field's name (ids in arrays too).
std::string IdFor(const Tenant& tenant, std::string name) {
  if (absl::EndsWith(name, "_ids")) name.pop_back();
  static const std::map<std::string, std::string Tenant::*> kIds = {
      {"user_account_id", &Tenant::user},     {"user_id", &Tenant::user},
      {"account_id", &Tenant::ad_account},    {"ad_account_id", &Tenant::ad_account},
      {"direction_id", &Tenant::direction},   {"creative_id", &Tenant::creative},
      {"user_creative_id", &Tenant::creative}, {"direction_adgroup_id", &Tenant::adgroup_link},
      {"api_key_id", &Tenant::api_key_id},    {"execution_id", &Tenant::execution},
      {"advertiser_id", &Tenant::advertiser}, {"campaign_id", &Tenant::campaign},
      {"tiktok_campaign_id", &Tenant::campaign}, {"adgroup_id", &Tenant::adgroup},
      {"tiktok_adgroup_id", &Tenant::adgroup}, {"identity_id", &Tenant::identity},
      {"tiktok_identity_id", &Tenant::identity}, {"page_id", &Tenant::page},
      {"tiktok_instant_page_id", &Tenant::page}, {"object_id", &Tenant::direction},
      {"operation_id", &Tenant::execution}};
  const auto found = kIds.find(name);
  return found == kIds.end() ? "" : tenant.*(found->second);
}

// Fields whose name means another id than IdFor's: by full name.
std::string IdForField(const Tenant& tenant, const FieldDescriptor* field, const std::string& name) {
  static const std::map<std::string, std::string Tenant::*> kFields = {
      {"ttads.v1.ActionAccount.ad_account_id", &Tenant::advertiser},  // the old advertiser label
      {"ttads.v1.GetBrainExecutionRequest.execution_id", &Tenant::brain_execution},
      {"ttads.v1.RevertBrainExecutionRequest.execution_id", &Tenant::brain_execution},
      {"ttads.v1.ReplayBrainExecutionRequest.execution_id", &Tenant::brain_execution}};
  const auto found = kFields.find(field->full_name());
  return found == kFields.end() ? IdFor(tenant, name) : tenant.*(found->second);
}

// Values that let a base request get past "required" checks to the deeper ones.
std::string BaseValue(const FieldDescriptor* field) {
  static const std::map<std::string, std::string> kValues = {
      {"ttads.v1.Action.type", "TikTok.UpdateAdGroupBudget"},
      {"ttads.v1.TikTokProxyRequest.endpoint", "campaign/get/"},
      {"ttads.v1.TikTokProxyRequest.method", "GET"},
      {"ttads.v1.CreateDirectionRequest.platform", "tiktok"},
      {"ttads.v1.CreateDirectionRequest.tiktok_objective", "traffic"},
      {"ttads.v1.CreateDirectionRequest.name", "hostile direction"},
      {"ttads.v1.CreateAdAccountRequest.name", "hostile account"},
      {"ttads.v1.CreateApiKeyRequest.name", "hostile key"},
      {"ttads.v1.CreateCreativeRequest.title", "hostile creative"},
      {"ttads.v1.CreateCreativeRequest.media_url", "https://example.com/hostile.mp4"},
      {"ttads.v1.CreateCreativeRequest.media_type", "video"},
      {"ttads.v1.CreateCampaignRequest.campaign_name", "hostile campaign"},
      {"ttads.v1.CreateCampaignRequest.landing_page_url", "https://example.com/landing"},
      {"ttads.v1.SetCurrencyRateRequest.from_currency", "EUR"},
      {"ttads.v1.SetCurrencyRateRequest.to_currency", "KZT"},
      {"ttads.v1.CreateUserAccountRequest.username", "hostile-user"}};
  const auto found = kValues.find(field->full_name());
  return found == kValues.end() ? "" : found->second;
}

// The Struct a base request carries: a valid action's parameters, or the proxy's advertiser.
google::protobuf::Struct BaseStruct(const FieldDescriptor* field, const Tenant& ids) {
  google::protobuf::Struct params;
  auto& fields = *params.mutable_fields();
  if (field->full_name() == "ttads.v1.Action.params") {
    fields["adgroup_id"].set_string_value(ids.adgroup);  // for TikTok.UpdateAdGroupBudget
    fields["new_budget"].set_number_value(3000);
  } else {
    fields["advertiser_id"].set_string_value(ids.advertiser);
  }
  return params;
}

// ---- request generation ---------------------------------------------------------------------

// One leaf a variant aims at: a path of fields from the request (an element of a repeated
// message on the way is its first element).
using FieldPath = std::vector<const FieldDescriptor*>;

std::string PathName(const FieldPath& path) {
  std::vector<std::string> names;
  for (const FieldDescriptor* field : path) names.push_back(field->name());
  return absl::StrJoin(names, ".");
}

bool IsNumeric(const FieldDescriptor* field) {
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_UINT64:
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT:
    case FieldDescriptor::CPPTYPE_ENUM:
      return true;
    default:
      return false;
  }
}
bool IsFloating(const FieldDescriptor* field) {
  return field->cpp_type() == FieldDescriptor::CPPTYPE_DOUBLE ||
         field->cpp_type() == FieldDescriptor::CPPTYPE_FLOAT;
}

// Every leaf under `type`: strings, numbers, Structs, and repeated fields (a repeated message is
// a leaf of its own for the 10k variant, and its element's fields are leaves too).
void CollectLeaves(const Descriptor* type, FieldPath prefix, std::vector<FieldPath>& leaves,
                   int depth = 0) {
  if (depth > 3) return;
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* field = type->field(i);
    FieldPath path = prefix;
    path.push_back(field);
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING || IsNumeric(field) ||
          field->is_repeated()) {
        leaves.push_back(path);
      }
      continue;
    }
    const Descriptor* sub = field->message_type();
    if (IsStruct(sub) || field->is_repeated()) leaves.push_back(path);
    if (IsStruct(sub) || sub->file()->name() == "google/protobuf/struct.proto") continue;
    CollectLeaves(sub, path, leaves, depth + 1);
  }
}

enum class Mode { kBase, kHugeAll, kInjection };

struct FillContext {
  const Tenant* ids = nullptr;  // whose ids go into id fields (none: ids stay empty)
  Mode mode = Mode::kBase;
  std::size_t huge_all_size = 64 * 1024;
  int* key_counter = nullptr;
};

constexpr char kInjection[] =
    "x'); DROP TABLE user_accounts; -- \"}]{\\u0000 <script>alert(1)</script> ../../etc/passwd "
    "%s%n${jndi:ldap://x} \xF0\x9F\x92\xA5 \xE2\x80\xAE";

std::string StringFor(const FieldDescriptor* field, const std::string& name_hint,
                      const FillContext& context) {
  if (name_hint == "idempotency_key") {
    return absl::StrCat("hostile-", ++*context.key_counter, "-", absl::ToUnixNanos(absl::Now()));
  }
  switch (context.mode) {
    case Mode::kHugeAll:
      return std::string(context.huge_all_size, 'h');
    case Mode::kInjection:
      return kInjection;
    case Mode::kBase:
      break;
  }
  if (context.ids != nullptr) {
    if (std::string id = IdForField(*context.ids, field, name_hint); !id.empty()) return id;
  }
  return BaseValue(field);
}

// Fills `message` per `context`. Wrappers take the name of the field that holds them; a
// sub-message is kept only when something was set in it.
void Fill(Message& message, const FillContext& context, int depth = 0,
          const std::string& parent_name = "") {
  const Descriptor* type = message.GetDescriptor();
  const Reflection* reflection = message.GetReflection();
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* field = type->field(i);
    const std::string name = IsWrapper(type) ? parent_name : field->name();
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      const std::string value = StringFor(field, name, context);
      if (value.empty()) continue;
      if (field->is_repeated()) {
        reflection->AddString(&message, field, value);
      } else {
        reflection->SetString(&message, field, value);
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && depth < 3) {
      const Descriptor* sub_type = field->message_type();
      if (sub_type->file()->name() == "google/protobuf/struct.proto" && !IsStruct(sub_type)) {
        continue;
      }
      std::unique_ptr<Message> sub(
          message.GetReflection()->GetMessageFactory()->GetPrototype(sub_type)->New());
      if (IsStruct(sub_type)) {
        if (context.ids != nullptr && context.mode == Mode::kBase) {
          sub->ParseFromString(BaseStruct(field, *context.ids).SerializeAsString());
        } else if (context.mode != Mode::kBase) {
          google::protobuf::Struct params;
          (*params.mutable_fields())["x"].set_string_value(
              StringFor(field, "", context));
          sub->ParseFromString(params.SerializeAsString());
        }
      } else {
        Fill(*sub, context, depth + 1, field->name());
      }
      if (sub->ByteSizeLong() == 0) continue;
      if (field->is_repeated()) {
        reflection->AddMessage(&message, field)->CopyFrom(*sub);
      } else {
        reflection->MutableMessage(&message, field)->CopyFrom(*sub);
      }
    }
  }
}

// The message at the end of `path` minus its leaf, created on the way (first elements).
Message* Walk(Message& root, const FieldPath& path) {
  Message* current = &root;
  for (std::size_t i = 0; i + 1 < path.size(); ++i) {
    const FieldDescriptor* field = path[i];
    const Reflection* reflection = current->GetReflection();
    if (field->is_repeated()) {
      current = reflection->FieldSize(*current, field) > 0
                    ? reflection->MutableRepeatedMessage(current, field, 0)
                    : reflection->AddMessage(current, field);
    } else {
      current = reflection->MutableMessage(current, field);
    }
  }
  return current;
}

enum class Number { kNegative, kNaN, kPosInf, kNegInf, kHuge };
const char* NumberName(Number number) {
  switch (number) {
    case Number::kNegative: return "negative";
    case Number::kNaN: return "nan";
    case Number::kPosInf: return "+inf";
    case Number::kNegInf: return "-inf";
    case Number::kHuge: return "huge";
  }
  return "";
}

void SetNumber(Message& message, const FieldDescriptor* field, Number number) {
  const Reflection* r = message.GetReflection();
  const bool rep = field->is_repeated();
  const double d = number == Number::kNegative ? -100.5
                   : number == Number::kNaN    ? std::nan("")
                   : number == Number::kPosInf ? std::numeric_limits<double>::infinity()
                   : number == Number::kNegInf ? -std::numeric_limits<double>::infinity()
                                               : 1e308;
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: {
      const int32_t v = number == Number::kHuge ? std::numeric_limits<int32_t>::max()
                                                : std::numeric_limits<int32_t>::min();
      rep ? r->AddInt32(&message, field, v) : r->SetInt32(&message, field, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      const int64_t v = number == Number::kHuge ? std::numeric_limits<int64_t>::max()
                                                : std::numeric_limits<int64_t>::min();
      rep ? r->AddInt64(&message, field, v) : r->SetInt64(&message, field, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_UINT32:
      rep ? r->AddUInt32(&message, field, std::numeric_limits<uint32_t>::max())
          : r->SetUInt32(&message, field, std::numeric_limits<uint32_t>::max());
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      rep ? r->AddUInt64(&message, field, std::numeric_limits<uint64_t>::max())
          : r->SetUInt64(&message, field, std::numeric_limits<uint64_t>::max());
      break;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      rep ? r->AddDouble(&message, field, d) : r->SetDouble(&message, field, d);
      break;
    case FieldDescriptor::CPPTYPE_FLOAT:
      rep ? r->AddFloat(&message, field, static_cast<float>(d))
          : r->SetFloat(&message, field, static_cast<float>(d));
      break;
    case FieldDescriptor::CPPTYPE_ENUM:
      rep ? r->AddEnumValue(&message, field, -12345) : r->SetEnumValue(&message, field, -12345);
      break;
    default:
      break;
  }
}

struct HostileStruct {
  std::string name;
  google::protobuf::Struct value;
  bool must_refuse = false;  // a budget that is negative or not a finite number
};

// Structs no well-behaved client sends, each on top of the field's base: a budget that is NaN,
// infinite or negative, ids of the wrong JSON type, a 256 KB string, 10k keys, deep nesting.
std::vector<HostileStruct> HostileStructs(const FieldDescriptor* field, const Tenant& ids) {
  const google::protobuf::Struct base = BaseStruct(field, ids);
  // The action's budget parameter, or a made-up one where the Struct has none.
  const bool action = base.fields().count("new_budget") > 0;
  const std::string budget = action ? "new_budget" : "budget";
  std::vector<HostileStruct> result;
  const auto with = [&](const std::string& name, double number) {
    google::protobuf::Struct value = base;
    (*value.mutable_fields())[budget].set_number_value(number);
    result.push_back({name, value, action});
  };
  with("NaN budget", std::nan(""));
  with("+Inf budget", std::numeric_limits<double>::infinity());
  with("-Inf budget", -std::numeric_limits<double>::infinity());
  with("negative budget", -5000);
  google::protobuf::Struct typed = base;
  for (auto& [key, value] : *typed.mutable_fields()) {
    if (value.has_string_value()) {
      value.mutable_list_value()->add_values()->set_number_value(1e300);
    } else {
      value.set_string_value("not a number");
    }
  }
  result.push_back({"values of the wrong JSON type", typed, action});
  google::protobuf::Struct big = base;
  (*big.mutable_fields())["big"].set_string_value(std::string(256 * 1024, 's'));
  result.push_back({"256 KB string", big});
  google::protobuf::Struct keys = base;
  for (int i = 0; i < 10000; ++i) (*keys.mutable_fields())[absl::StrCat("k", i)].set_bool_value(true);
  result.push_back({"10k keys", keys});
  // Each level is three messages (Value, Struct, map entry): 25 levels parse, 60 are past
  // protobuf's recursion limit (100), which gRPC's parser refuses before ttads sees them.
  for (int levels : {25, 60}) {
    google::protobuf::Struct deep = base;
    google::protobuf::Value* level = &(*deep.mutable_fields())["deep"];
    for (int i = 0; i < levels; ++i) {
      level = &(*level->mutable_struct_value()->mutable_fields())["d"];
    }
    level->set_string_value("bottom");
    result.push_back({absl::StrCat(levels, " levels deep"), deep});
  }
  return result;
}

// Raw wire bytes appended to a valid request.
std::string Tag(int number, WireFormatLite::WireType type) {
  std::string out;
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.WriteTag(WireFormatLite::MakeTag(number, type));
  coded.Trim();
  return out;
}
std::string Varint(uint64_t value) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.WriteVarint64(value);
  }
  return out;
}
std::string LengthDelimited(int number, const std::string& bytes) {
  return absl::StrCat(Tag(number, WireFormatLite::WIRETYPE_LENGTH_DELIMITED), Varint(bytes.size()),
                      bytes);
}

// Fields the descriptor does not know (numbers up to the maximum, every wire type).
std::string UnknownFields() {
  return absl::StrCat(Tag(1999, WireFormatLite::WIRETYPE_VARINT), Varint(7),
                      LengthDelimited(2000, std::string(4096, 'u')),
                      Tag(536870911, WireFormatLite::WIRETYPE_FIXED64), std::string(8, '\x01'),
                      Tag(3000, WireFormatLite::WIRETYPE_FIXED32), std::string(4, '\x02'));
}

// Each known field sent with the wrong wire type (a string as a varint, a number as bytes):
// protobuf keeps them as unknown fields, so the request must be answered like the base.
std::string WrongWireTypes(const Descriptor* type) {
  std::string out;
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* field = type->field(i);
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING ||
        field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      absl::StrAppend(&out, Tag(field->number(), WireFormatLite::WIRETYPE_VARINT), Varint(5));
    } else {
      absl::StrAppend(&out, LengthDelimited(field->number(), "not a number"));
    }
  }
  return out;
}

// Every top-level string field with bytes that are not UTF-8 (proto3 strings must be).
std::string InvalidUtf8(const Descriptor* type) {
  std::string out;
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* field = type->field(i);
    if (field->type() == FieldDescriptor::TYPE_STRING) {
      absl::StrAppend(&out, LengthDelimited(field->number(), "ok\xff\xfe\xc0\x80\xed\xa0\x80"));
    }
  }
  return out;
}

// ---- calling --------------------------------------------------------------------------------

struct Answer {
  grpc::Status status;
  std::string bytes;
};

Answer RawCall(const std::shared_ptr<grpc::Channel>& channel, const MethodDescriptor* method,
               const std::string& authorization, const std::string& request_bytes) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  if (!authorization.empty()) context.AddMetadata("authorization", authorization);
  grpc::Slice slice(request_bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  Answer answer;
  std::mutex mutex;
  std::condition_variable done_signal;
  bool done = false;
  stub.UnaryCall(&context, absl::StrCat("/", method->service()->full_name(), "/", method->name()),
                 grpc::StubOptions(), &request, &response, [&](grpc::Status status) {
                   std::lock_guard<std::mutex> lock(mutex);
                   answer.status = std::move(status);
                   done = true;
                   done_signal.notify_one();
                 });
  std::unique_lock<std::mutex> lock(mutex);
  done_signal.wait(lock, [&] { return done; });
  if (answer.status.ok()) {
    std::vector<grpc::Slice> slices;
    if (response.Dump(&slices).ok()) {
      for (const grpc::Slice& part : slices) {
        answer.bytes.append(reinterpret_cast<const char*>(part.begin()), part.size());
      }
    }
  }
  return answer;
}

bool IsClientError(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::OUT_OF_RANGE:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
    case grpc::StatusCode::ABORTED:
      return true;
    default:
      return false;
  }
}

// The figures of one part, and the first few findings to print.
struct Tally {
  int tried = 0;
  int ok = 0;
  int client_errors = 0;
  int grpc_refused = 0;  // unparsable bytes refused by gRPC before ttads's code
  int accepted_wrongly = 0;
  int server_errors = 0;
  std::vector<std::string> findings;
  std::map<std::string, int> codes;

  void Finding(const std::string& text) {
    if (findings.size() < 60) findings.push_back(text);
  }
  void Print(const std::string& part) const {
    std::string by_code;
    for (const auto& [code, count] : codes) absl::StrAppend(&by_code, " ", code, "=", count);
    std::printf(
        "hostile input, %s: %d requests tried, accepted wrongly %d (target 0), server errors %d "
        "(target 0); answered OK %d, client errors %d, refused by gRPC before ttads %d;%s\n",
        part.c_str(), tried, accepted_wrongly, server_errors, ok, client_errors, grpc_refused,
        by_code.c_str());
    for (const std::string& finding : findings) std::printf("  finding: %s\n", finding.c_str());
    std::fflush(stdout);
  }
};

const char* CodeName(grpc::StatusCode code) {
  static const char* const kNames[] = {
      "OK",       "CANCELLED",          "UNKNOWN",      "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
      "NOT_FOUND", "ALREADY_EXISTS",    "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
      "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL",
      "UNAVAILABLE", "DATA_LOSS",       "UNAUTHENTICATED"};
  const int index = static_cast<int>(code);
  return index >= 0 && index <= 16 ? kNames[index] : "?";
}

std::string Text(const Json& value) { return value.is_string() ? value.get<std::string>() : ""; }

// The lines of two snapshots that differ (empty: the same).
std::string Changes(const std::string& before, const std::string& after) {
  const std::vector<std::string> old_lines = absl::StrSplit(before, '\n');
  const std::vector<std::string> new_lines = absl::StrSplit(after, '\n');
  std::string changes;
  for (std::size_t i = 0; i < std::max(old_lines.size(), new_lines.size()); ++i) {
    const std::string was = i < old_lines.size() ? old_lines[i] : "";
    const std::string is = i < new_lines.size() ? new_lines[i] : "";
    if (was != is) {
      absl::StrAppend(&changes, "\n  was: ", was.substr(0, 600), "\n  now: ", is.substr(0, 600));
    }
  }
  return changes;
}

// ---- the fixture ----------------------------------------------------------------------------

class HostileInputTest : public ServerSandboxTest {
 protected:
  void ConfigureServer(server::ServerConfig& config) override {
    // Thousands of calls: ttads's own TikTok pacing must not be what the suite measures.
    config.tiktok_app_qps = 100000;
    config.tiktok_advertiser_qps = 100000;
    config.tiktok_retry_deadline_ms = 1000;
    config.oauth_state_ttl_seconds = 60;
    config.secret_key = kSecretKeyHex;
  }

  void SetUp() override {
    ServerSandboxTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    sandbox::SandboxConfig relaxed = sandbox_.config();
    relaxed.app_qps = 0;
    relaxed.endpoint_qps.clear();
    sandbox_.set_config(relaxed);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                   grpc::InsecureChannelCredentials());
    ASSERT_NO_FATAL_FAILURE(MakeTenant("a", "7400000000000000001", "7800000000000000001",
                                       "7900000000000000001", "7500000000000000001",
                                       "7700000000000000001", a_));
    ASSERT_NO_FATAL_FAILURE(MakeTenant("b", "7400000000000000002", "7800000000000000002",
                                       "7900000000000000002", "7500000000000000002", "", b_));
  }

  // Calls as the operator with JSON; fails the test unless OK.
  Json Admin(const std::string& method, const Json& request) {
    absl::StatusOr<std::string> answer = Client(kAdmin).CallJson(method, request.dump());
    EXPECT_TRUE(answer.ok()) << method << ": " << answer.status();
    return answer.ok() ? Json::parse(*answer) : Json();
  }
  Json As(const std::string& token, const std::string& method, const Json& request) {
    absl::StatusOr<std::string> answer = Client(token).CallJson(method, request.dump());
    EXPECT_TRUE(answer.ok()) << method << ": " << answer.status();
    return answer.ok() ? Json::parse(*answer) : Json();
  }

  // A user with an ad account connected by OAuth to `advertiser`, a TikTok direction with a
  // linked ad group, a creative, an API key and an action execution.
  void MakeTenant(const std::string& name, const std::string& advertiser,
                  const std::string& campaign, const std::string& adgroup,
                  const std::string& identity, const std::string& page, Tenant& tenant) {
    tenant.marker = absl::StrCat("tenant-", name, "-marker-", absl::ToUnixMicros(absl::Now()));
    tenant.advertiser = advertiser;
    tenant.campaign = campaign;
    tenant.adgroup = adgroup;
    tenant.identity = identity;
    tenant.page = page;
    tenant.user = Text(Admin("AdminService/CreateUserAccount",
                             {{"username", tenant.marker}, {"multi_account_enabled", true}})
                           ["user_account"]["id"]);
    tenant.jwt = JwtFor(tenant.user);
    tenant.ad_account = Text(As(tenant.jwt, "AccountService/CreateAdAccount",
                                {{"name", tenant.marker}})["account"]["account_id"]);
    ASSERT_FALSE(tenant.ad_account.empty());
    ASSERT_NO_FATAL_FAILURE(ConnectTo(tenant));
    tenant.direction = Text(
        As(tenant.jwt, "DirectionService/CreateDirection",
           {{"account_id", tenant.ad_account},
            {"name", tenant.marker},
            {"platform", "tiktok"},
            {"tiktok_objective", "traffic"},
            {"ad_settings",
             {{"site_url", "https://example.com/clinic"}, {"cities", Json::array({"1522867"})}}}})
            ["direction"]["id"]);
    ASSERT_FALSE(tenant.direction.empty());
    tenant.creative = Text(As(tenant.jwt, "CreativeService/CreateCreative",
                         {{"account_id", tenant.ad_account},
                          {"direction_id", tenant.direction},
                          {"title", tenant.marker},
                          {"media_url", media_.Url(name + ".mp4")},
                          {"thumbnail_url", media_.Url(name + ".png")},
                          {"media_type", "video"},
                          {"status", "ready"}})["creative"]["id"]);
    ASSERT_FALSE(tenant.creative.empty());
    tenant.adgroup_link = Text(As(tenant.jwt, "DirectionService/AddDirectionAdGroup",
                             {{"direction_id", tenant.direction},
                              {"tiktok_adgroup_id", adgroup},
                              {"adgroup_name", tenant.marker},
                              {"status", "DISABLE"}})["adgroup"]["id"]);
    ASSERT_FALSE(tenant.adgroup_link.empty());
    const Json key = Admin("AdminService/CreateApiKey",
                           {{"user_account_id", tenant.user}, {"name", tenant.marker}});
    tenant.api_key = Text(key["secret"]);
    tenant.api_key_id = Text(key["api_key"]["id"]);
    tenant.execution = Text(
        As(tenant.jwt, "ActionService/Dispatch",
           {{"account", {{"account_id", tenant.ad_account}}},
            {"idempotency_key", "setup-" + name},
            {"actions",
             {{{"type", "TikTok.GetCampaignStatus"}, {"params", {{"campaign_id", campaign}}}}}}})
            ["executionId"]);
    ASSERT_FALSE(tenant.execution.empty());
    tenant.brain_execution = Text(As(tenant.jwt, "BrainService/RunTikTok",
                                     {{"account_id", tenant.ad_account},
                                      {"idempotency_key", "setup-brain-" + name}})["executionId"]);
    ASSERT_FALSE(tenant.brain_execution.empty());
    // A paused dispatch with the marker in its reason: another tenant must never read it.
    As(tenant.jwt, "BrainService/SetDispatchPause",
       {{"account_id", tenant.ad_account}, {"paused", true}, {"reason", tenant.marker}});
  }

  void ConnectTo(const Tenant& tenant) {
    const Json state =
        As(tenant.jwt, "AccountService/IssueOAuthState", {{"ad_account_id", tenant.ad_account}});
    absl::StatusOr<std::string> code = sandbox_.IssueAuthCode(kSandboxAppId, {tenant.advertiser});
    ASSERT_TRUE(code.ok());
    const Json exchanged = As(tenant.jwt, "AccountService/ExchangeOAuthCode",
                              {{"auth_code", *code},
                               {"state", state["state"]},
                               {"advertiser_id", tenant.advertiser}});
    ASSERT_EQ(exchanged.value("success", false), true) << exchanged.dump();
  }

  // Reconnects a tenant a hostile call disconnected (DisconnectAccount with its own ids is
  // legitimate), so the later methods still reach TikTok.
  void KeepConnected(const Tenant& tenant) {
    absl::StatusOr<std::string> read =
        Client(kAdmin).CallJson("AccountService/GetAccount",
                                Json{{"user_account_id", tenant.user},
                                     {"account_id", tenant.ad_account}}.dump());
    if (!read.ok()) {
      ADD_FAILURE() << "the operator cannot read the tenant's account: " << read.status();
      return;
    }
    const Json account = Json::parse(*read);
    if (!account.value("tiktok_connected", false) || account.value("needs_reauth", false)) {
      ConnectTo(tenant);
    }
  }

  // What the operator reads of a tenant, and the tenant's objects at the sandbox: equal before
  // and after another tenant's attempts means nothing of it changed.
  std::string Snapshot(const Tenant& tenant) {
    const std::vector<std::pair<std::string, Json>> reads = {
        {"AdminService/GetUserAccount", {{"user_account_id", tenant.user}}},
        {"AccountService/ListAccounts", {{"user_account_id", tenant.user}}},
        {"DirectionService/ListDirections", {{"user_account_id", tenant.user}}},
        {"DirectionService/GetDirectionAdSettings", {{"direction_id", tenant.direction}}},
        {"DirectionService/ListDirectionAdGroups", {{"direction_id", tenant.direction}}},
        {"CreativeService/ListCreatives", {{"user_account_id", tenant.user}}},
        {"AdminService/ListApiKeys", {{"user_account_id", tenant.user}, {"include_revoked", true}}},
        {"BrainService/GetDispatchPause",
         {{"user_account_id", tenant.user}, {"account_id", tenant.ad_account}}},
        {"ActionService/ListExecutions", {{"user_account_id", tenant.user}}},
        {"BrainService/ListExecutions", {{"user_account_id", tenant.user}}},
        {"AuditService/ListOperations", {{"user_account_id", tenant.user}}}};
    std::string snapshot;
    for (const auto& [method, request] : reads) {
      Json answer = Admin(method, request);
      // The API key's last use changes with the tenant's own legitimate calls.
      if (answer.contains("api_keys")) {
        for (Json& key : answer["api_keys"]) key.erase("last_used_at");
      }
      absl::StrAppend(&snapshot, method, " ", answer.dump(), "\n");
    }
    httplib::Client tiktok("127.0.0.1", sandbox_.port());
    for (const char* endpoint : {"campaign/get/", "adgroup/get/", "ad/get/"}) {
      const std::string url = absl::StrCat("/open_api/v1.3/", endpoint,
                                           "?page_size=1000&advertiser_id=", tenant.advertiser);
      auto answer = tiktok.Get(url.c_str(), {{"Access-Token", "sandbox-demo-access-token"}});
      Json body = answer ? Json::parse(answer->body, nullptr, false) : Json();
      if (body.is_object()) body.erase("request_id");  // new on every answer
      absl::StrAppend(&snapshot, endpoint, " ", body.dump(), "\n");
    }
    return snapshot;
  }

  // TikTok API requests the sandbox logged (the control API is not logged).
  std::size_t SandboxRequests() { return sandbox_.RequestLog().size(); }
  // Logged changes (POSTs) that name `advertiser`, from the `from`th entry on.
  int PostsNaming(const std::string& advertiser, std::size_t from) {
    const std::vector<sandbox::RequestLogEntry> log = sandbox_.RequestLog();
    int count = 0;
    for (std::size_t i = from; i < log.size(); ++i) {
      if (log[i].method == "POST" && log[i].body.dump().find(advertiser) != std::string::npos) {
        ++count;
      }
    }
    return count;
  }

  // One request: classify the answer into `tally`. `must_refuse` names why an OK would be a
  // wrong acceptance (empty: an OK is fine). `victim` is a tenant whose marker or user id must
  // not appear in an OK answer.
  grpc::Status Try(Tally& tally, const MethodDescriptor* method, const std::string& credential,
                   const std::string& who, const std::string& variant, const std::string& bytes,
                   bool unparsable, const std::string& must_refuse,
                   const Tenant* victim = nullptr) {
    const Answer answer =
        RawCall(channel_, method, credential.empty() ? "" : "Bearer " + credential, bytes);
    ++tally.tried;
    const grpc::StatusCode code = answer.status.error_code();
    ++tally.codes[CodeName(code)];
    const std::string where =
        absl::StrCat(method->full_name(), " as ", who, " [", variant, "]: ", CodeName(code), " ",
                     answer.status.error_message().substr(0, 300));
    if (answer.status.ok()) {
      ++tally.ok;
      std::string leak;
      if (victim != nullptr && answer.bytes.find(victim->marker) != std::string::npos) {
        leak = "the answer holds the other tenant's data";
      } else if (victim != nullptr && bytes.find(victim->user) == std::string::npos &&
                 answer.bytes.find(victim->user) != std::string::npos) {
        leak = "the answer names the other tenant's user account";
      }
      if (!must_refuse.empty() || !leak.empty()) {
        ++tally.accepted_wrongly;
        DynamicMessageFactory factory;
        std::unique_ptr<Message> response(factory.GetPrototype(method->output_type())->New());
        response->ParseFromString(answer.bytes);
        tally.Finding(absl::StrCat("ACCEPTED WRONGLY (", must_refuse.empty() ? leak : must_refuse,
                                   ") ", where,
                                   client::ToJson(*response, /*pretty=*/false).substr(0, 400)));
      }
    } else if (absl::StrContains(answer.status.error_message(), "metadata size exceeds")) {
      // The server's answer (an error's message and details travel in headers) was larger than
      // a gRPC client accepts: the caller never learns what was wrong.
      ++tally.server_errors;
      tally.Finding(absl::StrCat("ERROR TOO LARGE FOR THE CLIENT ", where));
    } else if (IsClientError(code)) {
      ++tally.client_errors;
      if (answer.status.error_message().empty()) {
        ++tally.server_errors;  // a client error must say what is wrong
        tally.Finding(absl::StrCat("CLIENT ERROR WITHOUT A MESSAGE ", where));
      }
    } else if (code == grpc::StatusCode::INTERNAL && unparsable &&
               answer.status.error_message().empty()) {
      // gRPC's own deserialisation failed (invalid UTF-8 in a proto3 string, broken bytes): the
      // handler never ran.
      ++tally.grpc_refused;
    } else {
      ++tally.server_errors;
      tally.Finding(absl::StrCat("SERVER ERROR ", where));
    }
    return answer.status;
  }

  std::shared_ptr<grpc::Channel> channel_;
  MediaServer media_;
  Tenant a_, b_;
  int key_counter_ = 0;
};

// The request bytes of `method` with `tenant`'s ids (nullptr: no ids) in `mode`.
std::string Build(DynamicMessageFactory& factory, const MethodDescriptor* method,
                  const Tenant* tenant, Mode mode, int* key_counter,
                  const std::function<void(Message&)>& mutate = nullptr) {
  std::unique_ptr<Message> request(factory.GetPrototype(method->input_type())->New());
  FillContext context;
  context.ids = tenant;
  context.mode = mode;
  context.key_counter = key_counter;
  Fill(*request, context);
  if (mutate) mutate(*request);
  return request->SerializeAsString();
}

// The number of wanted request fields a method has (whether "other tenant" differs from empty).
bool NamesIds(const MethodDescriptor* method, const Tenant& tenant) {
  DynamicMessageFactory factory;
  int counter = 0;
  return Build(factory, method, &tenant, Mode::kBase, &counter) !=
         Build(factory, method, nullptr, Mode::kBase, &counter);
}

// ---- Part 1a: credentials -------------------------------------------------------------------

TEST_P(HostileInputTest, EveryRpcRefusesMissingForgedExpiredAndRevokedCredentials) {
  const std::vector<const MethodDescriptor*> methods = AllMethods();
  ASSERT_GE(methods.size(), 58u);
  // A revoked API key of tenant A.
  const Json key = Admin("AdminService/CreateApiKey", {{"user_account_id", a_.user}, {"name", "r"}});
  const std::string revoked = Text(key["secret"]);
  Admin("AdminService/RevokeApiKey", {{"api_key_id", key["api_key"]["id"]}});
  const absl::Time now = absl::Now();
  const auto jwt_with = [](const std::string& header, const std::string& payload,
                           const std::string& secret) {
    const std::string signing_input = absl::StrCat(absl::WebSafeBase64Escape(header), ".",
                                                   absl::WebSafeBase64Escape(payload));
    return absl::StrCat(signing_input, ".",
                        absl::WebSafeBase64Escape(server::HmacSha256(secret, signing_input)));
  };
  const std::string header = R"({"alg":"HS256","typ":"JWT"})";
  const std::string exp = absl::StrCat(absl::ToUnixSeconds(now + absl::Hours(1)));
  const std::string valid_a = JwtFor(a_.user);
  std::string tampered = valid_a;  // A's signature over B's claims
  {
    const std::size_t first = tampered.find('.');
    const std::size_t second = tampered.find('.', first + 1);
    tampered.replace(first + 1, second - first - 1,
                     absl::WebSafeBase64Escape(absl::StrCat(R"({"userId":")", b_.user,
                                                            R"(","exp":)", exp, "}")));
  }
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"no credential", ""},
      {"empty bearer", " "},
      {"forged JWT (wrong secret)",
       server::SignJwt({a_.user, now + absl::Hours(1)}, "not-the-secret", now)},
      {"expired JWT", server::SignJwt({a_.user, now - absl::Hours(1)}, kJwtSecret,
                                      now - absl::Hours(2))},
      {"JWT not yet valid",
       jwt_with(header,
                absl::StrCat(R"({"userId":")", a_.user, R"(","exp":)", exp,
                             R"(,"nbf":)", absl::ToUnixSeconds(now + absl::Hours(1)), "}"),
                kJwtSecret)},
      {"alg none JWT",
       absl::StrCat(absl::WebSafeBase64Escape(R"({"alg":"none","typ":"JWT"})"), ".",
                    absl::WebSafeBase64Escape(
                        absl::StrCat(R"({"userId":")", a_.user, R"(","exp":)", exp, "}")),
                    ".")},
      {"tampered JWT (B's claims, A's signature)", tampered},
      {"JWT of a user that does not exist",
       server::SignJwt({"6f1c1a52-3b0e-4c8e-9d43-5f0a0e2b9aff", now + absl::Hours(1)}, kJwtSecret,
                       now)},
      {"JWT with a hostile userId",
       jwt_with(header, absl::StrCat(R"({"userId":"x' OR '1'='1","exp":)", exp, "}"),
                kJwtSecret)},
      {"JWT with a numeric userId",
       jwt_with(header, absl::StrCat(R"({"userId":12345,"exp":)", exp, "}"), kJwtSecret)},
      {"JWT with a string exp",
       jwt_with(header, absl::StrCat(R"({"userId":")", a_.user, R"(","exp":"never"})"),
                kJwtSecret)},
      {"JWT that is not JSON", jwt_with(header, "\xff\xfe not json", kJwtSecret)},
      // 4 KB: gRPC's 8 KB metadata limit refuses larger ones before ttads sees them.
      {"JWT with a 4 KB userId",
       jwt_with(header,
                absl::StrCat(R"({"userId":")", std::string(4 * 1024, 'u'), R"(","exp":)", exp,
                             "}"),
                kJwtSecret)},
      {"revoked API key", revoked},
      {"unknown API key", absl::StrCat("ttads_", std::string(48, 'a'))},
      {"operator token with a suffix", absl::StrCat(kAdmin, "x")},
      // Printable only: gRPC's client refuses control characters in metadata itself.
      {"garbage", "not a token !@#$%^&*() ' OR 1=1 --"}};

  const std::string before_a = Snapshot(a_);
  const std::string before_b = Snapshot(b_);
  const std::size_t sandbox_before = SandboxRequests();
  Tally tally;
  DynamicMessageFactory factory;
  for (const MethodDescriptor* method : methods) {
    const std::vector<std::pair<std::string, std::string>> requests = {
        {"empty", ""},
        {"base", Build(factory, method, &a_, Mode::kBase, &key_counter_)},
        {"other tenant", Build(factory, method, &b_, Mode::kBase, &key_counter_)}};
    for (const auto& [credential_name, credential] : refused) {
      for (const auto& [variant, bytes] : requests) {
        const grpc::Status status =
            Try(tally, method, credential, credential_name, variant, bytes, false,
                "a credential that must be refused", &b_);
        if (!status.ok() && status.error_code() != grpc::StatusCode::UNAUTHENTICATED) {
          tally.Finding(absl::StrCat("not UNAUTHENTICATED: ", method->full_name(), " as ",
                                     credential_name, ": ", CodeName(status.error_code())));
          ++tally.accepted_wrongly;
        }
      }
    }
  }
  // Nothing reached TikTok, nothing changed.
  const std::size_t reached = SandboxRequests() - sandbox_before;
  EXPECT_EQ(reached, 0u) << "refused callers reached TikTok";
  EXPECT_EQ(Changes(before_a, Snapshot(a_)), "");
  EXPECT_EQ(Changes(before_b, Snapshot(b_)), "");
  tally.Print(absl::StrCat("gRPC credentials (", methods.size(), " RPCs x ", refused.size(),
                           " refused credentials x 3 requests; ", reached,
                           " requests reached TikTok)"));
  EXPECT_EQ(tally.accepted_wrongly, 0);
  EXPECT_EQ(tally.server_errors, 0);
}

// ---- Part 1b: other tenants -----------------------------------------------------------------

TEST_P(HostileInputTest, NoRpcReadsOrChangesAnotherTenantsObjects) {
  const std::vector<const MethodDescriptor*> methods = AllMethods();
  Tally tally;
  DynamicMessageFactory factory;
  int ran = 0;
  // A (JWT and API key) naming B's objects, then B naming A's.
  for (const auto& [attacker, victim] : {std::pair<Tenant*, Tenant*>{&a_, &b_}, {&b_, &a_}}) {
    const std::size_t sandbox_from = SandboxRequests();
    for (const MethodDescriptor* method : methods) {
      if (!NamesIds(method, *victim)) continue;  // nothing to point at another tenant
      ++ran;
      const std::string before = Snapshot(*victim);
      for (const auto& [who, credential] :
           {std::pair<std::string, std::string>{"JWT", attacker->jwt}, {"API key", attacker->api_key}}) {
        // Every id the victim's: always refused.
        const std::string bytes = Build(factory, method, victim, Mode::kBase, &key_counter_);
        Try(tally, method, credential, absl::StrCat(attacker->marker, " ", who),
            "the other tenant's ids", bytes, false, "another tenant's objects", victim);
        // Each id of the victim alone, the caller's own everywhere else. A filter or an ignored
        // field may be answered OK, but never with the victim's data, and nothing of the victim
        // may change (checked below).
        std::vector<FieldPath> leaves;
        CollectLeaves(method->input_type(), {}, leaves);
        for (const FieldPath& path : leaves) {
          const FieldDescriptor* leaf = path.back();
          if (leaf->cpp_type() != FieldDescriptor::CPPTYPE_STRING) continue;
          const std::string name = path.size() > 1 && IsWrapper(leaf->containing_type())
                                       ? path[path.size() - 2]->name()
                                       : leaf->name();
          const std::string id = IdForField(*victim, leaf, name);
          if (id.empty() || id == IdForField(*attacker, leaf, name)) continue;
          const std::string one = Build(factory, method, attacker, Mode::kBase, &key_counter_,
                                        [&](Message& request) {
                                          Message* holder = Walk(request, path);
                                          const Reflection* r = holder->GetReflection();
                                          if (leaf->is_repeated()) {
                                            r->ClearField(holder, leaf);
                                            r->AddString(holder, leaf, id);
                                          } else {
                                            r->SetString(holder, leaf, id);
                                          }
                                        });
          Try(tally, method, credential, absl::StrCat(attacker->marker, " ", who),
              absl::StrCat("other tenant's ", PathName(path)), one, false, "", victim);
        }
      }
      if (const std::string changes = Changes(before, Snapshot(*victim)); !changes.empty()) {
        ++tally.accepted_wrongly;
        tally.Finding(absl::StrCat("CHANGED THE OTHER TENANT: ", method->full_name(), changes));
      }
    }
    EXPECT_EQ(PostsNaming(victim->advertiser, sandbox_from), 0)
        << "a change reached the other tenant's advertiser at TikTok";
    // The attacker's own records must not point at the victim's objects either.
    const std::string own = Snapshot(*attacker);
    for (const std::string& id : {victim->user, victim->ad_account, victim->direction,
                                  victim->creative, victim->adgroup_link, victim->api_key_id}) {
      if (own.find(id) != std::string::npos) {
        ++tally.accepted_wrongly;
        const std::size_t at = own.find(id);
        tally.Finding(absl::StrCat("THE ATTACKER'S RECORDS NAME THE VICTIM'S ", id, ": ...",
                                   own.substr(at > 300 ? at - 300 : 0, 600)));
      }
    }
    KeepConnected(*attacker);
  }
  tally.Print(absl::StrCat("gRPC other tenants (", ran, " RPC runs naming ids)"));
  EXPECT_EQ(tally.accepted_wrongly, 0);
  EXPECT_EQ(tally.server_errors, 0);
}

// ---- Part 1c: hostile payloads --------------------------------------------------------------

TEST_P(HostileInputTest, EveryRpcAnswersHostilePayloadsWithClientErrors) {
  const std::vector<const MethodDescriptor*> methods = AllMethods();
  const int rounds = Rounds();
  Tally tally;
  DynamicMessageFactory factory;
  std::mt19937 random(20240508);
  const std::string before_b = Snapshot(b_);
  int bases = 0;
  int bases_ok = 0;
  // Well-formed ids of nothing (a foreign key that points nowhere must not become an INTERNAL).
  Tenant ghost = a_;
  for (std::string* id : {&ghost.user, &ghost.ad_account, &ghost.direction, &ghost.creative,
                          &ghost.adgroup_link, &ghost.api_key_id, &ghost.execution,
                          &ghost.brain_execution}) {
    *id = "6f1c1a52-3b0e-4c8e-9d43-5f0a0e2b9aff";
  }
  ghost.advertiser = "7499999999999999999";
  ghost.campaign = "7899999999999999999";
  ghost.adgroup = "7999999999999999999";
  for (int round = 0; round < rounds; ++round) {
    for (const MethodDescriptor* method : methods) {
      std::vector<FieldPath> leaves;
      CollectLeaves(method->input_type(), {}, leaves);
      struct Caller {
        std::string name, credential;
      };
      const std::vector<Caller> callers = {{"A's JWT", a_.jwt}, {"operator", kAdmin}};
      for (const Caller& caller : callers) {
        const std::string refuse_user =
            OperatorOnly(method) && caller.credential != kAdmin ? "an operator-only RPC" : "";
        const auto run = [&](const std::string& variant, const std::string& bytes,
                             bool unparsable = false, const std::string& must_refuse = "") {
          // The operator may read every tenant; a user must never see B's data.
          Try(tally, method, caller.credential, caller.name, variant, bytes, unparsable,
              refuse_user.empty() ? must_refuse : refuse_user,
              caller.credential == kAdmin ? nullptr : &b_);
        };
        const std::string base = Build(factory, method, &a_, Mode::kBase, &key_counter_);
        run("empty", "");
        {
          // How deep the generated requests reach: a base the server accepts means the
          // variants below are refused for what they change, not for a missing field.
          const grpc::Status status = Try(tally, method, caller.credential, caller.name, "base",
                                          base, false, refuse_user,
                                          caller.credential == kAdmin ? nullptr : &b_);
          if (caller.credential != kAdmin) {
            ++bases;
            if (status.ok()) ++bases_ok;
            if (std::getenv("TTADS_HOSTILE_VERBOSE") != nullptr) {
              std::printf("  base %s: %s %s\n", method->full_name().c_str(),
                          CodeName(status.error_code()), status.error_message().substr(0, 200).c_str());
            }
          }
        }
        std::uniform_int_distribution<std::size_t> size(16 * 1024, 160 * 1024);
        run("every string huge",
            [&] {
              std::unique_ptr<Message> request(factory.GetPrototype(method->input_type())->New());
              FillContext context{&a_, Mode::kHugeAll, size(random), &key_counter_};
              Fill(*request, context);
              return request->SerializeAsString();
            }());
        run("ids that do not exist",
            Build(factory, method, &ghost, Mode::kBase, &key_counter_));
        run("every string hostile text",
            Build(factory, method, &a_, Mode::kInjection, &key_counter_));
        run("unknown fields", base + UnknownFields());
        run("wrong wire types", base + WrongWireTypes(method->input_type()));
        if (const std::string invalid = InvalidUtf8(method->input_type()); !invalid.empty()) {
          run("invalid UTF-8", base + invalid, true, "invalid UTF-8 in a proto3 string");
        }
        std::string garbage(64 + random() % 64, '\0');
        for (char& c : garbage) c = static_cast<char>(random());
        run("garbage bytes", garbage, true);
        run("truncated", base.empty() ? std::string("\x0a\x10" "abc", 5)
                                      : base.substr(0, base.size() - 1) + "\x0a\xff\xff\xff\x0f",
            true);
        run("above gRPC's 4 MB limit", base + LengthDelimited(4000, std::string(5 << 20, 'z')));
        for (const FieldPath& path : leaves) {
          const FieldDescriptor* leaf = path.back();
          const std::string name = PathName(path);
          if (leaf->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
            run(absl::StrCat("1 MB ", name),
                Build(factory, method, &a_, Mode::kBase, &key_counter_, [&](Message& request) {
                  Message* holder = Walk(request, path);
                  const std::string huge(1 << 20, 'H');
                  leaf->is_repeated() ? holder->GetReflection()->AddString(holder, leaf, huge)
                                      : holder->GetReflection()->SetString(holder, leaf, huge);
                }));
            run(absl::StrCat("NUL and control characters in ", name),
                Build(factory, method, &a_, Mode::kBase, &key_counter_, [&](Message& request) {
                  Message* holder = Walk(request, path);
                  const std::string text("a\0b\r\n\t\x1b[31m", 11);
                  leaf->is_repeated() ? holder->GetReflection()->AddString(holder, leaf, text)
                                      : holder->GetReflection()->SetString(holder, leaf, text);
                }));
          }
          if (IsNumeric(leaf)) {
            for (Number number :
                 {Number::kNegative, Number::kNaN, Number::kPosInf, Number::kNegInf,
                  Number::kHuge}) {
              if (!IsFloating(leaf) && (number == Number::kNaN || number == Number::kPosInf ||
                                        number == Number::kNegInf)) {
                continue;
              }
              // A budget, rate or size that is negative or not finite must be refused.
              const bool guarded = absl::StrContains(name, "budget") ||
                                   absl::StrContains(name, "cpl") ||
                                   absl::StrContains(name, "rate") ||
                                   absl::StrContains(name, "page_size");
              const bool bad = number != Number::kHuge;
              run(absl::StrCat(NumberName(number), " ", name),
                  Build(factory, method, &a_, Mode::kBase, &key_counter_,
                        [&](Message& request) { SetNumber(*Walk(request, path), leaf, number); }),
                  false, guarded && bad ? "a negative or non-finite budget/size" : "");
            }
          }
          if (leaf->is_repeated()) {
            run(absl::StrCat("10k elements in ", name),
                Build(factory, method, &a_, Mode::kBase, &key_counter_, [&](Message& request) {
                  Message* holder = Walk(request, path);
                  const Reflection* r = holder->GetReflection();
                  for (int i = 0; i < 10000; ++i) {
                    if (leaf->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
                      r->AddString(holder, leaf, i % 2 == 0 ? IdFor(a_, leaf->name())
                                                            : absl::StrCat("id-", i));
                    } else if (leaf->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
                      Message* element = r->AddMessage(holder, leaf);
                      FillContext context{&a_, Mode::kBase, 0, &key_counter_};
                      if (IsStruct(leaf->message_type())) continue;
                      Fill(*element, context, 1, leaf->name());
                    } else if (IsNumeric(leaf)) {
                      SetNumber(*holder, leaf, Number::kHuge);
                    }
                  }
                }));
          }
          if (leaf->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
              IsStruct(leaf->message_type())) {
            for (const HostileStruct& hostile : HostileStructs(leaf, a_)) {
              run(absl::StrCat(hostile.name, " in ", name),
                  Build(factory, method, &a_, Mode::kBase, &key_counter_, [&](Message& request) {
                    Message* holder = Walk(request, path);
                    Message* target = leaf->is_repeated()
                                          ? (holder->GetReflection()->FieldSize(*holder, leaf) > 0
                                                 ? holder->GetReflection()->MutableRepeatedMessage(
                                                       holder, leaf, 0)
                                                 : holder->GetReflection()->AddMessage(holder, leaf))
                                          : holder->GetReflection()->MutableMessage(holder, leaf);
                    target->ParseFromString(hostile.value.SerializeAsString());
                  }),
                  /*unparsable=*/absl::StrContains(hostile.name, "60 levels"),
                  hostile.must_refuse ? "a negative or non-finite budget/size" : "");
            }
          }
        }
        KeepConnected(a_);
      }
    }
  }
  EXPECT_EQ(Changes(before_b, Snapshot(b_)), "") << "A's hostile calls changed B";
  tally.Print(absl::StrCat("gRPC payloads (", methods.size(), " RPCs, ", rounds,
                           " round(s), as A's JWT and the operator; ", bases_ok, " of ", bases,
                           " generated base requests accepted)"));
  EXPECT_EQ(tally.accepted_wrongly, 0);
  EXPECT_EQ(tally.server_errors, 0);
}

// ---- Part 3: OAuth states -------------------------------------------------------------------

TEST_P(HostileInputTest, OAuthStatesReplayedExpiredForeignOrTamperedAreRefused) {
  Tally tally;
  const absl::StatusOr<server::SecretBox> box = server::SecretBox::FromKeyText(kSecretKeyHex);
  ASSERT_TRUE(box.ok());
  const server::OAuthStateSigner signer(box->DeriveKey("oauth-state"));
  const server::OAuthStateSigner wrong_key(std::string(32, 'w'));
  const MethodDescriptor* exchange = *client::RpcClient::FindMethod("AccountService/ExchangeOAuthCode");
  const auto state_for = [&](const Tenant& tenant) {
    return As(tenant.jwt, "AccountService/IssueOAuthState",
              {{"ad_account_id", tenant.ad_account}})["state"].get<std::string>();
  };
  const auto exchange_bytes = [&](const std::string& state, const std::string& advertiser) {
    absl::StatusOr<std::string> code = sandbox_.IssueAuthCode(kSandboxAppId, {advertiser});
    EXPECT_TRUE(code.ok());
    v1::ExchangeOAuthCodeRequest request;
    request.set_auth_code(code.ok() ? *code : "");
    request.set_state(state);
    request.set_advertiser_id(advertiser);
    request.set_idempotency_key(absl::StrCat("oauth-", ++key_counter_));
    return request.SerializeAsString();
  };
  const auto token_requests = [&] { return sandbox_.RequestLog("oauth2/access_token/").size(); };

  // A first exchange works; the same state again (a fresh code for another advertiser) is
  // refused and A stays connected to its own advertiser.
  const std::string used = state_for(a_);
  ASSERT_TRUE(Try(tally, exchange, a_.jwt, "A", "first use", exchange_bytes(used, a_.advertiser),
                  false, "")
                  .ok());
  const std::string before_a = Snapshot(a_);
  const std::string before_b = Snapshot(b_);
  Try(tally, exchange, a_.jwt, "A", "replayed state", exchange_bytes(used, b_.advertiser), false,
      "a replayed state");

  const std::size_t tokens_before = token_requests();
  const absl::Time now = absl::Now();
  const std::string fresh_b = state_for(b_);
  std::string tampered_signature = fresh_b;
  tampered_signature.back() = tampered_signature.back() == 'A' ? 'B' : 'A';
  // B's payload under A's signature.
  const std::string fresh_a = state_for(a_);
  const std::string spliced =
      fresh_b.substr(0, fresh_b.find('.')) + fresh_a.substr(fresh_a.find('.'));
  const std::vector<std::pair<std::string, std::string>> states = {
      {"expired state",
       signer.Issue(a_.user, a_.ad_account, now - absl::Hours(2), absl::Hours(1))},
      {"state that expired a second ago",
       signer.Issue(a_.user, a_.ad_account, now - absl::Seconds(61), absl::Seconds(60))},
      {"another user's state", fresh_b},
      {"another user's state, signed by ttads for B's account",
       signer.Issue(b_.user, b_.ad_account, now, absl::Minutes(5))},
      {"A's user with B's ad account", signer.Issue(a_.user, b_.ad_account, now, absl::Minutes(5))},
      {"tampered signature", tampered_signature},
      {"B's payload with A's signature", spliced},
      {"signed with another key", wrong_key.Issue(a_.user, a_.ad_account, now, absl::Minutes(5))},
      {"unsigned legacy state naming B",
       absl::Base64Escape(absl::StrCat(R"({"user_id":")", b_.user, R"(","ad_account_id":")",
                                       b_.ad_account, R"("})"))},
      {"unsigned legacy state naming A with B's ad account",
       absl::Base64Escape(absl::StrCat(R"({"user_id":")", a_.user, R"(","ad_account_id":")",
                                       b_.ad_account, R"("})"))},
      {"not a state", "\x01\x02garbage.state"},
      {"a 64 KB state", std::string(64 * 1024, 's')},
      {"dots only", "...."},
      {"JSON in base64 with hostile fields",
       absl::Base64Escape(R"({"user_id":{"$ne":null},"ad_account_id":[1,2],"ts":"NaN"})")}};
  for (const auto& [name, state] : states) {
    Try(tally, exchange, a_.jwt, "A", name, exchange_bytes(state, a_.advertiser), false,
        "a state that must be refused");
  }
  // The operator cannot use an unsigned state either.
  Try(tally, exchange, kAdmin, "operator", "unsigned legacy state",
      exchange_bytes(states[8].second, b_.advertiser), false, "an unsigned state from the operator");
  EXPECT_EQ(token_requests(), tokens_before) << "a refused state reached TikTok's token exchange";
  EXPECT_EQ(Changes(before_a, Snapshot(a_)), "") << "a refused state changed A's connection";
  EXPECT_EQ(Changes(before_b, Snapshot(b_)), "") << "a refused state changed B's connection";
  tally.Print("OAuth states");
  EXPECT_EQ(tally.accepted_wrongly, 0);
  EXPECT_EQ(tally.server_errors, 0);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, HostileInputTest, ::testing::Values(TestBackend::kSqlite),
                         BackendName);

// ---- Part 2: REST through the gateway -------------------------------------------------------

struct Route {
  std::string verb, path, body;  // body: "*", a field name, or "" (none)
  const MethodDescriptor* method;
};

std::vector<Route> RestRoutes() {
  std::vector<Route> routes;
  for (const MethodDescriptor* method : AllMethods()) {
    const google::api::HttpRule& rule = method->options().GetExtension(google::api::http);
    std::vector<const google::api::HttpRule*> rules = {&rule};
    for (const auto& extra : rule.additional_bindings()) rules.push_back(&extra);
    for (const google::api::HttpRule* binding : rules) {
      Route route{"", "", binding->body(), method};
      if (!binding->get().empty()) route = {"GET", binding->get(), binding->body(), method};
      if (!binding->post().empty()) route = {"POST", binding->post(), binding->body(), method};
      if (!binding->patch().empty()) route = {"PATCH", binding->patch(), binding->body(), method};
      if (!binding->delete_().empty()) {
        route = {"DELETE", binding->delete_(), binding->body(), method};
      }
      if (!binding->put().empty()) route = {"PUT", binding->put(), binding->body(), method};
      if (!route.verb.empty()) routes.push_back(route);
    }
  }
  return routes;
}

// The route's path with each {field} replaced.
std::string Expand(std::string path, const std::string& value) {
  for (std::size_t open = path.find('{'); open != std::string::npos; open = path.find('{')) {
    path.replace(open, path.find('}', open) - open + 1, value);
  }
  return path;
}

// A request that announces a `length`-byte JSON body above the gateway's limit. Only the
// headers go first: the gateway answers 413 on the Content-Length alone and closes, so a client
// that wrote the whole body would fail on the closed socket before reading the answer. The body
// follows only when no answer came. Returns the status (0: none) and the body.
std::pair<int, std::string> SendOversized(int port, const std::string& verb,
                                          const std::string& path, const std::string& token,
                                          std::size_t length) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return {0, ""};
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string answer;
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0) {
    const std::string head = absl::StrCat(
        verb, " ", path, " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n",
        token.empty() ? "" : absl::StrCat("Authorization: Bearer ", token, "\r\n"),
        "Content-Length: ", length, "\r\nConnection: close\r\n\r\n");
    (void)send(fd, head.data(), head.size(), MSG_NOSIGNAL);
    pollfd readable{fd, POLLIN, 0};
    if (poll(&readable, 1, 2000) <= 0) {
      const std::string chunk(64 * 1024, 'x');
      for (std::size_t sent = 0; sent < length; sent += chunk.size()) {
        if (send(fd, chunk.data(), std::min(chunk.size(), length - sent), MSG_NOSIGNAL) < 0) break;
      }
    }
    char buffer[4096];
    for (ssize_t got; (got = recv(fd, buffer, sizeof(buffer), 0)) > 0;) answer.append(buffer, got);
  }
  close(fd);
  int status = 0;
  if (answer.rfind("HTTP/1.1 ", 0) == 0) status = std::atoi(answer.c_str() + 9);
  const std::size_t body = answer.find("\r\n\r\n");
  return {status, body == std::string::npos ? "" : answer.substr(body + 4)};
}

TEST(HostileRestTest, EveryRestRouteAnswersBrokenBodiesWith4xxAndAJsonError) {
  // A peer that closes while a request is still being written must not kill the test.
  signal(SIGPIPE, SIG_IGN);
  E2eStack stack;
  ASSERT_NO_FATAL_FAILURE(stack.Start());
  const std::vector<Route> routes = RestRoutes();
  ASSERT_GT(routes.size(), 50u);
  auto [created_status, created] = stack.SendJson("POST", "/api/v1/admin/user-accounts",
                                                  E2eStack::kAdminToken,
                                                  {{"username", "hostile-rest"}});
  ASSERT_EQ(created_status, 200) << created.dump();
  const std::string user = Text(created["user_account"]["id"]);
  const std::string jwt =
      server::SignJwt({user, absl::Now() + absl::Hours(1)}, E2eStack::kJwtSecret, absl::Now());
  const std::string forged =
      server::SignJwt({user, absl::Now() + absl::Hours(1)}, "not-the-secret", absl::Now());
  Tally tally;
  httplib::Client http("127.0.0.1", stack.http_port());
  http.set_read_timeout(30, 0);
  const auto send = [&](const Route& route, const std::string& path, const std::string& token,
                        const std::string& body, const std::string& what, bool must_refuse,
                        std::size_t oversized = 0) {
    int status = 0;
    std::string text;
    if (oversized > 0) {
      std::tie(status, text) = SendOversized(stack.http_port(), route.verb, path, token, oversized);
    } else {
      httplib::Headers headers;
      if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
      httplib::Result answer =
          route.verb == "GET"      ? http.Get(path.c_str(), headers)
          : route.verb == "PATCH"  ? http.Patch(path.c_str(), headers, body, "application/json")
          : route.verb == "DELETE" ? http.Delete(path.c_str(), headers, body, "application/json")
          : route.verb == "PUT"    ? http.Put(path.c_str(), headers, body, "application/json")
                                   : http.Post(path.c_str(), headers, body, "application/json");
      status = answer ? answer->status : 0;
      text = answer ? answer->body : "";
    }
    ++tally.tried;
    ++tally.codes[absl::StrCat(status)];
    const std::string where = absl::StrCat(route.verb, " ", route.path, " [", what, "]: ", status,
                                           " ", text.substr(0, 200));
    if (status >= 200 && status < 300) {
      ++tally.ok;
      if (must_refuse) {
        ++tally.accepted_wrongly;
        tally.Finding("ACCEPTED WRONGLY " + where);
      }
    } else if (status >= 400 && status < 500) {
      ++tally.client_errors;
      const Json error = Json::parse(text, nullptr, false);
      if (status != 404 && (!error.is_object() || error.value("message", "").empty())) {
        ++tally.server_errors;  // a 4xx must say why, as JSON
        tally.Finding("4xx WITHOUT A JSON MESSAGE " + where);
      }
    } else {
      ++tally.server_errors;
      tally.Finding("SERVER ERROR " + where);
    }
  };

  const std::string uuid = "6f1c1a52-3b0e-4c8e-9d43-5f0a0e2b9aff";
  for (const Route& route : routes) {
    const std::string path = Expand(route.path, uuid);
    // Credentials: none and forged are 401 on every route.
    send(route, path, "", route.verb == "GET" ? "" : "{}", "no credential", true);
    send(route, path, forged, route.verb == "GET" ? "" : "{}", "forged JWT", true);
    const std::string token = OperatorOnly(route.method) ? E2eStack::kAdminToken : jwt;
    if (route.path.find('{') != std::string::npos) {
      // Path parameters that are not UTF-8, not an id, or huge.
      for (const auto& [what, value] : std::vector<std::pair<std::string, std::string>>{
               {"invalid UTF-8 in the path", "%FF%FE%C0%80"},
               {"SQL in the path", "x'%20OR%20'1'='1"},
               {"16 KB in the path", std::string(16 * 1024, 'p')}}) {
        send(route, Expand(route.path, value), token, route.verb == "GET" ? "" : "{}", what, false);
      }
    }
    if (route.verb == "GET" || route.body.empty()) {
      // Query parameters of the wrong type, huge and with bytes that are not UTF-8.
      const Descriptor* input = route.method->input_type();
      for (int i = 0; i < input->field_count(); ++i) {
        const FieldDescriptor* field = input->field(i);
        if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) continue;
        const std::string separator = path.find('?') == std::string::npos ? "?" : "&";
        for (const auto& [what, value] : std::vector<std::pair<std::string, std::string>>{
                 {"word", "not-a-number"},
                 {"NaN", "NaN"},
                 {"overflow", "99999999999999999999999"},
                 {"negative", "-1"},
                 {"invalid UTF-8", "%FF%FE%C0%80"},
                 {"32 KB", std::string(32 * 1024, 'q')}}) {
          send(route, absl::StrCat(path, separator, field->name(), "=", value), token, "",
               absl::StrCat("query ", field->name(), " ", what),
               absl::StrContains(field->name(), "page_size") && what == "negative");
        }
      }
      continue;
    }
    // Bodies.
    const std::vector<std::pair<std::string, std::string>> bodies = {
        {"truncated JSON", R"({"name": "x)"},
        {"not JSON", "this is not json"},
        {"JSON array", "[1,2,3]"},
        {"JSON string", R"("just a string")"},
        {"JSON null", "null"},
        {"NUL bytes", std::string("{\"a\0\":1}", 8)},
        {"invalid UTF-8", "{\"name\":\"\xff\xfe\xc0\x80\"}"},
        {"extra field", R"({"no_such_field_at_all": {"deep": [1, 2, 3]}})"},
        {"deeply nested", std::string(5000, '[') + std::string(5000, ']')}};
    for (const auto& [what, body] : bodies) send(route, path, token, body, what, false);
    // Above TTADS_HTTP_MAX_BODY_BYTES (1 MB by default): 413.
    send(route, path, token, "", "a body above the limit", false, 1200 * 1024);
    // Each field with a value of the wrong JSON type.
    const Descriptor* input = route.method->input_type();
    for (int i = 0; i < input->field_count(); ++i) {
      const FieldDescriptor* field = input->field(i);
      std::vector<std::pair<std::string, Json>> wrong;
      if (field->is_repeated()) {
        wrong = {{"object for array", Json::object({{"a", 1}})}, {"number for array", 5}};
      } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
        wrong = {{"object for string", Json::object({{"a", 1}})},
                 {"array for string", Json::array({"x"})},
                 {"number for string", 12.5}};
      } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        if (field->message_type()->file()->name() == "google/protobuf/struct.proto") continue;
        wrong = {{"number for object", 7}, {"string for object", "text"}};
        if (!IsWrapper(field->message_type())) wrong.push_back({"array for object", Json::array({1})});
      } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_BOOL) {
        wrong = {{"string for bool", "maybe"}, {"object for bool", Json::object()}};
      } else {
        wrong = {{"string for number", "twelve"},
                 {"object for number", Json::object({{"a", 1}})},
                 {"array for number", Json::array({1})},
                 {"NaN text for number", "NaN"},
                 {"overflow for number", Json::parse("1e999", nullptr, false).is_discarded()
                                             ? Json("1e999")
                                             : Json(1e308)}};
      }
      for (const auto& [what, value] : wrong) {
        send(route, path, token, Json{{field->name(), value}}.dump(),
             absl::StrCat(field->name(), ": ", what), false);
      }
    }
  }
  stack.Stop();
  tally.Print(absl::StrCat("REST (", routes.size(), " routes through the gateway)"));
  EXPECT_EQ(tally.accepted_wrongly, 0);
  EXPECT_EQ(tally.server_errors, 0);
}

}  // namespace
}  // namespace ttads::testing

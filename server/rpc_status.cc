#include "server/rpc_status.h"

#include <optional>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "storage/uuid.h"

namespace ttads::server {
namespace {

constexpr absl::string_view kTypePrefix = "type.googleapis.com/";

std::string TypeUrl(const google::protobuf::Message& message) {
  return absl::StrCat(kTypePrefix, message.GetDescriptor()->full_name());
}

// gRPC sends an error's message and details as headers, and clients refuse headers above 8 KB:
// an error that echoes a huge input would reach the caller as RESOURCE_EXHAUSTED ("metadata size
// exceeds limit") instead of what was wrong. These bounds keep an error well below that (the
// message is percent-encoded, the details base64-encoded on the wire).
constexpr std::size_t kMaxMessageBytes = 512;
constexpr int kMaxViolations = 10;
constexpr std::size_t kMaxFieldBytes = 100;
constexpr std::size_t kMaxDescriptionBytes = 160;
constexpr std::size_t kMaxDetailBytes = 2048;

// `text` cut to at most `max` bytes (never inside a UTF-8 sequence), saying how much was cut.
std::string Cut(absl::string_view text, std::size_t max) {
  if (text.size() <= max) return std::string(text);
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return absl::StrCat(text.substr(0, end), "… (", text.size() - end, " more bytes)");
}

// A detail as sent: field violations and metadata cut to the bounds above; any other detail
// dropped when larger than kMaxDetailBytes.
std::optional<std::string> BoundedDetail(absl::string_view type_url, const absl::Cord& payload) {
  std::string value(payload);
  if (type_url == TypeUrl(google::rpc::BadRequest())) {
    google::rpc::BadRequest bad_request;
    if (!bad_request.ParseFromString(value)) return std::nullopt;
    google::rpc::BadRequest bounded;
    for (const auto& violation : bad_request.field_violations()) {
      if (bounded.field_violations_size() == kMaxViolations) break;
      auto* added = bounded.add_field_violations();
      added->set_field(Cut(violation.field(), kMaxFieldBytes));
      added->set_description(Cut(violation.description(), kMaxDescriptionBytes));
    }
    if (bad_request.field_violations_size() > kMaxViolations) {
      auto* more = bounded.add_field_violations();
      more->set_description(absl::StrCat(
          "… and ", bad_request.field_violations_size() - kMaxViolations, " more violations"));
    }
    return bounded.SerializeAsString();
  }
  if (type_url == TypeUrl(google::rpc::ErrorInfo())) {
    google::rpc::ErrorInfo info;
    if (!info.ParseFromString(value)) return std::nullopt;
    info.set_reason(Cut(info.reason(), kMaxFieldBytes));
    for (auto& [key, text] : *info.mutable_metadata()) text = Cut(text, kMaxDescriptionBytes);
    return info.SerializeAsString();
  }
  if (value.size() > kMaxDetailBytes) return std::nullopt;
  return value;
}

}  // namespace

absl::Status InvalidArgument(const std::vector<FieldViolation>& violations) {
  google::rpc::BadRequest bad_request;
  std::vector<std::string> parts;
  for (const FieldViolation& violation : violations) {
    auto* added = bad_request.add_field_violations();
    added->set_field(violation.field);
    added->set_description(violation.description);
    parts.push_back(absl::StrCat(violation.field, ": ", violation.description));
  }
  absl::Status status = absl::InvalidArgumentError(absl::StrJoin(parts, "; "));
  status.SetPayload(TypeUrl(bad_request), absl::Cord(bad_request.SerializeAsString()));
  return status;
}

absl::Status InvalidField(absl::string_view field, absl::string_view description) {
  return InvalidArgument({{std::string(field), std::string(description)}});
}

absl::Status WithErrorInfo(absl::Status status, absl::string_view reason, absl::string_view domain,
                           const std::map<std::string, std::string>& metadata) {
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(std::string(domain));
  for (const auto& [key, value] : metadata) (*info.mutable_metadata())[key] = value;
  status.SetPayload(TypeUrl(info), absl::Cord(info.SerializeAsString()));
  return status;
}

std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> violations;
  const auto payload = status.GetPayload(TypeUrl(google::rpc::BadRequest()));
  google::rpc::BadRequest bad_request;
  if (payload.has_value() && bad_request.ParseFromString(std::string(*payload))) {
    for (const auto& violation : bad_request.field_violations()) {
      violations.push_back({violation.field(), violation.description()});
    }
  }
  return violations;
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const std::string message = Cut(status.message(), kMaxMessageBytes);
  google::rpc::Status rich;
  rich.set_code(static_cast<int>(status.code()));
  rich.set_message(message);
  status.ForEachPayload([&](absl::string_view type_url, const absl::Cord& payload) {
    std::optional<std::string> value = BoundedDetail(type_url, payload);
    if (!value.has_value()) return;
    auto* detail = rich.add_details();
    detail->set_type_url(std::string(type_url));
    detail->set_value(*std::move(value));
  });
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), message,
                      rich.details_size() > 0 ? rich.SerializeAsString() : std::string());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status result(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  google::rpc::Status rich;
  if (!status.error_details().empty() && rich.ParseFromString(status.error_details())) {
    for (const auto& detail : rich.details()) {
      result.SetPayload(detail.type_url(), absl::Cord(detail.value()));
    }
  }
  return result;
}

void RequestValidator::Required(absl::string_view field, absl::string_view value) {
  if (value.empty()) Fail(field, "is required");
}

void RequestValidator::Uuid(absl::string_view field, absl::string_view value, bool required) {
  if (value.empty()) {
    if (required) Fail(field, "is required");
    return;
  }
  if (!storage::IsUuid(value)) Fail(field, "must be a UUID");
}

}  // namespace ttads::server

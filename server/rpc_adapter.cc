#include "server/rpc_adapter.h"

namespace ttads::server {

std::string AuthorizationOf(const grpc::ServerContext& context) {
  const auto& metadata = context.client_metadata();
  const auto found = metadata.find("authorization");
  if (found == metadata.end()) return "";
  return std::string(found->second.data(), found->second.size());
}

absl::Status CheckPageSize(const google::protobuf::Message& request) {
  const google::protobuf::FieldDescriptor* field =
      request.GetDescriptor()->FindFieldByName("page_size");
  if (field == nullptr || field->is_repeated() ||
      field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_INT32) {
    return absl::OkStatus();
  }
  if (request.GetReflection()->GetInt32(request, field) < 0) {
    return InvalidField("page_size", "must not be negative");
  }
  return absl::OkStatus();
}

}  // namespace ttads::server

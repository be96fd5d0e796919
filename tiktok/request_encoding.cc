#include "tiktok/request_encoding.h"

#include <openssl/evp.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tiktok/api_endpoint.h"

namespace ttads::tiktok {
namespace {

struct DigestContext {
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  ~DigestContext() { EVP_MD_CTX_free(context); }
};

std::string Hex(const unsigned char* digest, unsigned int length) {
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) absl::StrAppendFormat(&out, "%02x", digest[i]);
  return out;
}

}  // namespace

std::string ToJsonText(const Params& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string QueryValueText(const Params& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::string:
      return value.get_ref<const std::string&>();
    case nlohmann::json::value_t::boolean:
      return value.get<bool>() ? "true" : "false";
    case nlohmann::json::value_t::null:
      return "";
    default:  // numbers as written, arrays and objects as JSON
      return ToJsonText(value);
  }
}

std::string EncodeQuery(const Params& params) {
  std::string out;
  if (!params.is_object()) return out;
  for (auto it = params.begin(); it != params.end(); ++it) {
    if (it.value().is_null()) continue;
    if (!out.empty()) out.push_back('&');
    absl::StrAppend(&out, UrlEncode(it.key()), "=", UrlEncode(QueryValueText(it.value())));
  }
  return out;
}

std::string Md5Hex(absl::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_md5(), nullptr) != 1) {
    return "";
  }
  return Hex(digest, length);
}

absl::StatusOr<std::string> Md5HexOfFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open upload file ", path));
  DigestContext digest_context;
  if (digest_context.context == nullptr ||
      EVP_DigestInit_ex(digest_context.context, EVP_md5(), nullptr) != 1) {
    return absl::InternalError("MD5 init failed");
  }
  std::unique_ptr<char[]> buffer(new char[1 << 16]);
  while (in) {
    in.read(buffer.get(), 1 << 16);
    const std::streamsize got = in.gcount();
    if (got > 0 &&
        EVP_DigestUpdate(digest_context.context, buffer.get(), static_cast<size_t>(got)) != 1) {
      return absl::InternalError("MD5 update failed");
    }
  }
  if (in.bad()) return absl::DataLossError(absl::StrCat("error reading upload file ", path));
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(digest_context.context, digest, &length) != 1) {
    return absl::InternalError("MD5 final failed");
  }
  return Hex(digest, length);
}

MultipartForm& MultipartForm::AddField(std::string name, std::string value) {
  MultipartPart part;
  part.name = std::move(name);
  part.value = std::move(value);
  parts_.push_back(std::move(part));
  return *this;
}

MultipartForm& MultipartForm::AddFileBytes(std::string name, std::string bytes,
                                           std::string file_name, std::string content_type) {
  MultipartPart part;
  part.name = std::move(name);
  part.value = std::move(bytes);
  part.file_name = file_name.empty() ? "upload" : std::move(file_name);
  part.content_type = std::move(content_type);
  parts_.push_back(std::move(part));
  return *this;
}

MultipartForm& MultipartForm::AddFilePath(std::string name, std::string path,
                                          std::string file_name, std::string content_type) {
  MultipartPart part;
  part.name = std::move(name);
  part.file_name = file_name.empty() ? std::filesystem::path(path).filename().string()
                                     : std::move(file_name);
  part.file_path = std::move(path);
  part.content_type = std::move(content_type);
  parts_.push_back(std::move(part));
  return *this;
}

std::string MultipartForm::FieldValue(absl::string_view name) const {
  for (const MultipartPart& part : parts_) {
    if (part.name == name && !part.is_file()) return part.value;
  }
  return "";
}

absl::StatusOr<int64_t> UploadSize(const UploadSource& source) {
  if (source.file_path.empty()) return static_cast<int64_t>(source.bytes.size());
  std::error_code error;
  const auto size = std::filesystem::file_size(source.file_path, error);
  if (error) {
    return absl::NotFoundError(absl::StrCat("cannot read upload file ", source.file_path, ": ",
                                            error.message()));
  }
  return static_cast<int64_t>(size);
}

absl::StatusOr<MultipartForm> BuildUploadForm(const Params& fields, absl::string_view file_field,
                                              absl::string_view signature_field,
                                              const UploadSource& source) {
  std::string signature;
  if (source.file_path.empty()) {
    signature = Md5Hex(source.bytes);
  } else {
    absl::StatusOr<std::string> file_signature = Md5HexOfFile(source.file_path);
    if (!file_signature.ok()) return file_signature.status();
    signature = *std::move(file_signature);
  }
  if (signature.empty()) return absl::InternalError("MD5 failed");
  MultipartForm form;
  if (fields.is_object()) {
    for (auto it = fields.begin(); it != fields.end(); ++it) {
      if (it.value().is_null()) continue;
      form.AddField(it.key(), QueryValueText(it.value()));
    }
  }
  form.AddField(std::string(signature_field), signature);
  if (source.file_path.empty()) {
    form.AddFileBytes(std::string(file_field), source.bytes, source.file_name,
                      source.content_type);
  } else {
    form.AddFilePath(std::string(file_field), source.file_path, source.file_name,
                     source.content_type);
  }
  return form;
}

}  // namespace ttads::tiktok

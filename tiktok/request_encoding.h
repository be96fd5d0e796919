// How TikTok wants requests written (reference §1, §7, §13):
// - GET: every parameter in the query string; arrays and objects JSON-serialised and then
//   URL-encoded as one value; strings plain; numbers as written; booleans true/false; null
//   parameters left out.
// - POST: a JSON body (Content-Type: application/json).
// - Uploads: multipart/form-data with text fields and a file part (video_file / image_file)
//   whose signature field is the lower-case hex MD5 of the file bytes.
// JSON is written with nlohmann::json; invalid UTF-8 is replaced, never thrown.
#ifndef TTADS_TIKTOK_REQUEST_ENCODING_H_
#define TTADS_TIKTOK_REQUEST_ENCODING_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "tiktok/http_transport.h"

namespace ttads::tiktok {

// Request parameters: a JSON object (the query of a GET, the body of a POST).
using Params = nlohmann::json;

// "k=v&k2=v2" for a GET. `params` must be an object (anything else gives ""). Keys are
// written in the object's (sorted) order.
std::string EncodeQuery(const Params& params);
// One parameter value as it goes into the query before URL-encoding ("abc", "12", "true",
// "[\"1\",\"2\"]").
std::string QueryValueText(const Params& value);

// Compact JSON text; never throws (invalid UTF-8 is replaced with U+FFFD).
std::string ToJsonText(const Params& value);

// Lower-case hex MD5 of `bytes` / of a file's content (streamed).
std::string Md5Hex(absl::string_view bytes);
absl::StatusOr<std::string> Md5HexOfFile(const std::string& path);

// A multipart/form-data body.
class MultipartForm {
 public:
  MultipartForm& AddField(std::string name, std::string value);
  MultipartForm& AddFileBytes(std::string name, std::string bytes, std::string file_name,
                              std::string content_type = "");
  MultipartForm& AddFilePath(std::string name, std::string path, std::string file_name,
                             std::string content_type = "");
  const std::vector<MultipartPart>& parts() const { return parts_; }
  // The value of the text field `name`, or "".
  std::string FieldValue(absl::string_view name) const;

 private:
  std::vector<MultipartPart> parts_;
};

// Where an upload's bytes come from: a file on disk (streamed, never loaded whole) or memory.
struct UploadSource {
  std::string file_path;
  std::string bytes;  // used when file_path is empty
  std::string file_name;     // also TikTok's file_name field when the request gives none
  std::string content_type;  // e.g. "video/mp4"; empty = libcurl's guess
};

// The upload form TikTok expects: `fields` as text parts (scalars plain, arrays/objects as
// JSON), then `signature_field` = MD5 hex of the bytes, then the file part `file_field`.
absl::StatusOr<MultipartForm> BuildUploadForm(const Params& fields, absl::string_view file_field,
                                              absl::string_view signature_field,
                                              const UploadSource& source);

// Size in bytes of an upload source (file size or bytes.size()).
absl::StatusOr<int64_t> UploadSize(const UploadSource& source);

}  // namespace ttads::tiktok

#endif  // TTADS_TIKTOK_REQUEST_ENCODING_H_

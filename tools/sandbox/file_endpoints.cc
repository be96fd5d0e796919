// file/video/ad/upload/, file/video/ad/info/, file/image/ad/upload/ (reference §7). Uploads
// arrive as multipart/form-data (UPLOAD_BY_FILE, with the file part and its MD5 signature) or,
// for UPLOAD_BY_URL, as a JSON body (or multipart fields). The sandbox never fetches URLs.
#include <openssl/evp.h>

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tools/sandbox/endpoints.h"

namespace ttads::sandbox {
namespace {

std::string Md5Hex(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_md5(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xF]);
  }
  return hex;
}

uint64_t BigEndian(const std::string& bytes, size_t offset, size_t width) {
  uint64_t value = 0;
  for (size_t i = 0; i < width; ++i) {
    value = (value << 8) | static_cast<unsigned char>(bytes[offset + i]);
  }
  return value;
}

// The duration an MP4/MOV file declares in its movie header ('mvhd'), when it has one.
std::optional<double> Mp4Duration(const std::string& bytes) {
  size_t at = bytes.find("mvhd");
  if (at == std::string::npos) return std::nullopt;
  size_t body = at + 4;
  if (body + 4 > bytes.size()) return std::nullopt;
  int version = static_cast<unsigned char>(bytes[body]);
  size_t timescale_at = body + 4 + (version == 1 ? 16 : 8);
  size_t duration_width = version == 1 ? 8 : 4;
  if (timescale_at + 4 + duration_width > bytes.size()) return std::nullopt;
  uint64_t timescale = BigEndian(bytes, timescale_at, 4);
  uint64_t duration = BigEndian(bytes, timescale_at + 4, duration_width);
  if (timescale == 0) return std::nullopt;
  return static_cast<double>(duration) / static_cast<double>(timescale);
}

struct ImageShape {
  std::string format;
  int width = 0;
  int height = 0;
};

// Format and size from a PNG, JPEG or GIF header.
std::optional<ImageShape> ReadImageShape(const std::string& b) {
  if (b.size() >= 24 && b.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0) {
    return ImageShape{"png", static_cast<int>(BigEndian(b, 16, 4)),
                      static_cast<int>(BigEndian(b, 20, 4))};
  }
  if (b.size() >= 10 && (b.compare(0, 6, "GIF87a") == 0 || b.compare(0, 6, "GIF89a") == 0)) {
    auto le16 = [&](size_t i) {
      return static_cast<int>(static_cast<unsigned char>(b[i]) |
                              (static_cast<unsigned char>(b[i + 1]) << 8));
    };
    return ImageShape{"gif", le16(6), le16(8)};
  }
  if (b.size() >= 4 && static_cast<unsigned char>(b[0]) == 0xFF &&
      static_cast<unsigned char>(b[1]) == 0xD8) {
    size_t i = 2;
    while (i + 9 < b.size()) {
      if (static_cast<unsigned char>(b[i]) != 0xFF) return std::nullopt;
      unsigned char marker = static_cast<unsigned char>(b[i + 1]);
      size_t length = BigEndian(b, i + 2, 2);
      bool sof =
          marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
      if (sof) {
        return ImageShape{"jpeg", static_cast<int>(BigEndian(b, i + 7, 2)),
                          static_cast<int>(BigEndian(b, i + 5, 2))};
      }
      i += 2 + length;
    }
  }
  return std::nullopt;
}

std::string FileNameFromUrl(const std::string& url) {
  std::string path = url.substr(0, url.find('?'));
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

void CheckUploadUrl(const std::string& key, const std::string& url) {
  if (!absl::StartsWith(url, "https://") && !absl::StartsWith(url, "http://")) {
    InvalidParameter(absl::StrCat(key, ": Not a valid URL."));
  }
}

// file_name is 1-100 characters and unique per advertiser among videos or among images.
template <typename Objects>
void CheckFileName(const Objects& objects, const std::string& advertiser_id,
                   const std::string& file_name) {
  if (file_name.empty() || file_name.size() > 100) {
    InvalidParameter("file_name: Length must be between 1 and 100.");
  }
  for (const auto& [id, object] : objects) {
    if (object.advertiser_id == advertiser_id && object.file_name == file_name) {
      throw ApiError(kCodeDuplicateMaterialName,
                     absl::StrCat("The material's name has a duplicate: ", file_name, "."));
    }
  }
}

// The bytes of an UPLOAD_BY_FILE part, checked against its MD5 signature.
const UploadedFile& ReadSignedFile(EndpointContext& ctx, const char* file_key,
                                   const char* signature_key) {
  std::vector<std::string> missing;
  auto file = ctx.request.files.find(file_key);
  if (file == ctx.request.files.end()) missing.push_back(file_key);
  if (!ctx.params.Has(signature_key)) missing.push_back(signature_key);
  if (!missing.empty()) ctx.params.Require(missing);
  if (file->second.content.empty()) throw ApiError(kCodeFileEmpty, "The file is empty.");
  std::string expected = absl::AsciiStrToLower(ctx.params.RequiredString(signature_key));
  if (Md5Hex(file->second.content) != expected) {
    throw ApiError(kCodeSignatureMismatch,
                   "The signature we calculated does not match the signature you provided for "
                   "the file.");
  }
  return file->second;
}

std::string UploadType(const Params& p) {
  std::string type = p.Enum("upload_type", UploadTypes()).value_or("UPLOAD_BY_FILE");
  if (type == "UPLOAD_BY_FILE_ID" || type == "UPLOAD_BY_VIDEO_ID") {
    throw ApiError(kCodeNotSupportedInSandbox,
                   absl::StrCat("upload_type ", type, " is not supported in the sandbox."));
  }
  return type;
}

}  // namespace

EndpointResult VideoUpload(EndpointContext& ctx) {
  const Params& p = ctx.params;
  Advertiser& advertiser = ctx.RequireAdvertiser();
  std::string type = UploadType(p);
  Video video;
  video.advertiser_id = advertiser.advertiser_id;
  std::optional<std::string> file_name = p.String("file_name");
  if (file_name) CheckFileName(ctx.state.videos, advertiser.advertiser_id, *file_name);
  if (type == "UPLOAD_BY_FILE") {
    const UploadedFile& file = ReadSignedFile(ctx, "video_file", "video_signature");
    video.size = static_cast<int64_t>(file.content.size());
    video.signature = Md5Hex(file.content);
    if (std::optional<double> duration = Mp4Duration(file.content)) video.duration = *duration;
    if (!file_name && !file.filename.empty()) file_name = file.filename;
    std::string lower = absl::AsciiStrToLower(file.filename);
    if (absl::EndsWith(lower, ".mov")) video.format = "mov";
  } else {
    p.Require({"video_url"});
    video.source_url = p.RequiredString("video_url");
    CheckUploadUrl("video_url", video.source_url);
    video.signature = Md5Hex(video.source_url);
    video.size = 1000000 + static_cast<int64_t>(video.signature[0]) * 10000;
    if (!file_name) file_name = FileNameFromUrl(video.source_url);
  }
  p.Bool("is_third_party");
  p.Bool("flaw_detect");
  p.Bool("auto_fix_enabled");
  p.Bool("auto_bind_enabled");
  video.video_id = absl::StrCat("v10033g50000", ctx.state.NewSecret().substr(0, 20));
  video.material_id = ctx.state.NewId();
  video.file_name = file_name && !file_name->empty() ? *file_name : video.video_id;
  video.bit_rate = static_cast<int64_t>(static_cast<double>(video.size) * 8.0 /
                                        (video.duration > 0 ? video.duration : 1.0));
  video.create_time = ctx.now;
  video.ready_time = ctx.now + absl::Seconds(ctx.config.transcode_seconds);
  std::string id = video.video_id;
  ctx.state.videos[id] = std::move(video);
  EndpointResult result;
  // An array, as TikTok answers (reference §7).
  result.data = Json::array({VideoJson(ctx.state.videos.at(id), ctx.now)});
  return result;
}

EndpointResult VideoInfo(EndpointContext& ctx) {
  const Params& p = ctx.params;
  p.Require({"advertiser_id", "video_ids"});
  Advertiser& advertiser = ctx.RequireAdvertiser();
  std::vector<std::string> ids = *p.IdList("video_ids", 60);
  Json list = Json::array();
  for (const std::string& id : ids) {
    auto video = ctx.state.videos.find(id);
    // Ids that cannot be used are left out silently (reference §7).
    if (video == ctx.state.videos.end() ||
        video->second.advertiser_id != advertiser.advertiser_id) {
      continue;
    }
    list.push_back(VideoJson(video->second, ctx.now));
  }
  EndpointResult result;
  result.data = Json{{"list", std::move(list)}};
  return result;
}

EndpointResult ImageUpload(EndpointContext& ctx) {
  const Params& p = ctx.params;
  Advertiser& advertiser = ctx.RequireAdvertiser();
  std::string type = UploadType(p);
  Image image;
  image.advertiser_id = advertiser.advertiser_id;
  std::optional<std::string> file_name = p.String("file_name");
  if (file_name) CheckFileName(ctx.state.images, advertiser.advertiser_id, *file_name);
  if (type == "UPLOAD_BY_FILE") {
    const UploadedFile& file = ReadSignedFile(ctx, "image_file", "image_signature");
    std::optional<ImageShape> shape = ReadImageShape(file.content);
    if (!shape) throw ApiError(40904, "Illegal image content: the format is not supported.");
    image.format = shape->format;
    image.width = shape->width;
    image.height = shape->height;
    image.size = static_cast<int64_t>(file.content.size());
    image.signature = Md5Hex(file.content);
    if (!file_name && !file.filename.empty()) file_name = file.filename;
  } else {
    p.Require({"image_url"});
    std::string url = p.RequiredString("image_url");
    CheckUploadUrl("image_url", url);
    // inferred: signed TikTok CDN URLs are refused (403 to TikTok's fetcher; the existing
    // system hit this and uploads such images by file instead).
    if (absl::StrContains(url, "tiktokcdn") && absl::StrContains(url, "x-expires")) {
      throw ApiError(40903, "The image URL is unavailable.");
    }
    image.image_url = url;
    image.signature = Md5Hex(url);
    image.size = 100000;
    if (!file_name) file_name = FileNameFromUrl(url);
  }
  image.image_id = absl::StrCat("ad-site-i18n-sg/", ctx.state.NewSecret().substr(0, 24));
  image.material_id = ctx.state.NewId();
  image.file_name = file_name && !file_name->empty() ? *file_name : image.material_id;
  image.create_time = ctx.now;
  std::string id = image.image_id;
  ctx.state.images[id] = std::move(image);
  EndpointResult result;
  result.data = ImageJson(ctx.state.images.at(id));
  return result;
}

}  // namespace ttads::sandbox

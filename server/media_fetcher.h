// Downloads a creative's media (video, cover image) from its media_url / thumbnail_url over
// HTTP with libcurl, so ttads can upload it to TikTok by file with an MD5 signature.
#ifndef TTADS_SERVER_MEDIA_FETCHER_H_
#define TTADS_SERVER_MEDIA_FETCHER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tiktok/http_transport.h"

namespace ttads::server {

struct FetchedMedia {
  std::string bytes;
  std::string content_type;  // as the server sent it ("" when none)
  std::string file_name;     // last path segment of the URL
};

class MediaFetcher {
 public:
  virtual ~MediaFetcher() = default;
  // The body of `url` (http or https). INVALID_ARGUMENT for another scheme; UNAVAILABLE when the
  // server cannot be reached or answers 5xx (worth a retry); FAILED_PRECONDITION for 4xx, an
  // empty body or one above the size limit (a retry will not help).
  virtual absl::StatusOr<FetchedMedia> Fetch(const std::string& url) = 0;
};

struct HttpMediaFetcherOptions {
  absl::Duration timeout = absl::Minutes(5);
  int64_t max_bytes = int64_t{500} << 20;  // TikTok's own video limit
};

class HttpMediaFetcher final : public MediaFetcher {
 public:
  static absl::StatusOr<std::unique_ptr<HttpMediaFetcher>> Create(HttpMediaFetcherOptions options);
  absl::StatusOr<FetchedMedia> Fetch(const std::string& url) override;

 private:
  HttpMediaFetcher(HttpMediaFetcherOptions options,
                   std::unique_ptr<tiktok::CurlTransport> transport)
      : options_(options), transport_(std::move(transport)) {}
  const HttpMediaFetcherOptions options_;
  std::unique_ptr<tiktok::CurlTransport> transport_;
};

}  // namespace ttads::server

#endif  // TTADS_SERVER_MEDIA_FETCHER_H_

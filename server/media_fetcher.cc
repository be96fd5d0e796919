#include "server/media_fetcher.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace ttads::server {

absl::StatusOr<std::unique_ptr<HttpMediaFetcher>> HttpMediaFetcher::Create(
    HttpMediaFetcherOptions options) {
  tiktok::CurlTransportOptions transport_options;
  transport_options.timeout = options.timeout;
  transport_options.max_response_bytes = options.max_bytes;
  transport_options.max_idle_handles = 4;
  transport_options.user_agent = "ttads-media/1";
  absl::StatusOr<std::unique_ptr<tiktok::CurlTransport>> transport =
      tiktok::CurlTransport::Create(transport_options);
  if (!transport.ok()) return transport.status();
  return std::unique_ptr<HttpMediaFetcher>(
      new HttpMediaFetcher(options, *std::move(transport)));
}

absl::StatusOr<FetchedMedia> HttpMediaFetcher::Fetch(const std::string& url) {
  if (!absl::StartsWith(url, "http://") && !absl::StartsWith(url, "https://")) {
    return absl::InvalidArgumentError(
        absl::StrCat("media URL must be http or https: ", url.substr(0, 200)));
  }
  tiktok::HttpRequest request;
  request.method = tiktok::HttpMethod::kGet;
  request.url = url;
  request.timeout = options_.timeout;
  tiktok::HttpCallInfo info;
  absl::StatusOr<tiktok::HttpResponse> response = transport_->Send(request, &info);
  if (!response.ok()) {
    if (response.status().code() == absl::StatusCode::kResourceExhausted) {
      return absl::FailedPreconditionError(absl::StrCat(
          "media at ", url, " is larger than ", options_.max_bytes, " bytes"));
    }
    return absl::UnavailableError(
        absl::StrCat("could not download media from ", url, ": ", response.status().message()));
  }
  if (response->status >= 500) {
    return absl::UnavailableError(
        absl::StrCat("media server answered HTTP ", response->status, " for ", url));
  }
  if (response->status < 200 || response->status >= 300) {
    return absl::FailedPreconditionError(
        absl::StrCat("media server answered HTTP ", response->status, " for ", url));
  }
  if (response->body.empty()) {
    return absl::FailedPreconditionError(absl::StrCat("media at ", url, " is empty"));
  }
  FetchedMedia media;
  media.bytes = std::move(response->body);
  media.content_type = response->Header("content-type");
  std::string path = url.substr(0, url.find_first_of("?#"));
  media.file_name = path.substr(path.find_last_of('/') + 1);
  return media;
}

}  // namespace ttads::server

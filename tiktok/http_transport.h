// HTTP for the TikTok client: libcurl with connection reuse. One curl share handle holds the
// connection pool, DNS cache and TLS sessions for every easy handle of the transport, and easy
// handles are pooled, so calls reuse keep-alive connections instead of opening a new TLS
// connection each time. Thread-safe: any number of threads may call Send at once.
//
// Transport failures come back as absl::Status: DEADLINE_EXCEEDED when the timeout fired,
// UNAVAILABLE for everything else (DNS, connect, reset, truncated response). Any HTTP status,
// including 4xx/5xx, is a response, not an error: the TikTok envelope decides (envelope.h).
#ifndef TTADS_TIKTOK_HTTP_TRANSPORT_H_
#define TTADS_TIKTOK_HTTP_TRANSPORT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace ttads::tiktok {

enum class HttpMethod { kGet, kPost };
absl::string_view HttpMethodName(HttpMethod method);

// One part of a multipart/form-data body: a text field, in-memory bytes sent as a file, or a
// file streamed from disk (file_path set).
struct MultipartPart {
  std::string name;
  std::string value;         // text field value, or the file bytes when file_path is empty
  std::string file_path;     // stream this file as the part's content
  std::string file_name;     // filename="" of a file part; empty for a text field
  std::string content_type;  // of a file part, e.g. "video/mp4"; empty = libcurl's default
  bool is_file() const { return !file_path.empty() || !file_name.empty(); }
};

struct HttpRequest {
  HttpMethod method = HttpMethod::kGet;
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  // POST body (with content_type) when `multipart` is empty.
  std::string body;
  std::string content_type;
  std::vector<MultipartPart> multipart;
  // Whole-call timeout; zero means the transport's default.
  absl::Duration timeout = absl::ZeroDuration();
  // Send on a new connection, not a pooled one. libcurl re-sends a request by itself when a
  // reused connection closes before any byte of the answer ("Connection died, retrying a fresh
  // connect"), whether or not the server acted on it: harmless for a read, a duplicate for a
  // create. A request on a fresh connection is never re-sent behind the caller's back.
  bool fresh_connection = false;
};

struct HttpResponse {
  int status = 0;
  std::string body;
  // Header names lower-cased, in arrival order (of the final response).
  std::vector<std::pair<std::string, std::string>> headers;
  // The first header named `name` (case-insensitive), or "".
  std::string Header(absl::string_view name) const;
};

// What happened on the wire, for retry decisions and logs.
struct HttpCallInfo {
  // False only when nothing of the request left this process (DNS or connect failure): a
  // non-idempotent call may then be retried safely.
  bool request_sent = false;
  // Connections opened for this call (0 = an existing connection was reused).
  int64_t new_connections = 0;
  absl::Duration elapsed;
};

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  virtual absl::StatusOr<HttpResponse> Send(const HttpRequest& request, HttpCallInfo* info) = 0;
};

struct CurlTransportOptions {
  absl::Duration connect_timeout = absl::Seconds(10);
  absl::Duration timeout = absl::Seconds(30);  // default whole-call timeout
  size_t max_idle_handles = 16;                // easy handles kept for reuse
  int64_t max_response_bytes = int64_t{512} << 20;
  std::string user_agent = "ttads-tiktok/1";
};

class CurlTransport final : public HttpTransport {
 public:
  static absl::StatusOr<std::unique_ptr<CurlTransport>> Create(CurlTransportOptions options);
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  absl::StatusOr<HttpResponse> Send(const HttpRequest& request, HttpCallInfo* info) override;

 private:
  struct Shared;
  explicit CurlTransport(CurlTransportOptions options, std::unique_ptr<Shared> shared);
  void* AcquireHandle();
  void ReleaseHandle(void* handle);

  const CurlTransportOptions options_;
  std::unique_ptr<Shared> shared_;
  absl::Mutex pool_mutex_;
  std::vector<void*> idle_ ABSL_GUARDED_BY(pool_mutex_);
};

}  // namespace ttads::tiktok

#endif  // TTADS_TIKTOK_HTTP_TRANSPORT_H_

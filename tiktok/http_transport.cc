#include "tiktok/http_transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <mutex>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace ttads::tiktok {

absl::string_view HttpMethodName(HttpMethod method) {
  return method == HttpMethod::kGet ? "GET" : "POST";
}

std::string HttpResponse::Header(absl::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (absl::EqualsIgnoreCase(key, name)) return value;
  }
  return "";
}

struct CurlTransport::Shared {
  CURLSH* share = nullptr;
  std::mutex locks[CURL_LOCK_DATA_LAST];

  static void Lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<Shared*>(user)->locks[data].lock();
  }
  static void Unlock(CURL*, curl_lock_data data, void* user) {
    static_cast<Shared*>(user)->locks[data].unlock();
  }
  ~Shared() {
    if (share != nullptr) curl_share_cleanup(share);
  }
};

namespace {

absl::Status GlobalInit() {
  static const CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (code != CURLE_OK) {
    return absl::InternalError(absl::StrCat("curl_global_init: ", curl_easy_strerror(code)));
  }
  return absl::OkStatus();
}

long Millis(absl::Duration duration) {
  const int64_t ms = absl::ToInt64Milliseconds(duration);
  return static_cast<long>(std::max<int64_t>(ms, 1));
}

struct Transfer {
  HttpResponse* response;
  int64_t max_bytes;
  bool too_large = false;
};

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  if (static_cast<int64_t>(transfer->response->body.size() + bytes) > transfer->max_bytes) {
    transfer->too_large = true;
    return 0;  // aborts the transfer (CURLE_WRITE_ERROR)
  }
  transfer->response->body.append(data, bytes);
  return bytes;
}

size_t WriteHeader(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  absl::string_view line(data, bytes);
  if (absl::StartsWith(line, "HTTP/")) {
    transfer->response->headers.clear();  // a new response (after 100-continue or a redirect)
    return bytes;
  }
  const size_t colon = line.find(':');
  if (colon == absl::string_view::npos) return bytes;
  std::string name = absl::AsciiStrToLower(absl::StripAsciiWhitespace(line.substr(0, colon)));
  std::string value(absl::StripAsciiWhitespace(line.substr(colon + 1)));
  transfer->response->headers.emplace_back(std::move(name), std::move(value));
  return bytes;
}

struct HeaderList {
  curl_slist* list = nullptr;
  ~HeaderList() { curl_slist_free_all(list); }
  bool Append(const std::string& line) {
    curl_slist* next = curl_slist_append(list, line.c_str());
    if (next == nullptr) return false;
    list = next;
    return true;
  }
};

struct Mime {
  curl_mime* mime = nullptr;
  ~Mime() { curl_mime_free(mime); }
};

}  // namespace

absl::StatusOr<std::unique_ptr<CurlTransport>> CurlTransport::Create(
    CurlTransportOptions options) {
  if (absl::Status status = GlobalInit(); !status.ok()) return status;
  auto shared = std::make_unique<Shared>();
  shared->share = curl_share_init();
  if (shared->share == nullptr) return absl::InternalError("curl_share_init failed");
  CURLSHcode code = curl_share_setopt(shared->share, CURLSHOPT_LOCKFUNC, &Shared::Lock);
  if (code == CURLSHE_OK) {
    code = curl_share_setopt(shared->share, CURLSHOPT_UNLOCKFUNC, &Shared::Unlock);
  }
  if (code == CURLSHE_OK) code = curl_share_setopt(shared->share, CURLSHOPT_USERDATA, shared.get());
  for (const curl_lock_data data :
       {CURL_LOCK_DATA_DNS, CURL_LOCK_DATA_SSL_SESSION, CURL_LOCK_DATA_CONNECT}) {
    if (code == CURLSHE_OK) code = curl_share_setopt(shared->share, CURLSHOPT_SHARE, data);
  }
  if (code != CURLSHE_OK) {
    return absl::InternalError(absl::StrCat("curl_share_setopt: ", curl_share_strerror(code)));
  }
  return std::unique_ptr<CurlTransport>(new CurlTransport(std::move(options), std::move(shared)));
}

CurlTransport::CurlTransport(CurlTransportOptions options, std::unique_ptr<Shared> shared)
    : options_(std::move(options)), shared_(std::move(shared)) {}

CurlTransport::~CurlTransport() {
  absl::MutexLock lock(&pool_mutex_);
  for (void* handle : idle_) curl_easy_cleanup(static_cast<CURL*>(handle));
  idle_.clear();
}

void* CurlTransport::AcquireHandle() {
  {
    absl::MutexLock lock(&pool_mutex_);
    if (!idle_.empty()) {
      void* handle = idle_.back();
      idle_.pop_back();
      return handle;
    }
  }
  CURL* handle = curl_easy_init();
  if (handle != nullptr) curl_easy_setopt(handle, CURLOPT_SHARE, shared_->share);
  return handle;
}

void CurlTransport::ReleaseHandle(void* handle) {
  {
    absl::MutexLock lock(&pool_mutex_);
    if (idle_.size() < options_.max_idle_handles) {
      idle_.push_back(handle);
      return;
    }
  }
  curl_easy_cleanup(static_cast<CURL*>(handle));
}

absl::StatusOr<HttpResponse> CurlTransport::Send(const HttpRequest& request,
                                                 HttpCallInfo* info) {
  HttpCallInfo local_info;
  if (info == nullptr) info = &local_info;
  *info = HttpCallInfo();
  CURL* curl = static_cast<CURL*>(AcquireHandle());
  if (curl == nullptr) return absl::InternalError("curl_easy_init failed");
  // Reset keeps live connections, the share and its caches; everything else starts clean.
  curl_easy_reset(curl);

  HttpResponse response;
  Transfer transfer{&response, options_.max_response_bytes};
  char error_buffer[CURL_ERROR_SIZE] = {0};
  HeaderList headers;
  Mime mime;
  bool setup_ok = true;
  auto set = [&](CURLcode code) { setup_ok = setup_ok && code == CURLE_OK; };

  const absl::Duration timeout =
      request.timeout > absl::ZeroDuration() ? request.timeout : options_.timeout;
  set(curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str()));
  set(curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https"));
  set(curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L));
  set(curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                       Millis(std::min(options_.connect_timeout, timeout))));
  set(curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, Millis(timeout)));
  set(curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L));
  if (request.fresh_connection) set(curl_easy_setopt(curl, CURLOPT_FRESH_CONNECT, 1L));
  set(curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L));
  set(curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, ""));
  set(curl_easy_setopt(curl, CURLOPT_USERAGENT, options_.user_agent.c_str()));
  set(curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer));
  set(curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &WriteBody));
  set(curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer));
  set(curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &WriteHeader));
  set(curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer));

  for (const auto& [name, value] : request.headers) {
    setup_ok = setup_ok && headers.Append(absl::StrCat(name, ": ", value));
  }
  setup_ok = setup_ok && headers.Append("Expect:");  // no 100-continue round trip
  if (request.method == HttpMethod::kGet) {
    set(curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L));
  } else if (!request.multipart.empty()) {
    mime.mime = curl_mime_init(curl);
    setup_ok = setup_ok && mime.mime != nullptr;
    for (const MultipartPart& part : request.multipart) {
      if (!setup_ok) break;
      curl_mimepart* field = curl_mime_addpart(mime.mime);
      setup_ok = field != nullptr;
      if (!setup_ok) break;
      set(curl_mime_name(field, part.name.c_str()));
      if (!part.file_path.empty()) {
        set(curl_mime_filedata(field, part.file_path.c_str()));
      } else {
        set(curl_mime_data(field, part.value.data(), part.value.size()));
      }
      if (!part.file_name.empty()) set(curl_mime_filename(field, part.file_name.c_str()));
      if (!part.content_type.empty()) set(curl_mime_type(field, part.content_type.c_str()));
    }
    set(curl_easy_setopt(curl, CURLOPT_MIMEPOST, mime.mime));
  } else {
    if (!request.content_type.empty()) {
      setup_ok = setup_ok && headers.Append(absl::StrCat("Content-Type: ", request.content_type));
    }
    set(curl_easy_setopt(curl, CURLOPT_POST, 1L));
    set(curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(request.body.size())));
    set(curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data()));
  }
  set(curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.list));

  if (!setup_ok) {
    curl_easy_reset(curl);
    curl_mime_free(mime.mime);
    mime.mime = nullptr;
    ReleaseHandle(curl);
    return absl::InternalError("could not configure the HTTP request");
  }

  const CURLcode code = curl_easy_perform(curl);

  long status = 0;
  long request_size = 0;
  long connects = 0;
  double total_seconds = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo(curl, CURLINFO_REQUEST_SIZE, &request_size);
  curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &connects);
  curl_easy_getinfo(curl, CURLINFO_TOTAL_TIME, &total_seconds);
  info->request_sent = request_size > 0;
  info->new_connections = connects;
  info->elapsed = absl::Seconds(total_seconds);
  // An idle handle must not point at this call's buffers: reset its options (connections and
  // caches stay), and free the form before another thread can take the handle.
  curl_easy_reset(curl);
  curl_mime_free(mime.mime);
  mime.mime = nullptr;
  ReleaseHandle(curl);

  if (code != CURLE_OK) {
    if (transfer.too_large) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "HTTP response larger than ", options_.max_response_bytes, " bytes"));
    }
    std::string detail = curl_easy_strerror(code);
    if (error_buffer[0] != '\0') absl::StrAppend(&detail, " (", error_buffer, ")");
    if (code == CURLE_OPERATION_TIMEDOUT) {
      return absl::DeadlineExceededError(absl::StrCat("HTTP timeout: ", detail));
    }
    return absl::UnavailableError(absl::StrCat("HTTP transport: ", detail));
  }
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace ttads::tiktok

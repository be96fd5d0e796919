#include "tools/sandbox/sandbox_server.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "tools/sandbox/sandbox_state.h"

namespace ttads::sandbox {
namespace {

constexpr char kControlPrefix[] = "/_sandbox/";

std::string Dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void ReplyJson(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(Dump(body), "application/json; charset=utf-8");  // uncompressed (ApiResponse)
}

void ReplyError(httplib::Response& res, int status, const std::string& message) {
  ReplyJson(res, status, Json{{"error", message}});
}

Json ConfigToJson(const SandboxConfig& config) {
  Json min_budgets = Json::object();
  for (const auto& [currency, budget] : config.min_budgets) {
    min_budgets[currency] = {{"campaign", budget.campaign},
                             {"adgroup_daily", budget.adgroup_daily}};
  }
  Json endpoint_qps = Json::object();
  for (const auto& [path, qps] : config.endpoint_qps) endpoint_qps[path] = qps;
  return Json{{"app_qps", config.app_qps},
              {"endpoint_qps", std::move(endpoint_qps)},
              {"advertiser_qps", config.advertiser_qps},
              {"latency_ms", config.latency_ms},
              {"transcode_seconds", config.transcode_seconds},
              {"lead_task_seconds", config.lead_task_seconds},
              {"auth_code_ttl_seconds", config.auth_code_ttl_seconds},
              {"min_budgets", std::move(min_budgets)},
              {"metrics_seed", config.metrics_seed},
              {"backfill_days", config.backfill_days}};
}

absl::Status ConfigFromJson(const Json& json, SandboxConfig& config) {
  if (!json.is_object()) return absl::InvalidArgumentError("config must be a JSON object");
  try {
    config.app_qps = json.value("app_qps", config.app_qps);
    config.advertiser_qps = json.value("advertiser_qps", config.advertiser_qps);
    config.latency_ms = json.value("latency_ms", config.latency_ms);
    config.transcode_seconds = json.value("transcode_seconds", config.transcode_seconds);
    config.lead_task_seconds = json.value("lead_task_seconds", config.lead_task_seconds);
    config.auth_code_ttl_seconds =
        json.value("auth_code_ttl_seconds", config.auth_code_ttl_seconds);
    config.metrics_seed = json.value("metrics_seed", config.metrics_seed);
    config.backfill_days = json.value("backfill_days", config.backfill_days);
    if (json.contains("endpoint_qps")) {
      config.endpoint_qps.clear();
      for (auto it = json["endpoint_qps"].begin(); it != json["endpoint_qps"].end(); ++it) {
        config.endpoint_qps[it.key()] = it.value().get<double>();
      }
    }
    if (json.contains("min_budgets")) {
      for (auto it = json["min_budgets"].begin(); it != json["min_budgets"].end(); ++it) {
        config.min_budgets[it.key()] = MinBudget{it.value().at("campaign").get<double>(),
                                                 it.value().at("adgroup_daily").get<double>()};
      }
    }
  } catch (const std::exception& error) {
    return absl::InvalidArgumentError(absl::StrCat("bad config: ", error.what()));
  }
  return absl::OkStatus();
}

// The request with credentials hidden, for the log.
void DescribeRequest(const httplib::Request& req, RequestLogEntry& entry) {
  for (const auto& [name, value] : req.params) entry.query[name] = value;
  entry.query = RedactParams(entry.query);
  for (const auto& [name, value] : req.headers) {
    // httplib adds the socket's addresses as pseudo-headers; they are not the client's.
    if (name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" ||
        name == "LOCAL_PORT") {
      continue;
    }
    entry.headers[name] = IsSecretHeader(name) ? kRedacted : value;
  }
  if (req.is_multipart_form_data()) {
    Json form = Json::object();
    for (const auto& [name, part] : req.files) {
      if (part.filename.empty()) {
        form[name] = part.content;
      } else {
        form[name] = Json{{"filename", part.filename},
                          {"content_type", part.content_type},
                          {"size", part.content.size()}};
      }
    }
    entry.body = RedactParams(form);
  } else if (!req.body.empty()) {
    std::optional<Json> body = ParseJson(req.body);
    entry.body = body ? RedactParams(*body) : Json{{"unparsed_bytes", req.body.size()}};
  }
}

ApiRequest ToApiRequest(const httplib::Request& req) {
  ApiRequest api;
  api.method = req.method;
  api.path = req.path;
  for (const auto& [name, value] : req.params) api.query[name] = value;
  api.body = req.body;
  api.content_type = req.get_header_value("Content-Type");
  api.multipart = req.is_multipart_form_data();
  if (api.multipart) {
    // Parts without a filename are form fields; every part is also available as a file, so a
    // file sent without a filename (some clients do) still counts.
    for (const auto& [name, part] : req.files) {
      if (part.filename.empty()) api.form[name] = part.content;
      api.files[name] = UploadedFile{part.filename, part.content_type, part.content};
    }
  }
  if (req.has_header("Access-Token")) api.access_token = req.get_header_value("Access-Token");
  return api;
}

// What an edge proxy answers when the service behind it fails.
std::string GatewayPage(int status) {
  return absl::StrCat("<html>\r\n<head><title>", status, " Service Unavailable</title></head>\r\n",
                      "<body>\r\n<center><h1>", status,
                      " Service Unavailable</h1></center>\r\n<hr><center>Tengine</center>\r\n"
                      "</body>\r\n</html>\r\n");
}

// A CDN/WAF interstitial: HTML where JSON was expected.
constexpr char kHtmlPage[] =
    "<!DOCTYPE html>\n<html><head><title>Just a moment...</title></head>\n<body><h1>Checking "
    "your browser before accessing business-api.tiktok.com.</h1><p>This process is "
    "automatic.</p></body></html>\n";

}  // namespace

std::optional<absl::Time> ParseControlTime(const std::string& text) {
  absl::Time t;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, text, &t, &error)) return t;
  if (std::optional<absl::Time> parsed = ParseDateTime(text)) return parsed;
  if (std::optional<absl::CivilDay> day = ParseDate(text)) {
    return absl::FromCivil(*day, absl::UTCTimeZone());
  }
  return std::nullopt;
}

Sandbox::Sandbox() : api_(SandboxConfig{}, clock_, rate_limiter_) {}

Sandbox::~Sandbox() { Stop(); }

absl::StatusOr<int> Sandbox::Start(const SandboxOptions& options) {
  if (server_ != nullptr) return absl::FailedPreconditionError("the sandbox is already running");
  signal(SIGPIPE, SIG_IGN);
  api_.set_config(options.config);
  if (options.clock_start) clock_.Set(*options.clock_start, options.freeze_clock);
  if (!options.clock_start && options.freeze_clock) clock_.SetFrozen(true);
  if (!options.seed_file.empty()) {
    if (absl::Status status = LoadSeedFile(options.seed_file); !status.ok()) return status;
  }
  if (!options.seed_json.empty()) {
    if (absl::Status status = LoadSeed(options.seed_json); !status.ok()) return status;
  }
  for (const std::string& spec : options.faults) {
    if (absl::StatusOr<int64_t> id = AddFault(spec); !id.ok()) return id.status();
  }
  {
    absl::MutexLock lock(&stop_mu_);
    stopping_ = false;
  }

  auto server = std::make_unique<httplib::Server>();
  const size_t threads = static_cast<size_t>(options.threads < 2 ? 2 : options.threads);
  server->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server->set_keep_alive_timeout(options.keep_alive_seconds);
  server->set_read_timeout(30);
  server->set_write_timeout(30);
  auto handler = [this](const httplib::Request& req, httplib::Response& res) { Serve(req, res); };
  server->Get(".*", handler);
  server->Post(".*", handler);
  server->Put(".*", handler);
  server->Patch(".*", handler);
  server->Delete(".*", handler);
  server->Options(".*", handler);
  int port = options.port;
  if (port == 0) {
    port = server->bind_to_any_port(options.host);
    if (port < 0) return absl::UnavailableError(absl::StrCat("cannot bind ", options.host));
  } else if (!server->bind_to_port(options.host, port)) {
    return absl::UnavailableError(absl::StrCat("cannot bind ", options.host, ":", port));
  }
  server_ = std::move(server);
  port_ = port;
  host_ = options.host;
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // stop() is a no-op until the accept loop runs, so wait for it.
  for (int i = 0; i < 5000 && !server_->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return port_;
}

void Sandbox::Stop() {
  if (server_ == nullptr) return;
  {
    absl::MutexLock lock(&stop_mu_);
    stopping_ = true;
  }
  server_->stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
  port_ = 0;
}

int Sandbox::port() const { return port_; }

std::string Sandbox::BaseUrl() const {
  return absl::StrCat("http://", host_.empty() ? "127.0.0.1" : host_, ":", port_, "/open_api");
}

absl::StatusOr<int64_t> Sandbox::AddFault(const FaultSpec& spec) { return faults_.Add(spec); }

absl::StatusOr<int64_t> Sandbox::AddFault(const std::string& text_spec) {
  absl::StatusOr<FaultSpec> spec = ParseFaultSpec(text_spec);
  if (!spec.ok()) return spec.status();
  return faults_.Add(*spec);
}

bool Sandbox::RemoveFault(int64_t id) { return faults_.Remove(id); }
void Sandbox::ClearFaults() { faults_.Clear(); }
Json Sandbox::Faults() const { return faults_.List(); }

std::vector<RequestLogEntry> Sandbox::RequestLog(const std::string& endpoint) const {
  return log_.Entries(endpoint);
}
void Sandbox::ClearRequestLog() { log_.Clear(); }

absl::Time Sandbox::Now() const { return clock_.Now(); }
void Sandbox::SetClock(absl::Time now, bool freeze) { clock_.Set(now, freeze); }
void Sandbox::AdvanceClock(absl::Duration delta) { clock_.Advance(delta); }

absl::Status Sandbox::LoadSeed(const std::string& json_text, bool reset) {
  std::optional<Json> seed = ParseJson(json_text);
  if (!seed) return absl::InvalidArgumentError("seed: not valid JSON");
  return api_.LoadSeed(*seed, reset);
}

absl::Status Sandbox::LoadSeedFile(const std::string& path, bool reset) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read seed file ", path));
  std::stringstream text;
  text << in.rdbuf();
  absl::Status status = LoadSeed(text.str(), reset);
  if (!status.ok()) return absl::Status(status.code(), absl::StrCat(path, ": ", status.message()));
  return status;
}

Json Sandbox::StateSummary() { return api_.Summary(); }
std::vector<std::string> Sandbox::AccessTokens() { return api_.AccessTokens(); }

absl::StatusOr<std::string> Sandbox::IssueAuthCode(const std::string& app_id,
                                                   const std::vector<std::string>& advertiser_ids) {
  return api_.IssueAuthCode(app_id, advertiser_ids);
}

SandboxConfig Sandbox::config() { return api_.config(); }
void Sandbox::set_config(const SandboxConfig& config) { api_.set_config(config); }
void Sandbox::ResetRateLimits() { rate_limiter_.Reset(); }

void Sandbox::Sleep(absl::Duration delay) {
  if (delay <= absl::ZeroDuration()) return;
  absl::MutexLock lock(&stop_mu_);
  stop_mu_.AwaitWithTimeout(absl::Condition(&stopping_), delay);
}

void Sandbox::DropConnection(const httplib::Request& req) {
  // httplib does not hand the socket to handlers; find it by its two endpoints.
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return;
  while (dirent* entry = readdir(dir)) {
    int fd = 0;
    if (!absl::SimpleAtoi(entry->d_name, &fd) || fd == dirfd(dir)) continue;
    sockaddr_in local{};
    sockaddr_in peer{};
    socklen_t local_len = sizeof(local);
    socklen_t peer_len = sizeof(peer);
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) != 0 ||
        local.sin_family != AF_INET || ntohs(local.sin_port) != port_) {
      continue;
    }
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0) continue;
    char address[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &peer.sin_addr, address, sizeof(address));
    if (ntohs(peer.sin_port) == req.remote_port && req.remote_addr == address) {
      shutdown(fd, SHUT_RDWR);
      break;
    }
  }
  closedir(dir);
}

void Sandbox::Serve(const httplib::Request& req, httplib::Response& res) {
  if (absl::StartsWith(req.path, kControlPrefix)) {
    try {
      ServeControl(req, res);
    } catch (const std::exception& error) {
      ReplyError(res, 400, error.what());
    }
    return;
  }
  const auto started = std::chrono::steady_clock::now();
  RequestLogEntry entry;
  entry.time = clock_.Now();
  entry.method = req.method;
  entry.path = req.path;
  entry.endpoint = TikTokApi::RoutedEndpoint(req.method, req.path);
  DescribeRequest(req, entry);

  FaultPlan plan;
  if (!entry.endpoint.empty()) plan = faults_.Plan(req.method, entry.endpoint);
  Sleep(absl::Milliseconds(api_.config().latency_ms + plan.latency_ms));
  if (plan.latency_ms > 0) entry.fault = "latency";

  ApiResponse answer;
  bool handled = false;
  auto apply_fault = [&](const FaultSpec& fault) {
    entry.fault = FaultKindName(fault.kind);
    switch (fault.kind) {
      case FaultKind::kError: {
        ApiResponse error;
        error.endpoint = entry.endpoint;
        error.request_id = api_.NewRequestId();
        error.code = fault.code;
        error.message = fault.message.empty() ? DefaultErrorMessage(fault.code) : fault.message;
        error.headers["X-Tt-Logid"] = error.request_id;
        error.body = Dump(Json{{"code", fault.code},
                               {"message", error.message},
                               {"request_id", error.request_id},
                               {"data", Json::object()}});
        answer = std::move(error);
        break;
      }
      case FaultKind::kHttpStatus:
        answer = ApiResponse{};
        answer.http_status = fault.http_status;
        answer.content_type = "text/html";
        answer.body = GatewayPage(fault.http_status);
        break;
      case FaultKind::kHtml:
        answer = ApiResponse{};
        answer.http_status = fault.http_status;
        answer.content_type = "text/html; charset=UTF-8";
        answer.body = kHtmlPage;
        break;
      case FaultKind::kDrop:
        DropConnection(req);
        answer = ApiResponse{};
        answer.http_status = 0;
        break;
      case FaultKind::kTimeout:
        Sleep(absl::Milliseconds(fault.delay_ms));
        break;
      case FaultKind::kLatency:
        break;
    }
  };
  if (plan.terminal && !plan.terminal->after) {
    apply_fault(*plan.terminal);
    handled = true;
  }
  if (!handled) {
    answer = api_.Handle(ToApiRequest(req));
    if (plan.terminal) apply_fault(*plan.terminal);
  }

  res.status = answer.http_status == 0 ? 500 : answer.http_status;
  for (const auto& [name, value] : answer.headers) res.set_header(name, value);
  res.set_content(answer.body, answer.content_type);

  entry.http_status = answer.http_status;
  entry.code = answer.code;
  entry.message = answer.message;
  entry.request_id = answer.request_id;
  entry.duration_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  log_.Append(std::move(entry));
}

void Sandbox::ServeControl(const httplib::Request& req, httplib::Response& res) {
  absl::string_view path = absl::StripPrefix(req.path, kControlPrefix);
  absl::ConsumeSuffix(&path, "/");
  const std::string what(path);
  const std::string& method = req.method;
  std::optional<Json> body;
  if (!req.body.empty()) {
    body = ParseJson(req.body);
    if (!body) return ReplyError(res, 400, "the body is not valid JSON");
  }

  if (what == "health" && method == "GET") {
    return ReplyJson(res, 200, Json{{"status", "ok"}, {"port", port_}});
  }
  if (what == "requests") {
    if (method == "GET") {
      int64_t after = 0;
      if (req.has_param("after") && !absl::SimpleAtoi(req.get_param_value("after"), &after)) {
        return ReplyError(res, 400, "after: expected a request sequence number");
      }
      Json list = Json::array();
      for (const RequestLogEntry& entry : log_.Entries(req.get_param_value("endpoint"), after)) {
        list.push_back(RequestLogEntryToJson(entry));
      }
      size_t count = list.size();
      return ReplyJson(res, 200, Json{{"requests", std::move(list)}, {"count", count}});
    }
    if (method == "DELETE") return ReplyJson(res, 200, Json{{"cleared", log_.Clear()}});
  }
  if (what == "faults") {
    if (method == "GET") return ReplyJson(res, 200, Json{{"faults", faults_.List()}});
    if (method == "DELETE") {
      faults_.Clear();
      return ReplyJson(res, 200, Json{{"faults", Json::array()}});
    }
    if (method == "POST") {
      if (!body) return ReplyError(res, 400, "POST /_sandbox/faults needs a JSON body");
      Json to_add = Json::array();
      if (body->is_array()) {
        to_add = *body;
      } else if (body->contains("kind") || body->contains("spec")) {
        to_add.push_back(*body);
      } else {
        if (body->value("clear", false)) faults_.Clear();
        if (body->contains("remove")) {
          for (const Json& id : (*body)["remove"]) faults_.Remove(id.get<int64_t>());
        }
        if (body->contains("add")) to_add = (*body)["add"];
      }
      std::vector<FaultSpec> specs;
      for (const Json& item : to_add) {
        absl::StatusOr<FaultSpec> spec =
            item.is_string() ? ParseFaultSpec(item.get<std::string>()) : FaultSpecFromJson(item);
        if (!spec.ok()) return ReplyError(res, 400, std::string(spec.status().message()));
        specs.push_back(*spec);
      }
      Json ids = Json::array();
      for (const FaultSpec& spec : specs) ids.push_back(faults_.Add(spec));
      return ReplyJson(res, 200, Json{{"ids", std::move(ids)}, {"faults", faults_.List()}});
    }
  }
  if (what == "clock") {
    if (method == "POST") {
      if (!body || !body->is_object()) return ReplyError(res, 400, "expected a JSON object");
      if (body->contains("set")) {
        std::optional<absl::Time> t = ParseControlTime((*body)["set"].get<std::string>());
        if (!t) return ReplyError(res, 400, "set: expected RFC 3339 or YYYY-MM-DD HH:MM:SS");
        clock_.Set(*t, body->value("freeze", clock_.frozen()));
      } else if (body->contains("freeze")) {
        clock_.SetFrozen((*body)["freeze"].get<bool>());
      }
      if (body->contains("advance_seconds")) {
        clock_.Advance(absl::Seconds((*body)["advance_seconds"].get<double>()));
      }
    } else if (method != "GET") {
      return ReplyError(res, 404, "not found");
    }
    return ReplyJson(res, 200,
                     Json{{"now", FormatRfc3339(clock_.Now())}, {"frozen", clock_.frozen()}});
  }
  if (what == "seed" && method == "POST") {
    if (!body) return ReplyError(res, 400, "POST /_sandbox/seed needs the seed document");
    bool reset = req.get_param_value("reset") == "true" || req.get_param_value("reset") == "1";
    absl::Status status = api_.LoadSeed(*body, reset);
    if (!status.ok()) return ReplyError(res, 400, std::string(status.message()));
    return ReplyJson(res, 200, Json{{"state", api_.Summary()}});
  }
  if (what == "state" && method == "GET") return ReplyJson(res, 200, api_.Summary());
  if (what == "config") {
    if (method == "POST") {
      if (!body) return ReplyError(res, 400, "POST /_sandbox/config needs a JSON body");
      SandboxConfig config = api_.config();
      absl::Status status = ConfigFromJson(*body, config);
      if (!status.ok()) return ReplyError(res, 400, std::string(status.message()));
      api_.set_config(config);
      if (body->value("reset_rate_limits", false)) rate_limiter_.Reset();
    } else if (method != "GET") {
      return ReplyError(res, 404, "not found");
    }
    return ReplyJson(res, 200, ConfigToJson(api_.config()));
  }
  if (what == "auth_codes" && method == "POST") {
    if (!body || !body->contains("app_id")) return ReplyError(res, 400, "app_id is required");
    std::vector<std::string> advertiser_ids;
    if (body->contains("advertiser_ids")) {
      advertiser_ids = (*body)["advertiser_ids"].get<std::vector<std::string>>();
    }
    absl::StatusOr<std::string> code =
        api_.IssueAuthCode((*body)["app_id"].get<std::string>(), advertiser_ids);
    if (!code.ok()) return ReplyError(res, 400, std::string(code.status().message()));
    return ReplyJson(res, 200, Json{{"auth_code", *code}});
  }
  return ReplyError(res, 404, absl::StrCat("no control endpoint ", method, " ", req.path));
}

}  // namespace ttads::sandbox

#include "test/tiktok/scripted_server.h"

#include <httplib.h>

#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace ttads::tiktok::testing {
namespace {

constexpr char kPrefix[] = "/open_api/v1.3/";

}  // namespace

ScriptedResponse ScriptedResponse::Envelope(int64_t code, const std::string& data_json,
                                            const std::string& message,
                                            const std::string& request_id) {
  ScriptedResponse response;
  response.body = absl::StrCat(R"({"code":)", code, R"(,"message":")", message,
                               R"(","request_id":")", request_id, R"(","data":)", data_json,
                               "}");
  return response;
}

ScriptedResponse ScriptedResponse::Html(int status, const std::string& body) {
  ScriptedResponse response;
  response.status = status;
  response.body = body;
  response.content_type = "text/html";
  return response;
}

ScriptedResponse ScriptedResponse::Dropped() {
  ScriptedResponse response;
  response.drop = true;
  response.body = R"({"code":0,"message":"OK","request_id":"lost","data":{"campaign_id":"1"}})";
  return response;
}

ScriptedResponse ScriptedResponse::Slow(absl::Duration delay, ScriptedResponse then) {
  then.delay = delay;
  return then;
}

std::string RecordedRequest::Header(const std::string& name) const {
  for (const auto& [key, value] : headers) {
    if (absl::EqualsIgnoreCase(key, name)) return value;
  }
  return "";
}

ScriptedServer::ScriptedServer() : server_(std::make_unique<httplib::Server>()) {
  server_->set_keep_alive_max_count(100000);
  server_->set_keep_alive_timeout(30);
  auto handler = [this](const httplib::Request& req, httplib::Response& res) {
    RecordedRequest request;
    request.method = req.method;
    request.path = req.path;
    if (absl::StartsWith(request.path, kPrefix)) {
      request.path = request.path.substr(sizeof(kPrefix) - 1);
    }
    for (const auto& [key, value] : req.params) request.params[key] = value;
    request.body = req.body;
    for (const auto& [key, value] : req.headers) request.headers.emplace(key, value);
    request.remote = absl::StrCat(req.remote_addr, ":", req.remote_port);
    for (const auto& [name, part] : req.files) {
      request.files.push_back({part.name, part.filename, part.content_type, part.content});
    }
    const ScriptedResponse response = Answer(request);
    if (response.delay > absl::ZeroDuration()) absl::SleepFor(response.delay);
    res.status = response.status;
    for (const auto& [key, value] : response.headers) res.set_header(key, value);
    if (response.drop) {
      const std::string body = response.body;
      res.set_content_provider(
          body.size() + 100, response.content_type,
          [body](size_t offset, size_t, httplib::DataSink& sink) {
            if (offset == 0) sink.write(body.data(), body.size() / 2);
            return false;  // abort: the connection is closed mid-body
          });
      return;
    }
    res.set_content(response.body, response.content_type);
  };
  const std::string pattern = R"(/open_api/v1\.3/.*)";
  server_->Get(pattern, handler);
  server_->Post(pattern, handler);
  port_ = server_->bind_to_any_port("127.0.0.1");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
}

ScriptedServer::~ScriptedServer() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string ScriptedServer::base_url() const {
  return absl::StrCat("http://127.0.0.1:", port_, "/open_api");
}

void ScriptedServer::Script(const std::string& path, std::vector<ScriptedResponse> responses) {
  absl::MutexLock lock(&mutex_);
  handlers_.erase(path);
  scripts_[path] = std::deque<ScriptedResponse>(responses.begin(), responses.end());
}

void ScriptedServer::Handle(const std::string& path, Handler handler) {
  absl::MutexLock lock(&mutex_);
  scripts_.erase(path);
  handlers_[path] = std::move(handler);
}

ScriptedResponse ScriptedServer::Answer(const RecordedRequest& request) {
  Handler handler;
  {
    absl::MutexLock lock(&mutex_);
    requests_.push_back(request);
    if (auto it = handlers_.find(request.path); it != handlers_.end()) {
      handler = it->second;
    } else if (auto script = scripts_.find(request.path);
               script != scripts_.end() && !script->second.empty()) {
      ScriptedResponse next = script->second.front();
      if (script->second.size() > 1) script->second.pop_front();
      return next;
    } else {
      return ScriptedResponse::Html(404, "<html>page not found</html>");
    }
  }
  return handler(request);
}

std::vector<RecordedRequest> ScriptedServer::Requests() const {
  absl::MutexLock lock(&mutex_);
  return requests_;
}

std::vector<RecordedRequest> ScriptedServer::RequestsTo(const std::string& path) const {
  std::vector<RecordedRequest> out;
  for (RecordedRequest& request : Requests()) {
    if (request.path == path) out.push_back(std::move(request));
  }
  return out;
}

size_t ScriptedServer::ConnectionCount() const {
  std::set<std::string> remotes;
  for (const RecordedRequest& request : Requests()) remotes.insert(request.remote);
  return remotes.size();
}

}  // namespace ttads::tiktok::testing

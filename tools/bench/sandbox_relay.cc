#include "tools/bench/sandbox_relay.h"

#include <chrono>

#include "absl/strings/ascii.h"
#include "httplib.h"

namespace ttads::bench {

SandboxRelay::~SandboxRelay() { Stop(); }

absl::StatusOr<int> SandboxRelay::Start(int sandbox_port) {
  server_ = std::make_unique<httplib::Server>();
  server_->new_task_queue = [] { return new httplib::ThreadPool(32); };
  const auto relay = [sandbox_port](const httplib::Request& req, httplib::Response& res) {
    httplib::Client client("127.0.0.1", sandbox_port);
    client.set_read_timeout(120, 0);
    client.set_decompress(false);
    client.set_url_encode(false);  // the target is relayed as the client encoded it
    httplib::Headers headers;
    for (const auto& [name, value] : req.headers) {
      const std::string lower = absl::AsciiStrToLower(name);
      if (lower == "accept-encoding" || lower == "host" || lower == "content-length" ||
          lower == "connection" || lower == "remote_addr" || lower == "remote_port" ||
          lower == "local_addr" || lower == "local_port") {
        continue;
      }
      headers.emplace(name, value);
    }
    const std::string target = req.target.empty() ? req.path : req.target;
    const std::string content_type = req.get_header_value("Content-Type");
    const auto send = [&]() -> httplib::Result {
      if (req.method == "POST") return client.Post(target, headers, req.body, content_type);
      if (req.method == "DELETE") return client.Delete(target, headers, req.body, content_type);
      return client.Get(target, headers);
    };
    httplib::Result result = send();
    if (!result) {
      res.status = 502;
      return;
    }
    res.status = result->status;
    for (const auto& [name, value] : result->headers) {
      const std::string lower = absl::AsciiStrToLower(name);
      if (lower == "content-length" || lower == "content-type" || lower == "content-encoding" ||
          lower == "transfer-encoding" || lower == "connection" || lower == "keep-alive") {
        continue;
      }
      res.set_header(name, value);
    }
    // A content type the relay's own HTTP library does not compress either.
    std::string type = result->get_header_value("Content-Type");
    if (type == "application/json") type = "application/json; charset=utf-8";
    res.set_content(result->body, type.empty() ? "text/plain" : type);
  };
  server_->Get(".*", relay);
  server_->Post(".*", relay);
  server_->Delete(".*", relay);
  const int port = server_->bind_to_any_port("127.0.0.1");
  if (port <= 0) return absl::UnavailableError("the relay cannot listen");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  for (int i = 0; i < 1000 && !server_->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return port;
}

void SandboxRelay::Stop() {
  if (server_ != nullptr) server_->stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
}

}  // namespace ttads::bench

// A tiny local HTTP server (cpp-httplib) that answers the TikTok client with scripted
// responses, so client tests run over real HTTP (no mocked libcurl). Minimal on purpose: the
// stateful TikTok stand-in is the sandbox (tools/sandbox); this only replays scripts and
// records what it received.
#ifndef TTADS_TEST_TIKTOK_SCRIPTED_SERVER_H_
#define TTADS_TEST_TIKTOK_SCRIPTED_SERVER_H_

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace httplib {
class Server;
}

namespace ttads::tiktok::testing {

struct ScriptedResponse {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  absl::Duration delay;  // wait before answering (slow responses)
  bool drop = false;     // send the headers and part of the body, then close the connection

  // {"code":code,"message":message,"request_id":request_id,"data":data_json}
  static ScriptedResponse Envelope(int64_t code, const std::string& data_json = "{}",
                                   const std::string& message = "OK",
                                   const std::string& request_id = "req-1");
  static ScriptedResponse Html(int status, const std::string& body = "<html>Bad gateway</html>");
  static ScriptedResponse Dropped();
  static ScriptedResponse Slow(absl::Duration delay, ScriptedResponse then);
};

struct RecordedFile {
  std::string name;
  std::string file_name;
  std::string content_type;
  std::string content;
};

struct RecordedRequest {
  std::string method;
  std::string path;  // after /open_api/v1.3/, e.g. "campaign/get/"
  std::map<std::string, std::string> params;  // decoded query (or url-encoded form)
  std::string body;
  std::multimap<std::string, std::string> headers;  // names as received
  std::string remote;                               // "addr:port" = one TCP connection
  std::vector<RecordedFile> files;                  // multipart parts (fields and files)
  std::string Header(const std::string& name) const;
};

class ScriptedServer {
 public:
  using Handler = std::function<ScriptedResponse(const RecordedRequest&)>;

  ScriptedServer();  // listens on 127.0.0.1, a free port
  ~ScriptedServer();
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  // For TikTokClientConfig::base_url (the version "v1.3" is appended by the client).
  std::string base_url() const;
  int port() const { return port_; }

  // Answers to `path` in order; the last one repeats. Replaces any handler of the path.
  void Script(const std::string& path, std::vector<ScriptedResponse> responses);
  void Handle(const std::string& path, Handler handler);

  std::vector<RecordedRequest> Requests() const;
  std::vector<RecordedRequest> RequestsTo(const std::string& path) const;
  int CountTo(const std::string& path) const { return static_cast<int>(RequestsTo(path).size()); }
  // Distinct client TCP connections seen so far.
  size_t ConnectionCount() const;

 private:
  ScriptedResponse Answer(const RecordedRequest& request);

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  mutable absl::Mutex mutex_;
  std::map<std::string, std::deque<ScriptedResponse>> scripts_ ABSL_GUARDED_BY(mutex_);
  std::map<std::string, Handler> handlers_ ABSL_GUARDED_BY(mutex_);
  std::vector<RecordedRequest> requests_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace ttads::tiktok::testing

#endif  // TTADS_TEST_TIKTOK_SCRIPTED_SERVER_H_

// A local HTTP server for creative media in launch tests: /media/<name> answers bytes derived
// from the name (a PNG header for *.png, so the TikTok sandbox reads an image's format and size).
#ifndef TTADS_TEST_INTEGRATION_MEDIA_SERVER_H_
#define TTADS_TEST_INTEGRATION_MEDIA_SERVER_H_

#include <httplib.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace ttads::testing {

class MediaServer {
 public:
  MediaServer() : server_(std::make_unique<httplib::Server>()) {
    server_->Get(R"(/media/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
      ++requests_;
      const std::string name = req.matches[1];
      const bool image = name.size() > 4 && name.substr(name.size() - 4) == ".png";
      std::string body;
      if (image) {
        // A PNG header of a 720x1280 picture.
        body = std::string("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\x02\xd0\0\0\x05\0", 24);
      }
      for (int i = 0; i < 64; ++i) absl::StrAppend(&body, name, ":", i, ";");
      res.set_content(body, image ? "image/png" : "video/mp4");
    });
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    while (!server_->is_running()) absl::SleepFor(absl::Milliseconds(1));
  }
  ~MediaServer() {
    server_->stop();
    thread_.join();
  }
  std::string Url(const std::string& name) const {
    return absl::StrCat("http://127.0.0.1:", port_, "/media/", name);
  }
  int requests() const { return requests_; }

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<int> requests_{0};
};

}  // namespace ttads::testing

#endif  // TTADS_TEST_INTEGRATION_MEDIA_SERVER_H_

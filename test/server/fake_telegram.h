// A local stand-in for the Telegram Bot API (cpp-httplib on 127.0.0.1, port picked by the OS):
// records every sendMessage and answers {"ok":true} unless told otherwise.
#ifndef TTADS_TEST_SERVER_FAKE_TELEGRAM_H_
#define TTADS_TEST_SERVER_FAKE_TELEGRAM_H_

#include <httplib.h>

#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"

namespace ttads::testing {

class FakeTelegram {
 public:
  struct Message {
    std::string path;
    std::string token;  // from the path /bot<token>/sendMessage
    nlohmann::json body;
  };
  struct Answer {
    int status = 200;
    std::string body = R"({"ok":true,"result":{"message_id":1}})";
  };

  FakeTelegram() : server_(std::make_unique<httplib::Server>()) {
    server_->Post(R"(/bot([^/]+)/sendMessage)",
                  [this](const httplib::Request& req, httplib::Response& res) {
                    Message message;
                    message.path = req.path;
                    message.token = req.matches[1];
                    message.body = nlohmann::json::parse(req.body, nullptr, false);
                    Answer answer;
                    {
                      absl::MutexLock lock(&mutex_);
                      messages_.push_back(std::move(message));
                      if (!answers_.empty()) {
                        answer = answers_.front();
                        answers_.pop_front();
                      }
                    }
                    res.status = answer.status;
                    res.set_content(answer.body, "application/json");
                  });
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    while (!server_->is_running()) absl::SleepFor(absl::Milliseconds(1));
  }
  ~FakeTelegram() {
    server_->stop();
    if (thread_.joinable()) thread_.join();
  }
  FakeTelegram(const FakeTelegram&) = delete;
  FakeTelegram& operator=(const FakeTelegram&) = delete;

  std::string BaseUrl() const { return absl::StrCat("http://127.0.0.1:", port_); }
  // The next requests get these answers, in order; then {"ok":true} again.
  void AnswerNext(Answer answer) {
    absl::MutexLock lock(&mutex_);
    answers_.push_back(std::move(answer));
  }
  std::vector<Message> Messages() const {
    absl::MutexLock lock(&mutex_);
    return messages_;
  }
  // Waits until at least `count` messages arrived; false on timeout.
  bool WaitForMessages(std::size_t count, absl::Duration timeout = absl::Seconds(10)) const {
    const absl::Time deadline = absl::Now() + timeout;
    while (absl::Now() < deadline) {
      if (Messages().size() >= count) return true;
      absl::SleepFor(absl::Milliseconds(10));
    }
    return Messages().size() >= count;
  }

 private:
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  std::thread thread_;
  mutable absl::Mutex mutex_;
  std::vector<Message> messages_ ABSL_GUARDED_BY(mutex_);
  std::deque<Answer> answers_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace ttads::testing

#endif  // TTADS_TEST_SERVER_FAKE_TELEGRAM_H_

#include "server/background_queue.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "server/log.h"

namespace ttads::server {

BackgroundQueue::BackgroundQueue(std::string name, std::size_t max_pending,
                                 absl::Duration drain_timeout)
    : name_(std::move(name)),
      max_pending_(max_pending),
      drain_timeout_(drain_timeout),
      worker_([this] { Run(); }) {}

BackgroundQueue::~BackgroundQueue() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
    stop_deadline_ = absl::Now() + drain_timeout_;
  }
  worker_.join();
}

bool BackgroundQueue::Post(std::function<void()> task) {
  absl::MutexLock lock(&mutex_);
  if (stopping_ || tasks_.size() >= max_pending_) {
    LogWarning("background_task_dropped", {{"queue", name_},
                                           {"reason", stopping_ ? "stopping" : "backlog full"}});
    return false;
  }
  tasks_.push_back(std::move(task));
  return true;
}

void BackgroundQueue::Drain() {
  absl::MutexLock lock(&mutex_);
  mutex_.Await(absl::Condition(this, &BackgroundQueue::Idle));
}

void BackgroundQueue::Run() {
  while (true) {
    std::function<void()> task;
    {
      absl::MutexLock lock(&mutex_);
      busy_ = false;
      mutex_.Await(absl::Condition(this, &BackgroundQueue::HasWorkOrStops));
      if (tasks_.empty()) return;  // stopping, nothing left
      if (stopping_ && absl::Now() > stop_deadline_) {
        LogWarning("background_tasks_abandoned",
                   {{"queue", name_}, {"count", absl::StrCat(tasks_.size())}});
        tasks_.clear();
        return;
      }
      task = std::move(tasks_.front());
      tasks_.pop_front();
      busy_ = true;
    }
    task();
  }
}

}  // namespace ttads::server

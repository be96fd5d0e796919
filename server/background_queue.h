// One worker thread running tasks in order, off the RPC threads: notifications that must not
// delay a call (Telegram). Owned by the server and joined on shutdown, never detached.
#ifndef TTADS_SERVER_BACKGROUND_QUEUE_H_
#define TTADS_SERVER_BACKGROUND_QUEUE_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace ttads::server {

class BackgroundQueue {
 public:
  // `max_pending` bounds the backlog; on destruction the backlog may run for `drain_timeout`
  // more, what is left after that is dropped (and logged).
  explicit BackgroundQueue(std::string name, std::size_t max_pending = 256,
                           absl::Duration drain_timeout = absl::Seconds(10));
  ~BackgroundQueue();
  BackgroundQueue(const BackgroundQueue&) = delete;
  BackgroundQueue& operator=(const BackgroundQueue&) = delete;

  // Queues `task`. False (the task is dropped) when the backlog is full or the queue stops.
  // A task must not throw.
  bool Post(std::function<void()> task);
  // Blocks until every task posted before the call has finished (tests, orderly shutdown).
  void Drain();

 private:
  void Run();
  bool Idle() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) { return tasks_.empty() && !busy_; }
  bool HasWorkOrStops() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    return !tasks_.empty() || stopping_;
  }

  const std::string name_;
  const std::size_t max_pending_;
  const absl::Duration drain_timeout_;
  absl::Mutex mutex_;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mutex_);
  bool busy_ ABSL_GUARDED_BY(mutex_) = false;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  absl::Time stop_deadline_ ABSL_GUARDED_BY(mutex_) = absl::InfiniteFuture();
  std::thread worker_;  // last: starts once everything above is initialised
};

}  // namespace ttads::server

#endif  // TTADS_SERVER_BACKGROUND_QUEUE_H_

// Time as the TikTok client sees it: Now() for deadlines and rate limiting, SleepFor() for
// backoff and limiter waits. Tests inject a fake so retries and waits cost no real time.
// (Same pattern as server/clock.h; tiktok/ depends on nothing of ours.)
#ifndef TTADS_TIKTOK_CLOCK_H_
#define TTADS_TIKTOK_CLOCK_H_

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace ttads::tiktok {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() = 0;
  // Blocks the calling thread for `duration` (returns at once for zero or negative).
  virtual void SleepFor(absl::Duration duration) = 0;
};

// The real clock; safe to share between threads.
class SystemClock final : public Clock {
 public:
  absl::Time Now() override { return absl::Now(); }
  void SleepFor(absl::Duration duration) override {
    if (duration > absl::ZeroDuration()) absl::SleepFor(duration);
  }
  static Clock* Get() {
    static SystemClock* const clock = new SystemClock();
    return clock;
  }
};

}  // namespace ttads::tiktok

#endif  // TTADS_TIKTOK_CLOCK_H_

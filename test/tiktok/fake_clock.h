// A controllable Clock for the TikTok client tests.
//   kAutoAdvance: SleepFor records the duration and moves time forward at once (backoff
//                 schedules without real waiting).
//   kRecordOnly:  SleepFor records and returns; time moves only with Advance.
//   kManual:      SleepFor blocks until Advance moves time past its wake-up point (concurrent
//                 callers of the rate limiter).
#ifndef TTADS_TEST_TIKTOK_FAKE_CLOCK_H_
#define TTADS_TEST_TIKTOK_FAKE_CLOCK_H_

#include <algorithm>
#include <set>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "tiktok/clock.h"

namespace ttads::tiktok::testing {

class FakeClock final : public Clock {
 public:
  enum class Mode { kAutoAdvance, kRecordOnly, kManual };
  explicit FakeClock(Mode mode, absl::Time start = absl::FromUnixSeconds(1700000000))
      : mode_(mode), now_(start) {}

  absl::Time Now() override {
    absl::MutexLock lock(&mutex_);
    return now_;
  }

  void SleepFor(absl::Duration duration) override {
    absl::MutexLock lock(&mutex_);
    sleeps_.push_back(duration);
    if (duration <= absl::ZeroDuration()) return;
    switch (mode_) {
      case Mode::kAutoAdvance:
        now_ += duration;
        return;
      case Mode::kRecordOnly:
        return;
      case Mode::kManual: {
        const absl::Time wake = now_ + duration;
        auto it = wakeups_.insert(wake);
        std::pair<absl::Time*, absl::Time> args(&now_, wake);
        mutex_.Await(absl::Condition(
            +[](std::pair<absl::Time*, absl::Time>* a) { return *a->first >= a->second; },
            &args));
        wakeups_.erase(it);
        return;
      }
    }
  }

  void Advance(absl::Duration by) {
    absl::MutexLock lock(&mutex_);
    now_ += by;
  }

  // kManual: moves time to the earliest pending wake-up; false when nobody sleeps.
  bool AdvanceToNextWakeup() {
    absl::MutexLock lock(&mutex_);
    for (const absl::Time wake : wakeups_) {
      if (wake > now_) {
        now_ = wake;
        return true;
      }
    }
    return false;
  }

  // kManual: callers still waiting for time to pass.
  int Blocked() {
    absl::MutexLock lock(&mutex_);
    return static_cast<int>(
        std::count_if(wakeups_.begin(), wakeups_.end(), [&](absl::Time t) { return t > now_; }));
  }

  std::vector<absl::Duration> Sleeps() {
    absl::MutexLock lock(&mutex_);
    return sleeps_;
  }

 private:
  const Mode mode_;
  absl::Mutex mutex_;
  absl::Time now_ ABSL_GUARDED_BY(mutex_);
  std::multiset<absl::Time> wakeups_ ABSL_GUARDED_BY(mutex_);
  std::vector<absl::Duration> sleeps_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace ttads::tiktok::testing

#endif  // TTADS_TEST_TIKTOK_FAKE_CLOCK_H_

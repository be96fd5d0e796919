// The sandbox's settable clock: what "now" is for auth-code expiry, transcoding, lead tasks,
// object timestamps and the report's "today". It follows the real clock with an offset, or
// stands still when frozen. Thread-safe.
#ifndef TTADS_TOOLS_SANDBOX_SANDBOX_CLOCK_H_
#define TTADS_TOOLS_SANDBOX_SANDBOX_CLOCK_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace ttads::sandbox {

class SandboxClock {
 public:
  SandboxClock() = default;

  // The sandbox's current time.
  absl::Time Now() const;
  // Makes Now() return `now`; it keeps ticking from there unless `freeze`.
  void Set(absl::Time now, bool freeze);
  // Moves the clock forward (or back, for a negative `delta`), frozen or not.
  void Advance(absl::Duration delta);
  // Stops the clock at its current time (true) or lets it tick again (false).
  void SetFrozen(bool frozen);
  bool frozen() const;

 private:
  mutable absl::Mutex mu_;
  absl::Duration offset_ ABSL_GUARDED_BY(mu_) = absl::ZeroDuration();
  bool frozen_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time frozen_at_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ttads::sandbox

#endif  // TTADS_TOOLS_SANDBOX_SANDBOX_CLOCK_H_

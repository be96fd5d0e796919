#include "tools/sandbox/sandbox_clock.h"

namespace ttads::sandbox {

absl::Time SandboxClock::Now() const {
  absl::MutexLock lock(&mu_);
  return frozen_ ? frozen_at_ : absl::Now() + offset_;
}

void SandboxClock::Set(absl::Time now, bool freeze) {
  absl::MutexLock lock(&mu_);
  offset_ = now - absl::Now();
  frozen_ = freeze;
  frozen_at_ = now;
}

void SandboxClock::Advance(absl::Duration delta) {
  absl::MutexLock lock(&mu_);
  offset_ += delta;
  frozen_at_ += delta;
}

void SandboxClock::SetFrozen(bool frozen) {
  absl::MutexLock lock(&mu_);
  if (frozen == frozen_) return;
  if (frozen) {
    frozen_at_ = absl::Now() + offset_;
  } else {
    offset_ = frozen_at_ - absl::Now();
  }
  frozen_ = frozen;
}

bool SandboxClock::frozen() const {
  absl::MutexLock lock(&mu_);
  return frozen_;
}

}  // namespace ttads::sandbox

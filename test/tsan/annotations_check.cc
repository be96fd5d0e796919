// Checks the TSan build's absl::Mutex annotations (absl_mutex_annotations.cc) both ways: two
// threads increment one counter under an absl::Mutex, which TSan must not report, and another
// counter with no lock, which it must. ctest matches the report (test/CMakeLists.txt): without
// the annotations TSan reports IncrementUnderLock instead.
#include <thread>

#include "absl/base/attributes.h"
#include "absl/synchronization/mutex.h"

namespace {

absl::Mutex mutex;
int guarded_count ABSL_GUARDED_BY(mutex) = 0;
int unguarded_count = 0;

ABSL_ATTRIBUTE_NOINLINE void IncrementUnderLock() {
  absl::MutexLock lock(&mutex);
  ++guarded_count;
}

ABSL_ATTRIBUTE_NOINLINE void RaceOnPurpose() { ++unguarded_count; }

}  // namespace

int main() {
  const auto work = [] {
    for (int i = 0; i < 1000; ++i) IncrementUnderLock();
    RaceOnPurpose();
  };
  std::thread first(work);
  std::thread second(work);
  first.join();
  second.join();
  absl::MutexLock lock(&mutex);
  return guarded_count == 2000 ? 0 : 1;
}

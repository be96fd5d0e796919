// ThreadSanitizer annotations for Debian's prebuilt absl::Mutex and absl::CondVar.
//
// Debian's Abseil is not built with TSan, so its Mutex takes and releases the lock with atomics
// and futexes TSan never sees: every access guarded by an absl::Mutex would be reported as a race.
// Linked into the test executables of a TTADS_TSAN build only, this file defines the lock
// functions itself. The executable's definitions interpose on libabsl_synchronization.so's; each
// tells TSan what the real function is about to do with the __tsan_mutex_* interface (the calls
// Abseil makes itself when it is built with TSan) and then calls the library's function, found
// with dlsym(RTLD_NEXT).
//
// Only calls from the executable — ttads and the tests, which TSan instruments — are annotated.
// Calls from the shared libraries pass straight through: gRPC's own mutexes sit in memory that
// gRPC hands between threads with atomics TSan cannot see, and Abseil calls its own exported
// functions (AwaitWithTimeout calls AwaitWithDeadline), which must not be annotated twice.
//
// A function the library no longer exports aborts the test with its name: a silently
// unannotated mutex would bring back the false reports, or hide real ones.
#include <dlfcn.h>
#include <link.h>
#include <sanitizer/tsan_interface.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/base/config.h"
#include "absl/base/options.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

#ifndef ABSL_HAVE_THREAD_SANITIZER
#error "absl_mutex_annotations.cc belongs to a -fsanitize=thread build only"
#endif

namespace {

#define TTADS_STRINGIFY_INNER(x) #x
#define TTADS_STRINGIFY(x) TTADS_STRINGIFY_INNER(x)

// The mangled name of absl::<inline namespace>::<nested>; `nested` is the part after it, as
// nm prints it (e.g. "5Mutex4LockEv"). Arguments of absl types refer back to the inline
// namespace as S0_, so only the prefix depends on Debian's namespace name.
std::string AbslSymbol(const char* nested) {
  const std::string inline_namespace = TTADS_STRINGIFY(ABSL_OPTION_INLINE_NAMESPACE_NAME);
  return "_ZN4absl" + std::to_string(inline_namespace.size()) + inline_namespace + nested;
}

template <typename Function>
Function RealFunction(const char* nested) {
  const std::string symbol = AbslSymbol(nested);
  void* const address = dlsym(RTLD_NEXT, symbol.c_str());
  if (address == nullptr) {
    std::fprintf(stderr, "absl_mutex_annotations: %s is not exported by Abseil (%s)\n",
                 symbol.c_str(), dlerror());
    std::abort();
  }
  return reinterpret_cast<Function>(address);
}

// The executable's code, where ttads and the tests are: the first object dl_iterate_phdr visits.
struct AddressRange {
  std::uintptr_t begin = UINTPTR_MAX;
  std::uintptr_t end = 0;
};

int RecordExecutableCode(dl_phdr_info* info, size_t /*size*/, void* data) {
  auto& range = *static_cast<AddressRange*>(data);
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& segment = info->dlpi_phdr[i];
    if (segment.p_type != PT_LOAD || (segment.p_flags & PF_X) == 0) continue;
    range.begin = std::min<std::uintptr_t>(range.begin, info->dlpi_addr + segment.p_vaddr);
    range.end = std::max<std::uintptr_t>(range.end,
                                         info->dlpi_addr + segment.p_vaddr + segment.p_memsz);
  }
  return 1;  // stop after the executable
}

bool CalledFromExecutable(void* return_address) {
  static const AddressRange executable = [] {
    AddressRange range;
    dl_iterate_phdr(RecordExecutableCode, &range);
    return range;
  }();
  const auto address = reinterpret_cast<std::uintptr_t>(return_address);
  return address >= executable.begin && address < executable.end;
}

// Member functions take `this` as their first argument in the Itanium C++ ABI.
using MutexFn = void (*)(absl::Mutex*);
using MutexTryFn = bool (*)(absl::Mutex*);
using ConditionFn = void (*)(absl::Mutex*, const absl::Condition&);
using ConditionDeadlineFn = bool (*)(absl::Mutex*, const absl::Condition&, absl::Time);
using WaitFn = void (*)(absl::CondVar*, absl::Mutex*);
using WaitDeadlineFn = bool (*)(absl::CondVar*, absl::Mutex*, absl::Time);

constexpr unsigned kExclusive = 0;
constexpr unsigned kShared = __tsan_mutex_read_lock;

// A lock that blocks until it is held. Between pre and post TSan ignores memory accesses, so a
// Condition the library evaluates while acquiring is not reported.
template <typename Call>
auto Acquire(absl::Mutex* mutex, unsigned flags, Call&& call) {
  __tsan_mutex_pre_lock(mutex, flags);
  auto result = call();
  __tsan_mutex_post_lock(mutex, flags, 0);
  return result;
}

// A wait that releases the (exclusively held) mutex and holds it again on return: TSan is told of
// the release before and of the acquisition after, and ignores the accesses in between (the
// library evaluates the Condition while it changes hands).
template <typename Call>
auto ReleaseAndReacquire(absl::Mutex* mutex, Call&& call) {
  __tsan_mutex_pre_unlock(mutex, kExclusive);
  auto result = call();
  __tsan_mutex_post_unlock(mutex, kExclusive);
  __tsan_mutex_pre_lock(mutex, kExclusive);
  __tsan_mutex_post_lock(mutex, kExclusive, 0);
  return result;
}

template <typename Call>
bool TryAcquire(absl::Mutex* mutex, unsigned flags, Call&& call) {
  __tsan_mutex_pre_lock(mutex, flags | __tsan_mutex_try_lock);
  const bool acquired = call();
  __tsan_mutex_post_lock(
      mutex, flags | __tsan_mutex_try_lock | (acquired ? 0 : __tsan_mutex_try_lock_failed), 0);
  return acquired;
}

template <typename Call>
void Release(absl::Mutex* mutex, unsigned flags, Call&& call) {
  __tsan_mutex_pre_unlock(mutex, flags);
  call();
  __tsan_mutex_post_unlock(mutex, flags);
}

// The library's *WithTimeout functions tail-call its *WithDeadline ones through the PLT: the
// jump lands in the *WithDeadline wrapper with the original caller's return address, so a wait
// would be annotated twice. The *WithTimeout wrappers therefore never call the library's
// *WithTimeout: they turn the timeout into a deadline as Abseil does and share the
// *WithDeadline wrapper's body, which takes the caller's verdict as `annotate`.
absl::Time DeadlineFromTimeout(absl::Duration timeout) { return absl::Now() + timeout; }

bool LockWhenUntil(absl::Mutex* mutex, unsigned flags, const absl::Condition& cond,
                   absl::Time deadline, bool annotate) {
  static const ConditionDeadlineFn exclusive = RealFunction<ConditionDeadlineFn>(
      "5Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  static const ConditionDeadlineFn shared = RealFunction<ConditionDeadlineFn>(
      "5Mutex26ReaderLockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  const ConditionDeadlineFn real = flags == kShared ? shared : exclusive;
  if (!annotate) return real(mutex, cond, deadline);
  return Acquire(mutex, flags, [&] { return real(mutex, cond, deadline); });
}

bool AwaitUntil(absl::Mutex* mutex, const absl::Condition& cond, absl::Time deadline,
                bool annotate) {
  static const ConditionDeadlineFn real = RealFunction<ConditionDeadlineFn>(
      "5Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  if (!annotate) return real(mutex, cond, deadline);
  return ReleaseAndReacquire(mutex, [&] { return real(mutex, cond, deadline); });
}

bool WaitUntil(absl::CondVar* condvar, absl::Mutex* mutex, absl::Time deadline, bool annotate) {
  static const WaitDeadlineFn real =
      RealFunction<WaitDeadlineFn>("7CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE");
  if (!annotate) return real(condvar, mutex, deadline);
  return ReleaseAndReacquire(mutex, [&] { return real(condvar, mutex, deadline); });
}

// Lets void calls go through the templates above, which return what the call returns.
template <typename Call>
auto AsValue(Call&& call) {
  return [&] {
    call();
    return true;
  };
}

}  // namespace

// Each wrapper decides from its own return address; a helper's would be the wrapper's.
#define TTADS_CALLED_FROM_LIBRARY() (!CalledFromExecutable(__builtin_return_address(0)))

absl::Mutex::~Mutex() {
  static const MutexFn real = RealFunction<MutexFn>("5MutexD1Ev");
  if (!TTADS_CALLED_FROM_LIBRARY()) __tsan_mutex_destroy(this, 0);
  real(this);
}

void absl::Mutex::Lock() {
  static const MutexFn real = RealFunction<MutexFn>("5Mutex4LockEv");
  if (TTADS_CALLED_FROM_LIBRARY()) return real(this);
  Acquire(this, kExclusive, AsValue([&] { real(this); }));
}

void absl::Mutex::Unlock() {
  static const MutexFn real = RealFunction<MutexFn>("5Mutex6UnlockEv");
  if (TTADS_CALLED_FROM_LIBRARY()) return real(this);
  Release(this, kExclusive, [&] { real(this); });
}

bool absl::Mutex::TryLock() {
  static const MutexTryFn real = RealFunction<MutexTryFn>("5Mutex7TryLockEv");
  if (TTADS_CALLED_FROM_LIBRARY()) return real(this);
  return TryAcquire(this, kExclusive, [&] { return real(this); });
}

void absl::Mutex::ReaderLock() {
  static const MutexFn real = RealFunction<MutexFn>("5Mutex10ReaderLockEv");
  if (TTADS_CALLED_FROM_LIBRARY()) return real(this);
  Acquire(this, kShared, AsValue([&] { real(this); }));
}

void absl::Mutex::ReaderUnlock() {
  static const MutexFn real = RealFunction<MutexFn>("5Mutex12ReaderUnlockEv");
  if (TTADS_CALLED_FROM_LIBRARY()) return real(this);
  Release(this, kShared, [&] { real(this); });
}

bool absl::Mutex::ReaderTryLock() {
  static const MutexTryFn real = RealFunction<MutexTryFn>("5Mutex13ReaderTryLockEv");
  if (TTADS_CALLED_FROM_LIBRARY()) return real(this);
  return TryAcquire(this, kShared, [&] { return real(this); });
}

void absl::Mutex::LockWhen(const Condition& cond) {
  static const ConditionFn real = RealFunction<ConditionFn>("5Mutex8LockWhenERKNS0_9ConditionE");
  if (TTADS_CALLED_FROM_LIBRARY()) return real(this, cond);
  Acquire(this, kExclusive, AsValue([&] { real(this, cond); }));
}

void absl::Mutex::ReaderLockWhen(const Condition& cond) {
  static const ConditionFn real =
      RealFunction<ConditionFn>("5Mutex14ReaderLockWhenERKNS0_9ConditionE");
  if (TTADS_CALLED_FROM_LIBRARY()) return real(this, cond);
  Acquire(this, kShared, AsValue([&] { real(this, cond); }));
}

bool absl::Mutex::LockWhenWithTimeout(const Condition& cond, absl::Duration timeout) {
  return LockWhenUntil(this, kExclusive, cond, DeadlineFromTimeout(timeout),
                       !TTADS_CALLED_FROM_LIBRARY());
}

bool absl::Mutex::LockWhenWithDeadline(const Condition& cond, absl::Time deadline) {
  return LockWhenUntil(this, kExclusive, cond, deadline, !TTADS_CALLED_FROM_LIBRARY());
}

bool absl::Mutex::ReaderLockWhenWithTimeout(const Condition& cond, absl::Duration timeout) {
  return LockWhenUntil(this, kShared, cond, DeadlineFromTimeout(timeout),
                       !TTADS_CALLED_FROM_LIBRARY());
}

bool absl::Mutex::ReaderLockWhenWithDeadline(const Condition& cond, absl::Time deadline) {
  return LockWhenUntil(this, kShared, cond, deadline, !TTADS_CALLED_FROM_LIBRARY());
}

void absl::Mutex::Await(const Condition& cond) {
  static const ConditionFn real = RealFunction<ConditionFn>("5Mutex5AwaitERKNS0_9ConditionE");
  if (TTADS_CALLED_FROM_LIBRARY()) return real(this, cond);
  ReleaseAndReacquire(this, AsValue([&] { real(this, cond); }));
}

bool absl::Mutex::AwaitWithTimeout(const Condition& cond, absl::Duration timeout) {
  return AwaitUntil(this, cond, DeadlineFromTimeout(timeout), !TTADS_CALLED_FROM_LIBRARY());
}

bool absl::Mutex::AwaitWithDeadline(const Condition& cond, absl::Time deadline) {
  return AwaitUntil(this, cond, deadline, !TTADS_CALLED_FROM_LIBRARY());
}

void absl::CondVar::Wait(Mutex* mutex) {
  static const WaitFn real = RealFunction<WaitFn>("7CondVar4WaitEPNS0_5MutexE");
  if (TTADS_CALLED_FROM_LIBRARY()) return real(this, mutex);
  ReleaseAndReacquire(mutex, AsValue([&] { real(this, mutex); }));
}

bool absl::CondVar::WaitWithTimeout(Mutex* mutex, absl::Duration timeout) {
  return WaitUntil(this, mutex, DeadlineFromTimeout(timeout), !TTADS_CALLED_FROM_LIBRARY());
}

bool absl::CondVar::WaitWithDeadline(Mutex* mutex, absl::Time deadline) {
  return WaitUntil(this, mutex, deadline, !TTADS_CALLED_FROM_LIBRARY());
}

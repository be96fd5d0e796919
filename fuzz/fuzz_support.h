// Shared pieces of the libFuzzer targets (fuzz/*_fuzz.cc): invariant checks that abort (so
// libFuzzer keeps the input), a TikTok client whose waits cost no time and whose HTTP answers
// come from a function, canned TikTok answers shaped like the sandbox's, and the service cores
// on a throwaway SQLite database with fixed fixture rows.
#ifndef TTADS_FUZZ_FUZZ_SUPPORT_H_
#define TTADS_FUZZ_FUZZ_SUPPORT_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tiktok/clock.h"
#include "tiktok/http_transport.h"
#include "tiktok/tiktok_client.h"

namespace ttads::fuzz {

// An invariant broke: print why and abort (libFuzzer reports a crash and saves the input).
[[noreturn]] void InvariantFailed(const char* file, int line, std::string_view what);
#define FUZZ_CHECK(condition, what)                                               \
  do {                                                                            \
    if (!(condition)) ::ttads::fuzz::InvariantFailed(__FILE__, __LINE__, (what)); \
  } while (false)

// absl::string_view: Debian's Abseil has its own, not an alias of std::string_view.
inline absl::string_view AsText(const uint8_t* data, size_t size) {
  return absl::string_view(reinterpret_cast<const char*>(data), size);
}

// With TTADS_FUZZ_VERBOSE set, prints what a call answered (to check that a seed reaches the
// code it is meant for: run the target on the seed file alone).
void Trace(absl::string_view what, const absl::Status& status);

// Quiets the server's JSON log lines (they would drown libFuzzer's output and cost time).
void QuietLogs();

// A TikTok clock on which backoff and rate-limit waits pass at once.
class InstantClock final : public tiktok::Clock {
 public:
  absl::Time Now() override { return now_; }
  void SleepFor(absl::Duration duration) override {
    if (duration > absl::ZeroDuration()) now_ += duration;
  }

 private:
  absl::Time now_ = absl::FromUnixSeconds(1795600000);  // 2026-11-24
};

// An HTTP transport whose answers come from `answer` (no sockets).
class FunctionTransport final : public tiktok::HttpTransport {
 public:
  using Answer = std::function<tiktok::HttpResponse(const tiktok::HttpRequest&)>;
  explicit FunctionTransport(Answer answer) : answer_(std::move(answer)) {}
  absl::StatusOr<tiktok::HttpResponse> Send(const tiktok::HttpRequest& request,
                                            tiktok::HttpCallInfo* info) override;

 private:
  Answer answer_;
};

// The TikTok API path of a client request ("campaign/get/"), without base URL and query.
std::string TikTokPath(const tiktok::HttpRequest& request);

// A success answer for `request`, shaped like the sandbox's for the same path (advertiser KZT
// 7300000000000000101 and USD 7300000000000000102, one campaign, ad group and ad, a report row).
tiktok::HttpResponse CannedTikTokAnswer(const tiktok::HttpRequest& request);

// The production TikTok client over `transport`, with `clock` for every wait and at most two
// attempts per call (a fuzzed answer must not make a run retry for minutes).
std::unique_ptr<tiktok::TikTokClient> MakeTikTokClient(
    std::shared_ptr<tiktok::HttpTransport> transport, tiktok::Clock* clock);

// Fixed ids of the fixture rows CoreFixture creates (seeds refer to them).
inline constexpr char kUserA[] = "11111111-1111-4111-8111-111111111111";  // legacy credentials
inline constexpr char kUserB[] = "22222222-2222-4222-8222-222222222222";  // multi-account
inline constexpr char kAdAccountB[] = "33333333-3333-4333-8333-333333333333";
inline constexpr char kDirectionA[] = "44444444-4444-4444-8444-444444444444";
inline constexpr char kCreativeA[] = "55555555-5555-4555-8555-555555555555";
inline constexpr char kDirectionB[] = "66666666-6666-4666-8666-666666666666";
inline constexpr char kCreativeB[] = "77777777-7777-4777-8777-777777777777";
inline constexpr char kAdvertiserA[] = "7300000000000000101";
inline constexpr char kAdvertiserB[] = "7300000000000000102";
inline constexpr char kSecretKeyHex[] =
    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

// A migrated SQLite database holding the fixture rows, made once per process; Fresh() gives a
// byte-for-byte copy of it for one input, so every input runs on the same state (a crash
// reproduces from its input alone).
class PristineDatabase {
 public:
  static PristineDatabase& Get();
  // Copies the pristine file to a work file and returns its sqlite: URL.
  std::string Fresh();

 private:
  PristineDatabase();
  std::string dir_;
  std::string pristine_;
  std::string work_;
};

}  // namespace ttads::fuzz

#endif  // TTADS_FUZZ_FUZZ_SUPPORT_H_

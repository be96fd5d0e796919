#include "tools/bench/load_client.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/support/byte_buffer.h"

namespace ttads::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

// One call slot: it always has one call in flight until the end of the run.
class Loop {
 public:
  struct Shared {
    grpc::GenericStub* stub;
    const LoadSpec* spec;
    grpc::ByteBuffer request;
    SteadyClock::time_point measure_from;
    SteadyClock::time_point end;
    std::atomic<int> running{0};
    absl::Notification all_done;
  };

  explicit Loop(Shared& shared) : shared_(shared) {}

  void Start() {
    context_ = std::make_unique<grpc::ClientContext>();
    for (const auto& [name, value] : shared_.spec->metadata) context_->AddMetadata(name, value);
    response_.Clear();
    started_ = SteadyClock::now();
    shared_.stub->UnaryCall(context_.get(), shared_.spec->method, grpc::StubOptions(),
                            &shared_.request, &response_,
                            [this](grpc::Status status) { Done(status); });
  }

  std::vector<double> latencies_ms;
  int64_t errors = 0;
  std::string first_error;

 private:
  void Done(const grpc::Status& status) {
    const SteadyClock::time_point now = SteadyClock::now();
    if (started_ >= shared_.measure_from && now <= shared_.end) {
      latencies_ms.push_back(std::chrono::duration<double, std::milli>(now - started_).count());
      if (!status.ok()) {
        ++errors;
        if (first_error.empty()) {
          first_error = std::to_string(status.error_code()) + " " + status.error_message();
        }
      }
    }
    if (now < shared_.end) {
      Start();
      return;
    }
    if (--shared_.running == 0) shared_.all_done.Notify();
  }

  Shared& shared_;
  std::unique_ptr<grpc::ClientContext> context_;
  grpc::ByteBuffer response_;
  SteadyClock::time_point started_;
};

double Percentile(std::vector<double>& sorted, double fraction) {
  if (sorted.empty()) return 0;
  const size_t index = std::min(sorted.size() - 1, static_cast<size_t>(fraction * sorted.size()));
  return sorted[index];
}

}  // namespace

LoadResult RunLoad(const LoadSpec& spec) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // a connection of its own
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateCustomChannel(spec.target, grpc::InsecureChannelCredentials(), args);
  channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::GenericStub stub(channel);

  Loop::Shared shared;
  shared.stub = &stub;
  shared.spec = &spec;
  grpc::Slice slice(spec.request);
  shared.request = grpc::ByteBuffer(&slice, 1);
  const SteadyClock::time_point begin = SteadyClock::now();
  shared.measure_from = begin + absl::ToChronoNanoseconds(spec.warmup);
  shared.end = shared.measure_from + absl::ToChronoNanoseconds(spec.duration);

  const int concurrency = std::max(1, spec.concurrency);
  std::vector<std::unique_ptr<Loop>> loops;
  for (int i = 0; i < concurrency; ++i) loops.push_back(std::make_unique<Loop>(shared));
  shared.running = concurrency;
  for (auto& loop : loops) loop->Start();
  shared.all_done.WaitForNotification();

  LoadResult result;
  std::vector<double> latencies;
  for (const auto& loop : loops) {
    latencies.insert(latencies.end(), loop->latencies_ms.begin(), loop->latencies_ms.end());
    result.errors += loop->errors;
    if (result.first_error.empty()) result.first_error = loop->first_error;
  }
  std::sort(latencies.begin(), latencies.end());
  result.calls = static_cast<int64_t>(latencies.size());
  result.qps = static_cast<double>(result.calls) / absl::ToDoubleSeconds(spec.duration);
  result.p50_ms = Percentile(latencies, 0.50);
  result.p99_ms = Percentile(latencies, 0.99);
  return result;
}

}  // namespace ttads::bench

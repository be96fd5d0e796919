// ttads-bench-hello: gRPC C++'s minimal hello-world server (the synchronous API, as
// ttads-server uses), the baseline of the server-overhead benchmark. Prints
// {"event":"listening","port":N} on stdout and serves until SIGTERM or SIGINT.
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>

#include "grpcpp/grpcpp.h"
#include "tools/bench/hello.grpc.pb.h"

namespace {

class Greeter final : public ttads::bench::Greeter::Service {
  grpc::Status SayHello(grpc::ServerContext* /*context*/, const ttads::bench::HelloRequest* request,
                        ttads::bench::HelloReply* reply) override {
    reply->set_message("Hello " + request->name());
    return grpc::Status::OK;
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::string address = "127.0.0.1:0";
  if (argc > 1) address = argv[1];
  // Signals are taken by sigwait below, not by a handler.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  Greeter service;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "cannot listen on %s\n", address.c_str());
    return 1;
  }
  std::printf("{\"event\":\"listening\",\"port\":%d}\n", port);
  std::fflush(stdout);
  int received = 0;
  sigwait(&signals, &received);
  server->Shutdown();
  return 0;
}

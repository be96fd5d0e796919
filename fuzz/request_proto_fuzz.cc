// Request messages as the gRPC server hands them to the service cores: wire bytes parsed into
// the RPC's request type and passed to the real core (the same wiring as ttads_server.cc) over
// a fresh copy of the fixture database (fuzz/core_harness.h), TikTok answering with canned
// success envelopes.
//
// Input: byte 0 picks the RPC (kRoutes, in order), byte 1 the caller (operator, user A, user
// B), the rest is the serialized request. fuzz/make_request_seeds.py writes seeds this way.
// Invariants: the core never crashes; an answer it gives parses back from its own wire form
// (so it holds valid UTF-8 and nothing a gRPC client would refuse).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "fuzz/core_harness.h"
#include "fuzz/fuzz_support.h"
#include "server/principal.h"
#include "ttads/v1/account_service.pb.h"
#include "ttads/v1/action_service.pb.h"
#include "ttads/v1/admin_service.pb.h"
#include "ttads/v1/analytics_service.pb.h"
#include "ttads/v1/campaign_builder_service.pb.h"
#include "ttads/v1/creative_service.pb.h"
#include "ttads/v1/direction_service.pb.h"

namespace ttads::fuzz {
namespace {

using server::Principal;
using Route = std::function<void(Cores&, const Principal&, absl::string_view)>;

// The cores as plain pointers, so a route can name its core by member pointer.
struct CorePointers {
  server::DirectionCore* directions;
  server::CreativeCore* creatives;
  server::AdminCore* admin;
  server::AccountCore* accounts;
  server::ActionCore* actions;
  server::CampaignQueryCore* campaigns;
  server::LaunchCore* launches;
  server::AnalyticsCore* analytics;
};

// One RPC: parse `bytes` as its request, call the core, check the answer.
template <typename Core, typename Request, typename Response>
Route On(Core* CorePointers::*core,
         absl::Status (Core::*method)(const Principal&, const Request&, Response&)) {
  return [core, method](Cores& cores, const Principal& principal, absl::string_view bytes) {
    const CorePointers pointers{
        cores.directions.get(), cores.creatives.get(), cores.admin.get(),    cores.accounts.get(),
        cores.actions.get(),    cores.campaigns.get(), cores.launches.get(), cores.analytics.get()};
    Request request;
    if (!request.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return;
    Response response;
    const absl::Status status = ((pointers.*core)->*method)(principal, request, response);
    Trace(Request::descriptor()->name(), status);
    if (!status.ok()) return;
    Response again;
    FUZZ_CHECK(again.ParseFromString(response.SerializeAsString()),
               "an answer does not parse back from its wire form");
  };
}

// Keep in step with ROUTES in fuzz/make_request_seeds.py (seeds name routes by index).
const std::vector<Route>& Routes() {
  using P = CorePointers;
  using namespace server;
  static const auto* const routes = new std::vector<Route>{
      On(&P::directions, &DirectionCore::CreateDirection),            // 0
      On(&P::directions, &DirectionCore::UpdateDirection),            // 1
      On(&P::directions, &DirectionCore::GetDirection),               // 2
      On(&P::directions, &DirectionCore::ListDirections),             // 3
      On(&P::directions, &DirectionCore::SetDirectionAdSettings),     // 4
      On(&P::directions, &DirectionCore::AddDirectionAdGroup),        // 5
      On(&P::directions, &DirectionCore::UpdateDirectionAdGroup),     // 6
      On(&P::directions, &DirectionCore::RemoveDirectionAdGroup),     // 7
      On(&P::creatives, &CreativeCore::CreateCreative),               // 8
      On(&P::creatives, &CreativeCore::UpdateCreative),               // 9
      On(&P::creatives, &CreativeCore::ListCreatives),                // 10
      On(&P::admin, &AdminCore::CreateUserAccount),                   // 11
      On(&P::admin, &AdminCore::UpdateUserAccount),                   // 12
      On(&P::admin, &AdminCore::CreateApiKey),                        // 13
      On(&P::admin, &AdminCore::SetCurrencyRate),                     // 14
      On(&P::accounts, &AccountCore::IssueOAuthState),                // 15
      On(&P::accounts, &AccountCore::ExchangeOAuthCode),              // 16
      On(&P::accounts, &AccountCore::SelectAdvertiser),               // 17
      On(&P::accounts, &AccountCore::CreateAdAccount),                // 18
      On(&P::accounts, &AccountCore::UpdateAccountSettings),          // 19
      On(&P::accounts, &AccountCore::DisconnectAccount),              // 20
      On(&P::accounts, &AccountCore::ListAccounts),                   // 21
      On(&P::actions, &ActionCore::Dispatch),                         // 22
      On(&P::actions, &ActionCore::ListExecutions),                   // 23
      On(&P::campaigns, &CampaignQueryCore::ListCampaigns),           // 24
      On(&P::campaigns, &CampaignQueryCore::PauseCampaign),           // 25
      On(&P::campaigns, &CampaignQueryCore::ResumeCampaign),          // 26
      On(&P::campaigns, &CampaignQueryCore::GetReport),               // 27
      On(&P::campaigns, &CampaignQueryCore::ListAvailableCreatives),  // 28
      On(&P::campaigns, &CampaignQueryCore::GetAdvertiserInfo),       // 29
      On(&P::launches, &LaunchCore::AutoLaunch),                      // 30
      On(&P::launches, &LaunchCore::ManualLaunch),                    // 31
      On(&P::launches, &LaunchCore::ManualLaunchMulti),               // 32
      On(&P::launches, &LaunchCore::CreateCampaign),                  // 33
      On(&P::analytics, &AnalyticsCore::GetRoi),                      // 34
      On(&P::analytics, &AnalyticsCore::TikTokProxy),                 // 35
  };
  return *routes;
}

Principal Caller(uint8_t selector) {
  switch (selector % 3) {
    case 0: return Principal::Operator();
    case 1: return Principal::ForUser(kUserA);
    default: return Principal::ForUser(kUserB, Principal::Kind::kApiKey);
  }
}

}  // namespace
}  // namespace ttads::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ttads::fuzz;
  static const bool quiet = (QuietLogs(), true);
  (void)quiet;
  if (size < 2) return 0;
  const auto& routes = Routes();
  Cores cores;
  routes[data[0] % routes.size()](cores, Caller(data[1]), AsText(data + 2, size - 2));
  return 0;
}

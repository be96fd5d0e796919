// The once-only "TikTok needs re-authorisation" Telegram notice end to end: ttads-server (in
// process, real gRPC) meets a rejected token at the TikTok sandbox (real HTTP) and tells the
// user's Telegram chat through a fake Bot API (real HTTP), on SQLite and PostgreSQL.
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "client/rpc_client.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "storage/ad_account_repository.h"
#include "storage/user_account_repository.h"
#include "test/integration/server_sandbox_fixture.h"
#include "test/server/fake_telegram.h"
#include "ttads/v1/account_service.pb.h"
#include "ttads/v1/action_service.pb.h"

namespace ttads::server {
namespace {

constexpr char kBotToken[] = "777000:server-bot-token";
constexpr char kKzAdvertiser[] = "7400000000000000001";
constexpr char kUsAdvertiser[] = "7400000000000000002";
constexpr char kKzCampaign[] = "7800000000000000001";
constexpr char kChat[] = "555000111";
constexpr char kRejectToken[] = "error:campaign/get/,code=40105,once";

std::string ReasonOf(const absl::Status& status) {
  const auto payload = status.GetPayload("type.googleapis.com/google.rpc.ErrorInfo");
  google::rpc::ErrorInfo info;
  if (!payload.has_value() || !info.ParseFromString(std::string(*payload))) return "";
  return info.reason();
}

class ReauthNoticeTest : public ::ttads::testing::ServerSandboxTest {
 protected:
  void ConfigureServer(ServerConfig& config) override {
    config.telegram_bot_token = kBotToken;
    config.telegram_api_base_url = telegram_.BaseUrl();
  }

  // GetCampaignStatus as `jwt`, on the ad account `account_id` ("" = the legacy credentials).
  absl::Status ReadCampaign(const std::string& jwt, const std::string& key,
                            const std::string& account_id = "") {
    v1::DispatchRequest request;
    request.set_idempotency_key(key);
    request.set_source("test");
    request.mutable_account()->set_account_id(account_id);
    v1::Action* action = request.add_actions();
    action->set_type("TikTok.GetCampaignStatus");
    (*action->mutable_params()->mutable_fields())["campaign_id"].set_string_value(kKzCampaign);
    v1::DispatchResponse response;
    return Client(jwt).Call("ActionService/Dispatch", request, response);
  }
  // Messages that arrived at the fake Telegram; waits a little first so a stray second notice
  // (sent from the server's worker) would be seen.
  std::vector<::ttads::testing::FakeTelegram::Message> SettledMessages() {
    absl::SleepFor(absl::Milliseconds(300));
    return telegram_.Messages();
  }
  void ExpectNotice(const ::ttads::testing::FakeTelegram::Message& message,
                    const std::string& token, const std::string& chat,
                    const std::string& advertiser) {
    EXPECT_EQ(message.token, token);
    ASSERT_TRUE(message.body.is_object());
    EXPECT_EQ(message.body.value("chat_id", ""), chat);
    const std::string text = message.body.value("text", "");
    EXPECT_NE(text.find(advertiser), std::string::npos) << text;
    EXPECT_NE(text.find("Подключите TikTok заново"), std::string::npos) << text;
  }

  ::ttads::testing::FakeTelegram telegram_;  // before the server starts, gone after it stopped
};

TEST_P(ReauthNoticeTest, TheUserIsToldOnceWhenTikTokRejectsTheTokenAndAgainAfterReconnecting) {
  const std::string user = NewUser("alice");
  const std::string jwt = JwtFor(user);
  Connect(jwt, "", kKzAdvertiser);
  v1::UpdateAccountSettingsRequest settings;
  settings.set_user_account_id(user);
  settings.mutable_telegram_id()->set_value(kChat);
  v1::UpdateAccountSettingsResponse updated;
  ASSERT_TRUE(Client(jwt).Call("AccountService/UpdateAccountSettings", settings, updated).ok());

  // First rejection: NEEDS_REAUTH, and one message to the user's chat.
  ASSERT_TRUE(sandbox_.AddFault(kRejectToken).ok());
  absl::Status status = ReadCampaign(jwt, "read-1");
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_EQ(ReasonOf(status), "NEEDS_REAUTH") << status;
  ASSERT_TRUE(telegram_.WaitForMessages(1));
  auto messages = SettledMessages();
  ASSERT_EQ(messages.size(), 1u);
  ExpectNotice(messages[0], kBotToken, kChat, kKzAdvertiser);

  // Later calls are refused without reaching TikTok, and nobody is told again.
  sandbox_.ClearRequestLog();
  status = ReadCampaign(jwt, "read-2");
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_EQ(ReasonOf(status), "NEEDS_REAUTH") << status;
  EXPECT_TRUE(sandbox_.RequestLog().empty());
  EXPECT_EQ(SettledMessages().size(), 1u);

  v1::GetAccountRequest get;
  get.set_user_account_id(user);
  v1::Account account;
  ASSERT_TRUE(Client(jwt).Call("AccountService/GetAccount", get, account).ok());
  EXPECT_TRUE(account.needs_reauth());
  EXPECT_FALSE(account.needs_reauth_since().empty());

  // A new OAuth clears the state; the next rejection is told once more.
  Connect(jwt, "", kKzAdvertiser);
  ASSERT_TRUE(Client(jwt).Call("AccountService/GetAccount", get, account).ok());
  EXPECT_FALSE(account.needs_reauth());
  ASSERT_TRUE(sandbox_.AddFault(kRejectToken).ok());
  status = ReadCampaign(jwt, "read-3");
  EXPECT_EQ(ReasonOf(status), "NEEDS_REAUTH") << status;
  ASSERT_TRUE(telegram_.WaitForMessages(2));
  messages = SettledMessages();
  ASSERT_EQ(messages.size(), 2u);
  ExpectNotice(messages[1], kBotToken, kChat, kKzAdvertiser);
}

TEST_P(ReauthNoticeTest, AUserWithABotOfTheirOwnIsToldThroughIt) {
  storage::UserAccountRepository users(scratch_->database());
  storage::UserAccount row;
  row.username = "bob";
  row.telegram_id = "1001";
  row.telegram_id_2 = "1002";
  row.telegram_id_3 = "1001";  // listed twice, told once
  row.telegram_bot_token = "888000:users-own-bot";
  auto created = users.Create(row, absl::Now());
  ASSERT_TRUE(created.ok()) << created.status();
  const std::string jwt = JwtFor(created->id);
  Connect(jwt, "", kKzAdvertiser);

  ASSERT_TRUE(sandbox_.AddFault(kRejectToken).ok());
  EXPECT_EQ(ReasonOf(ReadCampaign(jwt, "read-1")), "NEEDS_REAUTH");
  ASSERT_TRUE(telegram_.WaitForMessages(2));
  const auto messages = SettledMessages();
  ASSERT_EQ(messages.size(), 2u);
  ExpectNotice(messages[0], "888000:users-own-bot", "1001", kKzAdvertiser);
  ExpectNotice(messages[1], "888000:users-own-bot", "1002", kKzAdvertiser);
}

TEST_P(ReauthNoticeTest, AnAdAccountsChatsAreToldAboutItsAdvertiser) {
  const std::string user = NewUser("carol");
  const std::string jwt = JwtFor(user);
  storage::UserAccountRepository users(scratch_->database());
  storage::UserAccountPatch multi;
  multi.multi_account_enabled = true;
  multi.telegram_id = storage::NullableField<std::string>(std::in_place, "2001");
  ASSERT_TRUE(users.Update(user, multi, absl::Now()).ok());
  v1::CreateAdAccountRequest create;
  create.set_name("US");
  v1::CreateAdAccountResponse created;
  ASSERT_TRUE(Client(jwt).Call("AccountService/CreateAdAccount", create, created).ok());
  const std::string ad_account = created.account().account_id();
  storage::AdAccountRepository ad_accounts(scratch_->database());
  storage::AdAccountPatch chats;
  chats.telegram_id = storage::NullableField<std::string>(std::in_place, "3001");
  ASSERT_TRUE(ad_accounts.Update(user, ad_account, chats, absl::Now()).ok());
  Connect(jwt, ad_account, kUsAdvertiser);

  ASSERT_TRUE(sandbox_.AddFault(kRejectToken).ok());
  const absl::Status status = ReadCampaign(jwt, "read-1", ad_account);
  EXPECT_EQ(ReasonOf(status), "NEEDS_REAUTH") << status;
  ASSERT_TRUE(telegram_.WaitForMessages(1));
  const auto messages = SettledMessages();
  ASSERT_EQ(messages.size(), 1u);  // the ad account's chat, not the user's
  ExpectNotice(messages[0], kBotToken, "3001", kUsAdvertiser);
  EXPECT_TRUE(ad_accounts.Get(ad_account)->tiktok_needs_reauth);
  EXPECT_FALSE(users.Get(user)->tiktok_needs_reauth);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReauthNoticeTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);

}  // namespace
}  // namespace ttads::server

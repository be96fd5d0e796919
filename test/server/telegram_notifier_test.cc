// TelegramNotifier against a local fake of the Bot API over real HTTP (libcurl on one side,
// cpp-httplib on the other).
#include "server/telegram_notifier.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "test/server/fake_telegram.h"

namespace ttads::server {
namespace {

using ::ttads::testing::FakeTelegram;

constexpr char kToken[] = "123456:SECRET-bot-token";

class TelegramNotifierTest : public ::testing::Test {
 protected:
  std::unique_ptr<TelegramNotifier> Notifier(const std::string& base_url,
                                             const std::string& token = kToken) {
    auto notifier = TelegramNotifier::Create({token, base_url, absl::Seconds(3)});
    EXPECT_TRUE(notifier.ok()) << notifier.status();
    return notifier.ok() ? *std::move(notifier) : nullptr;
  }
  static std::string Text(const FakeTelegram::Message& message) {
    return message.body.value("text", "");
  }

  FakeTelegram telegram_;
};

TEST_F(TelegramNotifierTest, PostsTheMessageToTheBotApi) {
  const std::string text = "⚠️ TikTok: доступ отозван";
  ASSERT_TRUE(Notifier(telegram_.BaseUrl() + "/")->Send("-100123", text).ok());
  const auto messages = telegram_.Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].path, absl::StrCat("/bot", kToken, "/sendMessage"));
  ASSERT_TRUE(messages[0].body.is_object());
  EXPECT_EQ(messages[0].body.value("chat_id", ""), "-100123");
  EXPECT_EQ(Text(messages[0]), text);
  EXPECT_EQ(messages[0].body.value("disable_web_page_preview", false), true);
}

TEST_F(TelegramNotifierTest, ARefusalNamesTelegramsDescriptionButNeverTheToken) {
  telegram_.AnswerNext(
      {400, R"({"ok":false,"error_code":400,"description":"Bad Request: chat not found"})"});
  absl::Status status = Notifier(telegram_.BaseUrl())->Send("42", "hello");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("Bad Request: chat not found"), absl::string_view::npos)
      << status;
  EXPECT_NE(status.message().find("400"), absl::string_view::npos) << status;
  EXPECT_EQ(status.message().find(kToken), absl::string_view::npos) << status;

  // Even a description that echoes the token does not leak it.
  telegram_.AnswerNext({401, absl::StrCat(R"({"ok":false,"description":"Unauthorized )", kToken,
                                          R"("})")});
  status = Notifier(telegram_.BaseUrl())->Send("42", "hello");
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(status.message().find("Unauthorized"), absl::string_view::npos) << status;
  EXPECT_EQ(status.message().find(kToken), absl::string_view::npos) << status;
  EXPECT_EQ(status.message().find("SECRET"), absl::string_view::npos) << status;

  // HTTP 200 with ok:false is a refusal too.
  telegram_.AnswerNext({200, R"({"ok":false,"description":"Forbidden: bot was blocked"})"});
  EXPECT_FALSE(Notifier(telegram_.BaseUrl())->Send("42", "hello").ok());
}

TEST_F(TelegramNotifierTest, ServerErrorsAndRefusedConnectionsAreErrors) {
  telegram_.AnswerNext({500, "<html>Internal Server Error</html>"});
  absl::Status status = Notifier(telegram_.BaseUrl())->Send("42", "hello");
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_NE(status.message().find("HTTP 500"), absl::string_view::npos) << status;
  EXPECT_EQ(status.message().find(kToken), absl::string_view::npos) << status;

  std::string closed_url;
  {
    FakeTelegram gone;
    closed_url = gone.BaseUrl();
  }
  status = Notifier(closed_url)->Send("42", "hello");
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_EQ(status.message().find(kToken), absl::string_view::npos) << status;
}

TEST_F(TelegramNotifierTest, LongTextArrivesAsSeveralMessagesSplitAtLineEnds) {
  std::vector<std::string> lines;
  for (int i = 0; i < 50; ++i) {
    const std::string prefix = absl::StrCat(i, ":");
    lines.push_back(prefix + std::string(99 - prefix.size(), 'x'));  // 99 characters
  }
  const std::string text = absl::StrJoin(lines, "\n") + "!";
  ASSERT_EQ(text.size(), 5000u);
  ASSERT_TRUE(Notifier(telegram_.BaseUrl())->Send("42", text).ok());
  const auto messages = telegram_.Messages();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_LE(Text(messages[0]).size(), kTelegramMaxMessageLength);
  EXPECT_LE(Text(messages[1]).size(), kTelegramMaxMessageLength);
  // Cut at a newline (the one at the cut is dropped), nothing lost or reordered.
  EXPECT_EQ(absl::StrCat(Text(messages[0]), "\n", Text(messages[1])), text);
}

TEST_F(TelegramNotifierTest, SendToAllSkipsEmptyAndRepeatedIdsAndCarriesOnPastFailures) {
  auto notifier = Notifier(telegram_.BaseUrl());
  telegram_.AnswerNext({200, R"({"ok":true})"});
  telegram_.AnswerNext({403, R"({"ok":false,"description":"Forbidden: bot was blocked"})"});
  const DeliveryReport report = notifier->SendToAll({"1", "", "2", "1", " ", "3"}, "hello");
  EXPECT_EQ(report.sent, 2);
  EXPECT_EQ(report.failed, 1);
  EXPECT_EQ(report.status.code(), absl::StatusCode::kPermissionDenied);
  const auto messages = telegram_.Messages();
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[0].body.value("chat_id", ""), "1");
  EXPECT_EQ(messages[1].body.value("chat_id", ""), "2");
  EXPECT_EQ(messages[2].body.value("chat_id", ""), "3");
}

TEST_F(TelegramNotifierTest, WithoutATokenOrATextNothingIsSent) {
  EXPECT_EQ(Notifier(telegram_.BaseUrl(), "")->Send("42", "hello").code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Notifier(telegram_.BaseUrl())->Send("42", "\n \n").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Notifier(telegram_.BaseUrl())->Send("", "hello").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(telegram_.Messages().empty());
}

TEST(SplitTelegramTextTest, CountsCharactersAsTelegramDoes) {
  // Cyrillic: two bytes each in UTF-8, one unit for Telegram.
  std::string cyrillic;
  for (int i = 0; i < 4096; ++i) cyrillic += "ж";
  EXPECT_EQ(SplitTelegramText(cyrillic).size(), 1u);
  EXPECT_EQ(SplitTelegramText(cyrillic + "ж").size(), 2u);
  // Emoji outside the BMP count twice; a part never ends in the middle of one.
  std::string emoji;
  for (int i = 0; i < 3; ++i) emoji += "😀";
  const auto parts = SplitTelegramText(emoji, 4);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0], "😀😀");
  EXPECT_EQ(parts[1], "😀");
}

TEST(SplitTelegramTextTest, KeepsLinesWholeAndCutsOnlyOverlongOnes) {
  EXPECT_EQ(SplitTelegramText("ab\ncd\nef", 5), (std::vector<std::string>{"ab\ncd", "ef"}));
  EXPECT_EQ(SplitTelegramText("a\n\nb", 10), (std::vector<std::string>{"a\n\nb"}));
  EXPECT_EQ(SplitTelegramText("abcdefgh\nij", 3),
            (std::vector<std::string>{"abc", "def", "gh", "ij"}));
  EXPECT_TRUE(SplitTelegramText("").empty());
}

}  // namespace
}  // namespace ttads::server

#include "server/launch_settings.h"

#include <set>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ttads::server {
namespace {

using ::testing::ElementsAre;

TEST(LaunchSettingsTest, MapsEveryObjectiveAndRefusesOthers) {
  EXPECT_EQ(ObjectiveFor("", "objective")->objective_type, "TRAFFIC");
  // CONVERSIONS is retired for new campaigns: WEB_CONVERSIONS instead.
  const ObjectiveSpec conversions = *ObjectiveFor("conversions", "objective");
  EXPECT_EQ(conversions.objective_type, "WEB_CONVERSIONS");
  EXPECT_EQ(conversions.optimization_goal, "CONVERT");
  EXPECT_EQ(conversions.billing_event, "OCPM");
  const ObjectiveSpec leads = *ObjectiveFor("lead_generation", "objective");
  EXPECT_EQ(leads.promotion_type, "LEAD_GENERATION");
  EXPECT_EQ(leads.call_to_action, "SIGN_UP");
  EXPECT_EQ(ObjectiveFor("whatsapp", "objective")->call_to_action, "CONTACT_US");
  EXPECT_EQ(ObjectiveFor("reach", "objective")->promotion_type, "");
  EXPECT_EQ(ObjectiveFor("video_views", "objective")->optimization_goal, "ENGAGED_VIEW");
  const absl::Status unknown = ObjectiveFor("fame", "adsets[1].objective").status();
  EXPECT_EQ(unknown.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(unknown.message()), ::testing::HasSubstr("adsets[1].objective"));
}

TEST(LaunchSettingsTest, AgeRangeBecomesTikTokAgeGroups) {
  EXPECT_THAT(AgeGroupsFor(18, 65), ElementsAre("AGE_18_24", "AGE_25_34", "AGE_35_44",
                                                "AGE_45_54", "AGE_55_100"));
  EXPECT_THAT(AgeGroupsFor(25, 40), ElementsAre("AGE_25_34", "AGE_35_44"));
  EXPECT_THAT(AgeGroupsFor(13, 20), ElementsAre("AGE_18_24"));  // minors are never targeted
  EXPECT_EQ(GenderFor("female"), "GENDER_FEMALE");
  EXPECT_EQ(GenderFor("all"), "GENDER_UNLIMITED");
}

TEST(LaunchSettingsTest, CitiesBecomeTikTokLocations) {
  EXPECT_EQ(LocationIdOf("Алматы"), "94600135");
  EXPECT_EQ(LocationIdOf("АЛМАТЫ"), "94600135");
  EXPECT_EQ(LocationIdOf("almaty"), "94600135");
  EXPECT_EQ(LocationIdOf("Нур-Султан"), "1526273");
  EXPECT_EQ(LocationIdOf("KZ"), "1522867");
  EXPECT_EQ(LocationIdOf("609655"), "609655");
  EXPECT_EQ(LocationIdOf("Gotham"), "");
  std::vector<std::string> unknown;
  EXPECT_THAT(LocationIdsFor(R"(["Алматы", "Almaty", "Gotham", 610612])", &unknown),
              ElementsAre("94600135", "610612"));
  EXPECT_THAT(unknown, ElementsAre("Gotham"));
  EXPECT_THAT(LocationIdsFor(std::nullopt), ElementsAre("1522867"));
  EXPECT_THAT(LocationIdsFor(R"(["Gotham"])"), ElementsAre("1522867"));
  EXPECT_THAT(LocationIdsFor("not json"), ElementsAre("1522867"));
}

TEST(LaunchSettingsTest, DedupeKeysAreStablePositiveAndPerStep) {
  const std::string key = DedupeRequestId("op-1", "d/x/campaign");
  EXPECT_EQ(key, DedupeRequestId("op-1", "d/x/campaign"));
  EXPECT_NE(key, DedupeRequestId("op-1", "d/y/campaign"));
  EXPECT_NE(key, DedupeRequestId("op-2", "d/x/campaign"));
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = DedupeRequestId("op", std::to_string(i));
    EXPECT_TRUE(seen.insert(id).second);
    EXPECT_GT(std::stoll(id), 0);  // an int64 written as a string, as TikTok wants
  }
}

TEST(LaunchSettingsTest, SchedulesNowOrTheNextAlmatyMidnight) {
  const absl::Time now = absl::FromCivil(absl::CivilSecond(2026, 3, 10, 20, 0, 0), absl::UTCTimeZone());
  EXPECT_EQ(*ScheduleStart("", now, "start_mode"), now);
  // 20:00 UTC is 01:00 on the 11th in Almaty (UTC+5): the next midnight is the 12th, 00:00.
  EXPECT_EQ(TikTokDateTime(*ScheduleStart("midnight_almaty", now, "start_mode")),
            "2026-03-11 19:00:00");
  EXPECT_EQ(ScheduleStart("tomorrow", now, "start_mode").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(LaunchSettingsTest, WhatsAppLinksAndAdTexts) {
  EXPECT_EQ(WhatsAppUrl("+7 (701) 234-56-78", "Здравствуйте!"),
            "https://wa.me/77012345678?text=%D0%97%D0%B4%D1%80%D0%B0%D0%B2%D1%81%D1%82%D0%B2%D1%"
            "83%D0%B9%D1%82%D0%B5%21");
  EXPECT_EQ(WhatsAppUrl("77012345678", ""), "https://wa.me/77012345678");
  EXPECT_EQ(AdText(std::nullopt, "Title"), "Title");
  EXPECT_EQ(AdText(std::string(""), "Title"), "Title");
  const std::string long_text(150, 'x');
  EXPECT_EQ(AdText(long_text, "Title").size(), 100u);
  // Cut by characters, never inside a UTF-8 sequence.
  std::string cyrillic;
  for (int i = 0; i < 120; ++i) cyrillic += "ж";
  EXPECT_EQ(AdText(cyrillic, "").size(), 200u);
}

}  // namespace
}  // namespace ttads::server

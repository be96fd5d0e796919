// What a launch sends TikTok, derived from a direction and its settings: the objective mapping,
// the targeting, names, schedule, and the dedupe keys that make creates safe to retry. Pure
// functions, so the rules are tested without TikTok.
#ifndef TTADS_SERVER_LAUNCH_SETTINGS_H_
#define TTADS_SERVER_LAUNCH_SETTINGS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace ttads::server {

// One of the builder's objectives, in TikTok's terms.
struct ObjectiveSpec {
  std::string name;               // traffic | conversions | reach | video_views | lead_generation | whatsapp
  std::string objective_type;     // campaign objective_type
  std::string optimization_goal;  // ad group
  std::string billing_event;      // ad group
  std::string promotion_type;     // ad group; "" = not sent (REACH, VIDEO_VIEWS)
  std::string call_to_action;     // ad
};

// The existing system's objective map, except that `conversions` uses WEB_CONVERSIONS (TikTok
// retired CONVERSIONS for new campaigns) and `video_views` ENGAGED_VIEW/CPV (VIDEO_VIEW is
// deprecated). "" = traffic. INVALID_ARGUMENT naming `field` for anything else.
absl::StatusOr<ObjectiveSpec> ObjectiveFor(absl::string_view objective, absl::string_view field);

// TikTok age groups covering [age_min, age_max] (18..65 by default; 55+ is AGE_55_100).
std::vector<std::string> AgeGroupsFor(int age_min, int age_max);

// all | male | female -> GENDER_UNLIMITED | GENDER_MALE | GENDER_FEMALE.
std::string GenderFor(absl::string_view gender);

// Kazakhstan, the existing system's default location.
inline constexpr char kDefaultLocationId[] = "1522867";

// The TikTok location id of a Kazakhstan city name (Russian or Latin, as the existing frontend
// stores them), "KZ", or a TikTok location id given as digits; "" when unknown.
std::string LocationIdOf(absl::string_view city);

// The direction's cities (a JSON array) as location_ids, through LocationIdOf; unknown entries
// are left out (and listed in `unknown` when given). Empty or nothing known: Kazakhstan.
std::vector<std::string> LocationIdsFor(const std::optional<std::string>& cities_json,
                                        std::vector<std::string>* unknown = nullptr);

// TikTok's `request_id` create-dedupe key for step `step` of operation `operation_id`: a
// positive int64 in decimal, the same on every attempt, different for every step.
std::string DedupeRequestId(absl::string_view operation_id, absl::string_view step);

// "YYYY-MM-DD HH:MM:SS" UTC, TikTok's schedule format.
std::string TikTokDateTime(absl::Time time);

// When new ad groups start: `now`/"" = `now`; `midnight_almaty` = the next 00:00 in
// Asia/Almaty. INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<absl::Time> ScheduleStart(absl::string_view start_mode, absl::Time now,
                                         absl::string_view field);

// "YYYY-MM-DD HH:MM" in Asia/Almaty, the stamp of generated names.
std::string NameStamp(absl::Time time);

// https://wa.me/<digits>?text=<question>, the landing page of whatsapp ads.
std::string WhatsAppUrl(absl::string_view phone_number, absl::string_view question);

// An ad's text: the creative's description, else its title, cut to TikTok's 100 characters.
std::string AdText(const std::optional<std::string>& description, absl::string_view title);

}  // namespace ttads::server

#endif  // TTADS_SERVER_LAUNCH_SETTINGS_H_

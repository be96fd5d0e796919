#include "server/launch_settings.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "nlohmann/json.hpp"
#include "server/crypto_util.h"
#include "server/rpc_status.h"
#include "server/validation.h"

namespace ttads::server {
namespace {

// Lower-cases the Cyrillic capitals of UTF-8 `text` (А-Я, Ё); other bytes pass as they are.
std::string LowerCyrillic(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == 0xD0 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x90 && next <= 0x9F) {  // А..П -> а..п
        out += static_cast<char>(0xD0);
        out += static_cast<char>(next + 0x20);
        ++i;
        continue;
      }
      if (next >= 0xA0 && next <= 0xAF) {  // Р..Я -> р..я
        out += static_cast<char>(0xD1);
        out += static_cast<char>(next - 0x20);
        ++i;
        continue;
      }
      if (next == 0x81) {  // Ё -> ё
        out += static_cast<char>(0xD1);
        out += static_cast<char>(0x91);
        ++i;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

}  // namespace

absl::StatusOr<ObjectiveSpec> ObjectiveFor(absl::string_view objective, absl::string_view field) {
  const std::string name = objective.empty() ? "traffic" : std::string(objective);
  if (name == "traffic") return ObjectiveSpec{name, "TRAFFIC", "CLICK", "CPC", "WEBSITE", "LEARN_MORE"};
  if (name == "whatsapp") return ObjectiveSpec{name, "TRAFFIC", "CLICK", "CPC", "WEBSITE", "CONTACT_US"};
  if (name == "conversions") {
    return ObjectiveSpec{name, "WEB_CONVERSIONS", "CONVERT", "OCPM", "WEBSITE", "LEARN_MORE"};
  }
  if (name == "reach") return ObjectiveSpec{name, "REACH", "REACH", "CPM", "", "LEARN_MORE"};
  if (name == "video_views") {
    return ObjectiveSpec{name, "VIDEO_VIEWS", "ENGAGED_VIEW", "CPV", "", "LEARN_MORE"};
  }
  if (name == "lead_generation") {
    return ObjectiveSpec{name, "LEAD_GENERATION", "LEAD_GENERATION", "OCPM", "LEAD_GENERATION",
                         "SIGN_UP"};
  }
  return InvalidField(std::string(field),
                      "must be one of traffic, conversions, reach, video_views, "
                      "lead_generation, whatsapp");
}

std::vector<std::string> AgeGroupsFor(int age_min, int age_max) {
  struct Band {
    int from, to;
    const char* name;
  };
  static constexpr Band kBands[] = {{13, 17, "AGE_13_17"}, {18, 24, "AGE_18_24"},
                                    {25, 34, "AGE_25_34"}, {35, 44, "AGE_35_44"},
                                    {45, 54, "AGE_45_54"}, {55, 100, "AGE_55_100"}};
  const int low = std::max(age_min, 18);  // 13-17 has extra rules TikTok enforces per country
  const int high = age_max < low ? 100 : age_max;
  std::vector<std::string> groups;
  for (const Band& band : kBands) {
    if (band.to >= low && band.from <= high) groups.push_back(band.name);
  }
  return groups;
}

std::string GenderFor(absl::string_view gender) {
  if (gender == "male") return "GENDER_MALE";
  if (gender == "female") return "GENDER_FEMALE";
  return "GENDER_UNLIMITED";
}

std::string LocationIdOf(absl::string_view city) {
  // TikTok location ids of Kazakhstan's cities (from tool/region/, as the existing system's
  // table has them), under the spellings its frontend stores.
  static const auto* const kCities = new std::map<std::string, std::string>{
      {"алматы", "94600135"},      {"almaty", "94600135"},
      {"астана", "1526273"},       {"astana", "1526273"},        {"нур-султан", "1526273"},
      {"шымкент", "94600024"},     {"shymkent", "94600024"},
      {"караганда", "609655"},     {"karaganda", "609655"},
      {"актобе", "610611"},        {"aktobe", "610611"},
      {"атырау", "610529"},        {"atyrau", "610529"},
      {"павлодар", "94600073"},    {"pavlodar", "94600073"},
      {"семей", "1519422"},        {"semey", "1519422"},
      {"усть-каменогорск", "1520316"}, {"ust-kamenogorsk", "1520316"},
      {"тараз", "1516905"},        {"taraz", "1516905"},
      {"костанай", "94600118"},    {"kostanay", "94600118"},
      {"кызылорда", "94600065"},   {"kyzylorda", "94600065"},
      {"актау", "610612"},         {"aktau", "610612"},
  };
  const std::string text(absl::StripAsciiWhitespace(city));
  if (text == "KZ") return kDefaultLocationId;
  if (!text.empty() && text.size() <= 20 &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return text;
  }
  const auto found = kCities->find(LowerCyrillic(absl::AsciiStrToLower(text)));
  return found == kCities->end() ? "" : found->second;
}

std::vector<std::string> LocationIdsFor(const std::optional<std::string>& cities_json,
                                        std::vector<std::string>* unknown) {
  std::vector<std::string> ids;
  if (cities_json.has_value()) {
    const nlohmann::json parsed = nlohmann::json::parse(*cities_json, nullptr, false);
    if (parsed.is_array()) {
      for (const nlohmann::json& item : parsed) {
        std::string text;
        if (item.is_string()) text = item.get<std::string>();
        if (item.is_number_integer()) text = std::to_string(item.get<int64_t>());
        const std::string id = LocationIdOf(text);
        if (id.empty()) {
          if (unknown != nullptr) unknown->push_back(text);
        } else if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
          ids.push_back(id);
        }
      }
    }
  }
  if (ids.empty()) ids.push_back(kDefaultLocationId);
  return ids;
}

std::string DedupeRequestId(absl::string_view operation_id, absl::string_view step) {
  const std::string digest = Sha256(absl::StrCat(operation_id, "\n", step));
  uint64_t value = 0;
  std::memcpy(&value, digest.data(), sizeof(value));
  value &= 0x7fffffffffffffffULL;  // TikTok wants an int64
  if (value == 0) value = 1;
  return std::to_string(value);
}

std::string TikTokDateTime(absl::Time time) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", time, absl::UTCTimeZone());
}

namespace {
absl::TimeZone Almaty() {
  absl::TimeZone zone;
  // Asia/Almaty has been UTC+5 since March 2024; the fixed offset is the fallback when the
  // machine has no zoneinfo.
  if (!absl::LoadTimeZone("Asia/Almaty", &zone)) zone = absl::FixedTimeZone(5 * 3600);
  return zone;
}
}  // namespace

absl::StatusOr<absl::Time> ScheduleStart(absl::string_view start_mode, absl::Time now,
                                         absl::string_view field) {
  if (start_mode.empty() || start_mode == "now") return now;
  if (start_mode == "midnight_almaty") {
    const absl::TimeZone zone = Almaty();
    const absl::CivilDay today = absl::ToCivilDay(now, zone);
    return absl::FromCivil(today + 1, zone);
  }
  return InvalidField(std::string(field), "must be now or midnight_almaty");
}

std::string NameStamp(absl::Time time) { return absl::FormatTime("%Y-%m-%d %H:%M", time, Almaty()); }

std::string WhatsAppUrl(absl::string_view phone_number, absl::string_view question) {
  std::string digits;
  for (char c : phone_number) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  std::string url = absl::StrCat("https://wa.me/", digits);
  if (!question.empty()) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string encoded;
    for (unsigned char c : question) {
      if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
        encoded.push_back(static_cast<char>(c));
      } else {
        encoded.push_back('%');
        encoded.push_back(kHex[c >> 4]);
        encoded.push_back(kHex[c & 15]);
      }
    }
    absl::StrAppend(&url, "?text=", encoded);
  }
  return url;
}

std::string AdText(const std::optional<std::string>& description, absl::string_view title) {
  std::string text = description.has_value() && !description->empty() ? *description
                                                                        : std::string(title);
  return TruncateCharacters(text, 100);
}

}  // namespace ttads::server

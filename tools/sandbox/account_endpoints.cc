// advertiser/info/, identity/get/, pixel/list/ (reference §3, §9), tool/region/ and page/get/
// (not in the reference; shapes inferred, see each handler).
#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tools/sandbox/endpoints.h"

namespace ttads::sandbox {
namespace {

bool ContainsIgnoreCase(const std::string& haystack, const std::string& needle) {
  return absl::StrContains(absl::AsciiStrToLower(haystack), absl::AsciiStrToLower(needle));
}

struct Region {
  const char* location_id;
  const char* name_en;
  const char* name_ru;
  const char* parent_id;  // "0" for countries
  const char* region_code;
  const char* country_code;
  const char* level;  // COUNTRY | PROVINCE | CITY
};

// Sandbox geography: the markets ttads serves. Location ids are GeoNames ids as TikTok uses
// them; Kazakhstan's "1522867" is the one the existing system verified against TikTok.
constexpr Region kRegions[] = {
    {"1522867", "Kazakhstan", "Казахстан", "0", "KZ", "KZ", "COUNTRY"},
    {"1526384", "Almaty", "Алматы", "1522867", "KZ-75", "KZ", "PROVINCE"},
    {"1526273", "Astana", "Астана", "1522867", "KZ-71", "KZ", "PROVINCE"},
    {"1518980", "Shymkent", "Шымкент", "1522867", "KZ-79", "KZ", "PROVINCE"},
    {"1537162", "Almaty Region", "Алматинская область", "1522867", "KZ-19", "KZ", "PROVINCE"},
    {"1523401", "Karaganda Region", "Карагандинская область", "1522867", "KZ-35", "KZ", "PROVINCE"},
    {"6252001", "United States", "США", "0", "US", "US", "COUNTRY"},
    {"5128638", "New York", "Нью-Йорк (штат)", "6252001", "US-NY", "US", "PROVINCE"},
    {"5332921", "California", "Калифорния", "6252001", "US-CA", "US", "PROVINCE"},
    {"4736286", "Texas", "Техас", "6252001", "US-TX", "US", "PROVINCE"},
    {"5128581", "New York City", "Нью-Йорк", "5128638", "US-NY", "US", "CITY"},
    {"5368361", "Los Angeles", "Лос-Анджелес", "5332921", "US-CA", "US", "CITY"},
    {"2017370", "Russia", "Россия", "0", "RU", "RU", "COUNTRY"},
    {"524901", "Moscow", "Москва", "2017370", "RU-MOW", "RU", "PROVINCE"},
    {"1512440", "Uzbekistan", "Узбекистан", "0", "UZ", "UZ", "COUNTRY"},
    {"1512569", "Tashkent", "Ташкент", "1512440", "UZ-TK", "UZ", "PROVINCE"},
    {"1527747", "Kyrgyzstan", "Кыргызстан", "0", "KG", "KG", "COUNTRY"},
    {"1528675", "Bishkek", "Бишкек", "1527747", "KG-GB", "KG", "PROVINCE"},
};

int LevelRank(const std::string& level) {
  if (level == "COUNTRY") return 0;
  if (level == "PROVINCE") return 1;
  if (level == "CITY") return 2;
  return 3;
}

}  // namespace

EndpointResult AdvertiserInfo(EndpointContext& ctx) {
  const Params& p = ctx.params;
  p.Require({"advertiser_ids"});
  std::vector<std::string> ids = *p.IdList("advertiser_ids", 100);
  FieldSelection selection = ReadFieldSelection(p, AdvertiserJson(Advertiser{}));
  Json list = Json::array();
  for (const std::string& id : ids) {
    Json object = AdvertiserJson(ctx.AdvertiserFor(id));
    // Default: every field except company_name_editable.
    if (!selection.fields) object.erase("company_name_editable");
    list.push_back(SelectFields(object, selection.fields, selection.exclude_null));
  }
  EndpointResult result;
  result.data = Json{{"list", std::move(list)}};
  return result;
}

EndpointResult IdentityGet(EndpointContext& ctx) {
  const Params& p = ctx.params;
  Advertiser& advertiser = ctx.RequireAdvertiser();
  EnumSet readable = IdentityTypes();
  readable.insert("TTS_TT");
  std::optional<std::string> type = p.Enum("identity_type", readable);
  std::optional<std::string> bc_id = p.String("identity_authorized_bc_id");
  if (type == "BC_AUTH_TT" && !bc_id) p.Require({"identity_authorized_bc_id"});
  std::optional<std::string> keyword;
  if (std::optional<Params> filtering = p.Object("filtering")) {
    keyword = filtering->String("keyword");
  }
  PageRequest page = p.Page(20, 100);
  std::vector<Json> items;
  for (const auto& [id, identity] : ctx.state.identities) {
    if (identity.advertiser_id != advertiser.advertiser_id) continue;
    if (type && identity.identity_type != *type) continue;
    if (bc_id && identity.identity_type == "BC_AUTH_TT" &&
        identity.identity_authorized_bc_id != *bc_id) {
      continue;
    }
    if (keyword && identity.identity_type == "CUSTOMIZED_USER" &&
        !ContainsIgnoreCase(identity.display_name, *keyword)) {
      continue;
    }
    items.push_back(IdentityJson(identity));
  }
  EndpointResult result;
  result.data = PageOf(items, page, "identity_list");
  return result;
}

EndpointResult PixelList(EndpointContext& ctx) {
  const Params& p = ctx.params;
  Advertiser& advertiser = ctx.RequireAdvertiser();
  std::optional<std::string> pixel_id = p.String("pixel_id");
  std::optional<std::string> code = p.String("code");
  std::optional<std::string> name = p.String("name");
  std::string order =
      p.Enum("order_by", EnumSet{"EARLIEST_CREATE", "LATEST_CREATE"}).value_or("EARLIEST_CREATE");
  if (std::optional<Params> filtering = p.Object("filtering")) {
    filtering->Bool("available_for_catalog_only");
  }
  PageRequest page = p.Page(10, 20);
  std::vector<const Pixel*> pixels;
  for (const auto& [id, pixel] : ctx.state.pixels) {
    if (pixel.advertiser_id != advertiser.advertiser_id) continue;
    if (pixel_id && pixel.pixel_id != *pixel_id) continue;
    if (code && pixel.pixel_code != *code) continue;
    if (name && !ContainsIgnoreCase(pixel.pixel_name, *name)) continue;
    pixels.push_back(&pixel);
  }
  std::sort(pixels.begin(), pixels.end(), [&](const Pixel* a, const Pixel* b) {
    return order == "LATEST_CREATE"
               ? NewerFirst(a->create_time, a->pixel_id, b->create_time, b->pixel_id)
               : NewerFirst(b->create_time, b->pixel_id, a->create_time, a->pixel_id);
  });
  std::vector<Json> items;
  for (const Pixel* pixel : pixels) items.push_back(PixelJson(*pixel));
  EndpointResult result;
  result.data = PageOf(items, page, "pixels");
  return result;
}

// inferred: tool/region/ is not in the reference. Shape from TikTok's docs as restated by the
// Go SDK (bububa/tiktok-business model/tool/region.go): GET advertiser_id, placements (JSON
// array), objective_type (both required by the docs), level_range (ALL | TO_COUNTRY |
// TO_PROVINCE | TO_CITY | TO_DISTRICT), language (names; en default, ru supported here);
// answers data {region_info: [{location_id, name, parent_id, region_code, country_code,
// next_level_ids, area_type, level, support_below_18}]} plus the older region_list (country
// codes).
EndpointResult ToolRegion(EndpointContext& ctx) {
  const Params& p = ctx.params;
  p.Require({"advertiser_id", "placements", "objective_type"});
  ctx.RequireAdvertiser();
  p.EnumList("placements", Placements());
  p.Enum("objective_type", ReadableObjectiveTypes());
  std::string level_range =
      p.Enum("level_range", EnumSet{"ALL", "TO_COUNTRY", "TO_PROVINCE", "TO_CITY", "TO_DISTRICT"})
          .value_or("ALL");
  std::string language = absl::AsciiStrToLower(p.String("language").value_or("en"));
  int max_rank = level_range == "TO_COUNTRY"    ? 0
                 : level_range == "TO_PROVINCE" ? 1
                 : level_range == "TO_CITY"     ? 2
                                                : 3;
  Json region_info = Json::array();
  Json region_list = Json::array();
  for (const Region& region : kRegions) {
    if (LevelRank(region.level) > max_rank) continue;
    Json next = Json::array();
    for (const Region& child : kRegions) {
      if (std::string(child.parent_id) == region.location_id &&
          LevelRank(child.level) <= max_rank) {
        next.push_back(child.location_id);
      }
    }
    region_info.push_back({{"location_id", region.location_id},
                           {"name", language == "ru" ? region.name_ru : region.name_en},
                           {"parent_id", region.parent_id},
                           {"region_code", region.region_code},
                           {"country_code", region.country_code},
                           {"next_level_ids", std::move(next)},
                           {"area_type", "ADMIN"},
                           {"level", region.level},
                           {"support_below_18", std::string(region.country_code) != "US"}});
    if (std::string(region.level) == "COUNTRY") region_list.push_back(region.country_code);
  }
  EndpointResult result;
  result.data =
      Json{{"region_list", std::move(region_list)}, {"region_info", std::move(region_info)}};
  return result;
}

// inferred: the frontend's instant-page lookup is TikTok's page/get/ (not in the reference).
// Shape from TikTok's docs as restated by the Go SDK (model/page/get.go, page.go): GET
// advertiser_id (library_id is not supported here), business_type (default LEAD_GEN) or
// business_types, page_status (EDITED | PUBLISHED), title (contains), update_time_range,
// page (default 1), page_size (1-100, default 10); data {list: [page], page_info}.
EndpointResult PageGet(EndpointContext& ctx) {
  const Params& p = ctx.params;
  if (p.Has("library_id") && !p.Has("advertiser_id")) {
    throw ApiError(kCodeNotSupportedInSandbox, "library_id is not supported in the sandbox.");
  }
  Advertiser& advertiser = ctx.RequireAdvertiser();
  const EnumSet business_type_values{
      "LEAD_GEN",     "STORE_FRONT",  "APP_PROFILE_PAGE", "TIKTOK_INSTANT_PAGE",
      "SHOP_ADS_PLP", "SHOP_ADS_PDP", "POP_UP_FORM"};
  std::vector<std::string> business_types;
  if (std::optional<std::vector<std::string>> list =
          p.EnumList("business_types", business_type_values)) {
    business_types = *list;
  } else {
    business_types.push_back(p.Enum("business_type", business_type_values).value_or("LEAD_GEN"));
  }
  std::optional<std::string> status = p.Enum("page_status", EnumSet{"EDITED", "PUBLISHED"});
  std::optional<std::string> title = p.String("title");
  std::optional<absl::Time> updated_from;
  std::optional<absl::Time> updated_to;
  if (std::optional<Params> range = p.Object("update_time_range")) {
    range->Require({"start", "end"});
    updated_from = range->DateTime("start");
    updated_to = range->DateTime("end");
  }
  PageRequest page = p.Page(10, 100);
  std::vector<const InstantPage*> pages;
  for (const auto& [id, instant_page] : ctx.state.pages) {
    if (instant_page.advertiser_id != advertiser.advertiser_id) continue;
    if (std::find(business_types.begin(), business_types.end(), instant_page.business_type) ==
        business_types.end()) {
      continue;
    }
    if (status && instant_page.status != *status) continue;
    if (title && !ContainsIgnoreCase(instant_page.title, *title)) continue;
    if (updated_from && instant_page.update_time < *updated_from) continue;
    if (updated_to && instant_page.update_time > *updated_to) continue;
    pages.push_back(&instant_page);
  }
  std::sort(pages.begin(), pages.end(), [](const InstantPage* a, const InstantPage* b) {
    return NewerFirst(a->update_time, a->page_id, b->update_time, b->page_id);
  });
  std::vector<Json> items;
  for (const InstantPage* instant_page : pages) items.push_back(PageJson(*instant_page));
  EndpointResult result;
  result.data = PageOf(items, page, "list");
  return result;
}

}  // namespace ttads::sandbox

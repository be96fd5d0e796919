#include "tiktok/api_types.h"

#include "tiktok/lenient.h"

namespace ttads::tiktok {

ReportFilter ReportFilter::In(std::string field_name, std::vector<std::string> ids) {
  ReportFilter filter;
  filter.field_name = std::move(field_name);
  filter.filter_type = "IN";
  filter.values = std::move(ids);
  return filter;
}

std::optional<double> ReportRow::Number(const std::string& metric) const {
  const auto it = metrics.find(metric);
  if (it == metrics.end()) return std::nullopt;
  return ParseMetric(it->second);
}

std::string ReportRow::Text(const std::string& metric) const {
  const auto it = metrics.find(metric);
  return it == metrics.end() ? "" : it->second;
}

std::string ReportRow::Dimension(const std::string& name) const {
  const auto it = dimensions.find(name);
  return it == dimensions.end() ? "" : it->second;
}

Campaign ReadCampaign(const JsonValue& item) {
  const JsonValue* j = &item;
  Campaign c;
  c.advertiser_id = ReadIdField(j, "advertiser_id");
  c.campaign_id = ReadIdField(j, "campaign_id");
  c.campaign_name = ReadStringField(j, "campaign_name");
  c.campaign_type = ReadStringField(j, "campaign_type");
  c.objective_type = ReadStringField(j, "objective_type");
  c.budget_mode = ReadStringField(j, "budget_mode");
  c.budget = ReadNumberField(j, "budget");
  c.operation_status = ReadStringField(j, "operation_status");
  c.secondary_status = ReadStringField(j, "secondary_status");
  c.budget_optimize_on = ReadBoolField(j, "budget_optimize_on");
  c.create_time = ReadStringField(j, "create_time");
  c.modify_time = ReadStringField(j, "modify_time");
  c.raw_json = item.ToJson();
  return c;
}

AdGroup ReadAdGroup(const JsonValue& item) {
  const JsonValue* j = &item;
  AdGroup g;
  g.advertiser_id = ReadIdField(j, "advertiser_id");
  g.campaign_id = ReadIdField(j, "campaign_id");
  g.campaign_name = ReadStringField(j, "campaign_name");
  g.adgroup_id = ReadIdField(j, "adgroup_id");
  g.adgroup_name = ReadStringField(j, "adgroup_name");
  g.budget_mode = ReadStringField(j, "budget_mode");
  g.budget = ReadNumberField(j, "budget");
  g.operation_status = ReadStringField(j, "operation_status");
  g.secondary_status = ReadStringField(j, "secondary_status");
  g.optimization_goal = ReadStringField(j, "optimization_goal");
  g.optimization_event = ReadStringField(j, "optimization_event");
  g.billing_event = ReadStringField(j, "billing_event");
  g.bid_type = ReadStringField(j, "bid_type");
  g.bid_price = ReadNumberField(j, "bid_price");
  g.conversion_bid_price = ReadNumberField(j, "conversion_bid_price");
  g.pacing = ReadStringField(j, "pacing");
  g.placement_type = ReadStringField(j, "placement_type");
  g.placements = ReadStringsField(j, "placements");
  g.location_ids = ReadIdsField(j, "location_ids");
  g.promotion_type = ReadStringField(j, "promotion_type");
  g.pixel_id = ReadIdField(j, "pixel_id");
  g.schedule_type = ReadStringField(j, "schedule_type");
  g.schedule_start_time = ReadStringField(j, "schedule_start_time");
  g.schedule_end_time = ReadStringField(j, "schedule_end_time");
  g.create_time = ReadStringField(j, "create_time");
  g.modify_time = ReadStringField(j, "modify_time");
  g.raw_json = item.ToJson();
  return g;
}

Ad ReadAd(const JsonValue& item) {
  const JsonValue* j = &item;
  Ad a;
  a.advertiser_id = ReadIdField(j, "advertiser_id");
  a.campaign_id = ReadIdField(j, "campaign_id");
  a.adgroup_id = ReadIdField(j, "adgroup_id");
  a.ad_id = ReadIdField(j, "ad_id");
  a.ad_name = ReadStringField(j, "ad_name");
  a.ad_format = ReadStringField(j, "ad_format");
  a.operation_status = ReadStringField(j, "operation_status");
  a.secondary_status = ReadStringField(j, "secondary_status");
  a.video_id = ReadIdField(j, "video_id");
  a.image_ids = ReadIdsField(j, "image_ids");
  a.ad_text = ReadStringField(j, "ad_text");
  a.call_to_action = ReadStringField(j, "call_to_action");
  a.landing_page_url = ReadStringField(j, "landing_page_url");
  a.identity_id = ReadIdField(j, "identity_id");
  a.identity_type = ReadStringField(j, "identity_type");
  a.display_name = ReadStringField(j, "display_name");
  a.page_id = ReadIdField(j, "page_id");
  a.create_time = ReadStringField(j, "create_time");
  a.modify_time = ReadStringField(j, "modify_time");
  a.raw_json = item.ToJson();
  return a;
}

AdvertiserInfo ReadAdvertiserInfo(const JsonValue& item) {
  const JsonValue* j = &item;
  AdvertiserInfo a;
  a.advertiser_id = ReadIdField(j, "advertiser_id");
  a.name = ReadStringField(j, "name");
  a.company = ReadStringField(j, "company");
  a.status = ReadStringField(j, "status");
  a.role = ReadStringField(j, "role");
  a.currency = ReadStringField(j, "currency");
  a.timezone = ReadStringField(j, "timezone");
  a.display_timezone = ReadStringField(j, "display_timezone");
  a.country = ReadStringField(j, "country");
  a.language = ReadStringField(j, "language");
  a.balance = ReadNumberField(j, "balance");
  a.create_time = ReadUnixSeconds(FieldOf(j, "create_time"));
  a.raw_json = item.ToJson();
  return a;
}

Identity ReadIdentity(const JsonValue& item) {
  const JsonValue* j = &item;
  Identity i;
  i.identity_id = ReadIdField(j, "identity_id");
  i.identity_type = ReadStringField(j, "identity_type");
  i.identity_authorized_bc_id = ReadIdField(j, "identity_authorized_bc_id");
  i.display_name = ReadStringField(j, "display_name");
  i.user_name = ReadStringField(j, "user_name");
  i.profile_image = ReadStringField(j, "profile_image");
  i.available_status = ReadStringField(j, "available_status");
  i.can_push_video = ReadBoolField(j, "can_push_video");
  i.can_pull_video = ReadBoolField(j, "can_pull_video");
  i.can_use_live_ads = ReadBoolField(j, "can_use_live_ads");
  i.raw_json = item.ToJson();
  return i;
}

Pixel ReadPixel(const JsonValue& item) {
  const JsonValue* j = &item;
  Pixel p;
  p.pixel_id = ReadIdField(j, "pixel_id");
  p.pixel_code = ReadStringField(j, "pixel_code");
  p.pixel_name = ReadStringField(j, "pixel_name");
  p.pixel_category = ReadStringField(j, "pixel_category");
  p.pixel_setup_mode = ReadStringField(j, "pixel_setup_mode");
  p.create_time = ReadStringField(j, "create_time");
  if (const JsonValue* events = FieldOf(j, "events"); events != nullptr && events->is_array()) {
    for (const JsonValue& event : events->items()) {
      PixelEvent e;
      e.event_id = ReadIdField(&event, "event_id");
      e.event_code = ReadStringField(&event, "event_code");
      e.event_type = ReadStringField(&event, "event_type");
      e.name = ReadStringField(&event, "name");
      e.optimization_event = ReadStringField(&event, "optimization_event");
      e.statistic_type = ReadStringField(&event, "statistic_type");
      e.deprecated = ReadBoolField(&event, "deprecated");
      p.events.push_back(std::move(e));
    }
  }
  p.raw_json = item.ToJson();
  return p;
}

VideoInfo ReadVideoInfo(const JsonValue& item) {
  const JsonValue* j = &item;
  VideoInfo v;
  v.video_id = ReadIdField(j, "video_id");
  v.video_cover_url = ReadStringField(j, "video_cover_url");
  v.preview_url = ReadStringField(j, "preview_url");
  v.format = ReadStringField(j, "format");
  v.file_name = ReadStringField(j, "file_name");
  v.signature = ReadStringField(j, "signature");
  v.material_id = ReadIdField(j, "material_id");
  v.width = ReadIntField(j, "width");
  v.height = ReadIntField(j, "height");
  v.size = ReadIntField(j, "size");
  v.duration = ReadNumberField(j, "duration");
  v.bit_rate = ReadNumberField(j, "bit_rate");
  v.displayable = ReadBoolField(j, "displayable");
  v.allowed_placements = ReadStringsField(j, "allowed_placements");
  v.create_time = ReadStringField(j, "create_time");
  v.modify_time = ReadStringField(j, "modify_time");
  v.raw_json = item.ToJson();
  return v;
}

ImageInfo ReadImageInfo(const JsonValue& item) {
  const JsonValue* j = &item;
  ImageInfo i;
  i.image_id = ReadIdField(j, "image_id");
  i.image_url = ReadStringField(j, "image_url");
  i.format = ReadStringField(j, "format");
  i.file_name = ReadStringField(j, "file_name");
  i.signature = ReadStringField(j, "signature");
  i.material_id = ReadIdField(j, "material_id");
  i.width = ReadIntField(j, "width");
  i.height = ReadIntField(j, "height");
  i.size = ReadIntField(j, "size");
  i.displayable = ReadBoolField(j, "displayable");
  i.create_time = ReadStringField(j, "create_time");
  i.modify_time = ReadStringField(j, "modify_time");
  i.raw_json = item.ToJson();
  return i;
}

ReportRow ReadReportRow(const JsonValue& item) {
  ReportRow row;
  if (const JsonValue* dimensions = FieldOf(&item, "dimensions"); dimensions != nullptr) {
    for (const auto& [name, value] : dimensions->fields()) {
      if (value.is_null()) continue;
      row.dimensions[name] = ReadMetricText(&value).value_or("");
    }
  }
  if (const JsonValue* metrics = FieldOf(&item, "metrics"); metrics != nullptr) {
    for (const auto& [name, value] : metrics->fields()) {
      std::optional<std::string> text = ReadMetricText(&value);
      if (text.has_value()) row.metrics[name] = *std::move(text);
    }
  }
  return row;
}

Region ReadRegion(const JsonValue& item) {
  const JsonValue* j = &item;
  Region r;
  r.location_id = ReadIdField(j, "location_id");
  r.name = ReadStringField(j, "name");
  r.parent_id = ReadIdField(j, "parent_id");
  r.region_code = ReadStringField(j, "region_code");
  r.country_code = ReadStringField(j, "country_code");
  r.level = ReadStringField(j, "level");
  r.area_type = ReadStringField(j, "area_type");
  r.next_level_ids = ReadIdsField(j, "next_level_ids");
  r.support_below_18 = ReadBoolField(j, "support_below_18");
  r.raw_json = item.ToJson();
  return r;
}

InstantPage ReadInstantPage(const JsonValue& item) {
  const JsonValue* j = &item;
  InstantPage p;
  p.page_id = ReadIdField(j, "page_id");
  if (p.page_id.empty()) p.page_id = ReadIdField(j, "id");
  p.title = ReadStringField(j, "title");
  p.status = ReadStringField(j, "status");
  p.create_time = ReadStringField(j, "create_time");
  p.update_time = ReadStringField(j, "update_time");
  p.preview_url = ReadStringField(j, "preview_url");
  p.thumbnail = ReadStringField(j, "thumbnail");
  p.raw_json = item.ToJson();
  return p;
}

}  // namespace ttads::tiktok

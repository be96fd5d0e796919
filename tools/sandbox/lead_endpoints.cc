// page/lead/task/ and page/lead/task/download/: the lead download the existing batch uses.
// inferred: neither is in the reference. Shapes from TikTok's docs as restated by the Go SDK
// (bububa/tiktok-business model/page/lead/task.go, task_download.go):
//   page/lead/task/ (POST JSON; GET with query parameters is accepted too, as some clients
//   call it that way): advertiser_id, and page_id or ad_id to create a task; with task_id it
//   polls. data {task_id, status (CREATED | RUNNING | SUCCEED | FAILED), file_name and
//   file_type once SUCCEED}.
//   page/lead/task/download/ (GET advertiser_id, task_id): the leads as a CSV file (UTC times),
//   not a JSON envelope; a task that is not finished answers 40201.
// The CSV columns are inferred too: lead_id, create_time, ad_id, ad_name, adgroup_id,
// adgroup_name, campaign_id, campaign_name, page_id, then one column per form question. Leads
// are the seeded ones plus synthetic ones: one per `form` result of an ad that uses the page,
// over the last 90 days of the synthetic metrics.
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "tools/sandbox/endpoints.h"
#include "tools/sandbox/synthetic_metrics.h"

namespace ttads::sandbox {
namespace {

std::string CsvField(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  return absl::StrCat("\"", absl::StrReplaceAll(value, {{"\"", "\"\""}}), "\"");
}

std::string TaskStatus(const EndpointContext& ctx, const LeadDownloadTask& task) {
  return ctx.now >= task.create_time + absl::Seconds(ctx.config.lead_task_seconds) ? "SUCCEED"
                                                                                   : "RUNNING";
}

std::string TaskFileName(const LeadDownloadTask& task) {
  return absl::StrCat("leads_", task.task_id, ".csv");
}

Json TaskJson(const EndpointContext& ctx, const LeadDownloadTask& task, bool just_created) {
  std::string status = just_created ? "CREATED" : TaskStatus(ctx, task);
  Json json{{"task_id", task.task_id}, {"status", status}};
  if (status == "SUCCEED") {
    json["file_name"] = TaskFileName(task);
    json["file_type"] = "csv";
  }
  return json;
}

const LeadDownloadTask& FindTask(EndpointContext& ctx, const std::string& advertiser_id,
                                 const std::string& task_id) {
  auto task = ctx.state.lead_tasks.find(task_id);
  if (task == ctx.state.lead_tasks.end() || task->second.advertiser_id != advertiser_id) {
    throw ApiError(kCodeNotFound, absl::StrCat("The task ", task_id, " does not exist."));
  }
  return task->second;
}

}  // namespace

EndpointResult PageLeadTask(EndpointContext& ctx) {
  const Params& p = ctx.params;
  Advertiser& advertiser = ctx.RequireAdvertiser();
  EndpointResult result;
  if (std::optional<std::string> task_id = p.String("task_id")) {
    result.data = TaskJson(ctx, FindTask(ctx, advertiser.advertiser_id, *task_id), false);
    return result;
  }
  std::optional<std::string> page_id = p.String("page_id");
  std::optional<std::string> ad_id = p.String("ad_id");
  if (!page_id && !ad_id) InvalidParameter("Missing required field(s): page_id or ad_id.");
  if (page_id && ad_id) InvalidParameter("Pass only one of page_id and ad_id.");
  if (page_id) {
    auto page = ctx.state.pages.find(*page_id);
    if (page == ctx.state.pages.end() || page->second.advertiser_id != advertiser.advertiser_id) {
      throw ApiError(kCodeNotFound, absl::StrCat("The page ", *page_id, " does not exist."));
    }
  } else if (ctx.state.FindAd(advertiser.advertiser_id, *ad_id) == nullptr) {
    throw ApiError(kCodeNotFound, absl::StrCat("The ad ", *ad_id, " does not exist."));
  }
  LeadDownloadTask task;
  task.task_id = ctx.state.NewId();
  task.advertiser_id = advertiser.advertiser_id;
  task.page_id = page_id.value_or("");
  task.ad_id = ad_id.value_or("");
  task.create_time = ctx.now;
  ctx.state.lead_tasks[task.task_id] = task;
  result.data = TaskJson(ctx, task, /*just_created=*/true);
  return result;
}

EndpointResult PageLeadTaskDownload(EndpointContext& ctx) {
  const Params& p = ctx.params;
  p.Require({"advertiser_id", "task_id"});
  Advertiser& advertiser = ctx.RequireAdvertiser();
  const LeadDownloadTask& task =
      FindTask(ctx, advertiser.advertiser_id, p.RequiredString("task_id"));
  if (TaskStatus(ctx, task) != "SUCCEED") {
    throw ApiError(kCodeTaskNotReady, "Task is not ready.");
  }

  struct Row {
    std::string lead_id;
    absl::Time time;
    const Ad* ad = nullptr;
    std::string page_id;
    std::vector<std::pair<std::string, std::string>> fields;
  };
  std::vector<Row> rows;
  auto wanted = [&](const std::string& page_id, const std::string& ad_id) {
    return task.ad_id.empty() ? page_id == task.page_id : ad_id == task.ad_id;
  };
  for (const auto& [id, lead] : ctx.state.leads) {
    if (lead.advertiser_id != advertiser.advertiser_id || !wanted(lead.page_id, lead.ad_id)) {
      continue;
    }
    auto ad = ctx.state.ads.find(lead.ad_id);
    rows.push_back({lead.lead_id, lead.create_time,
                    ad == ctx.state.ads.end() ? nullptr : &ad->second, lead.page_id, lead.fields});
  }
  const MetricModel model(ctx.state, ctx.config, ctx.now);
  const absl::CivilDay today = model.Today(advertiser);
  for (const auto& [id, ad] : ctx.state.ads) {
    if (ad.advertiser_id != advertiser.advertiser_id || ad.page_id.empty() ||
        !wanted(ad.page_id, ad.ad_id)) {
      continue;
    }
    for (absl::CivilDay day = std::max(model.FirstDay(ad), today - 89); day <= today; ++day) {
      for (int h = 0; h < 24; ++h) {
        MetricCounters counters = model.AdHour(ad, absl::CivilHour(day) + h);
        for (int64_t i = 0; i < counters.form; ++i) {
          std::string suffix = absl::StrFormat("%s%02d%02d", absl::FormatCivilTime(day), h, i);
          std::string lead_id = absl::StrCat("7", ad.ad_id.substr(ad.ad_id.size() - 8),
                                             absl::StrReplaceAll(suffix, {{"-", ""}}));
          int n = static_cast<int>(lead_id.back() - '0') * 1000 + h * 10 + static_cast<int>(i);
          rows.push_back(
              {lead_id,
               advertiser.zone.At(absl::CivilHour(day) + h).pre + absl::Minutes(7 * (i % 8) + 3),
               &ad,
               ad.page_id,
               {{"name", absl::StrCat("Sandbox Lead ", n)},
                {"phone_number", absl::StrFormat("+7700%07d", n * 37 % 10000000)},
                {"email", absl::StrCat("lead", n, "@example.invalid")}}});
        }
      }
    }
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return a.time != b.time ? a.time < b.time : a.lead_id < b.lead_id;
  });

  std::vector<std::string> questions;
  std::set<std::string> seen;
  for (const Row& row : rows) {
    for (const auto& field : row.fields) {
      if (seen.insert(field.first).second) questions.push_back(field.first);
    }
  }
  std::vector<std::string> header = {"lead_id",     "create_time",   "ad_id",
                                     "ad_name",     "adgroup_id",    "adgroup_name",
                                     "campaign_id", "campaign_name", "page_id"};
  header.insert(header.end(), questions.begin(), questions.end());
  std::string csv = absl::StrCat(absl::StrJoin(header, ","), "\r\n");
  for (const Row& row : rows) {
    std::vector<std::string> cells = {row.lead_id, FormatDateTime(row.time)};
    if (row.ad != nullptr) {
      auto adgroup = ctx.state.adgroups.find(row.ad->adgroup_id);
      auto campaign = ctx.state.campaigns.find(row.ad->campaign_id);
      cells.insert(cells.end(),
                   {row.ad->ad_id, row.ad->ad_name, row.ad->adgroup_id,
                    adgroup == ctx.state.adgroups.end() ? "" : adgroup->second.adgroup_name,
                    row.ad->campaign_id,
                    campaign == ctx.state.campaigns.end() ? "" : campaign->second.campaign_name});
    } else {
      cells.insert(cells.end(), {"", "", "", "", "", ""});
    }
    cells.push_back(row.page_id);
    for (const std::string& question : questions) {
      std::string answer;
      for (const auto& field : row.fields) {
        if (field.first == question) answer = field.second;
      }
      cells.push_back(answer);
    }
    for (std::string& cell : cells) cell = CsvField(cell);
    absl::StrAppend(&csv, absl::StrJoin(cells, ","), "\r\n");
  }
  EndpointResult result;
  result.raw = std::make_pair(std::string("text/csv; charset=utf-8"), std::move(csv));
  return result;
}

}  // namespace ttads::sandbox

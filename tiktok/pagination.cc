#include "tiktok/pagination.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "tiktok/lenient.h"

namespace ttads::tiktok {

PageInfo ReadPageInfo(const JsonValue& data) {
  const JsonValue* info = FieldOf(&data, "page_info");
  PageInfo out;
  out.page = ReadIntField(info, "page").value_or(0);
  out.page_size = ReadIntField(info, "page_size").value_or(0);
  out.total_number = ReadIntField(info, "total_number").value_or(0);
  out.total_page = ReadIntField(info, "total_page").value_or(0);
  return out;
}

absl::Status ReadAllPages(const std::function<absl::StatusOr<PageInfo>(int64_t page)>& fetch,
                          int64_t max_pages) {
  int64_t page = 1;
  for (int64_t read = 0;; ++read) {
    if (read >= max_pages) {
      return absl::InternalError(absl::StrCat("TikTok paging did not end after ", max_pages,
                                              " pages"));
    }
    absl::StatusOr<PageInfo> info = fetch(page);
    if (!info.ok()) return info.status();
    // TikTok echoes the page it served; trust our own counter when it does not.
    const int64_t served = info->page > 0 ? info->page : page;
    if (info->total_page <= 0 || served >= info->total_page) return absl::OkStatus();
    page = std::max(served, page) + 1;
  }
}

std::vector<std::vector<std::string>> BatchIds(const std::vector<std::string>& ids,
                                               size_t max_per_batch) {
  std::vector<std::vector<std::string>> batches;
  if (max_per_batch == 0) max_per_batch = 1;
  absl::flat_hash_set<std::string> seen;
  for (const std::string& id : ids) {
    if (id.empty() || !seen.insert(id).second) continue;
    if (batches.empty() || batches.back().size() >= max_per_batch) batches.emplace_back();
    batches.back().push_back(id);
  }
  return batches;
}

}  // namespace ttads::tiktok

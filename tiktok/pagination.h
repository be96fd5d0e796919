// Paging and id batching (reference §1 "Pagination", §4-§8 id-list limits).
// List endpoints take `page` (1-based) and `page_size` and answer data.page_info =
// {page, page_size, total_number, total_page}; the client reads every page and stops when
// page >= total_page. Id filters and status updates take bounded id lists; longer lists are
// split into batches.
#ifndef TTADS_TIKTOK_PAGINATION_H_
#define TTADS_TIKTOK_PAGINATION_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tiktok/json_value.h"

namespace ttads::tiktok {

// Id-list limits per request.
inline constexpr size_t kMaxFilterIds = 100;          // campaign/adgroup/ad get filters
inline constexpr size_t kMaxStatusUpdateIds = 20;     // campaign/ad status update (documented);
                                                      // adgroup (undocumented, same limit)
inline constexpr size_t kMaxAdvertiserInfoIds = 100;  // advertiser/info
inline constexpr size_t kMaxVideoInfoIds = 60;        // file/video/ad/info
inline constexpr size_t kMaxCreativesPerAdCreate = 20;
inline constexpr size_t kMaxReportFilterIds = 100;    // report filtering IN (not documented)

// page_size limits per endpoint family.
inline constexpr int kMaxPageSizeEntities = 1000;  // campaign/adgroup/ad get, report
inline constexpr int kMaxPageSizeIdentity = 100;
inline constexpr int kMaxPageSizePixel = 20;
inline constexpr int kMaxPageSizeInstantPage = 100;

struct PageInfo {
  int64_t page = 0;
  int64_t page_size = 0;
  int64_t total_number = 0;
  int64_t total_page = 0;
};

// data.page_info, read leniently; missing fields are 0.
PageInfo ReadPageInfo(const JsonValue& data);

// Calls fetch(1), fetch(2), ... until the returned page_info says page >= total_page (a
// missing page_info or total_page 0 ends it too). Stops with the first error; fails with
// INTERNAL after `max_pages` pages (a runaway total_page).
absl::Status ReadAllPages(const std::function<absl::StatusOr<PageInfo>(int64_t page)>& fetch,
                          int64_t max_pages = 100000);

// Splits `ids` into batches of at most `max_per_batch`, dropping empty ids and duplicates
// (first occurrence kept, order preserved). No ids give no batches.
std::vector<std::vector<std::string>> BatchIds(const std::vector<std::string>& ids,
                                               size_t max_per_batch);

}  // namespace ttads::tiktok

#endif  // TTADS_TIKTOK_PAGINATION_H_

// Figure 6: one 1000-row report/integrated/get/ page (the brain's ad-level daily report, as the
// sandbox answers it) read by ttads's TikTok client and folded into per-ad-group windows, against
// simdjson's own parse of the same bytes.
#ifndef TTADS_TOOLS_BENCH_REPORT_PARSE_BENCH_H_
#define TTADS_TOOLS_BENCH_REPORT_PARSE_BENCH_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace ttads::bench {

struct ReportParseResult {
  size_t bytes = 0;
  size_t rows = 0;
  double simdjson_us = 0;  // simdjson DOM parse of the page
  double client_us = 0;    // TikTokClient::GetReport of the page (no network: replayed bytes)
  double envelope_us = 0;  // of which: ParseEnvelope of the page
  double tree_us = 0;      // of which: ParseJson of the page (the client's JSON tree)
  double generic_us = 0;   // the generic reader (JSON tree + ReadReportRow), for comparison
  double fold_us = 0;      // FoldReportRows of its rows
  double total_us = 0;     // client + fold, measured together
};

// Fetches the page from the sandbox at `base_url` (…/open_api) for `advertiser_id`, then times
// both for about `duration` each.
absl::StatusOr<ReportParseResult> RunReportParseBench(const std::string& base_url,
                                                      const std::string& advertiser_id,
                                                      absl::Duration duration);

}  // namespace ttads::bench

#endif  // TTADS_TOOLS_BENCH_REPORT_PARSE_BENCH_H_

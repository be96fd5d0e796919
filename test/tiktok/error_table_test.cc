// The TikTok return-code table, the error payload, and how single HTTP responses are judged.
#include <set>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "tiktok/envelope.h"
#include "tiktok/tiktok_error.h"

namespace ttads::tiktok {
namespace {

using absl::StatusCode;

struct Expected {
  int64_t code;
  StatusCode status;
  bool retryable;
  bool rate_limited;
  bool needs_reauth;
};

TEST(ErrorTableTest, EveryDocumentedCodeMapsAsSpecified) {
  const Expected expected[] = {
      {40000, StatusCode::kInvalidArgument, false, false, false},
      {40001, StatusCode::kPermissionDenied, false, false, false},  // not a token problem
      {40002, StatusCode::kInvalidArgument, false, false, false},
      {40003, StatusCode::kPermissionDenied, false, false, false},
      {40006, StatusCode::kInvalidArgument, false, false, false},
      {40007, StatusCode::kNotFound, false, false, false},
      {40008, StatusCode::kUnimplemented, false, false, false},
      {40009, StatusCode::kFailedPrecondition, false, false, false},
      {40010, StatusCode::kFailedPrecondition, false, false, false},
      {40011, StatusCode::kInvalidArgument, false, false, false},
      {40012, StatusCode::kFailedPrecondition, false, false, false},
      {40013, StatusCode::kFailedPrecondition, false, false, false},
      {40014, StatusCode::kFailedPrecondition, false, false, false},
      {40016, StatusCode::kResourceExhausted, true, true, false},
      {40050, StatusCode::kAlreadyExists, false, false, false},
      {40051, StatusCode::kFailedPrecondition, false, false, false},
      {40053, StatusCode::kInvalidArgument, false, false, false},
      {40065, StatusCode::kInvalidArgument, false, false, false},
      {40100, StatusCode::kResourceExhausted, true, true, false},
      {40101, StatusCode::kUnauthenticated, false, false, false},
      {40102, StatusCode::kUnauthenticated, false, false, true},
      {40103, StatusCode::kUnauthenticated, false, false, false},
      {40104, StatusCode::kUnauthenticated, false, false, true},
      {40105, StatusCode::kUnauthenticated, false, false, true},
      {40106, StatusCode::kPermissionDenied, false, false, false},
      {40107, StatusCode::kUnauthenticated, false, false, false},
      {40108, StatusCode::kInvalidArgument, false, false, false},
      {40109, StatusCode::kUnauthenticated, false, false, false},
      {40110, StatusCode::kInvalidArgument, false, false, false},
      {40112, StatusCode::kUnauthenticated, false, false, false},
      {40113, StatusCode::kPermissionDenied, false, false, false},
      {40114, StatusCode::kFailedPrecondition, false, false, false},
      {40115, StatusCode::kUnauthenticated, false, false, false},
      {40116, StatusCode::kUnauthenticated, false, false, false},
      {40117, StatusCode::kPermissionDenied, false, false, false},
      {40118, StatusCode::kPermissionDenied, false, false, false},
      {40119, StatusCode::kPermissionDenied, false, false, false},
      {40120, StatusCode::kPermissionDenied, false, false, false},
      {40125, StatusCode::kPermissionDenied, false, false, false},
      {40129, StatusCode::kPermissionDenied, false, false, false},
      {40130, StatusCode::kPermissionDenied, false, false, false},
      {40131, StatusCode::kPermissionDenied, false, false, false},
      {40132, StatusCode::kResourceExhausted, true, true, false},
      {40133, StatusCode::kResourceExhausted, true, true, false},
      {40200, StatusCode::kInternal, false, false, false},
      {40201, StatusCode::kUnavailable, true, false, false},
      {40202, StatusCode::kAborted, true, false, false},
      {40300, StatusCode::kNotFound, false, false, false},          // advertiser, not params
      {40301, StatusCode::kPermissionDenied, false, false, false},  // role error, not params
      {40302, StatusCode::kNotFound, false, false, false},
      {40309, StatusCode::kUnauthenticated, false, false, false},
      {40400, StatusCode::kUnimplemented, false, false, false},
      {40502, StatusCode::kFailedPrecondition, false, false, false},
      {40700, StatusCode::kInvalidArgument, false, false, false},
      {40900, StatusCode::kInvalidArgument, false, false, false},
      {40901, StatusCode::kUnavailable, true, false, false},
      {40902, StatusCode::kUnavailable, true, false, false},
      {40903, StatusCode::kUnavailable, true, false, false},
      {40904, StatusCode::kInvalidArgument, false, false, false},
      {40905, StatusCode::kInvalidArgument, false, false, false},
      {40906, StatusCode::kInvalidArgument, false, false, false},
      {40907, StatusCode::kInvalidArgument, false, false, false},
      {40908, StatusCode::kInvalidArgument, false, false, false},
      {40909, StatusCode::kInvalidArgument, false, false, false},
      {40910, StatusCode::kInvalidArgument, false, false, false},
      {40911, StatusCode::kAlreadyExists, false, false, false},
      {40912, StatusCode::kInvalidArgument, false, false, false},
      {40913, StatusCode::kUnavailable, true, false, false},
      {40914, StatusCode::kInvalidArgument, false, false, false},
      {40915, StatusCode::kInvalidArgument, false, false, false},
      {40916, StatusCode::kInvalidArgument, false, false, false},
      {41000, StatusCode::kPermissionDenied, false, false, false},
      {41001, StatusCode::kUnimplemented, false, false, false},
      {41002, StatusCode::kInvalidArgument, false, false, false},
      {50000, StatusCode::kUnavailable, true, false, false},
      {50002, StatusCode::kUnavailable, true, false, false},  // transient, not "not authorised"
      {51000, StatusCode::kUnavailable, true, false, false},  // transient, not "not found"
      {51003, StatusCode::kUnavailable, true, false, false},
      {51010, StatusCode::kUnavailable, true, false, false},
      {51099, StatusCode::kUnavailable, true, false, false},
      {52000, StatusCode::kUnavailable, true, false, false},  // DB errors, not "budget"
      {52204, StatusCode::kUnavailable, true, false, false},
      {53102, StatusCode::kUnavailable, true, false, false},  // serialisation, not "creative"
      {53103, StatusCode::kUnavailable, true, false, false},
      {60001, StatusCode::kUnavailable, true, false, false},
      {61000, StatusCode::kResourceExhausted, true, true, false},
      {70001, StatusCode::kInvalidArgument, false, false, false},
  };
  for (const Expected& e : expected) {
    SCOPED_TRACE(e.code);
    const CodeInfo& info = LookupCode(e.code);
    EXPECT_EQ(info.status_code, e.status);
    EXPECT_EQ(info.retryable, e.retryable);
    EXPECT_EQ(info.rate_limited, e.rate_limited);
    EXPECT_EQ(info.needs_reauth, e.needs_reauth);
    EXPECT_NE(std::string(info.reason).find("UNDOCUMENTED"), 0u) << info.reason;
  }
}

TEST(ErrorTableTest, SuccessCodes) {
  EXPECT_TRUE(IsSuccessCode(0));
  EXPECT_TRUE(IsSuccessCode(20001));
  EXPECT_FALSE(IsSuccessCode(40000));
  EXPECT_EQ(LookupCode(20001).status_code, StatusCode::kOk);
}

TEST(ErrorTableTest, OnlyTheTokenCodesNeedReauthorisation) {
  std::set<int64_t> reauth;
  std::set<int64_t> rate_limited;
  for (const CodeInfo& row : ErrorTable()) {
    for (int64_t code = row.lo; code <= row.hi; ++code) {
      if (row.needs_reauth) reauth.insert(code);
      if (row.rate_limited) rate_limited.insert(code);
      if (row.needs_reauth || row.rate_limited) {
        EXPECT_NE(row.retryable, row.needs_reauth);
      }
    }
  }
  EXPECT_EQ(reauth, (std::set<int64_t>{40102, 40104, 40105}));
  EXPECT_EQ(rate_limited, (std::set<int64_t>{40016, 40100, 40132, 40133, 61000}));
}

TEST(ErrorTableTest, RowsAreSortedAndDisjoint) {
  int64_t previous_hi = -1;
  for (const CodeInfo& row : ErrorTable()) {
    EXPECT_LE(row.lo, row.hi);
    EXPECT_GT(row.lo, previous_hi) << row.reason;
    previous_hi = row.hi;
  }
}

TEST(ErrorTableTest, UndocumentedCodesFallBackByRange) {
  EXPECT_EQ(LookupCode(40999).status_code, StatusCode::kUnknown);
  EXPECT_FALSE(LookupCode(40999).retryable);
  EXPECT_EQ(LookupCode(53001).status_code, StatusCode::kUnavailable);  // not "video processing"
  EXPECT_TRUE(LookupCode(53001).retryable);
  EXPECT_TRUE(LookupCode(53001).limited);
  EXPECT_FALSE(LookupCode(12345).retryable);
}

TEST(TikTokErrorTest, PayloadRoundTripsThroughTheStatus) {
  TikTokError error = ErrorForCode(40100, "Too many \"requests\"", "20240101abc", "campaign/get/",
                                   200);
  error.attempts = 3;
  error.log_id = "log-1";
  const absl::Status status = StatusForError(error);
  EXPECT_EQ(status.code(), StatusCode::kResourceExhausted);
  EXPECT_NE(status.message().find("campaign/get/"), absl::string_view::npos);
  EXPECT_NE(status.message().find("40100"), absl::string_view::npos);
  EXPECT_TRUE(status.GetPayload(kTikTokErrorTypeUrl).has_value());
  const std::optional<TikTokError> back = TikTokErrorOf(status);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->code, 40100);
  EXPECT_EQ(back->message, "Too many \"requests\"");
  EXPECT_EQ(back->request_id, "20240101abc");
  EXPECT_EQ(back->log_id, "log-1");
  EXPECT_EQ(back->path, "campaign/get/");
  EXPECT_EQ(back->http_status, 200);
  EXPECT_EQ(back->reason, "RATE_LIMITED_APP");
  EXPECT_TRUE(back->retryable);
  EXPECT_TRUE(back->rate_limited);
  EXPECT_FALSE(back->needs_reauth);
  EXPECT_EQ(back->attempts, 3);
  EXPECT_TRUE(IsRateLimitedTikTokError(status));
  EXPECT_TRUE(IsRetryableTikTokError(status));
  EXPECT_EQ(TikTokCodeOf(status), 40100);
}

TEST(TikTokErrorTest, ReauthHelper) {
  const absl::Status status = StatusForError(ErrorForCode(40105, "bad token", "r", "x/", 200));
  EXPECT_TRUE(NeedsReauth(status));
  EXPECT_EQ(status.code(), StatusCode::kUnauthenticated);
  EXPECT_FALSE(NeedsReauth(absl::UnauthenticatedError("no payload")));
  EXPECT_FALSE(TikTokErrorOf(absl::InternalError("plain")).has_value());
  EXPECT_EQ(TikTokCodeOf(absl::OkStatus()), 0);
}

HttpResponse Response(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.headers = {{"x-tt-logid", "LOG123"}};
  return response;
}

TEST(JudgeResponseTest, TheEnvelopeDecidesNotTheHttpStatus) {
  const VerdictOptions options;
  ResponseVerdict ok = JudgeResponse(
      "a/", Response(200, R"({"code":0,"message":"OK","request_id":"r","data":{"x":1}})"),
      options);
  EXPECT_TRUE(ok.ok);
  EXPECT_EQ(ok.data.Find("x")->text(), "1");

  ResponseVerdict limited = JudgeResponse(
      "a/", Response(200, R"({"code":40100,"message":"Too many","request_id":"r9","data":{}})"),
      options);
  EXPECT_FALSE(limited.ok);
  EXPECT_EQ(limited.status_code, StatusCode::kResourceExhausted);
  EXPECT_TRUE(limited.error.retryable);
  EXPECT_EQ(limited.error.request_id, "r9");
  EXPECT_EQ(limited.error.log_id, "LOG123");

  // An envelope on a 5xx still decides: 40002 is not retried.
  ResponseVerdict invalid = JudgeResponse(
      "a/", Response(500, R"({"code":40002,"message":"budget too low","data":{}})"), options);
  EXPECT_FALSE(invalid.error.retryable);
  EXPECT_EQ(invalid.status_code, StatusCode::kInvalidArgument);

  ResponseVerdict partial = JudgeResponse(
      "a/", Response(200, R"({"code":20001,"message":"partial","data":{"error_list":[]}})"),
      options);
  EXPECT_TRUE(partial.ok);
}

TEST(JudgeResponseTest, BodiesThatAreNotEnvelopes) {
  const VerdictOptions options;
  ResponseVerdict html_502 = JudgeResponse("a/", Response(502, "<html>Bad gateway</html>"), options);
  EXPECT_FALSE(html_502.ok);
  EXPECT_TRUE(html_502.error.retryable);
  EXPECT_EQ(html_502.error.reason, "HTTP_5XX");
  EXPECT_EQ(html_502.status_code, StatusCode::kUnavailable);

  ResponseVerdict html_200 = JudgeResponse("a/", Response(200, "<!DOCTYPE html><p>cf</p>"), options);
  EXPECT_TRUE(html_200.error.retryable);
  EXPECT_EQ(html_200.error.reason, "NOT_JSON");

  ResponseVerdict no_code = JudgeResponse("a/", Response(200, R"({"error":"x"})"), options);
  EXPECT_TRUE(no_code.error.retryable);
  EXPECT_EQ(no_code.error.reason, "NOT_ENVELOPE");

  ResponseVerdict not_found = JudgeResponse("a/", Response(404, "page not found"), options);
  EXPECT_FALSE(not_found.error.retryable);
  EXPECT_EQ(not_found.status_code, StatusCode::kUnimplemented);

  ResponseVerdict too_many = JudgeResponse("a/", Response(429, "slow down"), options);
  EXPECT_TRUE(too_many.error.retryable);
  EXPECT_TRUE(too_many.error.rate_limited);

  ResponseVerdict bad_data = JudgeResponse(
      "a/", Response(200, R"({"code":0,"message":"OK","data":{"x":tru}})"), options);
  EXPECT_FALSE(bad_data.ok);
  EXPECT_TRUE(bad_data.error.retryable);
}

TEST(JudgeResponseTest, FileBodiesWhenAllowed) {
  VerdictOptions options;
  options.allow_file_body = true;
  ResponseVerdict csv = JudgeResponse("a/", Response(200, "lead_id,name\n1,Ann\n"), options);
  EXPECT_TRUE(csv.ok);
  EXPECT_TRUE(csv.is_file);
  ResponseVerdict envelope = JudgeResponse(
      "a/", Response(200, R"({"code":40201,"message":"not ready","data":{}})"), options);
  EXPECT_FALSE(envelope.ok);
  EXPECT_EQ(envelope.error.code, 40201);
}

TEST(JudgeResponseTest, TransportFailures) {
  ResponseVerdict timeout =
      JudgeTransportFailure("a/", absl::DeadlineExceededError("HTTP timeout"));
  EXPECT_EQ(timeout.status_code, StatusCode::kDeadlineExceeded);
  EXPECT_TRUE(timeout.error.retryable);
  EXPECT_EQ(timeout.error.reason, "TIMEOUT");
  ResponseVerdict reset = JudgeTransportFailure("a/", absl::UnavailableError("reset"));
  EXPECT_EQ(reset.status_code, StatusCode::kUnavailable);
  EXPECT_TRUE(reset.error.retryable);
}

}  // namespace
}  // namespace ttads::tiktok

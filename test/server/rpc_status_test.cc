#include "server/rpc_status.h"

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "server/json_text.h"

namespace ttads::server {
namespace {

TEST(RpcStatusTest, FieldViolationsTravelAsBadRequestDetails) {
  const absl::Status status = InvalidArgument(
      {{"daily_budget", "must be at least 2500 KZT"}, {"creative_ids", "is required"}});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "daily_budget: must be at least 2500 KZT; creative_ids: is required");

  const grpc::Status wire = ToGrpcStatus(status);
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status rich;
  ASSERT_TRUE(rich.ParseFromString(wire.error_details()));
  ASSERT_EQ(rich.details_size(), 1);
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(rich.details(0).UnpackTo(&bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 2);
  EXPECT_EQ(bad_request.field_violations(0).field(), "daily_budget");

  const absl::Status back = FromGrpcStatus(wire);
  ASSERT_EQ(FieldViolationsOf(back).size(), 2u);
  EXPECT_EQ(FieldViolationsOf(back)[1].field, "creative_ids");
}

TEST(RpcStatusTest, ErrorInfoIsKept) {
  const absl::Status status = WithErrorInfo(absl::FailedPreconditionError("reconnect TikTok"),
                                            "NEEDS_REAUTH", "ttads.v1", {{"tiktok_code", "40105"}});
  google::rpc::Status rich;
  ASSERT_TRUE(rich.ParseFromString(ToGrpcStatus(status).error_details()));
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(rich.details(0).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "NEEDS_REAUTH");
  EXPECT_EQ(info.metadata().at("tiktok_code"), "40105");
}

TEST(RpcStatusTest, PlainErrorsHaveNoDetails) {
  const grpc::Status wire = ToGrpcStatus(absl::NotFoundError("direction x not found"));
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(wire.error_details().empty());
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

TEST(RequestValidatorTest, CollectsEveryViolation) {
  RequestValidator validator;
  validator.Required("name", "");
  validator.Uuid("user_account_id", "not-a-uuid", true);
  validator.Uuid("account_id", "", false);
  EXPECT_FALSE(validator.ok());
  EXPECT_EQ(FieldViolationsOf(validator.status()).size(), 2u);
}

TEST(JsonTextTest, QuotesAndReplacesInvalidUtf8) {
  EXPECT_EQ(JsonQuote("a\"b\\c\n"), R"("a\"b\\c\n")");
  EXPECT_EQ(JsonQuote(std::string("\x01", 1)), R"("\u0001")");
  EXPECT_EQ(JsonQuote("Привет"), "\"Привет\"");
  EXPECT_EQ(JsonQuote("bad\xff"), "\"bad\xef\xbf\xbd\"");
  EXPECT_EQ(JsonObject({{"a", "1"}, {"b", "x"}}), R"({"a":"1","b":"x"})");
}

}  // namespace
}  // namespace ttads::server

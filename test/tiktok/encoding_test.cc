// How requests are written: URLs, GET parameters, JSON bodies, multipart uploads, MD5.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "tiktok/api_endpoint.h"
#include "tiktok/request_encoding.h"

namespace ttads::tiktok {
namespace {

TEST(ApiEndpointTest, UrlsKeepExactlyOneTrailingSlash) {
  ApiEndpoint endpoint{"http://127.0.0.1:8080/open_api/", "/v1.3/"};
  EXPECT_EQ(endpoint.Url("campaign/get"), "http://127.0.0.1:8080/open_api/v1.3/campaign/get/");
  EXPECT_EQ(endpoint.Url("/campaign/get/"), "http://127.0.0.1:8080/open_api/v1.3/campaign/get/");
  EXPECT_EQ(endpoint.UrlWithQuery("ad/get", "a=1"),
            "http://127.0.0.1:8080/open_api/v1.3/ad/get/?a=1");
  EXPECT_EQ(endpoint.UrlWithQuery("ad/get", ""), "http://127.0.0.1:8080/open_api/v1.3/ad/get/");
  EXPECT_EQ(NormalizePath("/ad/create"), "ad/create/");
  EXPECT_EQ(NormalizePath("ad/create/"), "ad/create/");
}

TEST(EncodingTest, UrlEncodeEscapesEverythingButUnreserved) {
  EXPECT_EQ(UrlEncode("aZ09-_.~"), "aZ09-_.~");
  EXPECT_EQ(UrlEncode("[\"1\",\"2\"]"), "%5B%221%22%2C%222%22%5D");
  EXPECT_EQ(UrlEncode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
}

TEST(EncodingTest, GetParametersFollowTikTokRules) {
  Params params = {
      {"advertiser_id", "7012345678901234567"},
      {"advertiser_ids", {"7012345678901234567", "2"}},
      {"filtering", {{"campaign_ids", {"1", "2"}}, {"primary_status", "STATUS_NOT_DELETE"}}},
      {"page", 2},
      {"query_lifetime", true},
      {"enable_total_metrics", false},
      {"ratio", 1.5},
      {"skipped", nullptr},
  };
  EXPECT_EQ(QueryValueText(params["advertiser_ids"]), R"(["7012345678901234567","2"])");
  EXPECT_EQ(QueryValueText(params["filtering"]),
            R"({"campaign_ids":["1","2"],"primary_status":"STATUS_NOT_DELETE"})");
  EXPECT_EQ(QueryValueText(params["page"]), "2");
  EXPECT_EQ(QueryValueText(params["query_lifetime"]), "true");
  EXPECT_EQ(QueryValueText(params["enable_total_metrics"]), "false");
  EXPECT_EQ(QueryValueText(params["advertiser_id"]), "7012345678901234567");  // no quotes
  EXPECT_EQ(EncodeQuery(params),
            "advertiser_id=7012345678901234567"
            "&advertiser_ids=%5B%227012345678901234567%22%2C%222%22%5D"
            "&enable_total_metrics=false"
            "&filtering=%7B%22campaign_ids%22%3A%5B%221%22%2C%222%22%5D%2C%22primary_status%22%3A"
            "%22STATUS_NOT_DELETE%22%7D"
            "&page=2&query_lifetime=true&ratio=1.5");
  EXPECT_EQ(EncodeQuery(Params::array()), "");
}

TEST(EncodingTest, ReportFilteringIsAJsonArrayWithJsonStringValues) {
  Params filtering = Params::array();
  filtering.push_back({{"field_name", "campaign_ids"},
                       {"filter_type", "IN"},
                       {"filter_value", ToJsonText(Params{"123", "456"})}});
  EXPECT_EQ(QueryValueText(filtering),
            R"([{"field_name":"campaign_ids","filter_type":"IN","filter_value":"[\"123\",\"456\"]"}])");
}

TEST(EncodingTest, JsonTextNeverThrowsOnInvalidUtf8) {
  Params body = {{"name", std::string("bad \xff byte")}};
  std::string text;
  EXPECT_NO_THROW(text = ToJsonText(body));
  EXPECT_NE(text.find("bad "), std::string::npos);
}

TEST(EncodingTest, Md5HexIsLowerCase) {
  EXPECT_EQ(Md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Md5Hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
}

std::string WriteTempFile(const std::string& content) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() /
      ("ttads_tiktok_encoding_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
       "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::ofstream(path, std::ios::binary) << content;
  return path.string();
}

TEST(EncodingTest, Md5OfAFileMatchesTheBytes) {
  std::string content(300000, 'v');
  content[12345] = '\0';
  const std::string path = WriteTempFile(content);
  absl::StatusOr<std::string> md5 = Md5HexOfFile(path);
  ASSERT_TRUE(md5.ok()) << md5.status();
  EXPECT_EQ(*md5, Md5Hex(content));
  std::filesystem::remove(path);
  EXPECT_FALSE(Md5HexOfFile(path).ok());
}

TEST(EncodingTest, UploadFormHasFieldsSignatureAndFilePart) {
  UploadSource source;
  source.bytes = "fake video bytes";
  source.file_name = "clip.mp4";
  source.content_type = "video/mp4";
  Params fields = {{"advertiser_id", "42"}, {"upload_type", "UPLOAD_BY_FILE"},
                   {"file_name", "clip.mp4"}, {"flaw_detect", true}};
  absl::StatusOr<MultipartForm> form =
      BuildUploadForm(fields, "video_file", "video_signature", source);
  ASSERT_TRUE(form.ok()) << form.status();
  EXPECT_EQ(form->FieldValue("advertiser_id"), "42");
  EXPECT_EQ(form->FieldValue("upload_type"), "UPLOAD_BY_FILE");
  EXPECT_EQ(form->FieldValue("flaw_detect"), "true");
  EXPECT_EQ(form->FieldValue("video_signature"), Md5Hex("fake video bytes"));
  const MultipartPart& file = form->parts().back();
  EXPECT_EQ(file.name, "video_file");
  EXPECT_TRUE(file.is_file());
  EXPECT_EQ(file.file_name, "clip.mp4");
  EXPECT_EQ(file.content_type, "video/mp4");
  EXPECT_EQ(file.value, "fake video bytes");
}

TEST(EncodingTest, UploadFormFromAFileStreamsIt) {
  const std::string path = WriteTempFile("image bytes");
  UploadSource source;
  source.file_path = path;
  absl::StatusOr<MultipartForm> form =
      BuildUploadForm(Params::object(), "image_file", "image_signature", source);
  ASSERT_TRUE(form.ok()) << form.status();
  EXPECT_EQ(form->FieldValue("image_signature"), Md5Hex("image bytes"));
  EXPECT_EQ(form->parts().back().file_path, path);
  EXPECT_EQ(form->parts().back().file_name, std::filesystem::path(path).filename().string());
  EXPECT_EQ(*UploadSize(source), 11);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace ttads::tiktok

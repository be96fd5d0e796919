// Video and image uploads (multipart with an MD5 signature, or by URL), video info, and the
// transcoding window during which ads using a video get 40901.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "absl/strings/str_cat.h"
#include "test/sandbox/sandbox_fixture.h"

namespace ttads::sandbox::testing {
namespace {

std::string Md5(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_md5(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i)
    absl::StrAppend(&hex, absl::Hex(digest[i], absl::kZeroPad2));
  return hex;
}

std::string BigEndian32(uint32_t v) {
  return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                     static_cast<char>(v >> 8), static_cast<char>(v)};
}

// A tiny MP4-like file whose movie header declares `seconds`.
std::string Mp4(uint32_t seconds) {
  std::string mvhd = absl::StrCat(std::string("mvhd"), std::string(4, '\0'),  // version, flags
                                  std::string(8, '\0'),                       // times
                                  BigEndian32(1000), BigEndian32(seconds * 1000));
  return absl::StrCat(BigEndian32(20), "ftypisom", std::string(8, '\0'), BigEndian32(8 + 116),
                      "moov", BigEndian32(108), mvhd, std::string(80, 'x'));
}

std::string Png(uint32_t width, uint32_t height) {
  return absl::StrCat(std::string("\x89PNG\r\n\x1a\n", 8), BigEndian32(13), "IHDR",
                      BigEndian32(width), BigEndian32(height), std::string("\x08\x02\0\0\0", 5),
                      std::string(16, 'p'));
}

class UploadTest : public SandboxTest {
 protected:
  Json Upload(const std::string& endpoint, const httplib::MultipartFormDataItems& items) {
    httplib::Result result = client_->Post(absl::StrCat("/open_api/v1.3/", endpoint).c_str(),
                                           {{"Access-Token", kToken}}, items);
    if (!result) {
      ADD_FAILURE() << "transport error";
      return Json::object();
    }
    EXPECT_EQ(result->status, 200);
    return ParseJson(result->body).value_or(Json::object());
  }
  Json UploadVideo(const std::string& bytes, const std::string& signature,
                   const std::string& file_name = "") {
    httplib::MultipartFormDataItems items = {{"advertiser_id", kUs, "", ""},
                                             {"upload_type", "UPLOAD_BY_FILE", "", ""},
                                             {"video_signature", signature, "", ""},
                                             {"video_file", bytes, "clip.mp4", "video/mp4"}};
    if (!file_name.empty()) items.push_back({"file_name", file_name, "", ""});
    return Upload("file/video/ad/upload/", items);
  }
  Json AdWithVideo(const std::string& video_id) {
    std::string campaign = CreateCampaign(kUs, absl::StrCat("C ", video_id), 100);
    std::string adgroup = CreateAdGroup(kUs, campaign, "G", 30);
    Json creative = CreativeFor(kUs, "Video ad");
    creative["video_id"] = video_id;
    adgroup_ = adgroup;
    return Post("ad/create/",
                {{"advertiser_id", kUs}, {"adgroup_id", adgroup}, {"creatives", {creative}}});
  }
  std::string adgroup_;
};

TEST_F(UploadTest, VideoByFileWithTheRightMd5) {
  std::string bytes = Mp4(15);
  Json reply = UploadVideo(bytes, Md5(bytes), "spring.mp4");
  ASSERT_EQ(reply["code"], 0) << reply.dump();
  ASSERT_TRUE(reply["data"].is_array());  // TikTok answers an array
  const Json& video = reply["data"][0];
  EXPECT_EQ(video["signature"], Md5(bytes));
  EXPECT_EQ(video["size"], bytes.size());
  EXPECT_EQ(video["duration"], 15.0);
  EXPECT_EQ(video["file_name"], "spring.mp4");
  Json info = Get("file/video/ad/info/",
                  {{"advertiser_id", kUs}, {"video_ids", {video["video_id"], "v10033gunknown"}}});
  ASSERT_EQ(info["code"], 0) << info.dump();
  ASSERT_EQ(info["data"]["list"].size(), 1u);  // unknown ids are left out
  EXPECT_EQ(info["data"]["list"][0]["video_id"], video["video_id"]);
  // The same file name again is a duplicate material name.
  EXPECT_EQ(UploadVideo(bytes, Md5(bytes), "spring.mp4")["code"], 40911);
}

TEST_F(UploadTest, WrongOrMissingMd5IsRejected) {
  std::string bytes = Mp4(15);
  Json wrong = UploadVideo(bytes, Md5("something else"));
  EXPECT_EQ(wrong["code"], 40900);
  EXPECT_EQ(wrong["data"], Json::object());
  Json missing = Upload("file/video/ad/upload/", {{"advertiser_id", kUs, "", ""},
                                                  {"video_file", bytes, "clip.mp4", "video/mp4"}});
  EXPECT_EQ(missing["code"], 40002);
  EXPECT_EQ(missing["message"], "Missing required field(s): video_signature.");
  EXPECT_EQ(UploadVideo("", Md5(""))["code"], 40906);
  EXPECT_EQ(
      Get("file/video/ad/info/", {{"advertiser_id", kUs}, {"video_ids", Json::array()}})["code"],
      40002);
}

TEST_F(UploadTest, VideoByUrlAsJson) {
  Json reply = Post("file/video/ad/upload/", {{"advertiser_id", kUs},
                                              {"upload_type", "UPLOAD_BY_URL"},
                                              {"video_url", "https://cdn.example.com/a/clip.mp4"}});
  ASSERT_EQ(reply["code"], 0) << reply.dump();
  EXPECT_EQ(reply["data"][0]["file_name"], "clip.mp4");
  EXPECT_EQ(Post("file/video/ad/upload/",
                 {{"advertiser_id", kUs}, {"upload_type", "UPLOAD_BY_URL"}})["message"],
            "Missing required field(s): video_url.");
  EXPECT_EQ(Post("file/video/ad/upload/", {{"advertiser_id", kUs},
                                           {"upload_type", "UPLOAD_BY_URL"},
                                           {"video_url", "ftp://x/y.mp4"}})["code"],
            40002);
}

TEST_F(UploadTest, TranscodingVideoGives40901UntilTheClockPassesTheDelay) {
  SandboxConfig config = sandbox_.config();
  config.transcode_seconds = 120;
  sandbox_.set_config(config);
  std::string bytes = Mp4(20);
  Json uploaded = UploadVideo(bytes, Md5(bytes));
  ASSERT_EQ(uploaded["code"], 0) << uploaded.dump();
  std::string video_id = uploaded["data"][0]["video_id"];
  EXPECT_EQ(uploaded["data"][0]["displayable"], false);
  Json early = AdWithVideo(video_id);
  EXPECT_EQ(early["code"], 40901);
  sandbox_.AdvanceClock(absl::Seconds(119));
  Json creative = CreativeFor(kUs, "Video ad");
  creative["video_id"] = video_id;
  Json body = {{"advertiser_id", kUs}, {"adgroup_id", adgroup_}, {"creatives", {creative}}};
  EXPECT_EQ(Post("ad/create/", body)["code"], 40901);
  sandbox_.AdvanceClock(absl::Seconds(2));
  Json ready = Post("ad/create/", body);
  EXPECT_EQ(ready["code"], 0) << ready.dump();
  Json info = Get("file/video/ad/info/", {{"advertiser_id", kUs}, {"video_ids", {video_id}}});
  EXPECT_EQ(info["data"]["list"][0]["displayable"], true);
}

TEST_F(UploadTest, VideosOverSixtySecondsCannotRun) {
  std::string bytes = Mp4(90);
  Json uploaded = UploadVideo(bytes, Md5(bytes));
  ASSERT_EQ(uploaded["code"], 0) << uploaded.dump();
  EXPECT_EQ(uploaded["data"][0]["duration"], 90.0);
  EXPECT_EQ(uploaded["data"][0]["displayable"], false);
  Json ad = AdWithVideo(uploaded["data"][0]["video_id"]);
  EXPECT_EQ(ad["code"], 40002);
  EXPECT_EQ(ad["message"], "Unsupported image size.");
}

TEST_F(UploadTest, ImageByFileAndByUrl) {
  std::string png = Png(720, 1280);
  Json reply = Upload("file/image/ad/upload/", {{"advertiser_id", kUs, "", ""},
                                                {"upload_type", "UPLOAD_BY_FILE", "", ""},
                                                {"image_signature", Md5(png), "", ""},
                                                {"image_file", png, "cover.png", "image/png"}});
  ASSERT_EQ(reply["code"], 0) << reply.dump();
  EXPECT_TRUE(reply["data"].is_object());
  EXPECT_EQ(reply["data"]["width"], 720);
  EXPECT_EQ(reply["data"]["height"], 1280);
  EXPECT_EQ(reply["data"]["format"], "png");
  std::string image_id = reply["data"]["image_id"];
  Json wrong = Upload("file/image/ad/upload/", {{"advertiser_id", kUs, "", ""},
                                                {"image_signature", Md5("x"), "", ""},
                                                {"image_file", png, "cover2.png", "image/png"}});
  EXPECT_EQ(wrong["code"], 40900);
  Json by_url = Post("file/image/ad/upload/", {{"advertiser_id", kUs},
                                               {"upload_type", "UPLOAD_BY_URL"},
                                               {"image_url", "https://example.com/cover.jpg"}});
  EXPECT_EQ(by_url["code"], 0) << by_url.dump();
  // The uploaded image works as a video ad's cover.
  std::string campaign = CreateCampaign(kUs, "Cover", 100);
  std::string adgroup = CreateAdGroup(kUs, campaign, "G", 30);
  Json creative = CreativeFor(kUs, "With cover");
  creative["image_ids"] = {image_id};
  EXPECT_EQ(
      Post("ad/create/",
           {{"advertiser_id", kUs}, {"adgroup_id", adgroup}, {"creatives", {creative}}})["code"],
      0);
}

}  // namespace
}  // namespace ttads::sandbox::testing

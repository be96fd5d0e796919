#include "server/creative_core.h"

#include <algorithm>
#include <initializer_list>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/json_text.h"
#include "server/proto_convert.h"
#include "server/rpc_status.h"
#include "server/validation.h"

namespace ttads::server {
namespace {

constexpr std::size_t kMaxTitle = 255;
constexpr std::size_t kMaxDescription = 1000;
constexpr std::size_t kMaxUrl = 2048;
constexpr std::size_t kMaxSource = 50;
constexpr std::size_t kMaxTikTokVideoId = 128;
// Lists of this service.
constexpr int kMaxPageSize = 500;

constexpr char kMediaTypeRule[] = "must be video, image or carousel";

bool IsMediaType(absl::string_view value) { return OneOf(value, {"video", "image", "carousel"}); }
bool IsStatus(absl::string_view value) {
  return OneOf(value, {"processing", "ready", "failed", "error"});
}

// An absolute http(s) URL with a host, without spaces or control characters.
bool IsHttpUrl(absl::string_view url) {
  if (url.size() > kMaxUrl) return false;
  absl::string_view rest;
  const std::string lower = absl::AsciiStrToLower(url.substr(0, 8));
  if (absl::StartsWith(lower, "https://")) {
    rest = url.substr(8);
  } else if (absl::StartsWith(lower, "http://")) {
    rest = url.substr(7);
  } else {
    return false;
  }
  const absl::string_view host = rest.substr(0, rest.find_first_of("/?#"));
  if (host.empty()) return false;
  return std::none_of(url.begin(), url.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f;
  });
}
void CheckUrl(RequestValidator& validator, absl::string_view field, absl::string_view url) {
  if (!url.empty() && !IsHttpUrl(url)) {
    validator.Fail(field, absl::StrCat("must be an http or https URL of at most ", kMaxUrl,
                                       " characters"));
  }
}

// TikTok video ids are letters and digits ("v10033g50000…").
void CheckVideoId(RequestValidator& validator, absl::string_view field, absl::string_view id) {
  const bool valid = id.size() <= kMaxTikTokVideoId && std::all_of(id.begin(), id.end(), [](char c) {
    return absl::ascii_isalnum(c) || c == '_' || c == '-' || c == '.';
  });
  if (!valid) {
    validator.Fail(field, absl::StrCat("must be 1..", kMaxTikTokVideoId,
                                       " letters, digits, '_', '-' or '.'"));
  }
}

void CheckTitle(RequestValidator& validator, absl::string_view title) {
  CheckLength(validator, "title", title, 1, kMaxTitle);
  if (!title.empty() && absl::StripAsciiWhitespace(title).empty()) {
    validator.Fail("title", "must not be blank");
  }
}

bool IsVideo(const std::optional<std::string>& media_type) {
  return !media_type.has_value() || media_type->empty() || *media_type == "video";
}
bool HasText(const std::optional<std::string>& value) {
  return value.has_value() && !value->empty();
}

template <typename Field, typename Target>
void Apply(const Field& field, Target& target) {
  if (field.has_value()) target = *field;
}

void ApplyPatch(const storage::CreativePatch& patch, storage::Creative& row) {
  Apply(patch.account_id, row.account_id);
  Apply(patch.direction_id, row.direction_id);
  Apply(patch.title, row.title);
  Apply(patch.description, row.description);
  Apply(patch.media_url, row.media_url);
  Apply(patch.is_active, row.is_active);
  Apply(patch.status, row.status);
  Apply(patch.media_type, row.media_type);
  Apply(patch.image_url, row.image_url);
  Apply(patch.thumbnail_url, row.thumbnail_url);
  Apply(patch.tiktok_video_id, row.tiktok_video_id);
  Apply(patch.creative_group_id, row.creative_group_id);
  Apply(patch.source, row.source);
}

}  // namespace

bool IsTikTokEligible(const storage::Creative& row) {
  return IsVideo(row.media_type) && row.status == "ready" && row.is_active &&
         (HasText(row.tiktok_video_id) || HasText(row.media_url));
}

void ToProto(const storage::Creative& row, v1::Creative& out) {
  out.set_id(row.id);
  out.set_user_id(row.user_id);
  out.set_account_id(TextOf(row.account_id));
  out.set_direction_id(TextOf(row.direction_id));
  out.set_title(row.title);
  out.set_description(TextOf(row.description));
  out.set_media_url(TextOf(row.media_url));
  out.set_media_type(TextOf(row.media_type));
  out.set_thumbnail_url(TextOf(row.thumbnail_url));
  out.set_image_url(TextOf(row.image_url));
  out.set_status(row.status);
  out.set_is_active(row.is_active);
  out.set_tiktok_video_id(TextOf(row.tiktok_video_id));
  out.set_creative_group_id(TextOf(row.creative_group_id));
  out.set_source(TextOf(row.source));
  out.set_created_at(TimeText(row.created_at));
  out.set_updated_at(TimeText(row.updated_at));
  out.set_tiktok_eligible(IsTikTokEligible(row));
}

absl::StatusOr<storage::Creative> CreativeCore::LoadCreative(const Principal& principal,
                                                             const std::string& creative_id) {
  std::string owner = principal.user_account_id;
  if (principal.is_operator()) {
    absl::StatusOr<std::string> found = creatives_.OwnerOf(creative_id);
    if (!found.ok()) return found.status();
    owner = *std::move(found);
  }
  absl::StatusOr<storage::Creative> row = creatives_.Get(owner, creative_id);
  if (!row.ok()) return row.status();
  if (absl::Status allowed = principal.CheckUserAccess(row->user_id); !allowed.ok()) {
    return allowed;
  }
  return row;
}

absl::Status CreativeCore::CheckReferences(const std::string& user_account_id,
                                           const std::string& account_id,
                                           const std::string& direction_id) {
  if (!account_id.empty()) {
    absl::StatusOr<storage::AdAccount> account = ad_accounts_.GetForUser(user_account_id, account_id);
    if (account.status().code() == absl::StatusCode::kNotFound) {
      return absl::NotFoundError(absl::StrCat("account_id: ad account ", account_id,
                                              " is not an ad account of this user account"));
    }
    if (!account.ok()) return account.status();
  }
  if (!direction_id.empty()) {
    absl::StatusOr<storage::Direction> direction = directions_.Get(user_account_id, direction_id);
    if (direction.status().code() == absl::StatusCode::kNotFound) {
      return absl::NotFoundError(absl::StrCat("direction_id: direction ", direction_id,
                                              " is not a direction of this user account"));
    }
    if (!direction.ok()) return direction.status();
  }
  return absl::OkStatus();
}

absl::Status CreativeCore::CreateCreative(const Principal& principal,
                                          const v1::CreateCreativeRequest& request,
                                          v1::CreateCreativeResponse& response) {
  RequestValidator validator;
  validator.Uuid("user_account_id", request.user_account_id(),
                 /*required=*/principal.is_operator());
  validator.Uuid("account_id", request.account_id(), /*required=*/false);
  validator.Uuid("direction_id", request.direction_id(), /*required=*/false);
  CheckTitle(validator, request.title());
  if (CharacterCount(request.description()) > kMaxDescription) {
    validator.Fail("description", absl::StrCat("must be at most ", kMaxDescription, " characters"));
  }
  CheckUrl(validator, "media_url", request.media_url());
  CheckUrl(validator, "thumbnail_url", request.thumbnail_url());
  CheckUrl(validator, "image_url", request.image_url());
  if (!request.media_type().empty() && !IsMediaType(request.media_type())) {
    validator.Fail("media_type", kMediaTypeRule);
  }
  const std::string media_type = request.media_type().empty() ? "video" : request.media_type();
  if (!request.status().empty() && !OneOf(request.status(), {"processing", "ready", "failed"})) {
    validator.Fail("status", "must be processing, ready or failed");
  }
  if (!request.tiktok_video_id().empty()) {
    CheckVideoId(validator, "tiktok_video_id", request.tiktok_video_id());
  }
  if (media_type == "video" && request.media_url().empty() && request.tiktok_video_id().empty()) {
    validator.Fail("media_url", "is required for a video unless tiktok_video_id is given");
  }
  validator.Uuid("creative_group_id", request.creative_group_id(), /*required=*/false);
  if (!request.source().empty()) CheckLength(validator, "source", request.source(), 1, kMaxSource);
  if (!validator.ok()) return validator.status();
  absl::StatusOr<std::string> user =
      principal.EffectiveUser(request.user_account_id(), "user_account_id");
  if (!user.ok()) return user.status();

  storage::Creative row;
  row.user_id = *user;
  row.account_id = NullIfEmpty(request.account_id());
  row.direction_id = NullIfEmpty(request.direction_id());
  row.title = request.title();
  row.description = NullIfEmpty(request.description());
  row.media_url = NullIfEmpty(request.media_url());
  row.media_type = media_type;
  row.thumbnail_url = NullIfEmpty(request.thumbnail_url());
  row.image_url = NullIfEmpty(request.image_url());
  if (!request.status().empty()) {
    row.status = request.status();
  } else {
    row.status = row.media_url.has_value() || !request.tiktok_video_id().empty() ? "ready"
                                                                                 : "processing";
  }
  row.is_active = request.has_is_active() ? request.is_active().value() : true;
  row.tiktok_video_id = NullIfEmpty(request.tiktok_video_id());
  row.creative_group_id = NullIfEmpty(request.creative_group_id());
  row.source = request.source().empty() ? "uploaded" : request.source();

  return RunIdempotent(idempotency_, principal, "CreativeService/CreateCreative", request,
                       response, [&]() -> absl::Status {
    AuditRecord audit{"CreativeService.CreateCreative", row.user_id, request.account_id(),
                      "creative", "", request.idempotency_key(),
                      JsonObject({{"title", row.title}, {"direction_id", request.direction_id()}})};
    const absl::Status status = [&]() -> absl::Status {
      if (absl::StatusOr<storage::UserAccount> owner = user_accounts_.Get(row.user_id);
          !owner.ok()) {
        return owner.status();
      }
      if (absl::Status references =
              CheckReferences(row.user_id, request.account_id(), request.direction_id());
          !references.ok()) {
        return references;
      }
      if (request.validate_only()) {
        ToProto(row, *response.mutable_creative());
        return absl::OkStatus();
      }
      absl::StatusOr<storage::Creative> created = creatives_.Create(row, clock_.Now());
      if (!created.ok()) return created.status();
      audit.target_id = created->id;
      ToProto(*created, *response.mutable_creative());
      return absl::OkStatus();
    }();
    if (!request.validate_only()) auditor_.Record(principal, audit, status);
    return status;
  });
}

absl::Status CreativeCore::UpdateCreative(const Principal& principal,
                                          const v1::UpdateCreativeRequest& request,
                                          v1::UpdateCreativeResponse& response) {
  RequestValidator validator;
  validator.Uuid("creative_id", request.creative_id(), /*required=*/true);
  if (request.has_title()) CheckTitle(validator, request.title().value());
  if (CharacterCount(request.description().value()) > kMaxDescription) {
    validator.Fail("description", absl::StrCat("must be at most ", kMaxDescription, " characters"));
  }
  CheckUrl(validator, "media_url", request.media_url().value());
  CheckUrl(validator, "thumbnail_url", request.thumbnail_url().value());
  CheckUrl(validator, "image_url", request.image_url().value());
  if (request.has_media_type() && !IsMediaType(request.media_type().value())) {
    validator.Fail("media_type", kMediaTypeRule);
  }
  if (request.has_status() && !IsStatus(request.status().value())) {
    validator.Fail("status", "must be processing, ready, failed or error");
  }
  validator.Uuid("direction_id", request.direction_id().value(), /*required=*/false);
  validator.Uuid("account_id", request.account_id().value(), /*required=*/false);
  if (!request.tiktok_video_id().value().empty()) {
    CheckVideoId(validator, "tiktok_video_id", request.tiktok_video_id().value());
  }
  validator.Uuid("creative_group_id", request.creative_group_id().value(), /*required=*/false);
  if (!request.source().value().empty()) {
    CheckLength(validator, "source", request.source().value(), 1, kMaxSource);
  }
  if (!validator.ok()) return validator.status();

  storage::CreativePatch patch;
  patch.title = ValuePatch(request.has_title(), request.title());
  patch.description = TextPatch(request.has_description(), request.description());
  patch.media_url = TextPatch(request.has_media_url(), request.media_url());
  patch.media_type = TextPatch(request.has_media_type(), request.media_type());
  patch.thumbnail_url = TextPatch(request.has_thumbnail_url(), request.thumbnail_url());
  patch.image_url = TextPatch(request.has_image_url(), request.image_url());
  patch.status = ValuePatch(request.has_status(), request.status());
  patch.is_active = ValuePatch(request.has_is_active(), request.is_active());
  patch.direction_id = TextPatch(request.has_direction_id(), request.direction_id());
  patch.account_id = TextPatch(request.has_account_id(), request.account_id());
  patch.tiktok_video_id = TextPatch(request.has_tiktok_video_id(), request.tiktok_video_id());
  patch.creative_group_id = TextPatch(request.has_creative_group_id(), request.creative_group_id());
  patch.source = TextPatch(request.has_source(), request.source());

  return RunIdempotent(idempotency_, principal, "CreativeService/UpdateCreative", request,
                       response, [&]() -> absl::Status {
    AuditRecord audit{"CreativeService.UpdateCreative", principal.user_account_id, "", "creative",
                      request.creative_id(), request.idempotency_key(), ""};
    const absl::Status status = [&]() -> absl::Status {
      absl::StatusOr<storage::Creative> current = LoadCreative(principal, request.creative_id());
      if (!current.ok()) return current.status();
      audit.user_account_id = current->user_id;
      audit.account_id = TextOf(current->account_id);
      if (absl::Status references = CheckReferences(current->user_id,
                                                    request.account_id().value(),
                                                    request.direction_id().value());
          !references.ok()) {
        return references;
      }
      // A new media file makes the uploaded TikTok video stale.
      if (request.has_media_url() && !request.has_tiktok_video_id() &&
          NullIfEmpty(request.media_url().value()) != current->media_url) {
        patch.tiktok_video_id = storage::SetNull<std::string>();
      }
      storage::Creative after = *current;
      ApplyPatch(patch, after);
      if ((request.has_media_url() || request.has_tiktok_video_id() || request.has_media_type()) &&
          IsVideo(after.media_type) && !HasText(after.media_url) &&
          !HasText(after.tiktok_video_id)) {
        return InvalidField("media_url", "is required for a video unless tiktok_video_id is set");
      }
      if (request.validate_only()) {
        ToProto(after, *response.mutable_creative());
        return absl::OkStatus();
      }
      absl::StatusOr<storage::Creative> updated =
          creatives_.Update(current->user_id, current->id, patch, clock_.Now());
      if (!updated.ok()) return updated.status();
      ToProto(*updated, *response.mutable_creative());
      return absl::OkStatus();
    }();
    if (!request.validate_only()) auditor_.Record(principal, audit, status);
    return status;
  });
}

absl::Status CreativeCore::GetCreative(const Principal& principal,
                                       const v1::GetCreativeRequest& request,
                                       v1::Creative& response) {
  RequestValidator validator;
  validator.Uuid("creative_id", request.creative_id(), /*required=*/true);
  if (!validator.ok()) return validator.status();
  absl::StatusOr<storage::Creative> row = LoadCreative(principal, request.creative_id());
  if (!row.ok()) return row.status();
  ToProto(*row, response);
  return absl::OkStatus();
}

absl::Status CreativeCore::ListCreatives(const Principal& principal,
                                         const v1::ListCreativesRequest& request,
                                         v1::ListCreativesResponse& response) {
  RequestValidator validator;
  validator.Uuid("user_account_id", request.user_account_id(), /*required=*/false);
  if (principal.is_operator() && request.user_account_id().empty()) {
    validator.Fail("user_account_id",
                   "is required for the operator (listing every user's creatives at once is not "
                   "supported)");
  }
  validator.Uuid("account_id", request.account_id(), /*required=*/false);
  validator.Uuid("direction_id", request.direction_id(), /*required=*/false);
  if (!request.status().empty() && !IsStatus(request.status())) {
    validator.Fail("status", "must be processing, ready, failed or error");
  }
  if (!request.media_type().empty() && !IsMediaType(request.media_type())) {
    validator.Fail("media_type", kMediaTypeRule);
  }
  if (!validator.ok()) return validator.status();
  absl::StatusOr<std::string> user =
      principal.EffectiveUser(request.user_account_id(), "user_account_id");
  if (!user.ok()) return user.status();

  storage::CreativeFilter filter;
  if (!request.direction_id().empty()) {
    filter.direction_id =
        storage::NullableField<std::string>(std::in_place, request.direction_id());
  }
  if (!request.status().empty()) filter.status = request.status();
  if (request.tiktok_eligible_only()) {
    filter.is_active = true;
    if (request.status().empty()) filter.status = "ready";
  }
  absl::StatusOr<storage::Page<storage::Creative>> page = creatives_.List(
      *user, filter, PageOf(request.page_size(), request.page_token(), kMaxPageSize));
  if (!page.ok()) return page.status();
  // The repository filters by direction, status and is_active; the rest is applied to the page
  // (a page may then hold fewer rows than page_size; the token still continues after it).
  for (const storage::Creative& row : page->items) {
    if (!request.account_id().empty() &&
        !absl::EqualsIgnoreCase(TextOf(row.account_id), request.account_id())) {
      continue;
    }
    if (!request.media_type().empty() &&
        (request.media_type() == "video" ? !IsVideo(row.media_type)
                                         : TextOf(row.media_type) != request.media_type())) {
      continue;
    }
    if (request.tiktok_eligible_only() && !IsTikTokEligible(row)) continue;
    ToProto(row, *response.add_creatives());
  }
  response.set_next_page_token(page->next_page_token);
  return absl::OkStatus();
}

}  // namespace ttads::server

#include "server/tiktok_access.h"

#include <optional>
#include <utility>

#include "server/log.h"
#include "server/rpc_status.h"
#include "server/tiktok_status.h"
#include "tiktok/tiktok_error.h"

namespace ttads::server {
namespace {
constexpr char kDomain[] = "ttads.v1";
}  // namespace

absl::StatusOr<TikTokAccess> TikTokAccessResolver::Resolve(
    const std::string& user_account_id, const std::string& account_id,
    const std::string& missing_reason, const std::string& missing_message) {
  TikTokAccess access;
  access.user_account_id = user_account_id;
  access.account_id = account_id;
  absl::StatusOr<storage::ResolvedCredentials> resolved = credentials_.Resolve(
      user_account_id,
      account_id.empty() ? std::nullopt : std::optional<std::string>(account_id));
  if (!resolved.ok()) {
    if (resolved.status().code() == absl::StatusCode::kFailedPrecondition) {
      return WithErrorInfo(absl::FailedPreconditionError(missing_message), missing_reason,
                           kDomain, {});
    }
    return resolved.status();
  }
  access.credentials = *std::move(resolved);
  // Without multi-account mode the legacy credentials are used whatever account_id says.
  if (access.credentials.source != storage::CredentialTable::kAdAccounts) access.account_id = "";
  if (access.credentials.needs_reauth) {
    return WithErrorInfo(absl::FailedPreconditionError(
                             "TikTok rejected the stored access token earlier: connect the "
                             "TikTok account again"),
                         "NEEDS_REAUTH", kDomain, {});
  }
  absl::StatusOr<std::string> token = secrets_.Decrypt(access.credentials.encrypted_token);
  if (!token.ok()) return token.status();
  access.access_token = *std::move(token);
  return access;
}

absl::Status TikTokAccessResolver::OnTikTokError(const TikTokAccess& access,
                                                 const absl::Status& status) {
  if (!tiktok::NeedsReauth(status)) return FromTikTokStatus(status);
  const absl::Time now = clock_.Now();
  absl::StatusOr<bool> first =
      access.credentials.source == storage::CredentialTable::kAdAccounts
          ? ad_accounts_.MarkNeedsReauth(access.user_account_id, access.credentials.row_id, now)
          : user_accounts_.MarkNeedsReauth(access.credentials.row_id, now);
  if (!first.ok()) {
    LogWarning("mark_needs_reauth_failed", {{"user_account_id", access.user_account_id},
                                            {"error", std::string(first.status().message())}});
  } else if (*first) {
    LogInfo("tiktok_needs_reauth", {{"user_account_id", access.user_account_id},
                                    {"account_id", access.account_id},
                                    {"advertiser_id", access.advertiser_id()}});
    if (reauth_notice_) reauth_notice_(access);
  }
  return FromTikTokStatus(status);
}

}  // namespace ttads::server

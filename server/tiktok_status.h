// How a TikTok failure reaches ttads's callers: the same message with TikTok's code and request
// id in a google.rpc.ErrorInfo (domain business-api.tiktok.com). A rejected TikTok token becomes
// FAILED_PRECONDITION (reason NEEDS_REAUTH), never UNAUTHENTICATED: the caller's ttads
// credentials are fine, the TikTok connection must be renewed.
#ifndef TTADS_SERVER_TIKTOK_STATUS_H_
#define TTADS_SERVER_TIKTOK_STATUS_H_

#include <string>

#include "absl/status/status.h"

namespace ttads::server {

// `status` from the tiktok/ client → the status ttads answers with. Other statuses pass as is.
absl::Status FromTikTokStatus(const absl::Status& status);

// What a user is shown for a failed TikTok step: TikTok's own message for its 40000..40999
// codes (as the existing system's error mapper does), else FromTikTokStatus's message.
std::string UserFacingMessage(const absl::Status& status);

}  // namespace ttads::server

#endif  // TTADS_SERVER_TIKTOK_STATUS_H_

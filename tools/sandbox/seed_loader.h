// Seed data: a JSON document (format in README.md) that fills the model with apps, auth codes,
// tokens, advertisers, identities, pixels, instant pages, leads, videos, images and existing
// campaigns, ad groups and ads, and sets the metric seed and back-fill. Objects are upserted by
// id; references must resolve (an ad group's campaign, an ad's ad group, ...).
#ifndef TTADS_TOOLS_SANDBOX_SEED_LOADER_H_
#define TTADS_TOOLS_SANDBOX_SEED_LOADER_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "tools/sandbox/sandbox_config.h"
#include "tools/sandbox/sandbox_json.h"
#include "tools/sandbox/sandbox_state.h"

namespace ttads::sandbox {

// Applies `seed` to `state` (and its settings to `config`) with `now` as the time of loading.
// On error the state may hold the objects loaded before the offending one.
absl::Status ApplySeed(const Json& seed, absl::Time now, SandboxConfig& config,
                       SandboxState& state);

}  // namespace ttads::sandbox

#endif  // TTADS_TOOLS_SANDBOX_SEED_LOADER_H_

#include "tools/sandbox/faults.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace ttads::sandbox {
namespace {

std::optional<FaultKind> KindFromName(absl::string_view name) {
  std::string lower = absl::AsciiStrToLower(name);
  if (lower == "latency") return FaultKind::kLatency;
  if (lower == "error") return FaultKind::kError;
  if (lower == "http") return FaultKind::kHttpStatus;
  if (lower == "html") return FaultKind::kHtml;
  if (lower == "drop") return FaultKind::kDrop;
  if (lower == "timeout") return FaultKind::kTimeout;
  return std::nullopt;
}

// "/open_api/v1.3/campaign/get/" and "campaign/get/" name the same path.
std::string NormalisePath(absl::string_view path) {
  absl::ConsumePrefix(&path, "/");
  absl::ConsumePrefix(&path, "open_api/");
  absl::ConsumePrefix(&path, "v1.3/");
  if (path.empty()) return "*";
  return std::string(path);
}

absl::Status Finish(FaultSpec& spec) {
  if (spec.kind == FaultKind::kHttpStatus && spec.http_status == 0) spec.http_status = 503;
  if (spec.kind == FaultKind::kHtml && spec.http_status == 0) spec.http_status = 200;
  if (spec.kind == FaultKind::kTimeout) {
    spec.after = true;
    if (spec.delay_ms == 0) spec.delay_ms = 10000;
  }
  if (spec.kind == FaultKind::kLatency && spec.delay_ms <= 0) {
    return absl::InvalidArgumentError("a latency fault needs ms/delay_ms > 0");
  }
  if (spec.http_status != 0 && (spec.http_status < 100 || spec.http_status > 599)) {
    return absl::InvalidArgumentError("status must be an HTTP status code");
  }
  if (!(spec.fraction > 0 && spec.fraction <= 1)) {
    return absl::InvalidArgumentError("fraction must be in (0, 1]");
  }
  if (spec.times < -1 || spec.skip < 0 || spec.delay_ms < 0) {
    return absl::InvalidArgumentError("times, skip and ms must not be negative");
  }
  spec.method = absl::AsciiStrToUpper(spec.method);
  return absl::OkStatus();
}

bool PathMatches(const std::string& pattern, const std::string& path) {
  if (pattern == "*") return true;
  if (absl::EndsWith(pattern, "*")) {
    return absl::StartsWith(path, absl::string_view(pattern).substr(0, pattern.size() - 1));
  }
  return pattern == path;
}

}  // namespace

std::string FaultKindName(FaultKind kind) {
  switch (kind) {
    case FaultKind::kLatency:
      return "latency";
    case FaultKind::kError:
      return "error";
    case FaultKind::kHttpStatus:
      return "http";
    case FaultKind::kHtml:
      return "html";
    case FaultKind::kDrop:
      return "drop";
    case FaultKind::kTimeout:
      return "timeout";
  }
  return "error";
}

absl::StatusOr<FaultSpec> ParseFaultSpec(absl::string_view text) {
  std::vector<std::string> parts = absl::StrSplit(text, ',');
  if (parts.empty() || parts[0].empty()) return absl::InvalidArgumentError("empty fault");
  FaultSpec spec;
  std::pair<std::string, std::string> head = absl::StrSplit(parts[0], absl::MaxSplits(':', 1));
  std::optional<FaultKind> kind = KindFromName(absl::StripAsciiWhitespace(head.first));
  if (!kind) return absl::InvalidArgumentError(absl::StrCat("unknown fault kind: ", head.first));
  spec.kind = *kind;
  spec.path = NormalisePath(absl::StripAsciiWhitespace(head.second));
  for (size_t i = 1; i < parts.size(); ++i) {
    std::pair<std::string, std::string> kv = absl::StrSplit(parts[i], absl::MaxSplits('=', 1));
    std::string key = absl::AsciiStrToLower(absl::StripAsciiWhitespace(kv.first));
    std::string value(absl::StripAsciiWhitespace(kv.second));
    bool ok = true;
    if (key == "once") {
      spec.times = 1;
    } else if (key == "after") {
      spec.after = value.empty() || value == "true" || value == "1";
    } else if (key == "code") {
      ok = absl::SimpleAtoi(value, &spec.code);
    } else if (key == "message") {
      spec.message = value;
    } else if (key == "status" || key == "http_status") {
      ok = absl::SimpleAtoi(value, &spec.http_status);
    } else if (key == "ms" || key == "delay_ms") {
      ok = absl::SimpleAtoi(value, &spec.delay_ms);
    } else if (key == "times") {
      ok = absl::SimpleAtoi(value, &spec.times);
    } else if (key == "skip") {
      ok = absl::SimpleAtoi(value, &spec.skip);
    } else if (key == "fraction") {
      ok = absl::SimpleAtod(value, &spec.fraction);
    } else if (key == "method") {
      spec.method = value;
    } else if (key == "path") {
      spec.path = NormalisePath(value);
    } else {
      return absl::InvalidArgumentError(absl::StrCat("unknown fault option: ", key));
    }
    if (!ok) return absl::InvalidArgumentError(absl::StrCat("bad value for ", key, ": ", value));
  }
  if (absl::Status status = Finish(spec); !status.ok()) return status;
  return spec;
}

absl::StatusOr<FaultSpec> FaultSpecFromJson(const Json& json) {
  if (!json.is_object()) return absl::InvalidArgumentError("a fault is a JSON object");
  if (json.contains("spec")) {
    if (!json["spec"].is_string()) return absl::InvalidArgumentError("spec must be a string");
    return ParseFaultSpec(json["spec"].get<std::string>());
  }
  FaultSpec spec;
  try {
    if (!json.contains("kind") || !json["kind"].is_string()) {
      return absl::InvalidArgumentError("a fault needs a kind");
    }
    std::optional<FaultKind> kind = KindFromName(json["kind"].get<std::string>());
    if (!kind) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown fault kind: ", json["kind"].get<std::string>()));
    }
    spec.kind = *kind;
    spec.path = NormalisePath(json.value("path", std::string("*")));
    spec.method = json.value("method", std::string());
    spec.code = json.value("code", 50000);
    spec.message = json.value("message", std::string());
    spec.http_status = json.value("http_status", 0);
    spec.delay_ms = json.value("delay_ms", int64_t{0});
    spec.times = json.value("times", int64_t{-1});
    spec.skip = json.value("skip", int64_t{0});
    spec.fraction = json.value("fraction", 1.0);
    spec.after = json.value("after", false);
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("bad fault: ", e.what()));
  }
  if (absl::Status status = Finish(spec); !status.ok()) return status;
  return spec;
}

Json FaultSpecToJson(const FaultSpec& spec) {
  Json json{{"kind", FaultKindName(spec.kind)}, {"path", spec.path}};
  if (!spec.method.empty()) json["method"] = spec.method;
  if (spec.kind == FaultKind::kError) {
    json["code"] = spec.code;
    json["message"] = spec.message.empty() ? DefaultErrorMessage(spec.code) : spec.message;
  }
  if (spec.http_status != 0) json["http_status"] = spec.http_status;
  if (spec.delay_ms != 0) json["delay_ms"] = spec.delay_ms;
  json["times"] = spec.times;
  json["skip"] = spec.skip;
  json["fraction"] = spec.fraction;
  json["after"] = spec.after;
  return json;
}

int64_t FaultInjector::Add(const FaultSpec& spec) {
  absl::MutexLock lock(&mu_);
  int64_t id = next_id_++;
  faults_.push_back({id, spec, 0, 0});
  return id;
}

bool FaultInjector::Remove(int64_t id) {
  absl::MutexLock lock(&mu_);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (it->id == id) {
      faults_.erase(it);
      return true;
    }
  }
  return false;
}

void FaultInjector::Clear() {
  absl::MutexLock lock(&mu_);
  faults_.clear();
}

Json FaultInjector::List() const {
  absl::MutexLock lock(&mu_);
  Json list = Json::array();
  for (const Active& fault : faults_) {
    Json json = FaultSpecToJson(fault.spec);
    json["id"] = fault.id;
    json["matched"] = fault.matched;
    json["fired"] = fault.fired;
    json["exhausted"] = fault.spec.times >= 0 && fault.fired >= fault.spec.times;
    list.push_back(std::move(json));
  }
  return list;
}

FaultPlan FaultInjector::Plan(const std::string& method, const std::string& path) {
  absl::MutexLock lock(&mu_);
  FaultPlan plan;
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (Active& fault : faults_) {
    const FaultSpec& spec = fault.spec;
    if (!PathMatches(spec.path, path)) continue;
    if (!spec.method.empty() && spec.method != method) continue;
    bool terminal = spec.kind != FaultKind::kLatency;
    if (terminal && plan.terminal) continue;  // one terminal fault per request
    ++fault.matched;
    if (fault.matched <= spec.skip) continue;
    if (spec.times >= 0 && fault.fired >= spec.times) continue;
    if (spec.fraction < 1.0 && unit(random_) >= spec.fraction) continue;
    ++fault.fired;
    if (terminal) {
      plan.terminal = spec;
      plan.terminal_id = fault.id;
    } else {
      plan.latency_ms += spec.delay_ms;
    }
  }
  return plan;
}

std::string DefaultErrorMessage(int code) {
  switch (code) {
    case 40002:
      return "Parameter error. Please see error message for details.";
    case 40016:
      return "Requests made too frequently.";
    case 40100:
      return "Requests made too frequently. The app's QPS limit has been reached.";
    case 40102:
      return "The access token has expired.";
    case 40104:
      return "Access token is null, you should set it in http header with key Access-Token.";
    case 40105:
      return "Access token is incorrect or has been revoked.";
    case 40133:
      return "Advertiser's QPS reaches QPS limit for current path, request is temporarily "
             "restricted.";
    case 40200:
      return "Task error.";
    case 40201:
      return "Task is not ready.";
    case 40202:
      return "Write or update entity conflict. Retry may resolve this issue.";
    case 40901:
      return "Video transcoding in process.";
    case 40902:
      return "Unable to fetch the URL.";
    case 50000:
      return "System error.";
    case 50002:
      return "Error processing request on TikTok side.";
    case 51010:
      return "Internal service timeout.";
    case 60001:
      return "The system is in maintenance.";
    default:
      return absl::StrCat("Sandbox injected error ", code, ".");
  }
}

}  // namespace ttads::sandbox

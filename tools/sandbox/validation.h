// Request checking the way TikTok answers it: the error type endpoints throw (a TikTok return
// code and message; TikTokApi catches it at the request boundary, so no exception leaves the
// library), typed readers for parameters that arrive JSON-encoded in a query string or as a JSON
// body, the enum sets of reference §10, id-list limits and per-currency minimum budgets.
// Messages follow TikTok's style ("Missing required field(s): ..."); where the exact wording
// is unknown the text is ours (inferred), the code is the reference's.
#ifndef TTADS_TOOLS_SANDBOX_VALIDATION_H_
#define TTADS_TOOLS_SANDBOX_VALIDATION_H_

#include <cstdint>
#include <exception>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "tools/sandbox/sandbox_config.h"
#include "tools/sandbox/sandbox_json.h"

namespace ttads::sandbox {

// Return codes the sandbox emits (reference §11).
inline constexpr int kCodeOk = 0;
inline constexpr int kCodePartialSuccess = 20001;
inline constexpr int kCodeNoPermission = 40001;
inline constexpr int kCodeInvalidParameter = 40002;
inline constexpr int kCodeNotFound = 40007;
inline constexpr int kCodeNotSupportedInSandbox = 40009;
inline constexpr int kCodeInvalidVideoId = 40053;
inline constexpr int kCodeAppRateLimited = 40100;
inline constexpr int kCodeInvalidAuthParameters = 40101;
inline constexpr int kCodeTokenEmpty = 40104;
inline constexpr int kCodeTokenInvalid = 40105;
inline constexpr int kCodeAuthCodeInvalid = 40110;
inline constexpr int kCodeAppNotFound = 40113;
inline constexpr int kCodeAdvertiserRateLimited = 40133;
inline constexpr int kCodeTaskNotReady = 40201;
inline constexpr int kCodeSignatureMismatch = 40900;
inline constexpr int kCodeTranscoding = 40901;
inline constexpr int kCodeFileEmpty = 40906;
inline constexpr int kCodeDuplicateMaterialName = 40911;
inline constexpr int kCodeSystemError = 50000;

// A TikTok application error: HTTP 200, envelope `code` != 0, `data` {}.
class ApiError : public std::exception {
 public:
  ApiError(int code, std::string message) : code_(code), message_(std::move(message)) {}
  int code() const { return code_; }
  const std::string& message() const { return message_; }
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  int code_;
  std::string message_;
};

// Throws 40002 "<message>".
[[noreturn]] void InvalidParameter(const std::string& message);

using EnumSet = std::set<std::string, std::less<>>;

struct PageRequest {
  int64_t page = 1;
  int64_t page_size = 10;
};

// Builds `data.page_info` for `total` items.
Json PageInfo(const PageRequest& page, int64_t total);

// Typed, validating access to a request's parameters. `values` is a JSON object: a POST body,
// or for GET the query parameters as strings, where arrays and objects are JSON text
// (`query_encoded`) that the readers decode. Every reader throws ApiError(40002) on a value of
// the wrong shape; an absent, null or (in a query) empty value reads as nullopt.
class Params {
 public:
  Params(const Json& values, bool query_encoded);

  bool Has(const std::string& key) const;
  // 40002 "Missing required field(s): a, b." listing every absent key.
  void Require(std::initializer_list<const char*> keys) const;
  void Require(const std::vector<std::string>& keys) const;

  // A string (numbers are accepted and printed, as TikTok accepts numeric ids).
  std::optional<std::string> String(const std::string& key) const;
  std::string RequiredString(const std::string& key) const;
  std::optional<int64_t> Int(const std::string& key) const;
  std::optional<double> Number(const std::string& key) const;
  std::optional<bool> Bool(const std::string& key) const;
  // The decoded JSON value (query text "[...]"/"{...}" parsed; malformed JSON is 40002).
  std::optional<Json> Value(const std::string& key) const;
  // A JSON object parameter, as Params over it.
  std::optional<Params> Object(const std::string& key) const;
  // A JSON array of objects.
  std::optional<std::vector<Params>> ObjectList(const std::string& key) const;
  // A JSON array of ids (strings or integers), 1..max_count long.
  std::optional<std::vector<std::string>> IdList(const std::string& key, size_t max_count) const;
  // A JSON array of strings.
  std::optional<std::vector<std::string>> StringList(const std::string& key) const;
  // A string that must be one of `allowed`.
  std::optional<std::string> Enum(const std::string& key, const EnumSet& allowed) const;
  // A JSON array whose elements must all be in `allowed`.
  std::optional<std::vector<std::string>> EnumList(const std::string& key,
                                                   const EnumSet& allowed) const;
  // "YYYY-MM-DD HH:MM:SS" (UTC).
  std::optional<absl::Time> DateTime(const std::string& key) const;
  // page (>= 1, default 1) and page_size (1..max_size, default default_size).
  PageRequest Page(int64_t default_size, int64_t max_size) const;

  const Json& values() const { return values_; }

 private:
  const Json* Find(const std::string& key) const;

  Json values_;
  bool query_encoded_;
};

// Throws 40002 "<key>: Must be one of: ..." unless `value` is in `allowed`.
void CheckEnum(const std::string& key, const std::string& value, const EnumSet& allowed);
// Throws 40002 "<key>: Length must be between 1 and <max>." for an empty or long list.
void CheckListLength(const std::string& key, size_t size, size_t max_count);

// The minimum budgets of `currency` (USD's when the currency is not configured).
MinBudget MinBudgetFor(const SandboxConfig& config, const std::string& currency);
// 40002 when a campaign budget is below the currency's minimum.
void CheckCampaignBudget(const SandboxConfig& config, const std::string& currency, double budget);
// 40002 when an ad group budget is below the minimum: daily, or lifetime = daily x `days`.
void CheckAdGroupBudget(const SandboxConfig& config, const std::string& currency,
                        const std::string& budget_mode, double budget, int64_t days);

// Enum sets (reference §4-§10).
const EnumSet& ObjectiveTypes();          // accepted on create
const EnumSet& ReadableObjectiveTypes();  // plus deprecated/read-only, for filters
const EnumSet& CampaignBudgetModes();
const EnumSet& AdGroupBudgetModes();
const EnumSet& WriteOperationStatuses();   // ENABLE, DISABLE, DELETE
const EnumSet& CreateOperationStatuses();  // ENABLE, DISABLE
const EnumSet& PrimaryStatuses();
const EnumSet& SpecialIndustries();
const EnumSet& CampaignTypes();
const EnumSet& PlacementTypes();
const EnumSet& Placements();
const EnumSet& AgeGroups();
const EnumSet& Genders();
const EnumSet& ScheduleTypes();
const EnumSet& OptimizationGoals();
const EnumSet& BillingEvents();
const EnumSet& BidTypes();
const EnumSet& PacingModes();
const EnumSet& PromotionTypes();
const EnumSet& PromotionTargetTypes();
const EnumSet& AdFormats();
const EnumSet& CallToActions();
const EnumSet& IdentityTypes();
const EnumSet& UploadTypes();

}  // namespace ttads::sandbox

#endif  // TTADS_TOOLS_SANDBOX_VALIDATION_H_

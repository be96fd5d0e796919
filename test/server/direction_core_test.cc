// DirectionCore driven directly (no gRPC), on SQLite and PostgreSQL.
#include "server/direction_core.h"

#include <limits>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "server/audit.h"
#include "server/clock.h"
#include "server/idempotency.h"
#include "server/principal.h"
#include "server/rpc_status.h"
#include "storage/ad_account_repository.h"
#include "storage/audit_log_repository.h"
#include "storage/direction_repository.h"
#include "storage/idempotency_repository.h"
#include "storage/user_account_repository.h"
#include "storage/uuid.h"
#include "test/server/core_test_base.h"
#include "test/test_database.h"

namespace ttads::server {
namespace {

using ::ttads::testing::ScratchDatabase;
using ::ttads::testing::FieldsOf;
using ::ttads::testing::TestBackend;

class DirectionCoreTest : public ::ttads::testing::CoreTestBase<DirectionCore> {
 protected:
  static v1::CreateDirectionRequest Minimal(const std::string& name) {
    v1::CreateDirectionRequest request;
    request.set_name(name);
    return request;
  }
  // Creates a direction as `user`; fails the test when it cannot.
  v1::Direction Create(const std::string& user, v1::CreateDirectionRequest request) {
    clock_.Advance(absl::Seconds(1));
    v1::CreateDirectionResponse response;
    const absl::Status status = core_->CreateDirection(Principal::ForUser(user), request, response);
    EXPECT_TRUE(status.ok()) << status;
    return response.direction();
  }
  int DirectionCount(const std::string& user) {
    storage::DirectionRepository directions(database());
    absl::StatusOr<storage::Page<storage::Direction>> page =
        directions.List(user, {}, storage::PageRequest{"", 500});
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? static_cast<int>(page->items.size()) : -1;
  }

};

TEST_P(DirectionCoreTest, CreateGetUpdateListRoundTripEveryTikTokField) {
  const std::string account = NewAdAccount(user_a_);
  v1::CreateDirectionRequest request = Minimal("Алматы — стоматология");
  request.set_account_id(account);
  request.set_tiktok_objective("lead_generation");
  request.set_tiktok_campaign_id("1790000000001");
  request.set_tiktok_pixel_id("C4PIXEL_1");
  request.set_tiktok_identity_id("7000000000000000001");
  request.set_tiktok_daily_budget(3000);
  request.set_tiktok_target_cpl_kzt(900);
  request.set_tiktok_target_cpl(1.755);
  request.set_tiktok_adgroup_mode("use_existing");
  request.set_tiktok_instant_page_id("7100000000000000001");
  request.set_campaign_status("ACTIVE");
  request.set_optimization_level("level_2");
  request.mutable_ad_settings()->add_cities("almaty");
  request.mutable_ad_settings()->add_cities("astana");
  request.mutable_ad_settings()->set_age_min(25);
  request.mutable_ad_settings()->set_age_max(45);
  request.mutable_ad_settings()->set_gender("female");
  request.set_idempotency_key("create-1");
  v1::CreateDirectionResponse created;
  ASSERT_TRUE(core_->CreateDirection(Principal::ForUser(user_a_), request, created).ok());
  const v1::Direction& direction = created.direction();
  EXPECT_TRUE(storage::IsUuid(direction.id()));
  EXPECT_EQ(created.mutation().idempotency_key(), "create-1");
  EXPECT_FALSE(created.mutation().replayed());
  EXPECT_EQ(direction.user_account_id(), user_a_);
  EXPECT_EQ(direction.account_id(), account);
  EXPECT_EQ(direction.name(), "Алматы — стоматология");
  EXPECT_EQ(direction.platform(), "tiktok");
  EXPECT_EQ(direction.objective(), "lead_forms");
  EXPECT_EQ(direction.daily_budget_cents(), 500);
  EXPECT_EQ(direction.target_cpl_cents(), 50);
  EXPECT_TRUE(direction.is_active());
  EXPECT_EQ(direction.campaign_status(), "ACTIVE");
  EXPECT_EQ(direction.tiktok_campaign_id(), "1790000000001");
  EXPECT_EQ(direction.tiktok_pixel_id(), "C4PIXEL_1");
  EXPECT_EQ(direction.tiktok_identity_id(), "7000000000000000001");
  EXPECT_EQ(direction.tiktok_objective(), "lead_generation");
  EXPECT_EQ(direction.tiktok_daily_budget(), 3000);
  EXPECT_EQ(direction.tiktok_target_cpl_kzt(), 900);
  EXPECT_DOUBLE_EQ(direction.tiktok_target_cpl(), 1.76);
  EXPECT_EQ(direction.tiktok_adgroup_mode(), "use_existing");
  EXPECT_EQ(direction.tiktok_instant_page_id(), "7100000000000000001");
  EXPECT_EQ(direction.optimization_level(), "level_2");
  EXPECT_FALSE(direction.created_at().empty());

  v1::GetDirectionRequest get;
  get.set_direction_id(direction.id());
  v1::Direction read;
  ASSERT_TRUE(core_->GetDirection(Principal::ForUser(user_a_), get, read).ok());
  EXPECT_EQ(read.SerializeAsString(), direction.SerializeAsString());

  v1::GetDirectionAdSettingsRequest get_settings;
  get_settings.set_direction_id(direction.id());
  v1::DirectionAdSettings settings;
  ASSERT_TRUE(core_->GetDirectionAdSettings(Principal::ForUser(user_a_), get_settings, settings).ok());
  EXPECT_EQ(std::vector<std::string>(settings.cities().begin(), settings.cities().end()),
            (std::vector<std::string>{"almaty", "astana"}));
  EXPECT_EQ(settings.age_min(), 25);
  EXPECT_EQ(settings.age_max(), 45);
  EXPECT_EQ(settings.gender(), "female");

  // Update: set some fields, clear the nullable ones, leave the rest.
  v1::UpdateDirectionRequest update;
  update.set_direction_id(direction.id());
  update.mutable_name()->set_value("Renamed");
  update.mutable_tiktok_objective()->set_value("conversions");
  update.mutable_tiktok_daily_budget()->set_value(0);  // clears
  update.mutable_tiktok_target_cpl()->set_value(2.5);
  update.mutable_tiktok_pixel_id()->set_value("");      // clears
  update.mutable_tiktok_campaign_id()->set_value("");   // clears
  update.mutable_campaign_status()->set_value("PAUSED");
  update.mutable_is_active()->set_value(false);
  update.mutable_daily_budget_cents()->set_value(700);
  clock_.Advance(absl::Minutes(1));
  v1::UpdateDirectionResponse updated;
  absl::Status status = core_->UpdateDirection(Principal::ForUser(user_a_), update, updated);
  ASSERT_TRUE(status.ok()) << status;
  const v1::Direction& after = updated.direction();
  EXPECT_EQ(after.name(), "Renamed");
  EXPECT_EQ(after.tiktok_objective(), "conversions");
  EXPECT_EQ(after.objective(), "site_leads");  // follows tiktok_objective
  EXPECT_EQ(after.tiktok_daily_budget(), 0);
  EXPECT_DOUBLE_EQ(after.tiktok_target_cpl(), 2.5);
  EXPECT_EQ(after.tiktok_pixel_id(), "");
  EXPECT_EQ(after.tiktok_campaign_id(), "");
  EXPECT_EQ(after.campaign_status(), "PAUSED");
  EXPECT_FALSE(after.is_active());
  EXPECT_EQ(after.daily_budget_cents(), 700);
  EXPECT_EQ(after.tiktok_identity_id(), "7000000000000000001");  // untouched
  EXPECT_EQ(after.tiktok_target_cpl_kzt(), 900);
  EXPECT_EQ(after.tiktok_adgroup_mode(), "use_existing");
  EXPECT_NE(after.updated_at(), direction.updated_at());

  v1::ListDirectionsRequest list;
  v1::ListDirectionsResponse listed;
  ASSERT_TRUE(core_->ListDirections(Principal::ForUser(user_a_), list, listed).ok());
  ASSERT_EQ(listed.directions_size(), 1);
  EXPECT_EQ(listed.directions(0).SerializeAsString(), after.SerializeAsString());
}

TEST_P(DirectionCoreTest, TikTokIsTheDefaultPlatformAndTrafficTheDefaultObjective) {
  const v1::Direction direction = Create(user_a_, Minimal("Default"));
  EXPECT_EQ(direction.platform(), "tiktok");
  EXPECT_EQ(direction.tiktok_objective(), "traffic");
  EXPECT_EQ(direction.objective(), "instagram_traffic");
  EXPECT_EQ(direction.campaign_status(), "PAUSED");
  EXPECT_EQ(direction.optimization_level(), "level_1");
  EXPECT_EQ(direction.tiktok_adgroup_mode(), "");

  v1::CreateDirectionRequest whatsapp = Minimal("WhatsApp");
  whatsapp.set_tiktok_objective("whatsapp");
  EXPECT_EQ(Create(user_a_, whatsapp).objective(), "whatsapp");
  v1::CreateDirectionRequest reach = Minimal("Reach");
  reach.set_tiktok_objective("reach");
  EXPECT_EQ(Create(user_a_, reach).objective(), "instagram_traffic");

  v1::CreateDirectionRequest facebook = Minimal("Facebook");
  facebook.set_platform("facebook");
  facebook.set_objective("instagram_dm");
  const v1::Direction fb = Create(user_a_, facebook);
  EXPECT_EQ(fb.platform(), "facebook");
  EXPECT_EQ(fb.objective(), "instagram_dm");
  EXPECT_EQ(fb.tiktok_objective(), "");
}

TEST_P(DirectionCoreTest, InvalidCreateNamesEveryFieldAndChangesNothing) {
  v1::CreateDirectionRequest request;
  request.set_user_account_id("not-a-uuid");
  request.set_account_id("also-not");
  request.set_name("x");
  request.set_platform("snapchat");
  request.set_objective("sales");
  request.set_daily_budget_cents(100);
  request.set_target_cpl_cents(-1);
  request.set_campaign_status("RUNNING");
  request.set_whatsapp_phone_number_id("123");
  request.set_tiktok_campaign_id("abc");
  request.set_tiktok_pixel_id("has space");
  request.set_tiktok_identity_id("bad/identity");
  request.set_tiktok_objective("sales");
  request.set_tiktok_daily_budget(2499);
  request.set_tiktok_target_cpl_kzt(10.5);
  request.set_tiktok_target_cpl(-3);
  request.set_tiktok_adgroup_mode("reuse");
  request.set_tiktok_instant_page_id("bad page");
  request.mutable_ad_settings()->set_age_min(12);
  request.mutable_ad_settings()->set_age_max(70);
  request.mutable_ad_settings()->set_gender("other");
  request.mutable_ad_settings()->add_cities("");
  v1::CreateDirectionResponse response;
  const absl::Status status = core_->CreateDirection(Principal::Operator(), request, response);
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  const std::set<std::string> expected = {
      "user_account_id", "account_id", "name", "platform", "objective", "daily_budget_cents",
      "target_cpl_cents", "campaign_status", "whatsapp_phone_number_id", "tiktok_campaign_id",
      "tiktok_pixel_id", "tiktok_identity_id", "tiktok_objective", "tiktok_daily_budget",
      "tiktok_target_cpl_kzt", "tiktok_target_cpl", "tiktok_adgroup_mode",
      "tiktok_instant_page_id", "ad_settings.age_min", "ad_settings.age_max",
      "ad_settings.gender", "ad_settings.cities[0]"};
  EXPECT_EQ(FieldsOf(status), expected) << status;
  for (const std::string& field : expected) {
    EXPECT_NE(status.message().find(field), absl::string_view::npos) << field;
  }
  EXPECT_EQ(DirectionCount(user_a_), 0);
  EXPECT_TRUE(AuditOf(user_a_).empty());
}

TEST_P(DirectionCoreTest, BudgetRules) {
  const auto field_of = [&](double budget) {
    v1::CreateDirectionRequest request = Minimal("Budget");
    request.set_tiktok_daily_budget(budget);
    v1::CreateDirectionResponse response;
    return FieldsOf(core_->CreateDirection(Principal::ForUser(user_a_), request, response));
  };
  const std::set<std::string> budget = {"tiktok_daily_budget"};
  EXPECT_EQ(field_of(MinDirectionDailyBudget() - 1), budget);
  EXPECT_EQ(field_of(-2500), budget);
  EXPECT_EQ(field_of(2600.5), budget);
  EXPECT_EQ(field_of(std::numeric_limits<double>::infinity()), budget);
  EXPECT_EQ(field_of(std::numeric_limits<double>::quiet_NaN()), budget);
  EXPECT_EQ(field_of(1e12), budget);
  EXPECT_EQ(DirectionCount(user_a_), 0);

  v1::CreateDirectionRequest at_minimum = Minimal("Minimum");
  at_minimum.set_tiktok_daily_budget(MinDirectionDailyBudget());
  EXPECT_EQ(Create(user_a_, at_minimum).tiktok_daily_budget(), 2500);

  v1::UpdateDirectionRequest update;
  update.set_direction_id(Create(user_a_, Minimal("Other")).id());
  update.mutable_tiktok_daily_budget()->set_value(100);
  v1::UpdateDirectionResponse response;
  EXPECT_EQ(FieldsOf(core_->UpdateDirection(Principal::ForUser(user_a_), update, response)),
            budget);
}

TEST_P(DirectionCoreTest, ObjectiveRulesForTikTokDirections) {
  v1::CreateDirectionRequest lead = Minimal("Leads");
  lead.set_tiktok_objective("lead_generation");
  v1::CreateDirectionResponse response;
  EXPECT_EQ(FieldsOf(core_->CreateDirection(Principal::ForUser(user_a_), lead, response)),
            std::set<std::string>{"tiktok_instant_page_id"});

  v1::CreateDirectionRequest mismatch = Minimal("Mismatch");
  mismatch.set_tiktok_objective("conversions");
  mismatch.set_objective("whatsapp");
  EXPECT_EQ(FieldsOf(core_->CreateDirection(Principal::ForUser(user_a_), mismatch, response)),
            std::set<std::string>{"objective"});

  v1::CreateDirectionRequest facebook = Minimal("Facebook");
  facebook.set_platform("facebook");
  EXPECT_EQ(FieldsOf(core_->CreateDirection(Principal::ForUser(user_a_), facebook, response)),
            std::set<std::string>{"objective"});
  EXPECT_EQ(DirectionCount(user_a_), 0);

  // Update: switching to lead_generation needs an instant page; the objective follows.
  const v1::Direction direction = Create(user_a_, Minimal("Traffic"));
  v1::UpdateDirectionRequest update;
  update.set_direction_id(direction.id());
  update.mutable_tiktok_objective()->set_value("lead_generation");
  v1::UpdateDirectionResponse updated;
  EXPECT_EQ(FieldsOf(core_->UpdateDirection(Principal::ForUser(user_a_), update, updated)),
            std::set<std::string>{"tiktok_instant_page_id"});
  update.mutable_tiktok_instant_page_id()->set_value("7100000000000000002");
  ASSERT_TRUE(core_->UpdateDirection(Principal::ForUser(user_a_), update, updated).ok());
  EXPECT_EQ(updated.direction().objective(), "lead_forms");

  v1::UpdateDirectionRequest wrong;
  wrong.set_direction_id(direction.id());
  wrong.mutable_objective()->set_value("site_leads");
  EXPECT_EQ(FieldsOf(core_->UpdateDirection(Principal::ForUser(user_a_), wrong, updated)),
            std::set<std::string>{"objective"});
}

TEST_P(DirectionCoreTest, InvalidUpdateChangesNothing) {
  const v1::Direction direction = Create(user_a_, Minimal("Original"));
  v1::UpdateDirectionRequest update;
  update.set_direction_id(direction.id());
  update.mutable_name()->set_value("ok name");
  update.mutable_campaign_status()->set_value("");
  update.mutable_tiktok_adgroup_mode()->set_value("sometimes");
  update.mutable_target_cpl_cents()->set_value(0);
  v1::UpdateDirectionResponse response;
  const absl::Status status = core_->UpdateDirection(Principal::ForUser(user_a_), update, response);
  EXPECT_EQ(FieldsOf(status),
            (std::set<std::string>{"campaign_status", "tiktok_adgroup_mode", "target_cpl_cents"}))
      << status;
  v1::GetDirectionRequest get;
  get.set_direction_id(direction.id());
  v1::Direction read;
  ASSERT_TRUE(core_->GetDirection(Principal::ForUser(user_a_), get, read).ok());
  EXPECT_EQ(read.SerializeAsString(), direction.SerializeAsString());

  v1::UpdateDirectionRequest missing_id;
  EXPECT_EQ(FieldsOf(core_->UpdateDirection(Principal::ForUser(user_a_), missing_id, response)),
            std::set<std::string>{"direction_id"});
}

TEST_P(DirectionCoreTest, AccountMustBelongToTheUser) {
  const std::string foreign_account = NewAdAccount(user_b_);
  v1::CreateDirectionRequest request = Minimal("Foreign account");
  request.set_account_id(foreign_account);
  v1::CreateDirectionResponse response;
  const absl::Status status = core_->CreateDirection(Principal::ForUser(user_a_), request, response);
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << status;
  EXPECT_NE(status.message().find("account_id"), absl::string_view::npos) << status;
  EXPECT_EQ(DirectionCount(user_a_), 0);

  request.set_account_id(storage::NewUuid());
  EXPECT_EQ(core_->CreateDirection(Principal::ForUser(user_a_), request, response).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(DirectionCount(user_a_), 0);
}

TEST_P(DirectionCoreTest, TenancyAnotherUsersDirectionIsNotFound) {
  const v1::Direction direction = Create(user_a_, Minimal("Mine"));
  const Principal intruder = Principal::ForUser(user_b_);

  v1::GetDirectionRequest get;
  get.set_direction_id(direction.id());
  v1::Direction read;
  EXPECT_EQ(core_->GetDirection(intruder, get, read).code(), absl::StatusCode::kNotFound);

  v1::UpdateDirectionRequest update;
  update.set_direction_id(direction.id());
  update.mutable_name()->set_value("Stolen");
  v1::UpdateDirectionResponse updated;
  EXPECT_EQ(core_->UpdateDirection(intruder, update, updated).code(),
            absl::StatusCode::kNotFound);

  v1::GetDirectionAdSettingsRequest get_settings;
  get_settings.set_direction_id(direction.id());
  v1::DirectionAdSettings settings;
  EXPECT_EQ(core_->GetDirectionAdSettings(intruder, get_settings, settings).code(),
            absl::StatusCode::kNotFound);
  v1::SetDirectionAdSettingsRequest set_settings;
  set_settings.set_direction_id(direction.id());
  v1::SetDirectionAdSettingsResponse set_response;
  EXPECT_EQ(core_->SetDirectionAdSettings(intruder, set_settings, set_response).code(),
            absl::StatusCode::kNotFound);

  v1::AddDirectionAdGroupRequest add;
  add.set_direction_id(direction.id());
  add.set_tiktok_adgroup_id("1800000000001");
  v1::AddDirectionAdGroupResponse added;
  EXPECT_EQ(core_->AddDirectionAdGroup(intruder, add, added).code(), absl::StatusCode::kNotFound);
  v1::ListDirectionAdGroupsRequest list_groups;
  list_groups.set_direction_id(direction.id());
  v1::ListDirectionAdGroupsResponse groups;
  EXPECT_EQ(core_->ListDirectionAdGroups(intruder, list_groups, groups).code(),
            absl::StatusCode::kNotFound);

  // Naming another user account is refused outright.
  v1::ListDirectionsRequest list;
  list.set_user_account_id(user_a_);
  v1::ListDirectionsResponse listed;
  EXPECT_EQ(core_->ListDirections(intruder, list, listed).code(),
            absl::StatusCode::kPermissionDenied);
  v1::CreateDirectionRequest create = Minimal("For someone else");
  create.set_user_account_id(user_a_);
  v1::CreateDirectionResponse created;
  EXPECT_EQ(core_->CreateDirection(intruder, create, created).code(),
            absl::StatusCode::kPermissionDenied);
  // The intruder's own list does not show it.
  list.clear_user_account_id();
  ASSERT_TRUE(core_->ListDirections(intruder, list, listed).ok());
  EXPECT_EQ(listed.directions_size(), 0);

  // Nothing changed; the operator reaches any direction.
  ASSERT_TRUE(core_->GetDirection(Principal::Operator(), get, read).ok());
  EXPECT_EQ(read.name(), "Mine");
  EXPECT_EQ(DirectionCount(user_a_), 1);
  EXPECT_EQ(DirectionCount(user_b_), 0);
  update.mutable_name()->set_value("Operator rename");
  ASSERT_TRUE(core_->UpdateDirection(Principal::Operator(), update, updated).ok());
  EXPECT_EQ(updated.direction().name(), "Operator rename");
  get.set_direction_id(storage::NewUuid());
  EXPECT_EQ(core_->GetDirection(Principal::Operator(), get, read).code(),
            absl::StatusCode::kNotFound);
}

TEST_P(DirectionCoreTest, OperatorMustNameTheUserAccount) {
  v1::CreateDirectionResponse response;
  EXPECT_EQ(FieldsOf(core_->CreateDirection(Principal::Operator(), Minimal("Op"), response)),
            std::set<std::string>{"user_account_id"});
  v1::CreateDirectionRequest request = Minimal("Op");
  request.set_user_account_id(user_b_);
  ASSERT_TRUE(core_->CreateDirection(Principal::Operator(), request, response).ok());
  EXPECT_EQ(response.direction().user_account_id(), user_b_);
  request.set_user_account_id(storage::NewUuid());
  EXPECT_EQ(core_->CreateDirection(Principal::Operator(), request, response).code(),
            absl::StatusCode::kNotFound);
}

TEST_P(DirectionCoreTest, IdempotentCreate) {
  v1::CreateDirectionRequest request = Minimal("Once");
  request.set_idempotency_key("key-1");
  v1::CreateDirectionResponse first;
  ASSERT_TRUE(core_->CreateDirection(Principal::ForUser(user_a_), request, first).ok());
  EXPECT_FALSE(first.mutation().replayed());
  v1::CreateDirectionResponse second;
  ASSERT_TRUE(core_->CreateDirection(Principal::ForUser(user_a_), request, second).ok());
  EXPECT_TRUE(second.mutation().replayed());
  EXPECT_EQ(second.direction().id(), first.direction().id());
  EXPECT_EQ(DirectionCount(user_a_), 1);

  request.set_name("Different body");
  v1::CreateDirectionResponse third;
  EXPECT_EQ(core_->CreateDirection(Principal::ForUser(user_a_), request, third).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(DirectionCount(user_a_), 1);

  // Without a key ttads generates one and reports it.
  v1::CreateDirectionResponse keyless;
  ASSERT_TRUE(core_->CreateDirection(Principal::ForUser(user_a_), Minimal("Keyless"), keyless).ok());
  EXPECT_FALSE(keyless.mutation().idempotency_key().empty());
}

TEST_P(DirectionCoreTest, ValidateOnlyCreatesNothingButChecksEverything) {
  v1::CreateDirectionRequest request = Minimal("Dry run");
  request.set_validate_only(true);
  v1::CreateDirectionResponse response;
  ASSERT_TRUE(core_->CreateDirection(Principal::ForUser(user_a_), request, response).ok());
  EXPECT_TRUE(response.mutation().validate_only());
  EXPECT_EQ(response.direction().id(), "");
  EXPECT_EQ(response.direction().name(), "Dry run");
  EXPECT_EQ(DirectionCount(user_a_), 0);

  Create(user_a_, Minimal("Taken"));
  request.set_name("Taken");
  EXPECT_EQ(core_->CreateDirection(Principal::ForUser(user_a_), request, response).code(),
            absl::StatusCode::kAlreadyExists);
  request.set_name("Other");
  request.set_account_id(NewAdAccount(user_b_));
  EXPECT_EQ(core_->CreateDirection(Principal::ForUser(user_a_), request, response).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(DirectionCount(user_a_), 1);
  EXPECT_EQ(AuditOf(user_a_).size(), 1u);  // only the real create

  // validate_only update: answers the direction as it would be, changes nothing.
  const v1::Direction direction = Create(user_a_, Minimal("Before"));
  v1::UpdateDirectionRequest update;
  update.set_direction_id(direction.id());
  update.mutable_name()->set_value("After");
  update.set_validate_only(true);
  v1::UpdateDirectionResponse updated;
  ASSERT_TRUE(core_->UpdateDirection(Principal::ForUser(user_a_), update, updated).ok());
  EXPECT_EQ(updated.direction().name(), "After");
  v1::GetDirectionRequest get;
  get.set_direction_id(direction.id());
  v1::Direction read;
  ASSERT_TRUE(core_->GetDirection(Principal::ForUser(user_a_), get, read).ok());
  EXPECT_EQ(read.name(), "Before");
  update.mutable_name()->set_value("Taken");
  EXPECT_EQ(core_->UpdateDirection(Principal::ForUser(user_a_), update, updated).code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_P(DirectionCoreTest, RepositoryRulesPassThrough) {
  Create(user_a_, Minimal("Same"));
  v1::CreateDirectionResponse response;
  EXPECT_EQ(core_->CreateDirection(Principal::ForUser(user_a_), Minimal("Same"), response).code(),
            absl::StatusCode::kAlreadyExists);
  // Same name on another platform, or for another user, is fine.
  v1::CreateDirectionRequest facebook = Minimal("Same");
  facebook.set_platform("facebook");
  facebook.set_objective("whatsapp");
  Create(user_a_, facebook);
  Create(user_b_, Minimal("Same"));

  for (int i = 3; i <= storage::kMaxActiveDirectionsPerUser; ++i) {  // 20 active in all
    Create(user_a_, Minimal(absl::StrCat("Active ", i)));
  }
  EXPECT_EQ(core_->CreateDirection(Principal::ForUser(user_a_), Minimal("One too many"), response)
                .code(),
            absl::StatusCode::kFailedPrecondition);
  v1::CreateDirectionRequest dry = Minimal("One too many");
  dry.set_validate_only(true);
  EXPECT_EQ(core_->CreateDirection(Principal::ForUser(user_a_), dry, response).code(),
            absl::StatusCode::kFailedPrecondition);
  // An inactive one may still be created.
  v1::CreateDirectionRequest inactive = Minimal("Inactive");
  inactive.mutable_is_active()->set_value(false);
  const v1::Direction parked = Create(user_a_, inactive);
  EXPECT_FALSE(parked.is_active());
  v1::UpdateDirectionRequest activate;
  activate.set_direction_id(parked.id());
  activate.mutable_is_active()->set_value(true);
  v1::UpdateDirectionResponse updated;
  EXPECT_EQ(core_->UpdateDirection(Principal::ForUser(user_a_), activate, updated).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_P(DirectionCoreTest, ListFiltersAndPages) {
  const std::string account = NewAdAccount(user_a_);
  v1::CreateDirectionRequest with_account = Minimal("With account");
  with_account.set_account_id(account);
  Create(user_a_, with_account);
  v1::CreateDirectionRequest paused = Minimal("Paused");
  paused.mutable_is_active()->set_value(false);
  Create(user_a_, paused);
  v1::CreateDirectionRequest facebook = Minimal("Facebook");
  facebook.set_platform("facebook");
  facebook.set_objective("conversions");
  Create(user_a_, facebook);
  Create(user_b_, Minimal("Theirs"));

  const auto names = [&](v1::ListDirectionsRequest request) {
    v1::ListDirectionsResponse response;
    const absl::Status status = core_->ListDirections(Principal::ForUser(user_a_), request, response);
    EXPECT_TRUE(status.ok()) << status;
    std::set<std::string> out;
    for (const v1::Direction& direction : response.directions()) out.insert(direction.name());
    return out;
  };
  v1::ListDirectionsRequest request;
  EXPECT_EQ(names(request), (std::set<std::string>{"With account", "Paused", "Facebook"}));
  request.set_platform("tiktok");
  EXPECT_EQ(names(request), (std::set<std::string>{"With account", "Paused"}));
  request.set_status("paused");
  EXPECT_EQ(names(request), (std::set<std::string>{"Paused"}));
  request.Clear();
  request.set_status("active");
  request.set_account_id(account);
  EXPECT_EQ(names(request), (std::set<std::string>{"With account"}));

  // Pages of one, every direction exactly once.
  request.Clear();
  request.set_page_size(1);
  std::set<std::string> seen;
  int pages = 0;
  do {
    v1::ListDirectionsResponse response;
    ASSERT_TRUE(core_->ListDirections(Principal::ForUser(user_a_), request, response).ok());
    ASSERT_LE(response.directions_size(), 1);
    for (const v1::Direction& direction : response.directions()) seen.insert(direction.name());
    request.set_page_token(response.next_page_token());
    ++pages;
  } while (!request.page_token().empty() && pages < 10);
  EXPECT_EQ(seen, (std::set<std::string>{"With account", "Paused", "Facebook"}));

  v1::ListDirectionsRequest bad;
  bad.set_status("sleeping");
  bad.set_platform("myspace");
  bad.set_account_id("x");
  v1::ListDirectionsResponse response;
  EXPECT_EQ(FieldsOf(core_->ListDirections(Principal::ForUser(user_a_), bad, response)),
            (std::set<std::string>{"status", "platform", "account_id"}));
  bad.Clear();
  bad.set_page_token("garbage!");
  EXPECT_EQ(core_->ListDirections(Principal::ForUser(user_a_), bad, response).code(),
            absl::StatusCode::kInvalidArgument);
  // The operator lists a named user's directions.
  v1::ListDirectionsRequest operator_list;
  operator_list.set_user_account_id(user_b_);
  ASSERT_TRUE(core_->ListDirections(Principal::Operator(), operator_list, response).ok());
  ASSERT_EQ(response.directions_size(), 1);
  EXPECT_EQ(response.directions(0).name(), "Theirs");
}

TEST_P(DirectionCoreTest, AdSettingsGetDefaultsSetAndValidate) {
  const v1::Direction direction = Create(user_a_, Minimal("Settings"));
  v1::GetDirectionAdSettingsRequest get;
  get.set_direction_id(direction.id());
  v1::DirectionAdSettings defaults;
  ASSERT_TRUE(core_->GetDirectionAdSettings(Principal::ForUser(user_a_), get, defaults).ok());
  EXPECT_EQ(defaults.direction_id(), direction.id());
  EXPECT_EQ(defaults.cities_size(), 0);
  EXPECT_EQ(defaults.age_min(), 18);
  EXPECT_EQ(defaults.age_max(), 65);
  EXPECT_EQ(defaults.gender(), "all");

  v1::SetDirectionAdSettingsRequest set;
  set.set_direction_id(direction.id());
  set.mutable_ad_settings()->add_cities("shymkent");
  set.mutable_ad_settings()->add_cities("\"quoted\" город");
  set.mutable_ad_settings()->set_age_min(21);
  set.mutable_ad_settings()->set_gender("male");
  set.mutable_ad_settings()->set_client_question("Здравствуйте! Хочу записаться");
  v1::SetDirectionAdSettingsResponse stored;
  absl::Status status = core_->SetDirectionAdSettings(Principal::ForUser(user_a_), set, stored);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(stored.ad_settings().age_min(), 21);
  EXPECT_EQ(stored.ad_settings().age_max(), 65);  // 0 = 65
  v1::DirectionAdSettings read;
  ASSERT_TRUE(core_->GetDirectionAdSettings(Principal::ForUser(user_a_), get, read).ok());
  EXPECT_EQ(std::vector<std::string>(read.cities().begin(), read.cities().end()),
            (std::vector<std::string>{"shymkent", "\"quoted\" город"}));
  EXPECT_EQ(read.gender(), "male");
  EXPECT_EQ(read.client_question(), "Здравствуйте! Хочу записаться");
  EXPECT_FALSE(read.updated_at().empty());

  // Replaced as a whole: what the request leaves out goes back to the default.
  v1::SetDirectionAdSettingsRequest replace;
  replace.set_direction_id(direction.id());
  replace.mutable_ad_settings()->set_age_max(40);
  ASSERT_TRUE(core_->SetDirectionAdSettings(Principal::ForUser(user_a_), replace, stored).ok());
  ASSERT_TRUE(core_->GetDirectionAdSettings(Principal::ForUser(user_a_), get, read).ok());
  EXPECT_EQ(read.cities_size(), 0);
  EXPECT_EQ(read.age_min(), 18);
  EXPECT_EQ(read.age_max(), 40);
  EXPECT_EQ(read.gender(), "all");
  EXPECT_EQ(read.client_question(), "");

  // Bad settings change nothing.
  v1::SetDirectionAdSettingsRequest bad;
  bad.set_direction_id(direction.id());
  bad.mutable_ad_settings()->set_age_min(50);
  bad.mutable_ad_settings()->set_age_max(30);
  bad.mutable_ad_settings()->set_gender("any");
  status = core_->SetDirectionAdSettings(Principal::ForUser(user_a_), bad, stored);
  EXPECT_EQ(FieldsOf(status),
            (std::set<std::string>{"ad_settings.age_max", "ad_settings.gender"}))
      << status;
  v1::DirectionAdSettings unchanged;
  ASSERT_TRUE(core_->GetDirectionAdSettings(Principal::ForUser(user_a_), get, unchanged).ok());
  EXPECT_EQ(unchanged.SerializeAsString(), read.SerializeAsString());

  // validate_only answers the settings and writes nothing.
  v1::SetDirectionAdSettingsRequest dry;
  dry.set_direction_id(direction.id());
  dry.mutable_ad_settings()->set_age_min(30);
  dry.set_validate_only(true);
  ASSERT_TRUE(core_->SetDirectionAdSettings(Principal::ForUser(user_a_), dry, stored).ok());
  EXPECT_EQ(stored.ad_settings().age_min(), 30);
  ASSERT_TRUE(core_->GetDirectionAdSettings(Principal::ForUser(user_a_), get, unchanged).ok());
  EXPECT_EQ(unchanged.age_min(), 18);

  get.set_direction_id(storage::NewUuid());
  EXPECT_EQ(core_->GetDirectionAdSettings(Principal::ForUser(user_a_), get, read).code(),
            absl::StatusCode::kNotFound);
}

TEST_P(DirectionCoreTest, AdGroupPoolAddListUpdateRemove) {
  const v1::Direction direction = Create(user_a_, Minimal("Pool"));
  const Principal owner = Principal::ForUser(user_a_);
  const auto add = [&](const std::string& tiktok_id, const std::string& status) {
    clock_.Advance(absl::Minutes(1));
    v1::AddDirectionAdGroupRequest request;
    request.set_direction_id(direction.id());
    request.set_tiktok_adgroup_id(tiktok_id);
    request.set_adgroup_name(absl::StrCat("Group ", tiktok_id));
    request.set_daily_budget(3000);
    request.set_status(status);
    v1::AddDirectionAdGroupResponse response;
    const absl::Status result = core_->AddDirectionAdGroup(owner, request, response);
    EXPECT_TRUE(result.ok()) << result;
    return response.adgroup();
  };
  const v1::DirectionAdGroup first = add("1800000000001", "DISABLE");
  EXPECT_TRUE(storage::IsUuid(first.id()));
  EXPECT_EQ(first.direction_id(), direction.id());
  EXPECT_EQ(first.tiktok_adgroup_id(), "1800000000001");
  EXPECT_EQ(first.adgroup_name(), "Group 1800000000001");
  EXPECT_EQ(first.daily_budget(), 3000);
  EXPECT_EQ(first.status(), "DISABLE");
  EXPECT_EQ(first.ads_count(), 0);
  EXPECT_TRUE(first.is_active());
  EXPECT_FALSE(first.linked_at().empty());
  const v1::DirectionAdGroup second = add("1800000000002", "DISABLE");
  const v1::DirectionAdGroup third = add("1800000000003", "ENABLE");

  // Re-adding returns the existing entry unchanged.
  const v1::DirectionAdGroup again = add("1800000000001", "ENABLE");
  EXPECT_EQ(again.id(), first.id());
  EXPECT_EQ(again.status(), "DISABLE");

  // The first one has been used: the least used come first.
  storage::DirectionRepository repository(database());
  ASSERT_TRUE(repository.IncrementAdsCount(first.id(), 3, clock_.Now()).ok());
  const auto ids = [&](v1::ListDirectionAdGroupsRequest request) {
    request.set_direction_id(direction.id());
    v1::ListDirectionAdGroupsResponse response;
    const absl::Status status = core_->ListDirectionAdGroups(owner, request, response);
    EXPECT_TRUE(status.ok()) << status;
    std::vector<std::string> out;
    for (const v1::DirectionAdGroup& group : response.adgroups()) out.push_back(group.id());
    return out;
  };
  v1::ListDirectionAdGroupsRequest list;
  EXPECT_EQ(ids(list), (std::vector<std::string>{second.id(), third.id(), first.id()}));
  list.set_status("DISABLE");
  EXPECT_EQ(ids(list), (std::vector<std::string>{second.id(), first.id()}));

  // Pages of two.
  v1::ListDirectionAdGroupsRequest paged;
  paged.set_direction_id(direction.id());
  paged.set_page_size(2);
  v1::ListDirectionAdGroupsResponse page;
  ASSERT_TRUE(core_->ListDirectionAdGroups(owner, paged, page).ok());
  ASSERT_EQ(page.adgroups_size(), 2);
  EXPECT_EQ(page.adgroups(0).id(), second.id());
  ASSERT_FALSE(page.next_page_token().empty());
  paged.set_page_token(page.next_page_token());
  v1::ListDirectionAdGroupsResponse last_page;
  absl::Status paged_status = core_->ListDirectionAdGroups(owner, paged, last_page);
  ASSERT_TRUE(paged_status.ok()) << paged_status;
  ASSERT_EQ(last_page.adgroups_size(), 1);
  EXPECT_EQ(last_page.adgroups(0).id(), first.id());
  EXPECT_TRUE(last_page.next_page_token().empty());

  // Update the record.
  v1::UpdateDirectionAdGroupRequest update;
  update.set_direction_id(direction.id());
  update.set_direction_adgroup_id(second.id());
  update.mutable_is_active()->set_value(false);
  update.mutable_daily_budget()->set_value(4000);
  update.mutable_adgroup_name()->set_value("Renamed group");
  update.mutable_status()->set_value("ENABLE");
  v1::UpdateDirectionAdGroupResponse updated;
  absl::Status status = core_->UpdateDirectionAdGroup(owner, update, updated);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_FALSE(updated.adgroup().is_active());
  EXPECT_EQ(updated.adgroup().daily_budget(), 4000);
  EXPECT_EQ(updated.adgroup().adgroup_name(), "Renamed group");
  EXPECT_EQ(updated.adgroup().status(), "ENABLE");
  v1::ListDirectionAdGroupsRequest active_only;
  active_only.set_active_only(true);
  EXPECT_EQ(ids(active_only), (std::vector<std::string>{third.id(), first.id()}));

  // Bad updates change nothing.
  v1::UpdateDirectionAdGroupRequest bad;
  bad.set_direction_id(direction.id());
  bad.set_direction_adgroup_id(second.id());
  bad.mutable_status()->set_value("PAUSED");
  bad.mutable_daily_budget()->set_value(100);
  status = core_->UpdateDirectionAdGroup(owner, bad, updated);
  EXPECT_EQ(FieldsOf(status), (std::set<std::string>{"status", "daily_budget"})) << status;

  // An entry of another direction is not reachable through this one.
  const v1::Direction other = Create(user_a_, Minimal("Other pool"));
  update.set_direction_id(other.id());
  EXPECT_EQ(core_->UpdateDirectionAdGroup(owner, update, updated).code(),
            absl::StatusCode::kNotFound);
  v1::RemoveDirectionAdGroupRequest remove_elsewhere;
  remove_elsewhere.set_direction_id(other.id());
  remove_elsewhere.set_direction_adgroup_id(second.id());
  v1::RemoveDirectionAdGroupResponse removed;
  ASSERT_TRUE(core_->RemoveDirectionAdGroup(owner, remove_elsewhere, removed).ok());
  EXPECT_FALSE(removed.removed());
  EXPECT_EQ(ids(v1::ListDirectionAdGroupsRequest()).size(), 3u);

  // Remove: validate_only keeps it, the call removes it, a repeat finds it gone.
  v1::RemoveDirectionAdGroupRequest remove;
  remove.set_direction_id(direction.id());
  remove.set_direction_adgroup_id(second.id());
  remove.set_validate_only(true);
  ASSERT_TRUE(core_->RemoveDirectionAdGroup(owner, remove, removed).ok());
  EXPECT_FALSE(removed.removed());
  EXPECT_EQ(ids(v1::ListDirectionAdGroupsRequest()).size(), 3u);
  remove.set_validate_only(false);
  ASSERT_TRUE(core_->RemoveDirectionAdGroup(owner, remove, removed).ok());
  EXPECT_TRUE(removed.removed());
  EXPECT_EQ(ids(v1::ListDirectionAdGroupsRequest()),
            (std::vector<std::string>{third.id(), first.id()}));
  remove.set_idempotency_key("second-remove");
  ASSERT_TRUE(core_->RemoveDirectionAdGroup(owner, remove, removed).ok());
  EXPECT_FALSE(removed.removed());
}

TEST_P(DirectionCoreTest, AdGroupValidation) {
  const v1::Direction direction = Create(user_a_, Minimal("Pool"));
  v1::AddDirectionAdGroupRequest request;
  request.set_direction_id(direction.id());
  request.set_tiktok_adgroup_id("18000abc");
  request.set_daily_budget(10);
  request.set_status("DELETE");
  v1::AddDirectionAdGroupResponse response;
  absl::Status status = core_->AddDirectionAdGroup(Principal::ForUser(user_a_), request, response);
  EXPECT_EQ(FieldsOf(status),
            (std::set<std::string>{"tiktok_adgroup_id", "daily_budget", "status"}))
      << status;
  request.Clear();
  request.set_direction_id("nope");
  request.set_tiktok_adgroup_id(std::string(33, '1'));
  EXPECT_EQ(FieldsOf(core_->AddDirectionAdGroup(Principal::ForUser(user_a_), request, response)),
            (std::set<std::string>{"direction_id", "tiktok_adgroup_id"}));
  request.Clear();
  request.set_direction_id(direction.id());
  EXPECT_EQ(FieldsOf(core_->AddDirectionAdGroup(Principal::ForUser(user_a_), request, response)),
            (std::set<std::string>{"tiktok_adgroup_id"}));

  // validate_only adds nothing.
  request.set_tiktok_adgroup_id("1800000000009");
  request.set_validate_only(true);
  ASSERT_TRUE(core_->AddDirectionAdGroup(Principal::ForUser(user_a_), request, response).ok());
  EXPECT_EQ(response.adgroup().id(), "");
  EXPECT_TRUE(response.mutation().validate_only());
  storage::DirectionRepository repository(database());
  absl::StatusOr<std::vector<storage::TikTokAdGroup>> pool = repository.ListAdGroups(direction.id());
  ASSERT_TRUE(pool.ok());
  EXPECT_TRUE(pool->empty());

  // A Facebook direction has no TikTok pool.
  v1::CreateDirectionRequest facebook = Minimal("Facebook");
  facebook.set_platform("facebook");
  facebook.set_objective("whatsapp");
  request.set_direction_id(Create(user_a_, facebook).id());
  request.set_validate_only(false);
  EXPECT_EQ(core_->AddDirectionAdGroup(Principal::ForUser(user_a_), request, response).code(),
            absl::StatusCode::kFailedPrecondition);

  v1::ListDirectionAdGroupsRequest list;
  list.set_direction_id(direction.id());
  list.set_status("ON");
  list.set_page_token("???");
  v1::ListDirectionAdGroupsResponse listed;
  EXPECT_EQ(FieldsOf(core_->ListDirectionAdGroups(Principal::ForUser(user_a_), list, listed)),
            (std::set<std::string>{"status", "page_token"}));
}

TEST_P(DirectionCoreTest, EveryMutationIsAudited) {
  const Principal owner = Principal::ForUser(user_a_);
  v1::CreateDirectionRequest create = Minimal("Audited");
  create.set_idempotency_key("audit-create");
  v1::CreateDirectionResponse created;
  ASSERT_TRUE(core_->CreateDirection(owner, create, created).ok());
  const std::string id = created.direction().id();

  v1::UpdateDirectionRequest update;
  update.set_direction_id(id);
  update.mutable_name()->set_value("Audited 2");
  v1::UpdateDirectionResponse updated;
  ASSERT_TRUE(core_->UpdateDirection(owner, update, updated).ok());

  v1::SetDirectionAdSettingsRequest settings;
  settings.set_direction_id(id);
  v1::SetDirectionAdSettingsResponse settings_response;
  ASSERT_TRUE(core_->SetDirectionAdSettings(owner, settings, settings_response).ok());

  v1::AddDirectionAdGroupRequest add;
  add.set_direction_id(id);
  add.set_tiktok_adgroup_id("1800000000001");
  v1::AddDirectionAdGroupResponse added;
  ASSERT_TRUE(core_->AddDirectionAdGroup(owner, add, added).ok());

  v1::UpdateDirectionAdGroupRequest update_group;
  update_group.set_direction_id(id);
  update_group.set_direction_adgroup_id(added.adgroup().id());
  update_group.mutable_is_active()->set_value(false);
  v1::UpdateDirectionAdGroupResponse group_updated;
  ASSERT_TRUE(core_->UpdateDirectionAdGroup(owner, update_group, group_updated).ok());

  v1::RemoveDirectionAdGroupRequest remove;
  remove.set_direction_id(id);
  remove.set_direction_adgroup_id(added.adgroup().id());
  v1::RemoveDirectionAdGroupResponse removed;
  ASSERT_TRUE(core_->RemoveDirectionAdGroup(owner, remove, removed).ok());

  // A failed attempt is audited too (the duplicate name).
  v1::CreateDirectionResponse duplicate;
  EXPECT_FALSE(core_->CreateDirection(owner, Minimal("Audited 2"), duplicate).ok());
  // A replay is not a new mutation.
  v1::CreateDirectionResponse replay;
  ASSERT_TRUE(core_->CreateDirection(owner, create, replay).ok());
  ASSERT_TRUE(replay.mutation().replayed());

  const std::vector<storage::AuditEntry> entries = AuditOf(user_a_);
  std::multiset<std::string> actions;
  for (const storage::AuditEntry& entry : entries) {
    actions.insert(entry.action + ":" + entry.outcome);
    EXPECT_EQ(entry.actor, owner.actor());
  }
  EXPECT_EQ(actions, (std::multiset<std::string>{
                         "DirectionService.CreateDirection:OK",
                         "DirectionService.UpdateDirection:OK",
                         "DirectionService.SetDirectionAdSettings:OK",
                         "DirectionService.AddDirectionAdGroup:OK",
                         "DirectionService.UpdateDirectionAdGroup:OK",
                         "DirectionService.RemoveDirectionAdGroup:OK",
                         "DirectionService.CreateDirection:ALREADY_EXISTS"}));
  for (const storage::AuditEntry& entry : entries) {
    if (entry.action == "DirectionService.CreateDirection" && entry.outcome == "OK") {
      EXPECT_EQ(entry.target_id, id);
      EXPECT_EQ(entry.idempotency_key, "audit-create");
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, DirectionCoreTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);

}  // namespace
}  // namespace ttads::server

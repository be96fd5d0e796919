#!/usr/bin/env python3
"""Writes fuzz/corpus/request_proto_fuzz/: real-looking requests in protobuf wire form, each
prefixed with the route byte and the caller byte request_proto_fuzz.cc reads. Uses protoc's
--encode (text format in, wire bytes out). Run from anywhere: fuzz/make_request_seeds.py."""
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
PROTO = os.path.join(HERE, "..", "proto")
OUT = os.path.join(HERE, "corpus", "request_proto_fuzz")

# The order of Routes() in request_proto_fuzz.cc: (file, request message).
ROUTES = [
    ("direction_service", "CreateDirectionRequest"),
    ("direction_service", "UpdateDirectionRequest"),
    ("direction_service", "GetDirectionRequest"),
    ("direction_service", "ListDirectionsRequest"),
    ("direction_service", "SetDirectionAdSettingsRequest"),
    ("direction_service", "AddDirectionAdGroupRequest"),
    ("direction_service", "UpdateDirectionAdGroupRequest"),
    ("direction_service", "RemoveDirectionAdGroupRequest"),
    ("creative_service", "CreateCreativeRequest"),
    ("creative_service", "UpdateCreativeRequest"),
    ("creative_service", "ListCreativesRequest"),
    ("admin_service", "CreateUserAccountRequest"),
    ("admin_service", "UpdateUserAccountRequest"),
    ("admin_service", "CreateApiKeyRequest"),
    ("admin_service", "SetCurrencyRateRequest"),
    ("account_service", "IssueOAuthStateRequest"),
    ("account_service", "ExchangeOAuthCodeRequest"),
    ("account_service", "SelectAdvertiserRequest"),
    ("account_service", "CreateAdAccountRequest"),
    ("account_service", "UpdateAccountSettingsRequest"),
    ("account_service", "DisconnectAccountRequest"),
    ("account_service", "ListAccountsRequest"),
    ("action_service", "DispatchRequest"),
    ("action_service", "ListActionExecutionsRequest"),
    ("campaign_builder_service", "ListCampaignsRequest"),
    ("campaign_builder_service", "PauseCampaignRequest"),
    ("campaign_builder_service", "ResumeCampaignRequest"),
    ("campaign_builder_service", "GetReportRequest"),
    ("campaign_builder_service", "ListAvailableCreativesRequest"),
    ("campaign_builder_service", "GetAdvertiserInfoRequest"),
    ("campaign_builder_service", "AutoLaunchRequest"),
    ("campaign_builder_service", "ManualLaunchRequest"),
    ("campaign_builder_service", "ManualLaunchMultiRequest"),
    ("campaign_builder_service", "CreateCampaignRequest"),
    ("analytics_service", "GetRoiRequest"),
    ("analytics_service", "TikTokProxyRequest"),
]
OPERATOR, USER_A, USER_B = 0, 1, 2

A = "11111111-1111-4111-8111-111111111111"
B = "22222222-2222-4222-8222-222222222222"
ACCOUNT_B = "33333333-3333-4333-8333-333333333333"
DIRECTION_A = "44444444-4444-4444-8444-444444444444"
CREATIVE_A = "55555555-5555-4555-8555-555555555555"
CREATIVE_B = "77777777-7777-4777-8777-777777777777"

# name: (request message, caller, text format)
SEEDS = {
    "create_direction": ("CreateDirectionRequest", USER_A, f"""
        name: "Алматы — стоматология" platform: "tiktok" objective: "lead_forms"
        tiktok_objective: "lead_generation" tiktok_daily_budget: 3000 tiktok_target_cpl_kzt: 900
        tiktok_adgroup_mode: "use_existing" campaign_status: "ACTIVE"
        tiktok_instant_page_id: "7200000000000000001"
        ad_settings {{ cities: "almaty" cities: "astana" gender: "female" }}
        idempotency_key: "create-direction-1" """),
    "create_direction_operator": ("CreateDirectionRequest", OPERATOR, f"""
        user_account_id: "{B}" account_id: "{ACCOUNT_B}" name: "US traffic" platform: "tiktok"
        objective: "instagram_traffic" tiktok_objective: "traffic" tiktok_daily_budget: 3000
        validate_only: true"""),
    "update_direction": ("UpdateDirectionRequest", USER_A, f"""
        direction_id: "{DIRECTION_A}" name {{ value: "Renamed" }}
        tiktok_daily_budget {{ value: 7000 }}
        is_active {{ value: false }} idempotency_key: "update-direction-1" """),
    "get_direction": ("GetDirectionRequest", USER_A, f'direction_id: "{DIRECTION_A}"'),
    "set_ad_settings": ("SetDirectionAdSettingsRequest", USER_A, f"""
        direction_id: "{DIRECTION_A}"
        ad_settings {{ cities: "1526384" gender: "all" site_url: "https://clinic.example.kz" }}
        idempotency_key: "settings-1" """),
    "add_adgroup": ("AddDirectionAdGroupRequest", USER_A, f"""
        direction_id: "{DIRECTION_A}" tiktok_adgroup_id: "1810000000000000001"
        adgroup_name: "Pool group" daily_budget: 5000 status: "ENABLE" """),
    "create_creative": ("CreateCreativeRequest", USER_A, f"""
        direction_id: "{DIRECTION_A}" title: "Весеннее видео"
        media_url: "https://media.example.kz/v.mp4"
        media_type: "video" status: "ready" tiktok_video_id: "v10033g50000fuzz" """),
    "update_creative": ("UpdateCreativeRequest", USER_A, f"""
        creative_id: "{CREATIVE_A}" title {{ value: "New title" }} status {{ value: "failed" }}"""),
    "create_user": ("CreateUserAccountRequest", OPERATOR, """
        username: "new-user" multi_account_enabled: true account_timezone: "Asia/Almaty"
        idempotency_key: "user-1" """),
    "create_api_key": ("CreateApiKeyRequest", OPERATOR, f'user_account_id: "{A}" name: "laptop"'),
    "set_currency_rate": ("SetCurrencyRateRequest", OPERATOR, """
        from_currency: "USD" to_currency: "KZT" rate: 512.5 source: "manual" """),
    "issue_oauth_state": ("IssueOAuthStateRequest", USER_B, f'ad_account_id: "{ACCOUNT_B}"'),
    "exchange_oauth_code": ("ExchangeOAuthCodeRequest", USER_A, """
        auth_code: "sandbox-demo-auth-code"
        state: "eyJ1c2VyX2lkIjoiMTExMTExMTEtMTExMS00MTExLTgxMTEtMTExMTExMTExMTExIn0="
        advertiser_id: "7300000000000000101" """),
    "update_account_settings": ("UpdateAccountSettingsRequest", USER_B, f"""
        account_id: "{ACCOUNT_B}" autopilot_tiktok {{ value: true }}
        brain_timezone {{ value: "America/New_York" }}"""),
    "dispatch": ("DispatchRequest", USER_A, """
        idempotency_key: "dispatch-seed-1" account { ad_account_id: "7300000000000000101" }
        actions { type: "TikTok.UpdateAdGroupBudget"
          params { fields { key: "adgroup_id" value { string_value: "1810000000000000001" } }
                   fields { key: "new_budget" value { number_value: 6500 } } } }
        actions { type: "TikTok.PauseAd"
          params { fields { key: "ad_id" value { string_value: "1820000000000000001" } } } }"""),
    "pause_campaign": ("PauseCampaignRequest", USER_A,
                       'campaign_id: "1800000000000000001" idempotency_key: "pause-1"'),
    "get_report": ("GetReportRequest", USER_A, """
        campaign_ids: "1800000000000000001" start_date: "2026-11-01" end_date: "2026-11-23" """),
    "manual_launch": ("ManualLaunchRequest", USER_A, f"""
        direction_id: "{DIRECTION_A}" creative_ids: "{CREATIVE_A}" daily_budget: 5000
        objective: "traffic" idempotency_key: "launch-1" """),
    "manual_launch_multi": ("ManualLaunchMultiRequest", USER_A, f"""
        direction_id: "{DIRECTION_A}" adsets {{ creative_ids: "{CREATIVE_A}" daily_budget: 5000 }}
        adsets {{ creative_ids: "{CREATIVE_A}" }} idempotency_key: "multi-1" """),
    "auto_launch": ("AutoLaunchRequest", USER_A, f"""
        direction_ids: "{DIRECTION_A}" start_mode: "now" idempotency_key: "auto-1"
        validate_only: true"""),
    "create_campaign": ("CreateCampaignRequest", USER_B, f"""
        account_id: "{ACCOUNT_B}" creative_ids: "{CREATIVE_B}"
        campaign_name: "Spring" objective: "traffic" daily_budget: 50
        landing_page_url: "https://example.com"
        auto_activate {{ value: false }} idempotency_key: "campaign-1" """),
    "get_roi": ("GetRoiRequest", USER_A, """
        level: "campaign" granularity: "day" start_date: "2026-11-01" end_date: "2026-11-23" """),
    "tiktok_proxy": ("TikTokProxyRequest", USER_A, """
        endpoint: "campaign/get/" method: "GET"
        params { fields { key: "page_size" value { number_value: 100 } }
                 fields { key: "fields"
                          value { list_value { values { string_value: "campaign_id" } } } } }"""),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    index = {message: i for i, (_, message) in enumerate(ROUTES)}
    files = {message: proto for proto, message in ROUTES}
    for name, (message, caller, text) in SEEDS.items():
        wire = subprocess.run(
            ["protoc", "-I", PROTO, "-I", os.path.join(PROTO, "third_party"),
             f"--encode=ttads.v1.{message}", f"ttads/v1/{files[message]}.proto"],
            input=text.encode(), capture_output=True, check=True).stdout
        with open(os.path.join(OUT, name), "wb") as out:
            out.write(bytes([index[message], caller]) + wire)


if __name__ == "__main__":
    main()

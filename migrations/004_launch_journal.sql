-- Launch workflows (CampaignBuilderService) journal their steps as agent_actions rows of an
-- agent_executions row (source tiktok_campaign_builder); a finished launch keeps its answer
-- here so a retry with the same idempotency key gets it back.
ALTER TABLE agent_executions ADD COLUMN result_json {{JSON}};

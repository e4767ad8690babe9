-- Rebound workspace schema: campaigns built in the wizard, and imported report
-- campaigns attached to them. Same conventions as version 1 (UTC microseconds,
-- days as 'YYYY-MM-DD', money in minor units beside its currency).

-- What the wizard records beyond version 1's columns. `channels` is a JSON
-- array of channel keys (meta_ads, google_ads, email, sms, push); `channel`
-- keeps the single channel, or 'mixed'. `creative_ids` is a JSON array of
-- creative row ids. The budget is either per day (daily_budget_minor, version 1)
-- or for the whole schedule (total_budget_minor), in `currency`.
ALTER TABLE campaigns ADD COLUMN channels TEXT;
ALTER TABLE campaigns ADD COLUMN creative_ids TEXT;
ALTER TABLE campaigns ADD COLUMN total_budget_minor INTEGER;
ALTER TABLE campaigns ADD COLUMN messages_per_person INTEGER;
ALTER TABLE campaigns ADD COLUMN created_in_wizard INTEGER NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN updated_at INTEGER;

-- An imported report campaign (a `campaigns` row an import created) whose
-- metrics count towards another campaign. `auto`: matched by name or platform
-- id; `manual`: attached by hand; `excluded`: detached by hand, so automatic
-- matching leaves it alone. A report campaign counts towards one campaign at
-- most, so nothing is counted twice.
CREATE TABLE campaign_attachments (
    id                 INTEGER PRIMARY KEY,
    campaign_id        INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    source_campaign_id INTEGER NOT NULL UNIQUE REFERENCES campaigns(id) ON DELETE CASCADE,
    mode               TEXT NOT NULL CHECK (mode IN ('auto', 'manual', 'excluded')),
    attached_at        INTEGER NOT NULL,
    CHECK (campaign_id <> source_campaign_id)
) STRICT;
CREATE INDEX campaign_attachments_campaign ON campaign_attachments(campaign_id);

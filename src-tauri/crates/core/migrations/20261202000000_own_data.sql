-- Rebound workspace schema: what a marketer's own exports need.
-- Same conventions as version 1 (UTC microseconds, days as 'YYYY-MM-DD',
-- money in minor units beside its currency).

-- 1. A metric a report does not give is NULL ("not in this report"), never 0:
-- a Google Ads report has no reach, a Meta traffic report no conversions and
-- no revenue. SQLite cannot drop NOT NULL, so the table is rebuilt; nothing
-- refers to it.
CREATE TABLE campaign_daily_metrics_new (
    id            INTEGER PRIMARY KEY,
    campaign_id   INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    day           TEXT NOT NULL,
    channel       TEXT NOT NULL,
    currency      TEXT NOT NULL,
    impressions   INTEGER,
    reach         INTEGER,
    clicks        INTEGER,
    cost_minor    INTEGER,
    conversions   REAL,
    revenue_minor INTEGER,
    sends         INTEGER,
    opens         INTEGER,
    unsubscribes  INTEGER,
    bounces       INTEGER,
    import_id     INTEGER REFERENCES imports(id) ON DELETE CASCADE,
    UNIQUE (campaign_id, day, channel, import_id)
) STRICT;

-- Meta results whose type is not a conversion (link clicks, reach, views)
-- were stored as conversions; so were empty ones. The same list of
-- conversion types as `rebound_formats::parsers::meta::is_conversion_result`.
UPDATE ad_metrics SET conversions = NULL
WHERE campaign_id IN (SELECT id FROM campaigns WHERE channel = 'meta_ads')
  AND NOT (
      coalesce(lower(json_extract(other, '$."Result type"')), '') NOT LIKE '%click%'
      AND coalesce(lower(json_extract(other, '$."Result type"')), '') NOT LIKE '%view%'
      AND (
          coalesce(lower(json_extract(other, '$."Result type"')), '') LIKE '%purchase%'
          OR coalesce(lower(json_extract(other, '$."Result type"')), '') LIKE '%lead%'
          OR coalesce(lower(json_extract(other, '$."Result type"')), '') LIKE '%registration%'
          OR coalesce(lower(json_extract(other, '$."Result type"')), '') LIKE '%conversion%'
          OR coalesce(lower(json_extract(other, '$."Result type"')), '') LIKE '%checkout%'
          OR coalesce(lower(json_extract(other, '$."Result type"')), '') LIKE '%add to cart%'
          OR coalesce(lower(json_extract(other, '$."Result type"')), '') LIKE '%adds to cart%'
          OR coalesce(lower(json_extract(other, '$."Result type"')), '') LIKE '%payment info%'
          OR coalesce(lower(json_extract(other, '$."Result type"')), '') LIKE '%subscri%'
          OR coalesce(lower(json_extract(other, '$."Result type"')), '') LIKE '%trial%'
          OR coalesce(lower(json_extract(other, '$."Result type"')), '') LIKE '%application%'
          OR coalesce(lower(json_extract(other, '$."Result type"')), '') LIKE '%contact%'
          OR coalesce(lower(json_extract(other, '$."Result type"')), '') LIKE '%schedule%'
          OR coalesce(lower(json_extract(other, '$."Result type"')), '') LIKE '%donat%'
      )
  );

-- Rows an imported report wrote: a metric is reported when one of the
-- report's rows for that campaign, day and import gives it.
INSERT INTO campaign_daily_metrics_new
SELECT m.id, m.campaign_id, m.day, m.channel, m.currency,
       CASE WHEN EXISTS (SELECT 1 FROM ad_metrics a WHERE a.import_id = m.import_id AND a.campaign_id = m.campaign_id AND a.day = m.day AND a.impressions IS NOT NULL) THEN m.impressions END,
       CASE WHEN EXISTS (SELECT 1 FROM ad_metrics a WHERE a.import_id = m.import_id AND a.campaign_id = m.campaign_id AND a.day = m.day AND a.reach IS NOT NULL) THEN m.reach END,
       CASE WHEN EXISTS (SELECT 1 FROM ad_metrics a WHERE a.import_id = m.import_id AND a.campaign_id = m.campaign_id AND a.day = m.day AND a.clicks IS NOT NULL) THEN m.clicks END,
       CASE WHEN EXISTS (SELECT 1 FROM ad_metrics a WHERE a.import_id = m.import_id AND a.campaign_id = m.campaign_id AND a.day = m.day AND a.cost_minor IS NOT NULL) THEN m.cost_minor END,
       (SELECT sum(a.conversions) FROM ad_metrics a WHERE a.import_id = m.import_id AND a.campaign_id = m.campaign_id AND a.day = m.day),
       CASE WHEN EXISTS (SELECT 1 FROM ad_metrics a WHERE a.import_id = m.import_id AND a.campaign_id = m.campaign_id AND a.day = m.day AND a.conversion_value_minor IS NOT NULL) THEN m.revenue_minor END,
       NULL, NULL, NULL, NULL,
       m.import_id
FROM campaign_daily_metrics m
WHERE m.import_id IN (SELECT id FROM imports WHERE format <> 'demo');

-- The demo's rows: ads have no sends, owned channels no impressions or reach,
-- and e-mail and push no cost.
INSERT INTO campaign_daily_metrics_new
SELECT id, campaign_id, day, channel, currency,
       CASE WHEN channel IN ('meta_ads', 'google_ads') THEN impressions END,
       CASE WHEN channel IN ('meta_ads', 'google_ads') THEN reach END,
       clicks,
       CASE WHEN channel IN ('email', 'push') THEN NULL ELSE cost_minor END,
       conversions, revenue_minor,
       CASE WHEN channel IN ('meta_ads', 'google_ads') THEN NULL ELSE sends END,
       CASE WHEN channel IN ('meta_ads', 'google_ads') THEN NULL ELSE opens END,
       CASE WHEN channel IN ('meta_ads', 'google_ads') THEN NULL ELSE unsubscribes END,
       CASE WHEN channel IN ('meta_ads', 'google_ads') THEN NULL ELSE bounces END,
       import_id
FROM campaign_daily_metrics
WHERE import_id IS NULL OR import_id NOT IN (SELECT id FROM imports WHERE format <> 'demo');

DROP TABLE campaign_daily_metrics;
ALTER TABLE campaign_daily_metrics_new RENAME TO campaign_daily_metrics;
CREATE INDEX campaign_daily_metrics_day ON campaign_daily_metrics(day);

-- 2. A campaign's type as its platform names it (Search, Performance Max,
-- Display, Demand Gen; Meta's objective: Traffic, Sales, Leads ...), and
-- whether its goal is known: a report campaign's goal is not stated by the
-- report, so it is not shown as "retargeting".
ALTER TABLE campaigns ADD COLUMN campaign_type TEXT;
ALTER TABLE campaigns ADD COLUMN goal_stated INTEGER NOT NULL DEFAULT 1 CHECK (goal_stated IN (0, 1));

UPDATE campaigns SET campaign_type = (
    SELECT json_extract(a.other, '$.campaign_type') FROM ad_metrics a
    WHERE a.campaign_id = campaigns.id AND json_extract(a.other, '$.campaign_type') IS NOT NULL
    ORDER BY a.id LIMIT 1
);
UPDATE campaigns SET campaign_type = CASE upper(replace((
        SELECT json_extract(a.other, '$.Objective') FROM ad_metrics a
        WHERE a.campaign_id = campaigns.id AND json_extract(a.other, '$.Objective') IS NOT NULL
        ORDER BY a.id LIMIT 1), 'OUTCOME_', ''))
    WHEN 'LINK_CLICKS' THEN 'Traffic' WHEN 'TRAFFIC' THEN 'Traffic'
    WHEN 'SALES' THEN 'Sales' WHEN 'CONVERSIONS' THEN 'Sales'
    WHEN 'PRODUCT_CATALOG_SALES' THEN 'Catalog sales'
    WHEN 'LEADS' THEN 'Leads' WHEN 'LEAD_GENERATION' THEN 'Leads'
    WHEN 'AWARENESS' THEN 'Awareness' WHEN 'REACH' THEN 'Awareness' WHEN 'BRAND_AWARENESS' THEN 'Awareness'
    WHEN 'ENGAGEMENT' THEN 'Engagement' WHEN 'POST_ENGAGEMENT' THEN 'Engagement'
    WHEN 'APP_PROMOTION' THEN 'App promotion' WHEN 'APP_INSTALLS' THEN 'App promotion'
    WHEN 'VIDEO_VIEWS' THEN 'Video views'
    ELSE NULL END
WHERE campaign_type IS NULL AND channel = 'meta_ads';

UPDATE campaigns SET goal_stated = 0
WHERE created_in_wizard = 0
  AND import_id IN (SELECT id FROM imports WHERE format <> 'demo');

-- Rebound workspace schema, version 2: what imports need beyond version 1.
-- Same conventions as version 1 (UTC microseconds, money in minor units beside
-- its currency, outside ids as TEXT, import_id on every imported row).

-- Column mappings for CSV/JSON-lines files nobody recognised, keyed by a
-- fingerprint of the header so a file with the same header gets the same mapping.
CREATE TABLE import_profiles (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    fingerprint TEXT NOT NULL UNIQUE,
    mapping     TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;

-- Ad-platform report rows as the platform reported them: a campaign, ad group or
-- ad, over one day or the report's period, optionally by age and gender.
-- Single-day rows are also summed into campaign_daily_metrics.
CREATE TABLE ad_metrics (
    id            INTEGER PRIMARY KEY,
    import_id     INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    line          INTEGER NOT NULL,
    campaign_id   INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    ad_group      TEXT,
    ad            TEXT,
    age           TEXT,
    gender        TEXT,
    day           TEXT,
    period_start  TEXT,
    period_end    TEXT,
    period_label  TEXT,
    currency      TEXT,
    impressions   INTEGER,
    reach         INTEGER,
    clicks        INTEGER,
    cost_minor    INTEGER,
    conversions   REAL,
    conversion_value_minor INTEGER,
    other         TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX ad_metrics_import ON ad_metrics(import_id, line);
CREATE INDEX ad_metrics_campaign ON ad_metrics(campaign_id, day);

-- Rows of analytics reports kept as the file had them: GA4 report and
-- exploration sections, Search Console tables and filters, Google Ads Editor
-- entities, per-day A/B aggregates. `data` is JSON.
CREATE TABLE report_rows (
    id           INTEGER PRIMARY KEY,
    import_id    INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    source       TEXT NOT NULL,
    section      INTEGER NOT NULL DEFAULT 1,
    line         INTEGER NOT NULL,
    dimension    TEXT,
    key          TEXT,
    period_start TEXT,
    period_end   TEXT,
    data         TEXT NOT NULL
) STRICT;
CREATE INDEX report_rows_import ON report_rows(import_id, section, line);

-- When an import updates a row another import (or the person) wrote, the old
-- version is kept here so undoing the import puts it back.
CREATE TABLE import_superseded (
    id         INTEGER PRIMARY KEY,
    import_id  INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    table_name TEXT NOT NULL,
    row_id     INTEGER NOT NULL,
    data       TEXT NOT NULL
) STRICT;
CREATE INDEX import_superseded_import ON import_superseded(import_id);

-- Imported per-person A/B files name units by their own ids and may carry
-- several outcomes per unit.
ALTER TABLE experiment_exposures ADD COLUMN unit_id TEXT;
ALTER TABLE experiment_exposures ADD COLUMN metrics TEXT;

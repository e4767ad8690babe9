-- Rebound workspace schema, version 1.
-- Conventions (chosen once, tested in store.rs):
--   * time is UTC unix microseconds in INTEGER columns named *_at or ts;
--     calendar days are TEXT 'YYYY-MM-DD' in the workspace's reporting time zone;
--   * money is INTEGER minor units (cents) beside a TEXT ISO 4217 currency code;
--   * ids that come from outside (platform ids, 19-digit category ids) are TEXT,
--     never numbers, so they survive exactly;
--   * every row created by an import carries import_id, so a whole import can be undone.
-- This file is append-only once released: later changes go into new migrations.

CREATE TABLE workspace_meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE imports (
    id             INTEGER PRIMARY KEY,
    file_name      TEXT NOT NULL,
    format         TEXT NOT NULL,
    content_hash   TEXT NOT NULL UNIQUE,
    byte_size      INTEGER NOT NULL DEFAULT 0,
    rows_read      INTEGER NOT NULL DEFAULT 0,
    rows_imported  INTEGER NOT NULL DEFAULT 0,
    rows_rejected  INTEGER NOT NULL DEFAULT 0,
    started_at     INTEGER NOT NULL,
    finished_at    INTEGER,
    status         TEXT NOT NULL CHECK (status IN ('complete', 'undone')),
    details        TEXT NOT NULL DEFAULT '{}'
) STRICT;

CREATE TABLE import_rejections (
    id          INTEGER PRIMARY KEY,
    import_id   INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    line        INTEGER NOT NULL,
    column_name TEXT,
    value       TEXT,
    reason      TEXT NOT NULL
) STRICT;
CREATE INDEX import_rejections_import ON import_rejections(import_id, line);

CREATE TABLE people (
    id           INTEGER PRIMARY KEY,
    import_id    INTEGER REFERENCES imports(id) ON DELETE CASCADE,
    first_name   TEXT,
    last_name    TEXT,
    email_sha256 TEXT,
    country      TEXT,
    time_zone    TEXT,
    locale       TEXT,
    first_seen_at INTEGER,
    last_seen_at  INTEGER,
    properties   TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX people_import ON people(import_id);
CREATE INDEX people_email ON people(email_sha256) WHERE email_sha256 IS NOT NULL;

-- One row per id we know a person by: cookie/visitor ids, login ids, hashed
-- e-mails and phone numbers, device ids. Identity stitching merges people by these.
CREATE TABLE identities (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('visitor_id', 'user_id', 'email_sha256', 'phone_sha256', 'device_id', 'customer_id')),
    value        TEXT NOT NULL,
    first_seen_at INTEGER,
    import_id    INTEGER REFERENCES imports(id) ON DELETE CASCADE,
    UNIQUE (kind, value)
) STRICT;
CREATE INDEX identities_person ON identities(person_id);

CREATE TABLE devices (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    category    TEXT NOT NULL CHECK (category IN ('desktop', 'mobile', 'tablet', 'other')),
    os          TEXT,
    browser     TEXT,
    first_seen_at INTEGER,
    import_id   INTEGER REFERENCES imports(id) ON DELETE CASCADE,
    UNIQUE (external_id)
) STRICT;
CREATE INDEX devices_person ON devices(person_id);

CREATE TABLE products (
    id            INTEGER PRIMARY KEY,
    external_id   TEXT NOT NULL UNIQUE,
    title         TEXT NOT NULL,
    description   TEXT,
    price_minor   INTEGER,
    currency      TEXT,
    availability  TEXT CHECK (availability IN ('in_stock', 'out_of_stock', 'preorder', 'backorder')),
    link          TEXT,
    image_link    TEXT,
    brand         TEXT,
    category      TEXT,
    item_group_id TEXT,
    import_id     INTEGER REFERENCES imports(id) ON DELETE CASCADE
) STRICT;
CREATE INDEX products_category ON products(category);

CREATE TABLE segments (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('retargeting', 'remarketing')),
    definition  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE creatives (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    platform    TEXT NOT NULL,
    format      TEXT NOT NULL,
    definition  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE sequences (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('draft', 'active', 'paused', 'archived')),
    definition  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE campaigns (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    external_id   TEXT,
    platform      TEXT NOT NULL,
    goal          TEXT NOT NULL CHECK (goal IN ('retargeting', 'remarketing', 'journey')),
    channel       TEXT NOT NULL CHECK (channel IN ('meta_ads', 'google_ads', 'email', 'sms', 'push', 'mixed')),
    status        TEXT NOT NULL CHECK (status IN ('draft', 'active', 'paused', 'completed')),
    segment_id    INTEGER REFERENCES segments(id) ON DELETE SET NULL,
    creative_id   INTEGER REFERENCES creatives(id) ON DELETE SET NULL,
    sequence_id   INTEGER REFERENCES sequences(id) ON DELETE SET NULL,
    daily_budget_minor INTEGER,
    currency      TEXT,
    starts_on     TEXT,
    ends_on       TEXT,
    created_at    INTEGER NOT NULL,
    import_id     INTEGER REFERENCES imports(id) ON DELETE CASCADE
) STRICT;
CREATE INDEX campaigns_name ON campaigns(name);

-- Daily metrics as the platforms report them; one row per campaign, day,
-- channel and import, so two reports of the same days stay distinguishable.
CREATE TABLE campaign_daily_metrics (
    id            INTEGER PRIMARY KEY,
    campaign_id   INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    day           TEXT NOT NULL,
    channel       TEXT NOT NULL,
    currency      TEXT NOT NULL,
    impressions   INTEGER NOT NULL DEFAULT 0,
    reach         INTEGER NOT NULL DEFAULT 0,
    clicks        INTEGER NOT NULL DEFAULT 0,
    cost_minor    INTEGER NOT NULL DEFAULT 0,
    conversions   REAL NOT NULL DEFAULT 0,
    revenue_minor INTEGER NOT NULL DEFAULT 0,
    sends         INTEGER NOT NULL DEFAULT 0,
    opens         INTEGER NOT NULL DEFAULT 0,
    unsubscribes  INTEGER NOT NULL DEFAULT 0,
    bounces       INTEGER NOT NULL DEFAULT 0,
    import_id     INTEGER REFERENCES imports(id) ON DELETE CASCADE,
    UNIQUE (campaign_id, day, channel, import_id)
) STRICT;
CREATE INDEX campaign_daily_metrics_day ON campaign_daily_metrics(day);

-- Sessions and events refer to devices, products and campaigns by id without
-- foreign keys: the event log is the largest table by far, and every foreign
-- key with an ON DELETE action would need one more index on it to keep parent
-- deletes fast. Undo deletes an import's events before its other rows, and
-- joins tolerate a reference to a row that is gone. Only the person (whose
-- timeline index serves the cascade) and the import are enforced.
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    device_id    INTEGER,
    external_id  TEXT,
    started_at   INTEGER NOT NULL,
    source       TEXT,
    medium       TEXT,
    campaign_id  INTEGER,
    landing_page TEXT,
    import_id    INTEGER REFERENCES imports(id) ON DELETE CASCADE
) STRICT;
CREATE INDEX sessions_person ON sessions(person_id, started_at);

-- The event log. The two composite indexes serve the segment engine:
-- (name, ts, person_id) answers "who did E in a window" from the index alone,
-- (person_id, ts) gives one person's timeline and per-person sequences.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    ts          INTEGER NOT NULL,
    name        TEXT NOT NULL,
    session_id  INTEGER,
    device_id   INTEGER,
    product_id  INTEGER,
    page        TEXT,
    source      TEXT,
    quantity    INTEGER,
    value_minor INTEGER,
    currency    TEXT,
    order_id    TEXT,
    campaign_id INTEGER,
    import_id   INTEGER REFERENCES imports(id) ON DELETE CASCADE,
    properties  TEXT
) STRICT;
CREATE INDEX events_name_ts_person ON events(name, ts, person_id);
CREATE INDEX events_person_ts ON events(person_id, ts);

-- The consent ledger: every change is a row; the latest row per person and
-- channel is the person's current consent.
CREATE TABLE consent (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    channel      TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'push', 'ads')),
    status       TEXT NOT NULL CHECK (status IN ('granted', 'denied')),
    lawful_basis TEXT NOT NULL,
    source       TEXT NOT NULL,
    recorded_at  INTEGER NOT NULL,
    import_id    INTEGER REFERENCES imports(id) ON DELETE CASCADE
) STRICT;
CREATE INDEX consent_person_channel ON consent(person_id, channel, recorded_at);

CREATE TABLE experiments (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    hypothesis   TEXT,
    status       TEXT NOT NULL CHECK (status IN ('draft', 'running', 'finished')),
    metric       TEXT NOT NULL CHECK (metric IN ('conversion', 'mean')),
    subject_kind TEXT,
    subject_id   INTEGER,
    started_at   INTEGER,
    ended_at     INTEGER,
    created_at   INTEGER NOT NULL,
    import_id    INTEGER REFERENCES imports(id) ON DELETE CASCADE
) STRICT;

CREATE TABLE experiment_variants (
    id             INTEGER PRIMARY KEY,
    experiment_id  INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    is_control     INTEGER NOT NULL CHECK (is_control IN (0, 1)),
    n              INTEGER,
    conversions    INTEGER,
    value_sum      REAL,
    value_sum_sq   REAL,
    UNIQUE (experiment_id, name)
) STRICT;

-- Per-person outcomes where we have them (the aggregates above are enough
-- for imported per-variant results).
CREATE TABLE experiment_exposures (
    id          INTEGER PRIMARY KEY,
    variant_id  INTEGER NOT NULL REFERENCES experiment_variants(id) ON DELETE CASCADE,
    person_id   INTEGER REFERENCES people(id) ON DELETE CASCADE,
    exposed_at  INTEGER NOT NULL,
    converted   INTEGER NOT NULL CHECK (converted IN (0, 1)),
    value_minor INTEGER,
    covariate   REAL
) STRICT;
CREATE INDEX experiment_exposures_variant ON experiment_exposures(variant_id);
CREATE INDEX experiment_exposures_person ON experiment_exposures(person_id) WHERE person_id IS NOT NULL;

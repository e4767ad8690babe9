-- Sequences and journeys. Flows live in `sequences` (workspace schema v1):
-- `definition` is the flow JSON (versioned, see rebound-sequences' README).
-- This adds the sending rules every flow obeys (frequency caps, quiet hours,
-- consent, send-time optimisation): one row, the JSON of `SendingRules`.
CREATE TABLE sequence_rules (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    definition TEXT NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

-- Flow names are unique, like segment names: the CLI and exports name flows.
CREATE UNIQUE INDEX sequences_name ON sequences(name);

-- Rebound workspace schema: the currency of an experiment's values.

-- The ISO 4217 code of the revenue its exposures and variants carry, so the
-- statistics read major units with the currency's own exponent (a JPY test's
-- values are whole yen, not hundredths). NULL: no revenue, or not known.
ALTER TABLE experiments ADD COLUMN currency TEXT;

-- Tests written before this column kept revenue from events, in the event's
-- currency: take it from one of their exposures' events where the data has one.
UPDATE experiments SET currency = (
    SELECT e.currency FROM experiment_exposures x
    JOIN experiment_variants v ON v.id = x.variant_id
    JOIN events e ON e.person_id = x.person_id AND e.currency IS NOT NULL AND e.name = 'purchase'
    WHERE v.experiment_id = experiments.id LIMIT 1
) WHERE currency IS NULL;

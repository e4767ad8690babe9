-- The share of the audience each variant was planned to get (audience tests
-- split people by weights such as 10/90). The sample-ratio-mismatch check
-- compares the observed split with these; NULL means equal shares.
ALTER TABLE experiment_variants ADD COLUMN planned_share REAL;

-- What a conversion is in the experiment's own words ("purchase" for a holdout
-- on purchases; "conversion" for an ad report's chosen metric); NULL: purchase.
ALTER TABLE experiments ADD COLUMN conversion_label TEXT;

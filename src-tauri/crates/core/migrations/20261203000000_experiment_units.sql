-- Rebound workspace schema: A/B results read the way marketers mean them.

-- 1. What an experiment's units are, in the plural, as the file or the test
-- names them: "people", "impressions", "website clicks". NULL is people.
ALTER TABLE experiments ADD COLUMN unit_label TEXT;

-- 2. The import a variant came from, when it is not the experiment's own:
-- the test file of a control/test pair joins the control file's experiment,
-- and undoing it takes only its own variant away.
ALTER TABLE experiment_variants ADD COLUMN import_id INTEGER REFERENCES imports(id) ON DELETE CASCADE;

-- Creative templates live in the `creatives` table of the first migration:
-- name, platform and format of the template's default preview, and its
-- definition as JSON (headline, description and call to action with tokens,
-- colours, logo, business name). Names are what people pick templates by,
-- in the app and in `rebound creative render --template NAME`: make them unique.
CREATE UNIQUE INDEX creatives_name ON creatives(name);

-- 0008: saved comparisons (compare/saved.rs) and their last export (the
-- "what changed" report). 0001 made `comparisons` and `comparison_firms`;
-- this gives them what saving needs.

-- Names are unique ignoring case. Older rows (none were ever written by the
-- app, but another tool may have) get their id added to a repeated name so the
-- index can be built.
UPDATE comparisons SET name = name || ' (' || id || ')'
WHERE EXISTS (SELECT 1 FROM comparisons c WHERE c.name = comparisons.name COLLATE NOCASE AND c.id < comparisons.id);
CREATE UNIQUE INDEX comparisons_name ON comparisons(name COLLATE NOCASE);

-- The window and stale rules, as JSON (compare::ComparisonFilters).
ALTER TABLE comparisons ADD COLUMN filters_json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(filters_json));
-- A save names the revision it started from, as every other form does.
ALTER TABLE comparisons ADD COLUMN revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1);

-- comparison_firms again, without UNIQUE (comparison_id, position): a firm
-- deleted to the Trash takes its row along, and when the comparison is saved
-- meanwhile its old position is given to another firm; the unique position
-- would then refuse to restore the firm. Ties sort by firm id.
CREATE TABLE comparison_firms_0008 (
    comparison_id  INTEGER NOT NULL REFERENCES comparisons(id) ON DELETE CASCADE,
    firm_id        INTEGER NOT NULL REFERENCES firms(id) ON DELETE CASCADE,
    position       INTEGER NOT NULL CHECK (position >= 0),
    PRIMARY KEY (comparison_id, firm_id)
) STRICT;
INSERT INTO comparison_firms_0008 (comparison_id, firm_id, position)
    SELECT comparison_id, firm_id, position FROM comparison_firms;
DROP TABLE comparison_firms;
ALTER TABLE comparison_firms_0008 RENAME TO comparison_firms;
-- Deleting a firm looks up its comparisons by firm (the Trash's walk).
CREATE INDEX comparison_firms_firm ON comparison_firms(firm_id);

-- The matrix as last exported (compare::export::Snapshot as JSON), written only
-- when an export has succeeded; the next export lists what changed since.
CREATE TABLE comparison_snapshots (
    comparison_id  INTEGER PRIMARY KEY REFERENCES comparisons(id) ON DELETE CASCADE,
    exported_at    TEXT NOT NULL,
    format         TEXT NOT NULL,
    path           TEXT NOT NULL,
    snapshot_json  TEXT NOT NULL CHECK (json_valid(snapshot_json))
) STRICT;

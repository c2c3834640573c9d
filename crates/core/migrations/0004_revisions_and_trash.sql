-- 0004: what editing needs.
-- A revision number on every editable record: a save names the revision it
-- started from, so an edit made on a stale copy (someone changed or deleted
-- the record meanwhile) is refused with a clear message, never a silent
-- overwrite. Timestamps cannot do this: two saves can share a second.
ALTER TABLE firms       ADD COLUMN revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1);
ALTER TABLE strategies  ADD COLUMN revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1);
ALTER TABLE assessments ADD COLUMN revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1);
ALTER TABLE chips       ADD COLUMN revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1);
ALTER TABLE sources     ADD COLUMN revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1);
ALTER TABLE events      ADD COLUMN revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1);
ALTER TABLE notes       ADD COLUMN revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1);

-- Deleted records wait here until restored or purged. A deleted record leaves
-- its table (so no other query needs a "deleted" filter); `payload` holds its
-- row and every row that went with it (aliases, links, evidence...) as JSON,
-- enough to put all of it back with the same ids.
CREATE TABLE trash (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('firm', 'strategy', 'assessment', 'chip', 'source', 'event', 'note')),
    entity_id   INTEGER NOT NULL,
    title       TEXT NOT NULL,
    payload     TEXT NOT NULL CHECK (json_valid(payload)),
    deleted_at  TEXT NOT NULL
) STRICT;
CREATE INDEX trash_deleted_at ON trash(deleted_at);

-- 0007: CSV import (src/import/): mapping presets, what each batch added,
-- filled or linked, so that undo removes exactly that.

-- A named column mapping the analyst saved for files of one kind.
CREATE TABLE import_presets (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(trim(name)) > 0),
    target        TEXT NOT NULL CHECK (target IN ('sources', 'firms', 'chips')),
    mapping_json  TEXT NOT NULL CHECK (json_valid(mapping_json)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;

-- What was imported (sources, firms or chips), how it was read, and the
-- report's details (duplicates, created firms) for the import history.
ALTER TABLE import_batches ADD COLUMN target TEXT NOT NULL DEFAULT 'sources'
    CHECK (target IN ('sources', 'firms', 'chips'));
ALTER TABLE import_batches ADD COLUMN delimiter TEXT;
ALTER TABLE import_batches ADD COLUMN rows_updated INTEGER NOT NULL DEFAULT 0 CHECK (rows_updated >= 0);
ALTER TABLE import_batches ADD COLUMN rows_linked INTEGER NOT NULL DEFAULT 0 CHECK (rows_linked >= 0);
ALTER TABLE import_batches ADD COLUMN details_json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details_json));

-- Firms and chips an import created (sources already have import_batch_id).
ALTER TABLE firms ADD COLUMN import_batch_id INTEGER REFERENCES import_batches(id) ON DELETE SET NULL;
ALTER TABLE chips ADD COLUMN import_batch_id INTEGER REFERENCES import_batches(id) ON DELETE SET NULL;
CREATE INDEX firms_import_batch ON firms(import_batch_id) WHERE import_batch_id IS NOT NULL;
CREATE INDEX chips_import_batch ON chips(import_batch_id) WHERE import_batch_id IS NOT NULL;

-- A source that names a firm (its name, native name or an alias) in its
-- title, abstract or tags. `import_batch_id` is the import that found it.
CREATE TABLE source_firms (
    source_id        INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    firm_id          INTEGER NOT NULL REFERENCES firms(id) ON DELETE CASCADE,
    import_batch_id  INTEGER REFERENCES import_batches(id) ON DELETE SET NULL,
    PRIMARY KEY (source_id, firm_id)
) STRICT; -- a rowid table: the Trash keeps and restores rows by rowid (trash.rs)
CREATE INDEX source_firms_firm ON source_firms(firm_id, source_id);

-- Empty fields of an existing record that a batch filled (policy "fill"), with
-- the revision the record had right after, so undo can put back exactly what
-- nobody has edited since.
CREATE TABLE import_fills (
    batch_id        INTEGER NOT NULL REFERENCES import_batches(id) ON DELETE CASCADE,
    entity          TEXT NOT NULL CHECK (entity IN ('source', 'firm', 'chip')),
    entity_id       INTEGER NOT NULL,
    field           TEXT NOT NULL,
    revision_after  INTEGER NOT NULL,
    PRIMARY KEY (batch_id, entity, entity_id, field)
) STRICT, WITHOUT ROWID;

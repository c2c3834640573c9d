-- 0001: the first schema, one table per entity in DESIGN.md.
-- Partial dates ('2023', '2023-10', '2023-10-17') are TEXT in ISO order, so they
-- sort and compare correctly; the CHECKs refuse anything else (e.g. '2023-13', '2023-02-30').
-- Timestamps are UTC RFC 3339 text.

CREATE TABLE workspace_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE import_batches (
    id              INTEGER PRIMARY KEY,
    file_name       TEXT NOT NULL,
    file_sha256     TEXT NOT NULL CHECK (length(file_sha256) = 64),
    encoding        TEXT NOT NULL,
    mapping_json    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(mapping_json)),
    rows_read       INTEGER NOT NULL DEFAULT 0 CHECK (rows_read >= 0),
    rows_added      INTEGER NOT NULL DEFAULT 0 CHECK (rows_added >= 0),
    rows_duplicate  INTEGER NOT NULL DEFAULT 0 CHECK (rows_duplicate >= 0),
    rows_rejected   INTEGER NOT NULL DEFAULT 0 CHECK (rows_rejected >= 0),
    problems_json   TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(problems_json)),
    imported_at     TEXT NOT NULL,
    undone_at       TEXT
) STRICT;

CREATE TABLE sources (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('article', 'report', 'regulation', 'dataset', 'paper', 'filing', 'web', 'book', 'other')),
    title            TEXT NOT NULL CHECK (length(trim(title)) > 0),
    authors          TEXT,
    publisher        TEXT,
    url              TEXT,
    doi              TEXT,
    published_on     TEXT CHECK (published_on IS NULL OR (
                        published_on GLOB '[0-9][0-9][0-9][0-9]'
                     OR (published_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]' AND CAST(substr(published_on, 6, 2) AS INTEGER) BETWEEN 1 AND 12)
                     OR (published_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(published_on) = published_on))),
    accessed_on      TEXT CHECK (accessed_on IS NULL OR date(accessed_on) = accessed_on),
    language         TEXT,
    abstract         TEXT,
    reliability      TEXT CHECK (reliability IS NULL OR reliability IN ('A', 'B', 'C', 'D', 'E', 'F')),
    credibility      INTEGER CHECK (credibility IS NULL OR credibility BETWEEN 1 AND 6),
    import_batch_id  INTEGER REFERENCES import_batches(id) ON DELETE SET NULL,
    original_row     TEXT CHECK (original_row IS NULL OR json_valid(original_row)),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX sources_import_batch ON sources(import_batch_id);

CREATE TABLE firms (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(trim(name)) > 0),
    native_name     TEXT,
    kind            TEXT NOT NULL CHECK (kind IN ('company', 'foundry', 'lab', 'agency')),
    country         TEXT CHECK (country IS NULL OR country GLOB '[A-Z][A-Z]'),
    parent_firm_id  INTEGER REFERENCES firms(id) ON DELETE SET NULL CHECK (parent_firm_id IS NULL OR parent_firm_id <> id),
    website         TEXT,
    summary         TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX firms_parent ON firms(parent_firm_id);

CREATE TABLE firm_aliases (
    firm_id  INTEGER NOT NULL REFERENCES firms(id) ON DELETE CASCADE,
    alias    TEXT NOT NULL CHECK (length(trim(alias)) > 0),
    PRIMARY KEY (firm_id, alias)
) STRICT;

CREATE TABLE export_control_listings (
    id         INTEGER PRIMARY KEY,
    firm_id    INTEGER NOT NULL REFERENCES firms(id) ON DELETE CASCADE,
    list_name  TEXT NOT NULL CHECK (length(trim(list_name)) > 0),
    listed_on  TEXT CHECK (listed_on IS NULL OR (
                  listed_on GLOB '[0-9][0-9][0-9][0-9]'
               OR (listed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]' AND CAST(substr(listed_on, 6, 2) AS INTEGER) BETWEEN 1 AND 12)
               OR (listed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(listed_on) = listed_on))),
    citation   TEXT,
    source_id  INTEGER REFERENCES sources(id) ON DELETE RESTRICT
) STRICT;
CREATE INDEX listings_firm ON export_control_listings(firm_id);

CREATE TABLE strategies (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(trim(name)) > 0),
    description  TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE assessments (
    id           INTEGER PRIMARY KEY,
    firm_id      INTEGER NOT NULL REFERENCES firms(id) ON DELETE CASCADE,
    strategy_id  INTEGER NOT NULL REFERENCES strategies(id) ON DELETE CASCADE,
    stance       TEXT NOT NULL CHECK (stance IN ('none', 'exploring', 'active', 'leading')),
    summary      TEXT NOT NULL DEFAULT '',
    as_of        TEXT CHECK (as_of IS NULL OR (
                    as_of GLOB '[0-9][0-9][0-9][0-9]'
                 OR (as_of GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]' AND CAST(substr(as_of, 6, 2) AS INTEGER) BETWEEN 1 AND 12)
                 OR (as_of GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(as_of) = as_of))),
    UNIQUE (firm_id, strategy_id)
) STRICT;

-- Evidence must point at a real source: RESTRICT keeps a cited source from vanishing.
CREATE TABLE assessment_evidence (
    assessment_id  INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    source_id      INTEGER NOT NULL REFERENCES sources(id) ON DELETE RESTRICT,
    locator        TEXT,
    PRIMARY KEY (assessment_id, source_id)
) STRICT;

CREATE TABLE chips (
    id                INTEGER PRIMARY KEY,
    firm_id           INTEGER NOT NULL REFERENCES firms(id) ON DELETE CASCADE,
    name              TEXT NOT NULL CHECK (length(trim(name)) > 0),
    purpose           TEXT CHECK (purpose IS NULL OR purpose IN ('training', 'inference', 'training_and_inference')),
    process_node_nm   REAL CHECK (process_node_nm IS NULL OR process_node_nm > 0),
    foundry_firm_id   INTEGER REFERENCES firms(id) ON DELETE SET NULL,
    announced_on      TEXT CHECK (announced_on IS NULL OR (
                         announced_on GLOB '[0-9][0-9][0-9][0-9]'
                      OR (announced_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]' AND CAST(substr(announced_on, 6, 2) AS INTEGER) BETWEEN 1 AND 12)
                      OR (announced_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(announced_on) = announced_on))),
    -- Peak dense throughput in tera-operations per second at peak_bit_width; TPP = TOPS x bit width.
    peak_dense_tops   REAL CHECK (peak_dense_tops IS NULL OR peak_dense_tops > 0),
    peak_bit_width    INTEGER CHECK (peak_bit_width IS NULL OR peak_bit_width IN (4, 8, 16, 32, 64)),
    die_area_mm2      REAL CHECK (die_area_mm2 IS NULL OR die_area_mm2 > 0),
    memory_gb         REAL CHECK (memory_gb IS NULL OR memory_gb > 0),
    tdp_w             REAL CHECK (tdp_w IS NULL OR tdp_w > 0),
    notes             TEXT NOT NULL DEFAULT '',
    CHECK ((peak_dense_tops IS NULL) = (peak_bit_width IS NULL)),
    UNIQUE (firm_id, name)
) STRICT;
CREATE INDEX chips_foundry ON chips(foundry_firm_id);

CREATE TABLE chip_sources (
    chip_id    INTEGER NOT NULL REFERENCES chips(id) ON DELETE CASCADE,
    source_id  INTEGER NOT NULL REFERENCES sources(id) ON DELETE RESTRICT,
    PRIMARY KEY (chip_id, source_id)
) STRICT;

CREATE TABLE events (
    id           INTEGER PRIMARY KEY,
    occurred_on  TEXT NOT NULL CHECK (
                    occurred_on GLOB '[0-9][0-9][0-9][0-9]'
                 OR (occurred_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]' AND CAST(substr(occurred_on, 6, 2) AS INTEGER) BETWEEN 1 AND 12)
                 OR (occurred_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(occurred_on) = occurred_on)),
    kind         TEXT NOT NULL CHECK (kind IN ('regulation', 'listing', 'launch', 'deal', 'funding')),
    title        TEXT NOT NULL CHECK (length(trim(title)) > 0),
    description  TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX events_date ON events(occurred_on);

CREATE TABLE event_firms (
    event_id  INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    firm_id   INTEGER NOT NULL REFERENCES firms(id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, firm_id)
) STRICT;
CREATE INDEX event_firms_firm ON event_firms(firm_id);

CREATE TABLE event_sources (
    event_id   INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    source_id  INTEGER NOT NULL REFERENCES sources(id) ON DELETE RESTRICT,
    PRIMARY KEY (event_id, source_id)
) STRICT;

CREATE TABLE notes (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL CHECK (length(trim(title)) > 0),
    body        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

-- A note links to exactly one entity per row; one column per kind keeps real foreign keys.
CREATE TABLE note_links (
    id           INTEGER PRIMARY KEY,
    note_id      INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    firm_id      INTEGER REFERENCES firms(id) ON DELETE CASCADE,
    source_id    INTEGER REFERENCES sources(id) ON DELETE CASCADE,
    chip_id      INTEGER REFERENCES chips(id) ON DELETE CASCADE,
    strategy_id  INTEGER REFERENCES strategies(id) ON DELETE CASCADE,
    event_id     INTEGER REFERENCES events(id) ON DELETE CASCADE,
    CHECK ((firm_id IS NOT NULL) + (source_id IS NOT NULL) + (chip_id IS NOT NULL)
         + (strategy_id IS NOT NULL) + (event_id IS NOT NULL) = 1)
) STRICT;
CREATE UNIQUE INDEX note_links_unique ON note_links(note_id, coalesce(firm_id, 0), coalesce(source_id, 0),
    coalesce(chip_id, 0), coalesce(strategy_id, 0), coalesce(event_id, 0));
CREATE INDEX note_links_firm ON note_links(firm_id) WHERE firm_id IS NOT NULL;
CREATE INDEX note_links_source ON note_links(source_id) WHERE source_id IS NOT NULL;

CREATE TABLE tags (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(trim(name)) > 0)
) STRICT;

CREATE TABLE source_tags (
    source_id  INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    tag_id     INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (source_id, tag_id)
) STRICT;

CREATE TABLE note_tags (
    note_id  INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    tag_id   INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (note_id, tag_id)
) STRICT;

CREATE TABLE comparisons (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL CHECK (length(trim(name)) > 0),
    dimensions_json  TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(dimensions_json)),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;

CREATE TABLE comparison_firms (
    comparison_id  INTEGER NOT NULL REFERENCES comparisons(id) ON DELETE CASCADE,
    firm_id        INTEGER NOT NULL REFERENCES firms(id) ON DELETE CASCADE,
    position       INTEGER NOT NULL CHECK (position >= 0),
    PRIMARY KEY (comparison_id, firm_id),
    UNIQUE (comparison_id, position)
) STRICT;

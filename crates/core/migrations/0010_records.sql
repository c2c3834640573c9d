-- 0010: every record gets a global identity (uid, UUID v7) and the version
-- the team server last gave it (sync_version, 0 = never synced); every change
-- to a record is queued by the triggers below, whichever program writes, and
-- turned into history (and, in a team workspace, outbox changes) by
-- records::seal before the transaction commits. docs/TEAM.md has the design.
--
-- A record is one row of a main table with the link rows that belong to it
-- (a firm's aliases and listings, a source's tags and firm links, ...); the
-- record_<kind> views give each as one JSON object of its synced fields, with
-- references as uids and lists in a fixed order, so the same view serves the
-- triggers (the fields before a change) and the sealing (after it). Lists are
-- ordered in a subquery, not with ORDER BY inside the aggregate: SQLite
-- before 3.44 (Debian 12's sqlite3 shell, other tools) cannot read that, and
-- a schema it cannot read keeps it from opening the file at all.

ALTER TABLE firms ADD COLUMN uid TEXT;
ALTER TABLE firms ADD COLUMN sync_version INTEGER NOT NULL DEFAULT 0 CHECK (sync_version >= 0);
UPDATE firms SET uid = lower(substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 1, 8) || '-' ||
        substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 9, 4) || '-7' ||
        substr(hex(randomblob(2)), 2, 3) || '-' || substr('89AB', 1 + abs(random() % 4), 1) ||
        substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)));
CREATE UNIQUE INDEX firms_uid ON firms(uid);

ALTER TABLE strategies ADD COLUMN uid TEXT;
ALTER TABLE strategies ADD COLUMN sync_version INTEGER NOT NULL DEFAULT 0 CHECK (sync_version >= 0);
UPDATE strategies SET uid = lower(substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 1, 8) || '-' ||
        substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 9, 4) || '-7' ||
        substr(hex(randomblob(2)), 2, 3) || '-' || substr('89AB', 1 + abs(random() % 4), 1) ||
        substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)));
CREATE UNIQUE INDEX strategies_uid ON strategies(uid);

ALTER TABLE assessments ADD COLUMN uid TEXT;
ALTER TABLE assessments ADD COLUMN sync_version INTEGER NOT NULL DEFAULT 0 CHECK (sync_version >= 0);
UPDATE assessments SET uid = lower(substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 1, 8) || '-' ||
        substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 9, 4) || '-7' ||
        substr(hex(randomblob(2)), 2, 3) || '-' || substr('89AB', 1 + abs(random() % 4), 1) ||
        substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)));
CREATE UNIQUE INDEX assessments_uid ON assessments(uid);

ALTER TABLE chips ADD COLUMN uid TEXT;
ALTER TABLE chips ADD COLUMN sync_version INTEGER NOT NULL DEFAULT 0 CHECK (sync_version >= 0);
UPDATE chips SET uid = lower(substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 1, 8) || '-' ||
        substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 9, 4) || '-7' ||
        substr(hex(randomblob(2)), 2, 3) || '-' || substr('89AB', 1 + abs(random() % 4), 1) ||
        substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)));
CREATE UNIQUE INDEX chips_uid ON chips(uid);

ALTER TABLE sources ADD COLUMN uid TEXT;
ALTER TABLE sources ADD COLUMN sync_version INTEGER NOT NULL DEFAULT 0 CHECK (sync_version >= 0);
UPDATE sources SET uid = lower(substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 1, 8) || '-' ||
        substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 9, 4) || '-7' ||
        substr(hex(randomblob(2)), 2, 3) || '-' || substr('89AB', 1 + abs(random() % 4), 1) ||
        substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)));
CREATE UNIQUE INDEX sources_uid ON sources(uid);

ALTER TABLE notes ADD COLUMN uid TEXT;
ALTER TABLE notes ADD COLUMN sync_version INTEGER NOT NULL DEFAULT 0 CHECK (sync_version >= 0);
UPDATE notes SET uid = lower(substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 1, 8) || '-' ||
        substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 9, 4) || '-7' ||
        substr(hex(randomblob(2)), 2, 3) || '-' || substr('89AB', 1 + abs(random() % 4), 1) ||
        substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)));
CREATE UNIQUE INDEX notes_uid ON notes(uid);

ALTER TABLE events ADD COLUMN uid TEXT;
ALTER TABLE events ADD COLUMN sync_version INTEGER NOT NULL DEFAULT 0 CHECK (sync_version >= 0);
UPDATE events SET uid = lower(substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 1, 8) || '-' ||
        substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 9, 4) || '-7' ||
        substr(hex(randomblob(2)), 2, 3) || '-' || substr('89AB', 1 + abs(random() % 4), 1) ||
        substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)));
CREATE UNIQUE INDEX events_uid ON events(uid);

ALTER TABLE comparisons ADD COLUMN uid TEXT;
ALTER TABLE comparisons ADD COLUMN sync_version INTEGER NOT NULL DEFAULT 0 CHECK (sync_version >= 0);
UPDATE comparisons SET uid = lower(substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 1, 8) || '-' ||
        substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 9, 4) || '-7' ||
        substr(hex(randomblob(2)), 2, 3) || '-' || substr('89AB', 1 + abs(random() % 4), 1) ||
        substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)));
CREATE UNIQUE INDEX comparisons_uid ON comparisons(uid);

-- What the triggers saw, in order; records::seal empties it before each
-- commit (and when a workspace opens with rows another program queued).
-- op: 'create' (inserted), 'update' (old = the record's fields before),
-- 'delete' (synced = the version the team server had given it). No keys, like search_dirty: a key's
-- conflict clause would be overridden by the writing statement's OR clause.
CREATE TABLE record_changes (
    seq     INTEGER PRIMARY KEY,
    kind    TEXT NOT NULL,
    id      INTEGER NOT NULL,
    uid     TEXT,
    op      TEXT NOT NULL,
    old     TEXT,
    synced  INTEGER
) STRICT;

-- A row here (inside a transaction that writes what came from the team
-- server, never committed) silences the triggers below: those changes are
-- the server's, recorded from its log, and must not go back out.
CREATE TABLE record_mute (
    muted  INTEGER NOT NULL
) STRICT;

-- Every change to every record: who, when, and the fields old -> new.
-- In a team workspace, changes pulled from the server land here too, with the
-- server's author and time, and local changes get the server's sequence
-- number once pushed.
CREATE TABLE history (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    record_id   INTEGER NOT NULL,
    uid         TEXT NOT NULL,
    op          TEXT NOT NULL CHECK (op IN ('created', 'changed', 'deleted', 'restored')),
    fields      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(fields)),
    author      TEXT NOT NULL,
    at          TEXT NOT NULL,
    change_id   TEXT,
    server_seq  INTEGER
) STRICT;
CREATE INDEX history_record ON history(uid, id);
CREATE INDEX history_change ON history(change_id) WHERE change_id IS NOT NULL;

-- Team workspaces (docs/TEAM.md). Local changes not yet accepted by the
-- server, one unsent row per record: `fields` names what changed (NULL: the
-- whole record), `previous` their values before (the base of a merge).
-- `sent` freezes the change as it went out, so a retry sends the very same;
-- `base_version` is the server version it is based on (set then, or when a
-- record is deleted, since the record is no longer there to ask).
CREATE TABLE sync_outbox (
    change_id     TEXT PRIMARY KEY,
    kind          TEXT NOT NULL,
    uid           TEXT NOT NULL,
    deleted       INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    base_version  INTEGER,
    fields        TEXT CHECK (fields IS NULL OR json_valid(fields)),
    previous      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(previous)),
    made_at       TEXT NOT NULL,
    sent          TEXT CHECK (sent IS NULL OR json_valid(sent))
) STRICT;
CREATE INDEX sync_outbox_record ON sync_outbox(uid);

-- Fields both sides changed to different values: both kept until a person
-- chooses. The record shows theirs meanwhile. Also notices that need no
-- choice (an edit that kept a record another analyst deleted): resolution set.
CREATE TABLE sync_conflicts (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    uid         TEXT NOT NULL,
    field       TEXT NOT NULL,
    base        TEXT,
    mine        TEXT,
    theirs      TEXT,
    theirs_by   TEXT,
    seen_at     TEXT NOT NULL,
    resolution  TEXT CHECK (resolution IS NULL OR resolution IN ('mine', 'theirs', 'merged', 'notice'))
) STRICT;
CREATE INDEX sync_conflicts_open ON sync_conflicts(uid) WHERE resolution IS NULL;

CREATE VIEW record_firm (id, uid, fields) AS SELECT f.id, f.uid, json_object(
    'name', f.name, 'native_name', f.native_name, 'kind', f.kind, 'country', f.country,
    'parent', (SELECT p.uid FROM firms p WHERE p.id = f.parent_firm_id),
    'website', f.website, 'summary', f.summary,
    'aliases', json((SELECT json_group_array(alias) FROM
        (SELECT a.alias FROM firm_aliases a WHERE a.firm_id = f.id ORDER BY a.alias))),
    'listings', json((SELECT json_group_array(json_object(
            'list_name', list_name, 'listed_on', listed_on, 'citation', citation, 'source', source)) FROM
        (SELECT l.list_name, l.listed_on, l.citation, (SELECT s.uid FROM sources s WHERE s.id = l.source_id) AS source
         FROM export_control_listings l WHERE l.firm_id = f.id
         ORDER BY l.list_name, l.listed_on, l.citation, l.id))))
FROM firms f;

CREATE VIEW record_strategy (id, uid, fields) AS SELECT s.id, s.uid, json_object(
    'name', s.name, 'description', s.description)
FROM strategies s;

CREATE VIEW record_assessment (id, uid, fields) AS SELECT a.id, a.uid, json_object(
    'firm', (SELECT f.uid FROM firms f WHERE f.id = a.firm_id),
    'strategy', (SELECT s.uid FROM strategies s WHERE s.id = a.strategy_id),
    'stance', a.stance, 'summary', a.summary, 'as_of', a.as_of,
    'evidence', json((SELECT json_group_array(json_object('source', source, 'locator', locator)) FROM
        (SELECT s.uid AS source, e.locator FROM assessment_evidence e JOIN sources s ON s.id = e.source_id
         WHERE e.assessment_id = a.id ORDER BY s.uid))))
FROM assessments a;

CREATE VIEW record_chip (id, uid, fields) AS SELECT c.id, c.uid, json_object(
    'firm', (SELECT f.uid FROM firms f WHERE f.id = c.firm_id),
    'name', c.name, 'purpose', c.purpose, 'process_node_nm', c.process_node_nm,
    'foundry', (SELECT f.uid FROM firms f WHERE f.id = c.foundry_firm_id),
    'announced_on', c.announced_on, 'peak_dense_tops', c.peak_dense_tops,
    'peak_bit_width', c.peak_bit_width, 'die_area_mm2', c.die_area_mm2,
    'memory_gb', c.memory_gb, 'tdp_w', c.tdp_w, 'notes', c.notes,
    'sources', json((SELECT json_group_array(uid) FROM
        (SELECT s.uid FROM chip_sources cs JOIN sources s ON s.id = cs.source_id
         WHERE cs.chip_id = c.id ORDER BY s.uid))))
FROM chips c;

CREATE VIEW record_source (id, uid, fields) AS SELECT s.id, s.uid, json_object(
    'kind', s.kind, 'title', s.title, 'authors', s.authors, 'publisher', s.publisher,
    'url', s.url, 'doi', s.doi, 'published_on', s.published_on, 'accessed_on', s.accessed_on,
    'language', s.language, 'abstract', s.abstract, 'reliability', s.reliability,
    'credibility', s.credibility, 'original_row', s.original_row,
    'tags', json((SELECT json_group_array(name) FROM
        (SELECT t.name FROM source_tags st JOIN tags t ON t.id = st.tag_id
         WHERE st.source_id = s.id ORDER BY t.name))),
    'firms', json((SELECT json_group_array(uid) FROM
        (SELECT f.uid FROM source_firms sf JOIN firms f ON f.id = sf.firm_id
         WHERE sf.source_id = s.id ORDER BY f.uid))))
FROM sources s;

CREATE VIEW record_note (id, uid, fields) AS SELECT n.id, n.uid, json_object(
    'title', n.title, 'body', n.body,
    'tags', json((SELECT json_group_array(name) FROM
        (SELECT t.name FROM note_tags nt JOIN tags t ON t.id = nt.tag_id
         WHERE nt.note_id = n.id ORDER BY t.name))))
FROM notes n;

CREATE VIEW record_event (id, uid, fields) AS SELECT e.id, e.uid, json_object(
    'occurred_on', e.occurred_on, 'kind', e.kind, 'title', e.title, 'description', e.description,
    'firms', json((SELECT json_group_array(uid) FROM
        (SELECT f.uid FROM event_firms ef JOIN firms f ON f.id = ef.firm_id
         WHERE ef.event_id = e.id ORDER BY f.uid))),
    'sources', json((SELECT json_group_array(uid) FROM
        (SELECT s.uid FROM event_sources es JOIN sources s ON s.id = es.source_id
         WHERE es.event_id = e.id ORDER BY s.uid))))
FROM events e;

CREATE VIEW record_comparison (id, uid, fields) AS SELECT c.id, c.uid, json_object(
    'name', c.name, 'dimensions', json(c.dimensions_json), 'filters', json(c.filters_json),
    'firms', json((SELECT json_group_array(uid) FROM
        (SELECT f.uid FROM comparison_firms cf JOIN firms f ON f.id = cf.firm_id
         WHERE cf.comparison_id = c.id ORDER BY cf.position))))
FROM comparisons c;

-- A new record gets its uid (unless it brings one: a Trash restore, a record
-- pulled from the team server) and is queued; an update queues the fields as
-- they were; a delete is queued.
CREATE TRIGGER record_firms_insert AFTER INSERT ON firms
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    UPDATE firms SET uid = lower(substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 1, 8) || '-' ||
        substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 9, 4) || '-7' ||
        substr(hex(randomblob(2)), 2, 3) || '-' || substr('89AB', 1 + abs(random() % 4), 1) ||
        substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)))
    WHERE id = NEW.id AND NEW.uid IS NULL;
    INSERT INTO record_changes (kind, id, uid, op) SELECT 'firm', id, uid, 'create' FROM firms WHERE id = NEW.id;
END;
CREATE TRIGGER record_firms_update BEFORE UPDATE OF name, native_name, kind, country, parent_firm_id, website, summary ON firms
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'firm', id, uid, 'update', fields FROM record_firm WHERE id = OLD.id;
END;
CREATE TRIGGER record_firms_delete BEFORE DELETE ON firms
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, synced) VALUES ('firm', OLD.id, OLD.uid, 'delete', OLD.sync_version);
END;
CREATE TRIGGER record_strategies_insert AFTER INSERT ON strategies
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    UPDATE strategies SET uid = lower(substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 1, 8) || '-' ||
        substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 9, 4) || '-7' ||
        substr(hex(randomblob(2)), 2, 3) || '-' || substr('89AB', 1 + abs(random() % 4), 1) ||
        substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)))
    WHERE id = NEW.id AND NEW.uid IS NULL;
    INSERT INTO record_changes (kind, id, uid, op) SELECT 'strategy', id, uid, 'create' FROM strategies WHERE id = NEW.id;
END;
CREATE TRIGGER record_strategies_update BEFORE UPDATE OF name, description ON strategies
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'strategy', id, uid, 'update', fields FROM record_strategy WHERE id = OLD.id;
END;
CREATE TRIGGER record_strategies_delete BEFORE DELETE ON strategies
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, synced) VALUES ('strategy', OLD.id, OLD.uid, 'delete', OLD.sync_version);
END;
CREATE TRIGGER record_assessments_insert AFTER INSERT ON assessments
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    UPDATE assessments SET uid = lower(substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 1, 8) || '-' ||
        substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 9, 4) || '-7' ||
        substr(hex(randomblob(2)), 2, 3) || '-' || substr('89AB', 1 + abs(random() % 4), 1) ||
        substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)))
    WHERE id = NEW.id AND NEW.uid IS NULL;
    INSERT INTO record_changes (kind, id, uid, op) SELECT 'assessment', id, uid, 'create' FROM assessments WHERE id = NEW.id;
END;
CREATE TRIGGER record_assessments_update BEFORE UPDATE OF firm_id, strategy_id, stance, summary, as_of ON assessments
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'assessment', id, uid, 'update', fields FROM record_assessment WHERE id = OLD.id;
END;
CREATE TRIGGER record_assessments_delete BEFORE DELETE ON assessments
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, synced) VALUES ('assessment', OLD.id, OLD.uid, 'delete', OLD.sync_version);
END;
CREATE TRIGGER record_chips_insert AFTER INSERT ON chips
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    UPDATE chips SET uid = lower(substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 1, 8) || '-' ||
        substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 9, 4) || '-7' ||
        substr(hex(randomblob(2)), 2, 3) || '-' || substr('89AB', 1 + abs(random() % 4), 1) ||
        substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)))
    WHERE id = NEW.id AND NEW.uid IS NULL;
    INSERT INTO record_changes (kind, id, uid, op) SELECT 'chip', id, uid, 'create' FROM chips WHERE id = NEW.id;
END;
CREATE TRIGGER record_chips_update BEFORE UPDATE OF firm_id, name, purpose, process_node_nm, foundry_firm_id, announced_on, peak_dense_tops, peak_bit_width, die_area_mm2, memory_gb, tdp_w, notes ON chips
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'chip', id, uid, 'update', fields FROM record_chip WHERE id = OLD.id;
END;
CREATE TRIGGER record_chips_delete BEFORE DELETE ON chips
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, synced) VALUES ('chip', OLD.id, OLD.uid, 'delete', OLD.sync_version);
END;
CREATE TRIGGER record_sources_insert AFTER INSERT ON sources
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    UPDATE sources SET uid = lower(substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 1, 8) || '-' ||
        substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 9, 4) || '-7' ||
        substr(hex(randomblob(2)), 2, 3) || '-' || substr('89AB', 1 + abs(random() % 4), 1) ||
        substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)))
    WHERE id = NEW.id AND NEW.uid IS NULL;
    INSERT INTO record_changes (kind, id, uid, op) SELECT 'source', id, uid, 'create' FROM sources WHERE id = NEW.id;
END;
CREATE TRIGGER record_sources_update BEFORE UPDATE OF kind, title, authors, publisher, url, doi, published_on, accessed_on, language, abstract, reliability, credibility, original_row ON sources
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'source', id, uid, 'update', fields FROM record_source WHERE id = OLD.id;
END;
CREATE TRIGGER record_sources_delete BEFORE DELETE ON sources
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, synced) VALUES ('source', OLD.id, OLD.uid, 'delete', OLD.sync_version);
END;
CREATE TRIGGER record_notes_insert AFTER INSERT ON notes
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    UPDATE notes SET uid = lower(substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 1, 8) || '-' ||
        substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 9, 4) || '-7' ||
        substr(hex(randomblob(2)), 2, 3) || '-' || substr('89AB', 1 + abs(random() % 4), 1) ||
        substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)))
    WHERE id = NEW.id AND NEW.uid IS NULL;
    INSERT INTO record_changes (kind, id, uid, op) SELECT 'note', id, uid, 'create' FROM notes WHERE id = NEW.id;
END;
CREATE TRIGGER record_notes_update BEFORE UPDATE OF title, body ON notes
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'note', id, uid, 'update', fields FROM record_note WHERE id = OLD.id;
END;
CREATE TRIGGER record_notes_delete BEFORE DELETE ON notes
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, synced) VALUES ('note', OLD.id, OLD.uid, 'delete', OLD.sync_version);
END;
CREATE TRIGGER record_events_insert AFTER INSERT ON events
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    UPDATE events SET uid = lower(substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 1, 8) || '-' ||
        substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 9, 4) || '-7' ||
        substr(hex(randomblob(2)), 2, 3) || '-' || substr('89AB', 1 + abs(random() % 4), 1) ||
        substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)))
    WHERE id = NEW.id AND NEW.uid IS NULL;
    INSERT INTO record_changes (kind, id, uid, op) SELECT 'event', id, uid, 'create' FROM events WHERE id = NEW.id;
END;
CREATE TRIGGER record_events_update BEFORE UPDATE OF occurred_on, kind, title, description ON events
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'event', id, uid, 'update', fields FROM record_event WHERE id = OLD.id;
END;
CREATE TRIGGER record_events_delete BEFORE DELETE ON events
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, synced) VALUES ('event', OLD.id, OLD.uid, 'delete', OLD.sync_version);
END;
CREATE TRIGGER record_comparisons_insert AFTER INSERT ON comparisons
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    UPDATE comparisons SET uid = lower(substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 1, 8) || '-' ||
        substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 9, 4) || '-7' ||
        substr(hex(randomblob(2)), 2, 3) || '-' || substr('89AB', 1 + abs(random() % 4), 1) ||
        substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)))
    WHERE id = NEW.id AND NEW.uid IS NULL;
    INSERT INTO record_changes (kind, id, uid, op) SELECT 'comparison', id, uid, 'create' FROM comparisons WHERE id = NEW.id;
END;
CREATE TRIGGER record_comparisons_update BEFORE UPDATE OF name, dimensions_json, filters_json ON comparisons
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'comparison', id, uid, 'update', fields FROM record_comparison WHERE id = OLD.id;
END;
CREATE TRIGGER record_comparisons_delete BEFORE DELETE ON comparisons
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, synced) VALUES ('comparison', OLD.id, OLD.uid, 'delete', OLD.sync_version);
END;

-- A link row changes the record it belongs to: its fields before are queued.
-- (When the record itself is being deleted, its view row is gone already and
-- nothing is queued.)
CREATE TRIGGER record_firm_aliases_insert BEFORE INSERT ON firm_aliases
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'firm', id, uid, 'update', fields FROM record_firm WHERE id = NEW.firm_id;
END;
CREATE TRIGGER record_firm_aliases_update BEFORE UPDATE ON firm_aliases
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'firm', id, uid, 'update', fields FROM record_firm WHERE id IN (OLD.firm_id, NEW.firm_id);
END;
CREATE TRIGGER record_firm_aliases_delete BEFORE DELETE ON firm_aliases
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'firm', id, uid, 'update', fields FROM record_firm WHERE id = OLD.firm_id;
END;
CREATE TRIGGER record_export_control_listings_insert BEFORE INSERT ON export_control_listings
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'firm', id, uid, 'update', fields FROM record_firm WHERE id = NEW.firm_id;
END;
CREATE TRIGGER record_export_control_listings_update BEFORE UPDATE ON export_control_listings
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'firm', id, uid, 'update', fields FROM record_firm WHERE id IN (OLD.firm_id, NEW.firm_id);
END;
CREATE TRIGGER record_export_control_listings_delete BEFORE DELETE ON export_control_listings
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'firm', id, uid, 'update', fields FROM record_firm WHERE id = OLD.firm_id;
END;
CREATE TRIGGER record_assessment_evidence_insert BEFORE INSERT ON assessment_evidence
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'assessment', id, uid, 'update', fields FROM record_assessment WHERE id = NEW.assessment_id;
END;
CREATE TRIGGER record_assessment_evidence_update BEFORE UPDATE ON assessment_evidence
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'assessment', id, uid, 'update', fields FROM record_assessment WHERE id IN (OLD.assessment_id, NEW.assessment_id);
END;
CREATE TRIGGER record_assessment_evidence_delete BEFORE DELETE ON assessment_evidence
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'assessment', id, uid, 'update', fields FROM record_assessment WHERE id = OLD.assessment_id;
END;
CREATE TRIGGER record_chip_sources_insert BEFORE INSERT ON chip_sources
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'chip', id, uid, 'update', fields FROM record_chip WHERE id = NEW.chip_id;
END;
CREATE TRIGGER record_chip_sources_update BEFORE UPDATE ON chip_sources
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'chip', id, uid, 'update', fields FROM record_chip WHERE id IN (OLD.chip_id, NEW.chip_id);
END;
CREATE TRIGGER record_chip_sources_delete BEFORE DELETE ON chip_sources
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'chip', id, uid, 'update', fields FROM record_chip WHERE id = OLD.chip_id;
END;
CREATE TRIGGER record_source_tags_insert BEFORE INSERT ON source_tags
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'source', id, uid, 'update', fields FROM record_source WHERE id = NEW.source_id;
END;
CREATE TRIGGER record_source_tags_update BEFORE UPDATE ON source_tags
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'source', id, uid, 'update', fields FROM record_source WHERE id IN (OLD.source_id, NEW.source_id);
END;
CREATE TRIGGER record_source_tags_delete BEFORE DELETE ON source_tags
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'source', id, uid, 'update', fields FROM record_source WHERE id = OLD.source_id;
END;
CREATE TRIGGER record_source_firms_insert BEFORE INSERT ON source_firms
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'source', id, uid, 'update', fields FROM record_source WHERE id = NEW.source_id;
END;
CREATE TRIGGER record_source_firms_update BEFORE UPDATE ON source_firms
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'source', id, uid, 'update', fields FROM record_source WHERE id IN (OLD.source_id, NEW.source_id);
END;
CREATE TRIGGER record_source_firms_delete BEFORE DELETE ON source_firms
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'source', id, uid, 'update', fields FROM record_source WHERE id = OLD.source_id;
END;
CREATE TRIGGER record_note_tags_insert BEFORE INSERT ON note_tags
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'note', id, uid, 'update', fields FROM record_note WHERE id = NEW.note_id;
END;
CREATE TRIGGER record_note_tags_update BEFORE UPDATE ON note_tags
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'note', id, uid, 'update', fields FROM record_note WHERE id IN (OLD.note_id, NEW.note_id);
END;
CREATE TRIGGER record_note_tags_delete BEFORE DELETE ON note_tags
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'note', id, uid, 'update', fields FROM record_note WHERE id = OLD.note_id;
END;
CREATE TRIGGER record_event_firms_insert BEFORE INSERT ON event_firms
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'event', id, uid, 'update', fields FROM record_event WHERE id = NEW.event_id;
END;
CREATE TRIGGER record_event_firms_update BEFORE UPDATE ON event_firms
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'event', id, uid, 'update', fields FROM record_event WHERE id IN (OLD.event_id, NEW.event_id);
END;
CREATE TRIGGER record_event_firms_delete BEFORE DELETE ON event_firms
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'event', id, uid, 'update', fields FROM record_event WHERE id = OLD.event_id;
END;
CREATE TRIGGER record_event_sources_insert BEFORE INSERT ON event_sources
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'event', id, uid, 'update', fields FROM record_event WHERE id = NEW.event_id;
END;
CREATE TRIGGER record_event_sources_update BEFORE UPDATE ON event_sources
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'event', id, uid, 'update', fields FROM record_event WHERE id IN (OLD.event_id, NEW.event_id);
END;
CREATE TRIGGER record_event_sources_delete BEFORE DELETE ON event_sources
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'event', id, uid, 'update', fields FROM record_event WHERE id = OLD.event_id;
END;
CREATE TRIGGER record_comparison_firms_insert BEFORE INSERT ON comparison_firms
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'comparison', id, uid, 'update', fields FROM record_comparison WHERE id = NEW.comparison_id;
END;
CREATE TRIGGER record_comparison_firms_update BEFORE UPDATE ON comparison_firms
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'comparison', id, uid, 'update', fields FROM record_comparison WHERE id IN (OLD.comparison_id, NEW.comparison_id);
END;
CREATE TRIGGER record_comparison_firms_delete BEFORE DELETE ON comparison_firms
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'comparison', id, uid, 'update', fields FROM record_comparison WHERE id = OLD.comparison_id;
END;

-- A renamed tag changes every source and note that carries it.
CREATE TRIGGER record_tags_rename BEFORE UPDATE OF name ON tags
WHEN NOT EXISTS (SELECT 1 FROM record_mute) BEGIN
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'source', r.id, r.uid, 'update', r.fields
        FROM source_tags st JOIN record_source r ON r.id = st.source_id WHERE st.tag_id = OLD.id;
    INSERT INTO record_changes (kind, id, uid, op, old) SELECT 'note', r.id, r.uid, 'update', r.fields
        FROM note_tags nt JOIN record_note r ON r.id = nt.note_id WHERE nt.tag_id = OLD.id;
END;

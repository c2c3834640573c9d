-- 0005: full-text search over firms, chips, sources, notes and events, in
-- English and Chinese (how it is queried: src/search.rs).
--
-- One FTS5 table for every kind; its rowid is (kind code << 40) + entity id
-- (firm 1, chip 2, source 3, note 4, event 5), so one kind is a rowid range
-- that FTS5 seeks to, and newest first is rowid order.
-- Columns: `title` (titles and names) and `body` (everything else) hold the
-- non-Chinese words, `tags` the tag names; `title_cjk` and `body_cjk` hold the
-- Chinese, Japanese and Korean runs of the same text as overlapping bigrams
-- (华为技术 → 华为 为技 技术), as Lucene's CJK analyzer does: most Chinese words
-- are two characters, `trigram` cannot match those, and unicode61 alone would
-- make a whole run of Han characters one token.
-- Contentless: the text lives in the entity tables; snippets are cut from there.
CREATE VIRTUAL TABLE search_index USING fts5(
    title, body, tags, title_cjk, body_cjk,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- SQL triggers cannot compute bigrams (and a custom SQL function would break
-- every other tool that writes these tables), so the triggers only queue what
-- changed, and search::refresh (Rust) re-indexes the queue before each write
-- commits, and when a workspace opens with rows other tools changed.
-- No unique key: a row changed twice is queued twice and refresh dedups. A key
-- would make the queue fail writes, since a statement's OR ABORT / OR REPLACE
-- overrides the conflict clause of the triggers it fires. No CHECK on `kind`
-- either: an IN list costs a temporary b-tree on every insert, and only the
-- triggers below write this table ('firm', 'chip', 'source', 'note', 'event').
CREATE TABLE search_dirty (
    kind  TEXT NOT NULL,
    id    INTEGER NOT NULL
) STRICT;

-- Every token the index has held (folded words, CJK bigrams and lone
-- characters); refresh adds new ones and never removes any, so deleting and
-- restoring a row leaves it as it was. A prefix query stands for its shortest
-- completions, looked up here: FTS5's own prefix query merges the posting
-- lists of every completion on every run, ~10 ms for a common prefix at a
-- million rows, while an OR of a few terms is read lazily.
CREATE TABLE search_terms (
    term  TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;

-- Firms: name, native name and aliases (title), summary (body). A chip shows its
-- firm's names, so renaming a firm re-indexes its chips.
CREATE TRIGGER search_firms_insert AFTER INSERT ON firms BEGIN
    INSERT INTO search_dirty (kind, id) VALUES ('firm', NEW.id);
END;
CREATE TRIGGER search_firms_update AFTER UPDATE OF id, name, native_name, summary ON firms BEGIN
    INSERT INTO search_dirty (kind, id) VALUES ('firm', OLD.id);
    INSERT INTO search_dirty (kind, id) SELECT 'firm', NEW.id WHERE NEW.id IS NOT OLD.id;
    INSERT INTO search_dirty (kind, id) SELECT 'chip', id FROM chips
        WHERE firm_id = NEW.id AND (OLD.name IS NOT NEW.name OR OLD.native_name IS NOT NEW.native_name);
END;
CREATE TRIGGER search_firms_delete AFTER DELETE ON firms BEGIN
    INSERT INTO search_dirty (kind, id) VALUES ('firm', OLD.id);
END;
CREATE TRIGGER search_firm_aliases_insert AFTER INSERT ON firm_aliases BEGIN
    INSERT INTO search_dirty (kind, id) VALUES ('firm', NEW.firm_id);
END;
CREATE TRIGGER search_firm_aliases_update AFTER UPDATE ON firm_aliases BEGIN
    INSERT INTO search_dirty (kind, id) VALUES ('firm', OLD.firm_id);
    INSERT INTO search_dirty (kind, id) VALUES ('firm', NEW.firm_id);
END;
CREATE TRIGGER search_firm_aliases_delete AFTER DELETE ON firm_aliases BEGIN
    INSERT INTO search_dirty (kind, id) VALUES ('firm', OLD.firm_id);
END;

-- Chips: name (title), the firm's names and the notes (body).
CREATE TRIGGER search_chips_insert AFTER INSERT ON chips BEGIN
    INSERT INTO search_dirty (kind, id) VALUES ('chip', NEW.id);
END;
CREATE TRIGGER search_chips_update AFTER UPDATE OF id, name, firm_id, notes ON chips BEGIN
    INSERT INTO search_dirty (kind, id) VALUES ('chip', OLD.id);
    INSERT INTO search_dirty (kind, id) SELECT 'chip', NEW.id WHERE NEW.id IS NOT OLD.id;
END;
CREATE TRIGGER search_chips_delete AFTER DELETE ON chips BEGIN
    INSERT INTO search_dirty (kind, id) VALUES ('chip', OLD.id);
END;

-- Sources: title (title), authors, publisher, abstract (body), tag names (tags).
CREATE TRIGGER search_sources_insert AFTER INSERT ON sources BEGIN
    INSERT INTO search_dirty (kind, id) VALUES ('source', NEW.id);
END;
CREATE TRIGGER search_sources_update AFTER UPDATE OF id, title, authors, publisher, abstract ON sources BEGIN
    INSERT INTO search_dirty (kind, id) VALUES ('source', OLD.id);
    INSERT INTO search_dirty (kind, id) SELECT 'source', NEW.id WHERE NEW.id IS NOT OLD.id;
END;
CREATE TRIGGER search_sources_delete AFTER DELETE ON sources BEGIN
    INSERT INTO search_dirty (kind, id) VALUES ('source', OLD.id);
END;
CREATE TRIGGER search_source_tags_insert AFTER INSERT ON source_tags BEGIN
    INSERT INTO search_dirty (kind, id) VALUES ('source', NEW.source_id);
END;
CREATE TRIGGER search_source_tags_update AFTER UPDATE ON source_tags BEGIN
    INSERT INTO search_dirty (kind, id) VALUES ('source', OLD.source_id);
    INSERT INTO search_dirty (kind, id) VALUES ('source', NEW.source_id);
END;
CREATE TRIGGER search_source_tags_delete AFTER DELETE ON source_tags BEGIN
    INSERT INTO search_dirty (kind, id) VALUES ('source', OLD.source_id);
END;

-- Notes: title (title), Markdown body (body), tag names (tags).
CREATE TRIGGER search_notes_insert AFTER INSERT ON notes BEGIN
    INSERT INTO search_dirty (kind, id) VALUES ('note', NEW.id);
END;
CREATE TRIGGER search_notes_update AFTER UPDATE OF id, title, body ON notes BEGIN
    INSERT INTO search_dirty (kind, id) VALUES ('note', OLD.id);
    INSERT INTO search_dirty (kind, id) SELECT 'note', NEW.id WHERE NEW.id IS NOT OLD.id;
END;
CREATE TRIGGER search_notes_delete AFTER DELETE ON notes BEGIN
    INSERT INTO search_dirty (kind, id) VALUES ('note', OLD.id);
END;
CREATE TRIGGER search_note_tags_insert AFTER INSERT ON note_tags BEGIN
    INSERT INTO search_dirty (kind, id) VALUES ('note', NEW.note_id);
END;
CREATE TRIGGER search_note_tags_update AFTER UPDATE ON note_tags BEGIN
    INSERT INTO search_dirty (kind, id) VALUES ('note', OLD.note_id);
    INSERT INTO search_dirty (kind, id) VALUES ('note', NEW.note_id);
END;
CREATE TRIGGER search_note_tags_delete AFTER DELETE ON note_tags BEGIN
    INSERT INTO search_dirty (kind, id) VALUES ('note', OLD.note_id);
END;

-- A renamed tag re-indexes everything tagged with it (a deleted tag cascades
-- to source_tags and note_tags, whose triggers cover it).
CREATE TRIGGER search_tags_update AFTER UPDATE OF name ON tags BEGIN
    INSERT INTO search_dirty (kind, id) SELECT 'source', source_id FROM source_tags WHERE tag_id = NEW.id;
    INSERT INTO search_dirty (kind, id) SELECT 'note', note_id FROM note_tags WHERE tag_id = NEW.id;
END;

-- Events: title (title), description (body).
CREATE TRIGGER search_events_insert AFTER INSERT ON events BEGIN
    INSERT INTO search_dirty (kind, id) VALUES ('event', NEW.id);
END;
CREATE TRIGGER search_events_update AFTER UPDATE OF id, title, description ON events BEGIN
    INSERT INTO search_dirty (kind, id) VALUES ('event', OLD.id);
    INSERT INTO search_dirty (kind, id) SELECT 'event', NEW.id WHERE NEW.id IS NOT OLD.id;
END;
CREATE TRIGGER search_events_delete AFTER DELETE ON events BEGIN
    INSERT INTO search_dirty (kind, id) VALUES ('event', OLD.id);
END;

-- What a tag filter and a tag rename look up: the rows carrying a tag.
CREATE INDEX source_tags_tag ON source_tags(tag_id);
CREATE INDEX note_tags_tag ON note_tags(tag_id);

-- Every row written before this migration waits to be indexed; the first
-- read-write open after the upgrade indexes them.
INSERT INTO search_dirty (kind, id) SELECT 'firm', id FROM firms;
INSERT INTO search_dirty (kind, id) SELECT 'chip', id FROM chips;
INSERT INTO search_dirty (kind, id) SELECT 'source', id FROM sources;
INSERT INTO search_dirty (kind, id) SELECT 'note', id FROM notes;
INSERT INTO search_dirty (kind, id) SELECT 'event', id FROM events;

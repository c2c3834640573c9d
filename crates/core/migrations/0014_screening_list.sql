-- 0014: listings as the US Consolidated Screening List publishes them. A
-- listing keeps the licence requirement and policy, the sanctions programs and
-- the addresses the list gives; `first_copy_on` is the date of the first copy of
-- the list that had it (NULL: entered by hand, never seen in a copy) and
-- `removed_on` the date of the first copy that no longer had it (marked, not
-- deleted). The record view names these only when set, so listings recorded
-- before stay the same records for team sync.
ALTER TABLE export_control_listings ADD COLUMN license_requirement TEXT;
ALTER TABLE export_control_listings ADD COLUMN license_policy TEXT;
ALTER TABLE export_control_listings ADD COLUMN programs TEXT;
ALTER TABLE export_control_listings ADD COLUMN addresses TEXT;
-- `date(x) IS x`, not `=`: date() of a partial date is NULL, and a CHECK
-- that comes out NULL passes.
ALTER TABLE export_control_listings ADD COLUMN first_copy_on TEXT
    CHECK (first_copy_on IS NULL OR date(first_copy_on) IS first_copy_on);
ALTER TABLE export_control_listings ADD COLUMN removed_on TEXT
    CHECK (removed_on IS NULL OR date(removed_on) IS removed_on);
-- Listings and timeline events a screening-list import added (undo removes them).
ALTER TABLE export_control_listings ADD COLUMN import_batch_id INTEGER REFERENCES import_batches(id) ON DELETE SET NULL;
ALTER TABLE events ADD COLUMN import_batch_id INTEGER REFERENCES import_batches(id) ON DELETE SET NULL;
CREATE INDEX listings_import_batch ON export_control_listings(import_batch_id) WHERE import_batch_id IS NOT NULL;
CREATE INDEX events_import_batch ON events(import_batch_id) WHERE import_batch_id IS NOT NULL;

-- Each copy of a screening list imported: its date and what it covered (the
-- lists and countries chosen), so a newer copy knows what vanished. A listing
-- a copy changed or marked keeps its row before the change here, for undo.
CREATE TABLE screening_list_copies (
    batch_id   INTEGER PRIMARY KEY REFERENCES import_batches(id) ON DELETE CASCADE,
    copy_date  TEXT NOT NULL CHECK (date(copy_date) IS copy_date),
    lists      TEXT NOT NULL CHECK (json_valid(lists)),
    countries  TEXT NOT NULL CHECK (json_valid(countries))
) STRICT;
CREATE TABLE listing_revisions (
    batch_id    INTEGER NOT NULL REFERENCES import_batches(id) ON DELETE CASCADE,
    listing_id  INTEGER NOT NULL,
    before      TEXT NOT NULL CHECK (json_valid(before)),
    PRIMARY KEY (batch_id, listing_id)
) STRICT, WITHOUT ROWID;

DROP VIEW record_firm;
CREATE VIEW record_firm (id, uid, fields) AS SELECT f.id, f.uid, json_object(
    'name', f.name, 'native_name', f.native_name, 'kind', f.kind, 'country', f.country,
    'parent', (SELECT p.uid FROM firms p WHERE p.id = f.parent_firm_id),
    'website', f.website, 'summary', f.summary,
    'aliases', json((SELECT json_group_array(alias) FROM
        (SELECT a.alias FROM firm_aliases a WHERE a.firm_id = f.id ORDER BY a.alias))),
    -- json_patch drops the keys whose value is NULL: a listing without list
    -- details keeps the shape it had before 0014.
    'listings', json((SELECT json_group_array(json(item)) FROM
        (SELECT json_patch(
                    json_object('list_name', l.list_name, 'listed_on', l.listed_on, 'citation', l.citation,
                                'source', (SELECT s.uid FROM sources s WHERE s.id = l.source_id)),
                    json_object('license_requirement', l.license_requirement, 'license_policy', l.license_policy,
                                'programs', l.programs, 'addresses', l.addresses,
                                'first_copy_on', l.first_copy_on, 'removed_on', l.removed_on)) AS item
         FROM export_control_listings l WHERE l.firm_id = f.id
         ORDER BY l.list_name, l.listed_on, l.citation, l.id))))
FROM firms f;

-- 0012: what cites a source, found through an index. A source's page lists
-- the chips, events, assessments and listings citing it, and deleting a
-- source checks the same tables (ON DELETE RESTRICT); without these each
-- was a scan of the whole table.
CREATE INDEX chip_sources_source ON chip_sources(source_id);
CREATE INDEX event_sources_source ON event_sources(source_id);
CREATE INDEX assessment_evidence_source ON assessment_evidence(source_id);
CREATE INDEX listings_source ON export_control_listings(source_id) WHERE source_id IS NOT NULL;

-- 0006: the paged sources list (sources::page) sorts through these indexes, so
-- its first page never reads or sorts the whole table (a workspace may hold a
-- million sources). Each index ends in the rowid, which is the tie-breaker.
-- "Added" order is the rowid itself.
CREATE INDEX sources_title ON sources(title COLLATE NOCASE);
CREATE INDEX sources_published ON sources(published_on);
CREATE INDEX sources_publisher ON sources(publisher COLLATE NOCASE);

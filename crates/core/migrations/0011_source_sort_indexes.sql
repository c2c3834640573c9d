-- 0011: the paged sources list also sorts by kind and by grade, each through
-- its own index as in 0006. The grade is the Admiralty code ("B2"):
-- reliability, then credibility, an unknown credibility after 6 ("B" as
-- "B7"); without a reliability grade it is NULL, so those sources follow the
-- graded ones. sources::page writes the same expression, which is what lets
-- SQLite use this index.
CREATE INDEX sources_kind ON sources(kind);
CREATE INDEX sources_grade ON sources((reliability || coalesce(credibility, 7)));

-- The Notes list shows the most recently changed notes first, one page at a
-- time; without this index each page sorts every note (100,000 in the bench).
CREATE INDEX notes_updated ON notes(updated_at DESC, id DESC);

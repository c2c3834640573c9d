-- 0003: close the hole in 0001's date CHECKs. `date(x) = x` is NULL, not false,
-- for an impossible date such as '2023-13-45', and a CHECK that is NULL passes.
-- SQLite cannot change a CHECK in place, so these triggers refuse such writes;
-- every comparison here uses IS or has non-NULL operands, so the test is never NULL.
-- The end-of-month comparison refuses 30 February even on SQLite versions whose
-- date() does not normalise it. The same rule lives in Rust (date::DATE_COLUMNS),
-- and `chipwatch check` reports rows written before this migration that break it.
-- Each message starts with the column name, which the core maps to the form field.

CREATE TRIGGER sources_published_on_valid_on_insert BEFORE INSERT ON sources
WHEN NEW.published_on IS NOT NULL AND NOT (NEW.published_on GLOB '[0-9][0-9][0-9][0-9]'
         OR (NEW.published_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]' AND substr(NEW.published_on, 6, 2) BETWEEN '01' AND '12')
         OR (NEW.published_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(NEW.published_on) IS NEW.published_on
         AND date(NEW.published_on, 'start of month', '+1 month', '-1 day') >= NEW.published_on))
BEGIN
    SELECT RAISE(ABORT, 'published_on: must be a date written YYYY, YYYY-MM or YYYY-MM-DD');
END;

CREATE TRIGGER sources_published_on_valid_on_update BEFORE UPDATE OF published_on ON sources
WHEN NEW.published_on IS NOT NULL AND NOT (NEW.published_on GLOB '[0-9][0-9][0-9][0-9]'
         OR (NEW.published_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]' AND substr(NEW.published_on, 6, 2) BETWEEN '01' AND '12')
         OR (NEW.published_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(NEW.published_on) IS NEW.published_on
         AND date(NEW.published_on, 'start of month', '+1 month', '-1 day') >= NEW.published_on))
BEGIN
    SELECT RAISE(ABORT, 'published_on: must be a date written YYYY, YYYY-MM or YYYY-MM-DD');
END;

CREATE TRIGGER sources_accessed_on_valid_on_insert BEFORE INSERT ON sources
WHEN NEW.accessed_on IS NOT NULL AND NOT (NEW.accessed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(NEW.accessed_on) IS NEW.accessed_on
         AND date(NEW.accessed_on, 'start of month', '+1 month', '-1 day') >= NEW.accessed_on)
BEGIN
    SELECT RAISE(ABORT, 'accessed_on: must be a date written YYYY-MM-DD');
END;

CREATE TRIGGER sources_accessed_on_valid_on_update BEFORE UPDATE OF accessed_on ON sources
WHEN NEW.accessed_on IS NOT NULL AND NOT (NEW.accessed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(NEW.accessed_on) IS NEW.accessed_on
         AND date(NEW.accessed_on, 'start of month', '+1 month', '-1 day') >= NEW.accessed_on)
BEGIN
    SELECT RAISE(ABORT, 'accessed_on: must be a date written YYYY-MM-DD');
END;

CREATE TRIGGER export_control_listings_listed_on_valid_on_insert BEFORE INSERT ON export_control_listings
WHEN NEW.listed_on IS NOT NULL AND NOT (NEW.listed_on GLOB '[0-9][0-9][0-9][0-9]'
         OR (NEW.listed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]' AND substr(NEW.listed_on, 6, 2) BETWEEN '01' AND '12')
         OR (NEW.listed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(NEW.listed_on) IS NEW.listed_on
         AND date(NEW.listed_on, 'start of month', '+1 month', '-1 day') >= NEW.listed_on))
BEGIN
    SELECT RAISE(ABORT, 'listed_on: must be a date written YYYY, YYYY-MM or YYYY-MM-DD');
END;

CREATE TRIGGER export_control_listings_listed_on_valid_on_update BEFORE UPDATE OF listed_on ON export_control_listings
WHEN NEW.listed_on IS NOT NULL AND NOT (NEW.listed_on GLOB '[0-9][0-9][0-9][0-9]'
         OR (NEW.listed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]' AND substr(NEW.listed_on, 6, 2) BETWEEN '01' AND '12')
         OR (NEW.listed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(NEW.listed_on) IS NEW.listed_on
         AND date(NEW.listed_on, 'start of month', '+1 month', '-1 day') >= NEW.listed_on))
BEGIN
    SELECT RAISE(ABORT, 'listed_on: must be a date written YYYY, YYYY-MM or YYYY-MM-DD');
END;

CREATE TRIGGER assessments_as_of_valid_on_insert BEFORE INSERT ON assessments
WHEN NEW.as_of IS NOT NULL AND NOT (NEW.as_of GLOB '[0-9][0-9][0-9][0-9]'
         OR (NEW.as_of GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]' AND substr(NEW.as_of, 6, 2) BETWEEN '01' AND '12')
         OR (NEW.as_of GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(NEW.as_of) IS NEW.as_of
         AND date(NEW.as_of, 'start of month', '+1 month', '-1 day') >= NEW.as_of))
BEGIN
    SELECT RAISE(ABORT, 'as_of: must be a date written YYYY, YYYY-MM or YYYY-MM-DD');
END;

CREATE TRIGGER assessments_as_of_valid_on_update BEFORE UPDATE OF as_of ON assessments
WHEN NEW.as_of IS NOT NULL AND NOT (NEW.as_of GLOB '[0-9][0-9][0-9][0-9]'
         OR (NEW.as_of GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]' AND substr(NEW.as_of, 6, 2) BETWEEN '01' AND '12')
         OR (NEW.as_of GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(NEW.as_of) IS NEW.as_of
         AND date(NEW.as_of, 'start of month', '+1 month', '-1 day') >= NEW.as_of))
BEGIN
    SELECT RAISE(ABORT, 'as_of: must be a date written YYYY, YYYY-MM or YYYY-MM-DD');
END;

CREATE TRIGGER chips_announced_on_valid_on_insert BEFORE INSERT ON chips
WHEN NEW.announced_on IS NOT NULL AND NOT (NEW.announced_on GLOB '[0-9][0-9][0-9][0-9]'
         OR (NEW.announced_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]' AND substr(NEW.announced_on, 6, 2) BETWEEN '01' AND '12')
         OR (NEW.announced_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(NEW.announced_on) IS NEW.announced_on
         AND date(NEW.announced_on, 'start of month', '+1 month', '-1 day') >= NEW.announced_on))
BEGIN
    SELECT RAISE(ABORT, 'announced_on: must be a date written YYYY, YYYY-MM or YYYY-MM-DD');
END;

CREATE TRIGGER chips_announced_on_valid_on_update BEFORE UPDATE OF announced_on ON chips
WHEN NEW.announced_on IS NOT NULL AND NOT (NEW.announced_on GLOB '[0-9][0-9][0-9][0-9]'
         OR (NEW.announced_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]' AND substr(NEW.announced_on, 6, 2) BETWEEN '01' AND '12')
         OR (NEW.announced_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(NEW.announced_on) IS NEW.announced_on
         AND date(NEW.announced_on, 'start of month', '+1 month', '-1 day') >= NEW.announced_on))
BEGIN
    SELECT RAISE(ABORT, 'announced_on: must be a date written YYYY, YYYY-MM or YYYY-MM-DD');
END;

CREATE TRIGGER events_occurred_on_valid_on_insert BEFORE INSERT ON events
WHEN NEW.occurred_on IS NOT NULL AND NOT (NEW.occurred_on GLOB '[0-9][0-9][0-9][0-9]'
         OR (NEW.occurred_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]' AND substr(NEW.occurred_on, 6, 2) BETWEEN '01' AND '12')
         OR (NEW.occurred_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(NEW.occurred_on) IS NEW.occurred_on
         AND date(NEW.occurred_on, 'start of month', '+1 month', '-1 day') >= NEW.occurred_on))
BEGIN
    SELECT RAISE(ABORT, 'occurred_on: must be a date written YYYY, YYYY-MM or YYYY-MM-DD');
END;

CREATE TRIGGER events_occurred_on_valid_on_update BEFORE UPDATE OF occurred_on ON events
WHEN NEW.occurred_on IS NOT NULL AND NOT (NEW.occurred_on GLOB '[0-9][0-9][0-9][0-9]'
         OR (NEW.occurred_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]' AND substr(NEW.occurred_on, 6, 2) BETWEEN '01' AND '12')
         OR (NEW.occurred_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(NEW.occurred_on) IS NEW.occurred_on
         AND date(NEW.occurred_on, 'start of month', '+1 month', '-1 day') >= NEW.occurred_on))
BEGIN
    SELECT RAISE(ABORT, 'occurred_on: must be a date written YYYY, YYYY-MM or YYYY-MM-DD');
END;

-- 0013: the passage of a source that backs an assessment (a quote), kept
-- beside where it is (the locator). The record view names it only when there
-- is one, so an assessment recorded before stays the same record (team sync
-- compares records field by field).
ALTER TABLE assessment_evidence ADD COLUMN excerpt TEXT;

DROP VIEW record_assessment;
CREATE VIEW record_assessment (id, uid, fields) AS SELECT a.id, a.uid, json_object(
    'firm', (SELECT f.uid FROM firms f WHERE f.id = a.firm_id),
    'strategy', (SELECT s.uid FROM strategies s WHERE s.id = a.strategy_id),
    'stance', a.stance, 'summary', a.summary, 'as_of', a.as_of,
    'evidence', json((SELECT json_group_array(json(item)) FROM
        (SELECT CASE WHEN e.excerpt IS NULL
                     THEN json_object('source', s.uid, 'locator', e.locator)
                     ELSE json_object('source', s.uid, 'locator', e.locator, 'excerpt', e.excerpt) END AS item
         FROM assessment_evidence e JOIN sources s ON s.id = e.source_id
         WHERE e.assessment_id = a.id ORDER BY s.uid))))
FROM assessments a;

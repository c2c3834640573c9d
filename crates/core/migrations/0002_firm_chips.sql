-- 0002: which chips count as a firm's: its own and its subsidiaries' (Baidu's
-- Kunlun chips are designed by Kunlunxin). The one place this rule lives.
CREATE VIEW firm_chips (firm_id, chip_id) AS
    SELECT d.id, c.id FROM chips c JOIN firms d ON d.id = c.firm_id
    UNION
    SELECT d.parent_firm_id, c.id FROM chips c JOIN firms d ON d.id = c.firm_id
    WHERE d.parent_firm_id IS NOT NULL;

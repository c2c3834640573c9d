-- 0004: a replica's own changes come back from pull without their fields.
-- A sync pushes, then pulls; the pull used to bring back every change the
-- push had just sent, fields and all, only for the replica to note their seq.
-- After a 100,000-row Zotero import that was ~1.9 s of an 8.6 s sync.
-- Now push answers each logged change with its seq, and pull takes the seqs
-- a replica already has (a multirange) and returns those changes with NULL
-- fields and previous.
SET LOCAL ROLE chipwatch_owner;

-- push (0003), its answers with the seq of each change in the log when it is
-- there (accepted, merged, or a duplicate of one that was): the bulk path
-- takes it from its own INSERT, a change on the per-change path looks it up.
CREATE OR REPLACE FUNCTION chipwatch.push(p_workspace uuid, p_batch jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = chipwatch, pg_temp AS $$
DECLARE
    v_count   int;
    v_results jsonb[];
    v_pos     int;
    v_result  jsonb;
    v_logged  jsonb;  -- change id -> answer, of the changes the bulk path logged
BEGIN
    IF require_member(p_workspace) = 'reader' THEN
        RAISE EXCEPTION '% may only read workspace "%"', session_user, workspace_name(p_workspace)
            USING ERRCODE = '42501', CONSTRAINT = 'chipwatch_read_only',
                  HINT = 'Ask an admin of the workspace to make you an editor.';
    END IF;
    IF p_batch IS NULL OR jsonb_typeof(p_batch) <> 'array' THEN
        RAISE EXCEPTION 'a push sends a JSON array of changes' USING ERRCODE = '22023';
    END IF;
    v_count := jsonb_array_length(p_batch);
    IF v_count > 500 THEN
        RAISE EXCEPTION 'a push sends at most 500 changes, this one has %', v_count
            USING ERRCODE = '54000';
    END IF;
    PERFORM limit_idle_transaction();
    PERFORM pg_advisory_xact_lock_shared(log_lock_key(p_workspace));
    v_results := array_fill(NULL::jsonb, ARRAY[greatest(v_count, 1)]);

    WITH batch AS (
        SELECT e.value AS change, e.pos::int AS pos
        FROM jsonb_array_elements(p_batch) WITH ORDINALITY AS e (value, pos)
    ), parsed AS (
        SELECT pos,
               (change ->> 'change_id')::uuid AS change_id,
               change ->> 'kind' AS kind,
               (change ->> 'uid')::uuid AS uid,
               change -> 'fields' AS fields
        FROM batch
        WHERE jsonb_typeof(change) = 'object'
          AND CASE WHEN jsonb_typeof(change -> 'change_id') = 'string'
                    AND jsonb_typeof(change -> 'uid') = 'string'
                   THEN (change ->> 'change_id') ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                    AND (change ->> 'uid') ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                   ELSE false END
          AND jsonb_typeof(change -> 'kind') = 'string' AND (change ->> 'kind') ~ '^[a-z][a-z_]{0,39}$'
          AND change -> 'base_version' = '0'
          AND jsonb_typeof(change -> 'fields') = 'object'
          AND change -> 'fields' <> '{}' AND NOT (change -> 'fields' ? 'deleted')
          AND coalesce(change -> 'delete', 'null') = 'null'
    ), fresh AS (
        SELECT p.* FROM (
            SELECT parsed.*, count(*) OVER (PARTITION BY uid) AS times,
                   count(*) OVER (PARTITION BY change_id) AS id_times
            FROM parsed
        ) p
        WHERE p.times = 1 AND p.id_times = 1
          AND NOT EXISTS (SELECT 1 FROM changes c WHERE c.change_id = p.change_id)
          AND NOT EXISTS (SELECT 1 FROM records r
                          WHERE r.workspace_id = p_workspace AND r.kind = p.kind AND r.uid = p.uid)
    ), created AS (
        INSERT INTO records (workspace_id, kind, uid, version, fields)
        SELECT p_workspace, kind, uid, 1, fields FROM fresh ORDER BY pos
        ON CONFLICT DO NOTHING
        RETURNING kind, uid
    ), logged AS (
        INSERT INTO changes (workspace_id, change_id, kind, uid, base_version, version, fields, previous, result)
        SELECT p_workspace, f.change_id, f.kind, f.uid, 0, 1, f.fields,
               -- Before a creation every field was empty, as push_one logs it.
               (SELECT jsonb_object_agg(k, 'null'::jsonb) FROM jsonb_object_keys(f.fields) AS k),
               jsonb_build_object('change_id', f.change_id, 'status', 'accepted', 'version', 1,
                                  'conflicts', '[]'::jsonb, 'undeleted', false)
        FROM fresh f
        -- OR evaluates its left side first, once (an InitPlan), and looks
        -- no further when it holds.
        WHERE (SELECT count(*) FROM created) = (SELECT count(*) FROM fresh)
           OR EXISTS (SELECT 1 FROM created c WHERE c.kind = f.kind AND c.uid = f.uid)
        ORDER BY f.pos
        RETURNING change_id, seq, result
    )
    SELECT jsonb_object_agg(change_id::text, result || jsonb_build_object('deleted', false, 'seq', seq))
    FROM logged
    INTO v_logged;

    FOR v_pos IN 1 .. v_count LOOP
        v_result := v_logged -> lower(p_batch -> (v_pos - 1) ->> 'change_id');
        IF v_result IS NULL THEN
            v_result := push_one(p_workspace, p_batch -> (v_pos - 1), v_pos);
            -- Where the change is in the log, if it is (one lookup, off the bulk path).
            v_result := v_result || coalesce(
                (SELECT jsonb_build_object('seq', c.seq) FROM changes c
                 WHERE c.workspace_id = p_workspace
                   AND c.change_id = CASE WHEN (v_result ->> 'change_id')
                                               ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                                          THEN (v_result ->> 'change_id')::uuid END),
                '{}');
        END IF;
        v_results[v_pos] := v_result;
    END LOOP;
    IF v_count = 0 THEN
        RETURN '[]';
    END IF;
    RETURN to_jsonb(v_results);
END
$$;

-- pull (0001), but the changes whose seq is in p_known come without their
-- fields and previous (NULL): the caller pushed them and has them.
CREATE FUNCTION chipwatch.pull(p_workspace uuid, p_after bigint, p_max int, p_known int8multirange)
RETURNS TABLE (seq bigint, change_id uuid, kind text, uid uuid, base_version bigint, version bigint,
               fields jsonb, previous jsonb, author name, at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = chipwatch, pg_temp AS $$
BEGIN
    PERFORM require_member(p_workspace);
    IF p_max IS NULL OR p_max < 1 OR p_max > 10000 THEN
        RAISE EXCEPTION 'a pull asks for 1 to 10,000 changes, not %', p_max USING ERRCODE = '22023';
    END IF;
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'pull must run at READ COMMITTED isolation' USING ERRCODE = '25001';
    END IF;
    PERFORM limit_idle_transaction();
    PERFORM pg_advisory_xact_lock(log_lock_key(p_workspace));
    RETURN QUERY
        SELECT c.seq, c.change_id, c.kind, c.uid, c.base_version, c.version,
               CASE WHEN c.seq <@ p_known THEN NULL ELSE c.fields END,
               CASE WHEN c.seq <@ p_known THEN NULL ELSE c.previous END,
               c.author, c.at
        FROM changes c
        WHERE c.workspace_id = p_workspace AND c.seq > coalesce(p_after, 0) AND c.fields <> '{}'
        ORDER BY c.seq
        LIMIT p_max;
END
$$;

-- The pull of 0001 is this one knowing nothing: the rules live in one place.
CREATE OR REPLACE FUNCTION chipwatch.pull(p_workspace uuid, p_after bigint, p_max int)
RETURNS TABLE (seq bigint, change_id uuid, kind text, uid uuid, base_version bigint, version bigint,
               fields jsonb, previous jsonb, author name, at timestamptz)
LANGUAGE sql SECURITY DEFINER SET search_path = chipwatch, pg_temp AS $$
    SELECT * FROM chipwatch.pull(p_workspace, p_after, p_max, NULL)
$$;

REVOKE ALL ON FUNCTION chipwatch.pull(uuid, bigint, int, int8multirange) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION chipwatch.pull(uuid, bigint, int, int8multirange) TO chipwatch_user;

RESET ROLE;

-- Chipwatch team workspaces, server schema version 1 (docs/TEAM.md, "Server side").
--
-- Applied by `Server::install_or_upgrade` as a superuser, inside its one transaction;
-- the runner records the version in chipwatch.server_meta. Everything below the
-- SET ROLE is owned by chipwatch_owner, a role nobody logs in as. Member logins are
-- granted chipwatch_user and reach the data only through:
--   * SELECT on the tables, filtered by row-level security to their own workspaces;
--   * EXECUTE on the API functions (SECURITY DEFINER), which check their role.
-- Internal helpers keep EXECUTE from PUBLIC revoked, so the role checks cannot be
-- stepped around by calling them directly.

DO $roles$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'chipwatch_owner') THEN
        CREATE ROLE chipwatch_owner NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'chipwatch_user') THEN
        CREATE ROLE chipwatch_user NOLOGIN;
    END IF;
END
$roles$;

CREATE SCHEMA chipwatch AUTHORIZATION chipwatch_owner;
REVOKE ALL ON SCHEMA chipwatch FROM PUBLIC;
GRANT USAGE ON SCHEMA chipwatch TO chipwatch_user;

SET LOCAL ROLE chipwatch_owner;

-- Functions chipwatch_owner creates from now on are not executable by PUBLIC.
ALTER DEFAULT PRIVILEGES FOR ROLE chipwatch_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

-- One row: the schema version (the runner writes it after each migration).
CREATE TABLE chipwatch.server_meta (
    id      int PRIMARY KEY CHECK (id = 1),
    version int NOT NULL
);

CREATE TABLE chipwatch.workspaces (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name           text NOT NULL UNIQUE CHECK (btrim(name) <> '' AND length(name) <= 200),
    -- the layout of the records' fields (the client's record format), 1 for now
    schema_version int NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    created_by     name NOT NULL DEFAULT session_user
);

CREATE TABLE chipwatch.members (
    workspace_id uuid NOT NULL REFERENCES chipwatch.workspaces (id),
    member       name NOT NULL,
    role         text NOT NULL CHECK (role IN ('reader', 'editor', 'admin')),
    PRIMARY KEY (workspace_id, member)
);
CREATE INDEX members_member ON chipwatch.members (member);

-- The current state of every record (tombstones included: deleted = true).
CREATE TABLE chipwatch.records (
    workspace_id uuid NOT NULL REFERENCES chipwatch.workspaces (id),
    kind         text NOT NULL,
    uid          uuid NOT NULL,
    version      bigint NOT NULL CHECK (version >= 0),
    deleted      boolean NOT NULL DEFAULT false,
    fields       jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(fields) = 'object'),
    changed_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    changed_by   name NOT NULL DEFAULT session_user,
    PRIMARY KEY (workspace_id, kind, uid)
);

-- The log: one row per pushed change, in server order (seq).
-- author and at have defaults and push never names them: the server says who and when.
CREATE TABLE chipwatch.changes (
    seq          bigserial PRIMARY KEY,
    workspace_id uuid NOT NULL REFERENCES chipwatch.workspaces (id),
    change_id    uuid NOT NULL UNIQUE,
    kind         text NOT NULL,
    uid          uuid NOT NULL,
    base_version bigint NOT NULL,
    version      bigint NOT NULL,
    fields       jsonb NOT NULL,  -- what this change set, as applied ({} when nothing was)
    previous     jsonb NOT NULL,  -- those fields' values before it (history: old -> new)
    result       jsonb NOT NULL,  -- what push answered, so a retry gets the same answer
    author       name NOT NULL DEFAULT session_user,
    at           timestamptz NOT NULL DEFAULT clock_timestamp()
);
-- A pull is one range scan of this index.
CREATE INDEX changes_workspace_seq ON chipwatch.changes (workspace_id, seq);
-- A merge reads the changes of one record since its base version.
CREATE INDEX changes_record_version ON chipwatch.changes (workspace_id, kind, uid, version);

-- ---------------------------------------------------------------- helpers (internal)

-- The workspaces the session's login is a member of (used by the row-level policies;
-- SECURITY DEFINER so the policy on members does not recurse into itself).
CREATE FUNCTION chipwatch.my_workspaces() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = chipwatch, pg_temp AS $$
    SELECT workspace_id FROM chipwatch.members WHERE member = session_user
$$;

-- The caller's role in a workspace; raises 42501 when the login is not a member.
CREATE FUNCTION chipwatch.require_member(p_workspace uuid) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = chipwatch, pg_temp AS $$
DECLARE
    v_role text;
BEGIN
    IF p_workspace IS NULL THEN
        RAISE EXCEPTION 'no workspace given' USING ERRCODE = '22004';
    END IF;
    SELECT role INTO v_role FROM members WHERE workspace_id = p_workspace AND member = session_user;
    IF NOT FOUND THEN
        RAISE EXCEPTION '% is not a member of workspace %, or it does not exist', session_user, p_workspace
            USING ERRCODE = '42501', CONSTRAINT = 'chipwatch_not_member',
                  HINT = 'Ask an admin of the workspace to add you.';
    END IF;
    RETURN v_role;
END
$$;

CREATE FUNCTION chipwatch.workspace_name(p_workspace uuid) RETURNS text
LANGUAGE sql STABLE SET search_path = chipwatch, pg_temp AS $$
    SELECT name FROM workspaces WHERE id = p_workspace
$$;

CREATE FUNCTION chipwatch.require_admin(p_workspace uuid) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = chipwatch, pg_temp AS $$
BEGIN
    IF require_member(p_workspace) <> 'admin' THEN
        RAISE EXCEPTION 'only an admin of workspace "%" may manage its members', workspace_name(p_workspace)
            USING ERRCODE = '42501', CONSTRAINT = 'chipwatch_not_admin';
    END IF;
END
$$;

-- The advisory lock of a workspace's log. push takes it shared (pushes run side by
-- side, locking only their records); pull takes it exclusively, which waits for the
-- pushes under way to commit. So a pull never returns a seq while a smaller one is
-- still uncommitted, and a cursor never skips a change.
CREATE FUNCTION chipwatch.log_lock_key(p_workspace uuid) RETURNS bigint
LANGUAGE sql IMMUTABLE SET search_path = chipwatch, pg_temp AS $$
    SELECT ('x' || substr(md5('chipwatch.changes:' || p_workspace::text), 1, 16))::bit(64)::bigint
$$;

-- push and pull hold the log lock until the caller's transaction ends. A caller that
-- leaves its transaction open would hold up the workspace's pulls (or pushes), so the
-- transaction gets an idle timeout of a minute unless the session has a shorter one.
CREATE FUNCTION chipwatch.limit_idle_transaction() RETURNS void
LANGUAGE plpgsql SET search_path = chipwatch, pg_temp AS $$
DECLARE
    v_ms bigint;
BEGIN
    SELECT setting::bigint INTO v_ms FROM pg_settings WHERE name = 'idle_in_transaction_session_timeout';
    IF v_ms = 0 OR v_ms > 60000 THEN
        PERFORM set_config('idle_in_transaction_session_timeout', '60s', true);
    END IF;
END
$$;

-- Keeps at least one admin in a workspace whose admin is being demoted or removed.
CREATE FUNCTION chipwatch.keep_an_admin(p_workspace uuid, p_member name) RETURNS void
LANGUAGE plpgsql SET search_path = chipwatch, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM members WHERE workspace_id = p_workspace AND member = p_member AND role = 'admin')
       AND (SELECT count(*) FROM members WHERE workspace_id = p_workspace AND role = 'admin') = 1 THEN
        RAISE EXCEPTION '% is the last admin of workspace "%"', p_member, workspace_name(p_workspace)
            USING ERRCODE = '23514', HINT = 'Make another member an admin first.';
    END IF;
END
$$;

-- Reads an integer ≥ 0 out of a JSON value, or raises naming the change.
CREATE FUNCTION chipwatch.change_int(p_value jsonb, p_what text, p_pos int) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE SET search_path = chipwatch, pg_temp AS $$
DECLARE
    v numeric;
BEGIN
    IF p_value IS NULL OR jsonb_typeof(p_value) <> 'number' THEN
        RAISE EXCEPTION 'change % of the batch: % must be a number', p_pos, p_what USING ERRCODE = '22023';
    END IF;
    v := p_value::numeric;
    IF v < 0 OR v <> trunc(v) OR v > 9223372036854775807 THEN
        RAISE EXCEPTION 'change % of the batch: % must be a whole number ≥ 0, not %', p_pos, p_what, v
            USING ERRCODE = '22023';
    END IF;
    RETURN v::bigint;
END
$$;

CREATE FUNCTION chipwatch.change_uuid(p_value jsonb, p_what text, p_pos int) RETURNS uuid
LANGUAGE plpgsql IMMUTABLE SET search_path = chipwatch, pg_temp AS $$
BEGIN
    IF p_value IS NULL OR jsonb_typeof(p_value) <> 'string'
       OR (p_value #>> '{}') !~* '^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$' THEN
        RAISE EXCEPTION 'change % of the batch: % must be a UUID, not %', p_pos, p_what, coalesce(p_value::text, 'nothing')
            USING ERRCODE = '22023';
    END IF;
    RETURN (p_value #>> '{}')::uuid;
END
$$;

-- Applies one change of a push (see push). Runs as chipwatch_owner; not callable by members.
CREATE FUNCTION chipwatch.push_one(p_workspace uuid, p_change jsonb, p_pos int) RETURNS jsonb
LANGUAGE plpgsql SET search_path = chipwatch, pg_temp AS $$
DECLARE
    v_change_id uuid;
    v_kind      text;
    v_uid       uuid;
    v_base      bigint;
    v_fields    jsonb;
    v_delete    boolean;          -- true: delete, false: restore, NULL: neither
    r           records%ROWTYPE;
    v_prior     changes%ROWTYPE;
    v_theirs    text[] := '{}';   -- fields changed on the server since the base version
    v_apply     jsonb := '{}';
    v_previous  jsonb := '{}';
    v_conflicts jsonb := '[]';
    v_deleted   boolean;
    v_undeleted boolean := false;
    v_key       text;
    v_value     jsonb;
    v_current   jsonb;
    v_status    text;
    v_result    jsonb;
BEGIN
    IF jsonb_typeof(p_change) <> 'object' THEN
        RAISE EXCEPTION 'change % of the batch is not a JSON object', p_pos USING ERRCODE = '22023';
    END IF;
    v_change_id := change_uuid(p_change -> 'change_id', 'change_id', p_pos);
    v_uid := change_uuid(p_change -> 'uid', 'uid', p_pos);
    v_base := change_int(p_change -> 'base_version', 'base_version', p_pos);
    v_kind := p_change ->> 'kind';
    IF jsonb_typeof(p_change -> 'kind') IS DISTINCT FROM 'string' OR v_kind !~ '^[a-z][a-z_]{0,39}$' THEN
        RAISE EXCEPTION 'change % of the batch: kind must be a record kind such as "firm", not %',
            p_pos, coalesce(p_change -> 'kind', 'nothing') USING ERRCODE = '22023';
    END IF;
    v_fields := coalesce(p_change -> 'fields', '{}');
    IF jsonb_typeof(v_fields) <> 'object' THEN
        RAISE EXCEPTION 'change % of the batch: fields must be a JSON object', p_pos USING ERRCODE = '22023';
    END IF;
    IF v_fields ? 'deleted' THEN
        RAISE EXCEPTION 'change % of the batch: "deleted" is not a field; send "delete": true or false', p_pos
            USING ERRCODE = '22023';
    END IF;
    IF p_change ? 'delete' AND jsonb_typeof(p_change -> 'delete') <> 'null' THEN
        IF jsonb_typeof(p_change -> 'delete') <> 'boolean' THEN
            RAISE EXCEPTION 'change % of the batch: delete must be true or false', p_pos USING ERRCODE = '22023';
        END IF;
        v_delete := (p_change ->> 'delete')::boolean;
    END IF;

    -- Lock the record; a new one is created at version 0 (removed again if nothing applies).
    SELECT * INTO r FROM records WHERE workspace_id = p_workspace AND kind = v_kind AND uid = v_uid FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO records (workspace_id, kind, uid, version) VALUES (p_workspace, v_kind, v_uid, 0)
            ON CONFLICT DO NOTHING;
        SELECT * INTO r FROM records WHERE workspace_id = p_workspace AND kind = v_kind AND uid = v_uid FOR UPDATE;
    END IF;

    -- A change already applied (a retried push) gets its earlier answer. Checked under the
    -- record's lock, so a retry racing the first attempt waits for it and then sees it.
    SELECT * INTO v_prior FROM changes WHERE change_id = v_change_id;
    IF FOUND THEN
        IF v_prior.workspace_id <> p_workspace OR v_prior.kind <> v_kind OR v_prior.uid <> v_uid THEN
            RAISE EXCEPTION 'change % of the batch: change id % was already used for another record', p_pos, v_change_id
                USING ERRCODE = '22023';
        END IF;
        IF r.version = 0 THEN  -- the placeholder made above (the first attempt applied nothing)
            DELETE FROM records WHERE workspace_id = p_workspace AND kind = v_kind AND uid = v_uid;
        END IF;
        RETURN v_prior.result || jsonb_build_object(
            'status', 'duplicate', 'first_status', v_prior.result -> 'status',
            'deleted', r.deleted, 'server_fields', r.fields);
    END IF;

    IF v_base > r.version THEN
        RAISE EXCEPTION 'change % of the batch (%): based on version % of % %, but the server has version %',
            p_pos, v_change_id, v_base, v_kind, v_uid, r.version USING ERRCODE = '22023';
    END IF;

    IF v_base = r.version THEN
        v_status := 'accepted';
        v_apply := v_fields;
    ELSE
        -- Merge field by field against what the server changed since the base version.
        SELECT coalesce(array_agg(DISTINCT t.k), '{}') INTO v_theirs
        FROM changes c, jsonb_object_keys(c.fields) AS t (k)
        WHERE c.workspace_id = p_workspace AND c.kind = v_kind AND c.uid = v_uid AND c.version > v_base;
        FOR v_key, v_value IN SELECT key, value FROM jsonb_each(v_fields) LOOP
            IF v_key = ANY (v_theirs) THEN
                v_current := coalesce(r.fields -> v_key, 'null');
                IF v_current <> v_value THEN
                    v_conflicts := v_conflicts || jsonb_build_array(jsonb_build_object('field', v_key, 'theirs', v_current));
                END IF;
                -- equal on both sides: nothing to apply, no conflict
            ELSE
                v_apply := v_apply || jsonb_build_object(v_key, v_value);
            END IF;
        END LOOP;
    END IF;

    -- Deletion. An edit beats a concurrent delete: an edit of a deleted record restores it,
    -- and a delete based on an old version loses to any change made since.
    v_deleted := r.deleted;
    IF v_delete IS TRUE THEN
        IF NOT r.deleted THEN
            IF v_base = r.version OR cardinality(v_theirs) = 0 THEN
                v_deleted := true;
            ELSE
                v_conflicts := v_conflicts || jsonb_build_array(jsonb_build_object('field', 'deleted', 'theirs', false));
            END IF;
        END IF;
    ELSIF r.deleted AND (v_delete IS FALSE OR v_fields <> '{}') THEN
        v_deleted := false;
        v_undeleted := true;
    END IF;
    IF v_status IS NULL THEN
        v_status := CASE WHEN v_conflicts = '[]' THEN 'merged' ELSE 'conflict' END;
    ELSIF v_conflicts <> '[]' THEN
        v_status := 'conflict';
    END IF;

    SELECT coalesce(jsonb_object_agg(t.k, coalesce(r.fields -> t.k, 'null')), '{}') INTO v_previous
    FROM jsonb_object_keys(v_apply) AS t (k);
    IF v_deleted <> r.deleted THEN
        v_apply := v_apply || jsonb_build_object('deleted', v_deleted);
        v_previous := v_previous || jsonb_build_object('deleted', r.deleted);
    END IF;

    IF v_apply <> '{}' THEN
        UPDATE records
        SET fields = fields || (v_apply - 'deleted'), deleted = v_deleted, version = version + 1,
            changed_at = clock_timestamp(), changed_by = session_user
        WHERE workspace_id = p_workspace AND kind = v_kind AND uid = v_uid
        RETURNING * INTO r;
    ELSIF r.version = 0 THEN
        DELETE FROM records WHERE workspace_id = p_workspace AND kind = v_kind AND uid = v_uid;
    END IF;

    v_result := jsonb_build_object(
        'change_id', v_change_id, 'status', v_status, 'version', r.version,
        'conflicts', v_conflicts, 'undeleted', v_undeleted);
    INSERT INTO changes (workspace_id, change_id, kind, uid, base_version, version, fields, previous, result)
    VALUES (p_workspace, v_change_id, v_kind, v_uid, v_base, r.version, v_apply, v_previous, v_result);

    v_result := v_result || jsonb_build_object('deleted', r.deleted);
    IF v_status IN ('merged', 'conflict') THEN
        v_result := v_result || jsonb_build_object('server_fields', r.fields);
    END IF;
    RETURN v_result;
END
$$;

-- ---------------------------------------------------------------- the API (members)

-- Creates a workspace; the caller becomes its admin.
CREATE FUNCTION chipwatch.create_workspace(p_name text) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = chipwatch, pg_temp AS $$
DECLARE
    v_id uuid;
BEGIN
    IF p_name IS NULL OR btrim(p_name) = '' OR length(p_name) > 200 THEN
        RAISE EXCEPTION 'a workspace needs a name of 1 to 200 characters' USING ERRCODE = '22023';
    END IF;
    IF EXISTS (SELECT 1 FROM workspaces WHERE name = p_name) THEN
        RAISE EXCEPTION 'a workspace named "%" already exists', p_name
            USING ERRCODE = '23505', HINT = 'Choose another name, or ask its admin to add you.';
    END IF;
    INSERT INTO workspaces (name) VALUES (p_name) RETURNING id INTO v_id;
    INSERT INTO members (workspace_id, member, role) VALUES (v_id, session_user, 'admin');
    RETURN v_id;
END
$$;

-- Adds a member or changes their role (admins only).
CREATE FUNCTION chipwatch.grant_role(p_workspace uuid, p_member name, p_role text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = chipwatch, pg_temp AS $$
BEGIN
    PERFORM require_admin(p_workspace);
    IF p_role IS NULL OR p_role NOT IN ('reader', 'editor', 'admin') THEN
        RAISE EXCEPTION 'a role is reader, editor or admin, not %', coalesce(p_role, 'nothing') USING ERRCODE = '22023';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_member AND rolcanlogin) THEN
        RAISE EXCEPTION 'there is no login named % on this server', p_member
            USING ERRCODE = '42704', HINT = 'The database administrator creates logins (CREATE ROLE ... LOGIN).';
    END IF;
    IF NOT pg_has_role(p_member, 'chipwatch_user', 'MEMBER') THEN
        RAISE EXCEPTION 'login % is not a Chipwatch user', p_member
            USING ERRCODE = '42501', HINT = format('The database administrator runs: GRANT chipwatch_user TO %I', p_member);
    END IF;
    PERFORM 1 FROM workspaces WHERE id = p_workspace FOR UPDATE;  -- one membership change at a time
    IF p_role <> 'admin' THEN
        PERFORM keep_an_admin(p_workspace, p_member);
    END IF;
    INSERT INTO members (workspace_id, member, role) VALUES (p_workspace, p_member, p_role)
        ON CONFLICT (workspace_id, member) DO UPDATE SET role = EXCLUDED.role;
END
$$;

-- Removes a member (admins only).
CREATE FUNCTION chipwatch.revoke_role(p_workspace uuid, p_member name) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = chipwatch, pg_temp AS $$
BEGIN
    PERFORM require_admin(p_workspace);
    PERFORM 1 FROM workspaces WHERE id = p_workspace FOR UPDATE;
    PERFORM keep_an_admin(p_workspace, p_member);
    DELETE FROM members WHERE workspace_id = p_workspace AND member = p_member;
    IF NOT FOUND THEN
        RAISE EXCEPTION '% is not a member of workspace "%"', p_member, workspace_name(p_workspace)
            USING ERRCODE = '22023';
    END IF;
END
$$;

-- The members of a workspace and their roles (any member: they can read the table anyway).
CREATE FUNCTION chipwatch.list_members(p_workspace uuid) RETURNS TABLE (member name, role text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = chipwatch, pg_temp AS $$
BEGIN
    PERFORM require_member(p_workspace);
    RETURN QUERY SELECT m.member, m.role FROM members m WHERE m.workspace_id = p_workspace ORDER BY m.member;
END
$$;

-- Applies a batch of at most 500 changes in the caller's transaction and returns one
-- result per change, in order: {change_id, status (accepted | merged | conflict |
-- duplicate), version, conflicts: [{field, theirs}], undeleted, deleted, server_fields
-- (merged, conflict, duplicate), first_status (duplicate)}. Editors and admins only.
CREATE FUNCTION chipwatch.push(p_workspace uuid, p_batch jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = chipwatch, pg_temp AS $$
DECLARE
    v_results jsonb[] := '{}';
    v_change  jsonb;
    v_pos     int := 0;
BEGIN
    IF require_member(p_workspace) = 'reader' THEN
        RAISE EXCEPTION '% may only read workspace "%"', session_user, workspace_name(p_workspace)
            USING ERRCODE = '42501', CONSTRAINT = 'chipwatch_read_only',
                  HINT = 'Ask an admin of the workspace to make you an editor.';
    END IF;
    IF p_batch IS NULL OR jsonb_typeof(p_batch) <> 'array' THEN
        RAISE EXCEPTION 'a push sends a JSON array of changes' USING ERRCODE = '22023';
    END IF;
    IF jsonb_array_length(p_batch) > 500 THEN
        RAISE EXCEPTION 'a push sends at most 500 changes, this one has %', jsonb_array_length(p_batch)
            USING ERRCODE = '54000';
    END IF;
    PERFORM limit_idle_transaction();
    PERFORM pg_advisory_xact_lock_shared(log_lock_key(p_workspace));
    FOR v_change IN SELECT value FROM jsonb_array_elements(p_batch) LOOP
        v_pos := v_pos + 1;
        v_results := array_append(v_results, push_one(p_workspace, v_change, v_pos));
    END LOOP;
    RETURN to_jsonb(v_results);
END
$$;

-- The changes after seq p_after, oldest first, at most p_max (1 to 10,000); readers too.
-- Changes that applied nothing (all their fields in conflict) are left out.
CREATE FUNCTION chipwatch.pull(p_workspace uuid, p_after bigint, p_max int)
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
    -- Wait for the pushes under way in this workspace (see log_lock_key); the query
    -- below then takes a new snapshot that sees them.
    PERFORM limit_idle_transaction();
    PERFORM pg_advisory_xact_lock(log_lock_key(p_workspace));
    RETURN QUERY
        SELECT c.seq, c.change_id, c.kind, c.uid, c.base_version, c.version, c.fields, c.previous, c.author, c.at
        FROM changes c
        WHERE c.workspace_id = p_workspace AND c.seq > coalesce(p_after, 0) AND c.fields <> '{}'
        ORDER BY c.seq
        LIMIT p_max;
END
$$;

-- ---------------------------------------------------------------- privileges

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA chipwatch FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    chipwatch.my_workspaces(),
    chipwatch.create_workspace(text),
    chipwatch.grant_role(uuid, name, text),
    chipwatch.revoke_role(uuid, name),
    chipwatch.list_members(uuid),
    chipwatch.push(uuid, jsonb),
    chipwatch.pull(uuid, bigint, int)
TO chipwatch_user;

REVOKE ALL ON ALL TABLES IN SCHEMA chipwatch FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA chipwatch FROM PUBLIC;
GRANT SELECT ON chipwatch.server_meta, chipwatch.workspaces, chipwatch.members,
                chipwatch.records, chipwatch.changes TO chipwatch_user;

-- Row-level security on every table: a session sees the rows of its own workspaces.
-- (chipwatch_owner owns the tables, so the functions above are not filtered by it.)
ALTER TABLE chipwatch.server_meta ENABLE ROW LEVEL SECURITY;
CREATE POLICY everyone_reads ON chipwatch.server_meta FOR SELECT USING (true);
ALTER TABLE chipwatch.workspaces ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_workspaces ON chipwatch.workspaces FOR SELECT
    USING (id IN (SELECT chipwatch.my_workspaces()));
ALTER TABLE chipwatch.members ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_workspaces ON chipwatch.members FOR SELECT
    USING (workspace_id IN (SELECT chipwatch.my_workspaces()));
ALTER TABLE chipwatch.records ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_workspaces ON chipwatch.records FOR SELECT
    USING (workspace_id IN (SELECT chipwatch.my_workspaces()));
ALTER TABLE chipwatch.changes ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_workspaces ON chipwatch.changes FOR SELECT
    USING (workspace_id IN (SELECT chipwatch.my_workspaces()));

RESET ROLE;

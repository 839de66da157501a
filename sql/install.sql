--
-- install: cvfw is a trusted extension, so a database owner without
-- superuser can install it; the script runs search_path safe.
--
SET client_min_messages = warning;

CREATE ROLE regress_cvfw_owner LOGIN;
SELECT current_database() AS datname \gset
GRANT CREATE ON DATABASE :"datname" TO regress_cvfw_owner;

SET ROLE regress_cvfw_owner;
SELECT rolsuper FROM pg_roles WHERE rolname = current_user;
CREATE SCHEMA regress_cvfw_owned;

-- The owner (the would-be attacker: the script runs with superuser rights)
-- plants look-alikes in the target schema.  A pre-created type makes the
-- install fail instead of adopting it (terse: from 18 on the error also
-- names the script line) ...
CREATE TYPE regress_cvfw_owned.cvfw_stage AS ENUM ('awareness');
\set VERBOSITY terse
CREATE EXTENSION cvfw SCHEMA regress_cvfw_owned;
\set VERBOSITY default
DROP TYPE regress_cvfw_owned.cvfw_stage;

-- ... and look-alikes of what the script refers to in pg_catalog are never
-- used, even first on search_path (each would raise if called).
CREATE FUNCTION regress_cvfw_owned.btequalimage(oid) RETURNS boolean LANGUAGE plpgsql
AS $$ BEGIN RAISE EXCEPTION 'hijacked btequalimage'; END $$;
CREATE DOMAIN regress_cvfw_owned.int4 AS text;
CREATE DOMAIN regress_cvfw_owned.bool AS text;
CREATE FUNCTION regress_cvfw_owned.trap_eq(text, text) RETURNS boolean LANGUAGE plpgsql
AS $$ BEGIN RAISE EXCEPTION 'hijacked ='; END $$;
CREATE OPERATOR regress_cvfw_owned.= (LEFTARG = text, RIGHTARG = text,
  FUNCTION = regress_cvfw_owned.trap_eq);
-- A second schema, ahead of the target on search_path, holds look-alikes of
-- the pg_catalog types, functions and operators the script and cvfw's
-- functions use; none is picked up, at install or at run time.
CREATE SCHEMA regress_cvfw_hostile;
CREATE DOMAIN regress_cvfw_hostile.int8 AS text;
CREATE DOMAIN regress_cvfw_hostile.float8 AS text;
CREATE DOMAIN regress_cvfw_hostile.timestamptz AS text;
CREATE DOMAIN regress_cvfw_hostile.interval AS text;
CREATE DOMAIN regress_cvfw_hostile.cstring AS text;
CREATE FUNCTION regress_cvfw_hostile.hashint4(int4) RETURNS int4 LANGUAGE plpgsql
AS $$ BEGIN RAISE EXCEPTION 'hijacked hashint4'; END $$;
CREATE FUNCTION regress_cvfw_hostile.trap_lt(int4, int4) RETURNS boolean LANGUAGE plpgsql
AS $$ BEGIN RAISE EXCEPTION 'hijacked <'; END $$;
CREATE OPERATOR regress_cvfw_hostile.< (LEFTARG = int4, RIGHTARG = int4,
  FUNCTION = regress_cvfw_hostile.trap_lt);
SET search_path = regress_cvfw_hostile, regress_cvfw_owned, public;
CREATE EXTENSION cvfw SCHEMA regress_cvfw_owned;
RESET search_path;
SELECT extname, extversion = (SELECT default_version FROM pg_available_extensions WHERE name = 'cvfw') AS current_version,
       extowner::regrole, extnamespace::regnamespace, extrelocatable
FROM pg_extension WHERE extname = 'cvfw';

-- the estimators and support functions cvfw refers to are pg_catalog's
SELECT DISTINCT p.pronamespace::regnamespace AS schema, p.proname
FROM pg_operator o JOIN pg_proc p ON p.oid IN (o.oprrest, o.oprjoin)
WHERE o.oprleft = 'regress_cvfw_owned.cvfw_stage'::regtype
UNION
SELECT p.pronamespace::regnamespace, p.proname
FROM pg_amproc a JOIN pg_proc p ON p.oid = a.amproc
WHERE a.amproclefttype = 'regress_cvfw_owned.cvfw_stage'::regtype
ORDER BY 1, 2;

-- it works with no search_path at all, names qualified
SET search_path = '';
SELECT 'Value Realization'::regress_cvfw_owned.cvfw_stage
       OPERATOR(regress_cvfw_owned.<) 'advocacy'::regress_cvfw_owned.cvfw_stage AS lt,
       regress_cvfw_owned.cvfw_next('engagement') AS next,
       pg_catalog.pg_typeof(regress_cvfw_owned.cvfw_position('advocacy')) AS position_type;
RESET search_path;

-- and at run time, with both schemas of look-alikes first on search_path,
-- the types, aggregates, reports and the trigger give their usual results
SET search_path = regress_cvfw_hostile, regress_cvfw_owned, public;
CREATE TABLE regress_cvfw_owned.guarded (id int, stage regress_cvfw_owned.cvfw_stage);
INSERT INTO regress_cvfw_owned.guarded VALUES (1, 'awareness'), (2, 'advocacy');
CREATE TRIGGER guard BEFORE UPDATE ON regress_cvfw_owned.guarded FOR EACH ROW
  EXECUTE FUNCTION regress_cvfw_owned.cvfw_enforce_transition('stage', 'strict');
UPDATE regress_cvfw_owned.guarded SET stage = 'engagement' WHERE id = 2;
UPDATE regress_cvfw_owned.guarded SET stage = 'experience' WHERE id = 1;
SELECT l.stage, l.customers, l.leaked, l.value, l.dwell_avg
FROM (SELECT regress_cvfw_owned.cvfw_flow_by_customer(c::int8, s::regress_cvfw_owned.cvfw_stage,
        t::pg_catalog.timestamptz, v::pg_catalog.float8) AS f
      FROM (VALUES (1, 'awareness', '2026-01-01 00:00+00', 0), (1, 'exploration', '2026-01-03 00:00+00', 5),
                   (2, 'awareness', '2026-01-02 00:00+00', 1)) x(c, s, t, v)) y,
     LATERAL regress_cvfw_owned.cvfw_leakage(y.f) l
WHERE l.customers > 0;
SELECT (regress_cvfw_owned.cvfw_clv_agg(r::pg_catalog.float8, 0::pg_catalog.float8,
          d::pg_catalog.interval, ch)).expected_periods
FROM (VALUES (10, '60 days', true), (20, '30 days', false)) x(r, d, ch);
-- the comparisons with text (SQL functions the planner inlines: their
-- bodies name every operator by schema), labels through a map, the guard
-- with its memory and history, a backfill
SELECT 'advocacy'::regress_cvfw_owned.cvfw_stage = 'Advocacy'::pg_catalog.text AS stage_eq_text,
       'exploration'::pg_catalog.text < 'advocacy'::regress_cvfw_owned.cvfw_stage AS text_lt_stage,
       regress_cvfw_owned.cvfw_stage('Closed Won', 'salesforce_opportunity') AS from_label;
CREATE TABLE regress_cvfw_owned.crm (id int PRIMARY KEY, label text);
CREATE TABLE regress_cvfw_owned.crm_events (customer int, stage regress_cvfw_owned.cvfw_stage,
                                            at pg_catalog.timestamptz);
INSERT INTO regress_cvfw_owned.crm VALUES (1, 'lead');
SELECT regress_cvfw_owned.cvfw_guard('regress_cvfw_owned.crm', 'label', 'forward', 'hubspot_lifecycle',
                                     history => 'regress_cvfw_owned.crm_events');
UPDATE regress_cvfw_owned.crm SET label = '';
UPDATE regress_cvfw_owned.crm SET label = 'subscriber';
UPDATE regress_cvfw_owned.crm SET label = 'customer';
SELECT regress_cvfw_owned.cvfw_backfill('regress_cvfw_owned.crm_events',
  'SELECT 2 AS customer, ''lead'' AS label, ''2026-01-01''::pg_catalog.timestamptz AS at', 'hubspot_lifecycle');
SELECT customer, stage FROM regress_cvfw_owned.crm_events ORDER BY customer;
SELECT regress_cvfw_owned.cvfw_unguard('regress_cvfw_owned.crm', 'label');
RESET search_path;

-- every function that runs with its owner's rights, sets a configuration or
-- is not C, none SECURITY DEFINER: the SQL-language BI reports and the
-- PL/pgSQL guard and backfill functions with search_path pinned to
-- pg_catalog (their bodies name cvfw's objects by schema); and two
-- kinds that cannot pin it, each naming every object by schema instead:
-- the text comparisons (a SET clause would stop the planner inlining
-- them, and so using an index), cvfw_backfill (it runs the caller's query,
-- which the caller's search_path must resolve).  So no body can be
-- redirected.
SELECT p.oid::regprocedure AS function, l.lanname, p.prosecdef, p.proconfig
FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'cvfw'
WHERE p.prosecdef OR p.proconfig IS NOT NULL OR (p.prokind = 'f' AND l.lanname <> 'c')
ORDER BY p.oid::regprocedure::text;
-- the guard's memory is written by the guards only, as its owner
SELECT c.relname, c.relacl IS NOT NULL AND NOT pg_catalog.has_table_privilege('public', c.oid, 'SELECT') AS private
FROM pg_class c JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'cvfw'
WHERE c.relkind = 'r' ORDER BY 1;
-- and its event triggers: children of guarded tables are guarded, what is
-- remembered of dropped tables is forgotten
SELECT evtname, evtevent, evttags FROM pg_event_trigger ORDER BY 1;

-- the owner can drop it again
DROP TABLE regress_cvfw_owned.guarded, regress_cvfw_owned.crm, regress_cvfw_owned.crm_events;
DROP EXTENSION cvfw;
DROP SCHEMA regress_cvfw_owned, regress_cvfw_hostile CASCADE;
RESET ROLE;
REVOKE CREATE ON DATABASE :"datname" FROM regress_cvfw_owner;
DROP ROLE regress_cvfw_owner;

-- From here on the suite uses cvfw installed by the superuser in public.
CREATE EXTENSION cvfw;

-- Every SQL object is named cvfw_*; the only exceptions are the min() and
-- max() aggregates, overloads on cvfw_stage that no user object can clash with.
SELECT pg_describe_object(classid, objid, 0) AS object
FROM pg_depend
WHERE refclassid = 'pg_extension'::regclass
  AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'cvfw')
  AND deptype = 'e'
  AND classid IN ('pg_proc'::regclass, 'pg_type'::regclass, 'pg_opclass'::regclass, 'pg_opfamily'::regclass)
  AND pg_describe_object(classid, objid, 0) !~ '^(function|type|operator class|operator family) (public\.)?_?cvfw_'
ORDER BY 1;

-- Volatility, strictness and parallel safety of every function, for review:
-- everything is IMMUTABLE and PARALLEL SAFE but the trigger and event
-- trigger functions (run by the trigger managers on writes only), the
-- functions that install and remove guards, remember and forget for them
-- and backfill history (VOLATILE, PARALLEL UNSAFE: they write), and what
-- reads tables that can change: cvfw_stage(label, map) (a map of one's own)
-- and cvfw_guards() (the triggers), STABLE; everything is STRICT but the
-- aggregates (their strictness is their transition functions'), aggregate
-- support functions that handle NULL input and states themselves, the
-- reports whose as_of and horizon may be NULL (no horizon), cvfw_guard and
-- cvfw_backfill (their optional settings may be NULL).
SELECT p.oid::regprocedure AS function, p.prokind, p.provolatile, p.proisstrict,
       p.proparallel, p.proleakproof
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'cvfw'
ORDER BY p.proname, p.oid::regprocedure::text;

-- Test helpers shared by the later files (plain SQL objects, not cvfw's).
CREATE SCHEMA regress;

-- Run a statement; return its SQLSTATE, message, detail and hint, or 'ok'.
CREATE FUNCTION regress.try(stmt text,
  OUT state text, OUT message text, OUT detail text, OUT hint text)
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  state := 'ok';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                          detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
  detail := nullif(detail, '');
  hint := nullif(hint, '');
END $$;

-- Is str valid input for type typ?  On PostgreSQL 16+ this goes through
-- pg_input_is_valid (the soft-error path); before 16 it catches the error.
CREATE FUNCTION regress.input_is_valid(str text, typ text) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE ok boolean;
BEGIN
  IF current_setting('server_version_num')::int >= 160000 THEN
    EXECUTE 'SELECT pg_input_is_valid($1, $2)' INTO ok USING str, typ;
    RETURN ok;
  END IF;
  EXECUTE format('SELECT %L::%s', str, typ);
  RETURN true;
EXCEPTION WHEN invalid_text_representation OR invalid_parameter_value THEN
  RETURN false;
END $$;

-- The planner's row estimate for a query (top plan node).
CREATE FUNCTION regress.estimate(query text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE plan json;
BEGIN
  EXECUTE 'EXPLAIN (FORMAT JSON) ' || query INTO plan;
  RETURN (plan -> 0 -> 'Plan' ->> 'Plan Rows')::bigint;
END $$;

-- Does the plan of a query contain a node of this type (e.g. 'Hash Join')?
CREATE FUNCTION regress.plan_has(query text, node text) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE line text;
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
    IF position(node IN line) > 0 THEN
      RETURN true;
    END IF;
  END LOOP;
  RETURN false;
END $$;

-- The single bigint a query returns (e.g. a count).
CREATE FUNCTION regress.scalar(query text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE v bigint;
BEGIN
  EXECUTE query INTO v;
  RETURN v;
END $$;

-- Feed raw bytes to a type's binary receive function: write them as the
-- one field of a binary COPY file, read that into a column of type typ.
-- Returns what regress.try() returns, plus the value read back as text.
CREATE FUNCTION regress.recv(typ text, bytes bytea,
  OUT state text, OUT message text, OUT detail text, OUT hint text, OUT value text)
LANGUAGE plpgsql AS $$
DECLARE path text := format('/tmp/cvfw_regress_%s.bin', pg_backend_pid());
BEGIN
  EXECUTE format('COPY (SELECT %L::bytea) TO %L (FORMAT binary)', bytes, path);
  EXECUTE format('CREATE TEMP TABLE regress_recv (v %s)', typ);
  SELECT * INTO state, message, detail, hint
  FROM regress.try(format('COPY regress_recv FROM %L (FORMAT binary)', path));
  SELECT v::text INTO value FROM regress_recv;
  DROP TABLE regress_recv;
END $$;

-- Like regress.try, with the error's schema, table and column fields.
CREATE FUNCTION regress.try_fields(stmt text,
  OUT state text, OUT message text, OUT detail text,
  OUT schema_name text, OUT table_name text, OUT column_name text)
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  state := 'ok';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                          detail = PG_EXCEPTION_DETAIL, schema_name = SCHEMA_NAME,
                          table_name = TABLE_NAME, column_name = COLUMN_NAME;
END $$;


-- ---------------------------------------------------------------------------
-- live tracking: summaries kept current as events arrive (doc/live.md)
-- ---------------------------------------------------------------------------

-- the statement trigger cvfw_track attaches (its arguments are the
-- configuration); not to be attached by hand
CREATE FUNCTION @extschema@.cvfw_live_trigger()
RETURNS trigger
AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.cvfw_live_trigger() IS
'the statement trigger of live tracking: attached by cvfw_track(), keeps the summaries of a tracked events table current';

CREATE FUNCTION @extschema@.cvfw_track(events pg_catalog.regclass, customer pg_catalog.text,
	stage pg_catalog.text, "at" pg_catalog.text,
	value pg_catalog.text DEFAULT NULL, cost pg_catalog.text DEFAULT NULL,
	group_by pg_catalog.text[] DEFAULT '{}', summaries pg_catalog.text DEFAULT NULL)
RETURNS pg_catalog.regclass
AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION @extschema@.cvfw_track(pg_catalog.regclass, pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.text[], pg_catalog.text) IS
'attach live tracking to an events table: summaries per customer, per group and for everyone, kept current by statement triggers; returns the live view';

CREATE FUNCTION @extschema@.cvfw_untrack(events pg_catalog.regclass)
RETURNS void
AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION @extschema@.cvfw_untrack(pg_catalog.regclass) IS
'detach live tracking: drop its triggers, summary tables, view and the index it created';

CREATE FUNCTION @extschema@.cvfw_live_flow(events pg_catalog.regclass)
RETURNS @extschema@.cvfw_flow
AS 'MODULE_PATHNAME' LANGUAGE C STABLE;
COMMENT ON FUNCTION @extschema@.cvfw_live_flow(pg_catalog.regclass) IS
'the live flow summary of everyone in a tracked events table (NULL when nobody)';

CREATE FUNCTION @extschema@.cvfw_live_flow(events pg_catalog.regclass, VARIADIC "group" "any")
RETURNS @extschema@.cvfw_flow
AS 'MODULE_PATHNAME' LANGUAGE C STABLE;
COMMENT ON FUNCTION @extschema@.cvfw_live_flow(pg_catalog.regclass, "any") IS
'the live flow summary of one group of a tracked events table: one value per grouping column (NULL when nobody)';

CREATE FUNCTION @extschema@.cvfw_live_trend(events pg_catalog.regclass)
RETURNS @extschema@.cvfw_trend
AS 'MODULE_PATHNAME' LANGUAGE C STABLE;
COMMENT ON FUNCTION @extschema@.cvfw_live_trend(pg_catalog.regclass) IS
'the live trend of everyone in a tracked events table (NULL when nobody)';

CREATE FUNCTION @extschema@.cvfw_live_trend(events pg_catalog.regclass, VARIADIC "group" "any")
RETURNS @extschema@.cvfw_trend
AS 'MODULE_PATHNAME' LANGUAGE C STABLE;
COMMENT ON FUNCTION @extschema@.cvfw_live_trend(pg_catalog.regclass, "any") IS
'the live trend of one group of a tracked events table: one value per grouping column (NULL when nobody)';

CREATE FUNCTION @extschema@.cvfw_live_compact(events pg_catalog.regclass)
RETURNS pg_catalog.int8
AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION @extschema@.cvfw_live_compact(pg_catalog.regclass) IS
'fold a tracked table''s pending changes into its compacted sums (writers do it now and then); returns the change rows folded';

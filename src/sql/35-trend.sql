
-- ---------------------------------------------------------------------------
-- cvfw_trend: leakage by period of visit entry, exact and mergeable
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.cvfw_trend;

CREATE FUNCTION @extschema@.cvfw_trend_in(pg_catalog.cstring)
RETURNS @extschema@.cvfw_trend
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_trend_out(@extschema@.cvfw_trend)
RETURNS pg_catalog.cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_trend_recv(pg_catalog.internal)
RETURNS @extschema@.cvfw_trend
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_trend_send(@extschema@.cvfw_trend)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.cvfw_trend (
	INPUT = @extschema@.cvfw_trend_in,
	OUTPUT = @extschema@.cvfw_trend_out,
	RECEIVE = @extschema@.cvfw_trend_recv,
	SEND = @extschema@.cvfw_trend_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = int4,
	STORAGE = extended
);

COMMENT ON TYPE @extschema@.cvfw_trend IS
'leakage by UTC day of visit entry and stage, exact and mergeable: build with cvfw_trend() or cvfw_trend_by_customer(), combine with cvfw_merge() or +, take customers out with -, read with cvfw_trend_leakage() or cvfw_bi_trend()';

-- cvfw_trend(stage, at [, value]): one customer's events -> trend.  The
-- state is cvfw_flow's (the customer's events): only the final differs.
CREATE FUNCTION @extschema@.cvfw_trend_final(pg_catalog.internal)
RETURNS @extschema@.cvfw_trend
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.cvfw_trend(@extschema@.cvfw_stage, pg_catalog.timestamptz) (
	SFUNC = @extschema@.cvfw_flow_trans, STYPE = pg_catalog.internal, SSPACE = 128,
	FINALFUNC = @extschema@.cvfw_trend_final,
	COMBINEFUNC = @extschema@.cvfw_flow_combine,
	SERIALFUNC = @extschema@.cvfw_flow_serialize,
	DESERIALFUNC = @extschema@.cvfw_flow_deserialize,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.cvfw_trend(@extschema@.cvfw_stage, pg_catalog.timestamptz,
	pg_catalog.float8) (
	SFUNC = @extschema@.cvfw_flow_trans, STYPE = pg_catalog.internal, SSPACE = 128,
	FINALFUNC = @extschema@.cvfw_trend_final,
	COMBINEFUNC = @extschema@.cvfw_flow_combine,
	SERIALFUNC = @extschema@.cvfw_flow_serialize,
	DESERIALFUNC = @extschema@.cvfw_flow_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_trend(@extschema@.cvfw_stage, pg_catalog.timestamptz,
	pg_catalog.float8) IS
'trend of one customer''s stage events (stage, at, value): GROUP BY the customer, then cvfw_merge()';

-- cvfw_trend_by_customer(customer, stage, at [, value]): the one-pass form.
-- Customer ids bigint, text or uuid; the state is cvfw_flow_by_customer's
-- (within work_mem, spilling to disk beyond it); no partial form, and the
-- final function reads a spilled sort once (READ_WRITE), as there.
CREATE FUNCTION @extschema@.cvfw_trend_by_customer_trans(pg_catalog.internal, pg_catalog.int8,
	@extschema@.cvfw_stage, pg_catalog.timestamptz)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_trend_by_customer_trans(pg_catalog.internal, pg_catalog.int8,
	@extschema@.cvfw_stage, pg_catalog.timestamptz, pg_catalog.float8)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_trend_by_customer_trans(pg_catalog.internal, pg_catalog.text,
	@extschema@.cvfw_stage, pg_catalog.timestamptz)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_trend_by_customer_trans(pg_catalog.internal, pg_catalog.text,
	@extschema@.cvfw_stage, pg_catalog.timestamptz, pg_catalog.float8)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_trend_by_customer_trans(pg_catalog.internal, pg_catalog.uuid,
	@extschema@.cvfw_stage, pg_catalog.timestamptz)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_trend_by_customer_trans(pg_catalog.internal, pg_catalog.uuid,
	@extschema@.cvfw_stage, pg_catalog.timestamptz, pg_catalog.float8)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_trend_by_customer_final(pg_catalog.internal)
RETURNS @extschema@.cvfw_trend
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.cvfw_trend_by_customer(pg_catalog.int8, @extschema@.cvfw_stage,
	pg_catalog.timestamptz) (
	SFUNC = @extschema@.cvfw_trend_by_customer_trans, STYPE = pg_catalog.internal, SSPACE = 1000000,
	FINALFUNC = @extschema@.cvfw_trend_by_customer_final, FINALFUNC_MODIFY = READ_WRITE,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.cvfw_trend_by_customer(pg_catalog.int8, @extschema@.cvfw_stage,
	pg_catalog.timestamptz, pg_catalog.float8) (
	SFUNC = @extschema@.cvfw_trend_by_customer_trans, STYPE = pg_catalog.internal, SSPACE = 1000000,
	FINALFUNC = @extschema@.cvfw_trend_by_customer_final, FINALFUNC_MODIFY = READ_WRITE,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.cvfw_trend_by_customer(pg_catalog.text, @extschema@.cvfw_stage,
	pg_catalog.timestamptz) (
	SFUNC = @extschema@.cvfw_trend_by_customer_trans, STYPE = pg_catalog.internal, SSPACE = 1000000,
	FINALFUNC = @extschema@.cvfw_trend_by_customer_final, FINALFUNC_MODIFY = READ_WRITE,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.cvfw_trend_by_customer(pg_catalog.text, @extschema@.cvfw_stage,
	pg_catalog.timestamptz, pg_catalog.float8) (
	SFUNC = @extschema@.cvfw_trend_by_customer_trans, STYPE = pg_catalog.internal, SSPACE = 1000000,
	FINALFUNC = @extschema@.cvfw_trend_by_customer_final, FINALFUNC_MODIFY = READ_WRITE,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.cvfw_trend_by_customer(pg_catalog.uuid, @extschema@.cvfw_stage,
	pg_catalog.timestamptz) (
	SFUNC = @extschema@.cvfw_trend_by_customer_trans, STYPE = pg_catalog.internal, SSPACE = 1000000,
	FINALFUNC = @extschema@.cvfw_trend_by_customer_final, FINALFUNC_MODIFY = READ_WRITE,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.cvfw_trend_by_customer(pg_catalog.uuid, @extschema@.cvfw_stage,
	pg_catalog.timestamptz, pg_catalog.float8) (
	SFUNC = @extschema@.cvfw_trend_by_customer_trans, STYPE = pg_catalog.internal, SSPACE = 1000000,
	FINALFUNC = @extschema@.cvfw_trend_by_customer_final, FINALFUNC_MODIFY = READ_WRITE,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE @extschema@.cvfw_trend_by_customer(pg_catalog.int8, @extschema@.cvfw_stage,
	pg_catalog.timestamptz, pg_catalog.float8) IS
'trend of many customers'' stage events in one aggregate: the same trend as cvfw_merge over cvfw_trend per customer; memory within work_mem, spilling to disk beyond';

-- cvfw_merge(cvfw_trend): trends of disjoint sets of customers -> one
CREATE FUNCTION @extschema@.cvfw_trend_merge_trans(pg_catalog.internal, @extschema@.cvfw_trend)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_trend_merge_combine(pg_catalog.internal, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_trend_merge_serialize(pg_catalog.internal)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_trend_merge_deserialize(pg_catalog.bytea, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_trend_merge_final(pg_catalog.internal)
RETURNS @extschema@.cvfw_trend
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.cvfw_merge(@extschema@.cvfw_trend) (
	SFUNC = @extschema@.cvfw_trend_merge_trans, STYPE = pg_catalog.internal, SSPACE = 16384,
	FINALFUNC = @extschema@.cvfw_trend_merge_final,
	COMBINEFUNC = @extschema@.cvfw_trend_merge_combine,
	SERIALFUNC = @extschema@.cvfw_trend_merge_serialize,
	DESERIALFUNC = @extschema@.cvfw_trend_merge_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_merge(@extschema@.cvfw_trend) IS
'merge trends of disjoint sets of customers';

-- trends as a group, as summaries are: NULL is the trend of no customers
CREATE FUNCTION @extschema@.cvfw_trend_add(a @extschema@.cvfw_trend, b @extschema@.cvfw_trend)
RETURNS @extschema@.cvfw_trend
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_trend_add(@extschema@.cvfw_trend, @extschema@.cvfw_trend) IS
'the trend of the customers of a and of b (disjoint sets), exact; NULL counts as no customers; the + operator';

CREATE FUNCTION @extschema@.cvfw_trend_subtract(total @extschema@.cvfw_trend, part @extschema@.cvfw_trend)
RETURNS @extschema@.cvfw_trend
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_trend_subtract(@extschema@.cvfw_trend, @extschema@.cvfw_trend) IS
'the trend of total''s customers without part''s, exact; an error when part is not held in total; NULL when nobody remains; the - operator';

CREATE OPERATOR @extschema@.+ (
	LEFTARG = @extschema@.cvfw_trend, RIGHTARG = @extschema@.cvfw_trend,
	FUNCTION = @extschema@.cvfw_trend_add,
	COMMUTATOR = OPERATOR(@extschema@.+)
);

CREATE OPERATOR @extschema@.- (
	LEFTARG = @extschema@.cvfw_trend, RIGHTARG = @extschema@.cvfw_trend,
	FUNCTION = @extschema@.cvfw_trend_subtract
);

-- the report ------------------------------------------------------------------

CREATE FUNCTION @extschema@.cvfw_trend_leakage(trend @extschema@.cvfw_trend,
	period pg_catalog.text DEFAULT 'month',
	as_of pg_catalog.timestamptz DEFAULT NULL, horizon pg_catalog.interval DEFAULT NULL)
RETURNS TABLE (period_start pg_catalog.date, stage @extschema@.cvfw_stage,
	visits pg_catalog.int8, advanced pg_catalog.int8, regressed pg_catalog.int8,
	skipped pg_catalog.int8, ended pg_catalog.int8, leaked pg_catalog.int8,
	active pg_catalog.int8, leak_rate pg_catalog.float8, value pg_catalog.float8)
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 144;
COMMENT ON FUNCTION @extschema@.cvfw_trend_leakage(@extschema@.cvfw_trend, pg_catalog.text, pg_catalog.timestamptz, pg_catalog.interval) IS
'leakage by period of visit entry (day, week or month, UTC): one row per period and stage that had visits; ended visits leak when the customer''s last event is older than horizon at as_of (without a horizon, all do)';

-- for BI tools: standard SQL types only (see cvfw_bi_leakage)
CREATE FUNCTION @extschema@.cvfw_bi_trend(trend @extschema@.cvfw_trend,
	period pg_catalog.text DEFAULT 'month',
	as_of pg_catalog.timestamptz DEFAULT NULL, horizon pg_catalog.interval DEFAULT NULL)
RETURNS TABLE (period_start pg_catalog.date, stage pg_catalog.text, "position" pg_catalog.int8,
	visits pg_catalog.int8, advanced pg_catalog.int8, regressed pg_catalog.int8,
	skipped pg_catalog.int8, ended pg_catalog.int8, leaked pg_catalog.int8,
	active pg_catalog.int8, leak_rate pg_catalog.float8, value pg_catalog.float8)
LANGUAGE sql IMMUTABLE PARALLEL SAFE ROWS 144
SET search_path = pg_catalog, pg_temp
AS $$
SELECT t.period_start, t.stage::pg_catalog.text, @extschema@.cvfw_position(t.stage)::pg_catalog.int8,
       t.visits, t.advanced, t.regressed, t.skipped, t.ended, t.leaked, t.active,
       t.leak_rate, t.value
FROM @extschema@.cvfw_trend_leakage($1, $2, $3, $4) t
$$;
COMMENT ON FUNCTION @extschema@.cvfw_bi_trend(@extschema@.cvfw_trend, pg_catalog.text, pg_catalog.timestamptz, pg_catalog.interval) IS
'cvfw_trend_leakage for BI tools: stage as text with its position, the period''s first day as a date';

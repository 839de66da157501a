
-- ---------------------------------------------------------------------------
-- cvfw_conversion: funnel conversion along a path of stages within a window
-- (doc/funnels.md): a mergeable summary, the aggregates that build it, its
-- report and accessors, and the report for BI tools
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.cvfw_conversion;

CREATE FUNCTION @extschema@.cvfw_conversion_in(pg_catalog.cstring)
RETURNS @extschema@.cvfw_conversion
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_conversion_out(@extschema@.cvfw_conversion)
RETURNS pg_catalog.cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_conversion_recv(pg_catalog.internal)
RETURNS @extschema@.cvfw_conversion
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_conversion_send(@extschema@.cvfw_conversion)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.cvfw_conversion (
	INPUT = @extschema@.cvfw_conversion_in,
	OUTPUT = @extschema@.cvfw_conversion_out,
	RECEIVE = @extschema@.cvfw_conversion_recv,
	SEND = @extschema@.cvfw_conversion_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = int4,
	STORAGE = extended
);

COMMENT ON TYPE @extschema@.cvfw_conversion IS
'mergeable summary of funnel conversion along a path of stages within a window: build with cvfw_conversion() or cvfw_conversion_by_customer(), combine with cvfw_conversion_merge(), read with cvfw_conversion_report()';

-- cvfw_conversion(stage, at, path, conversion_window [, options [, as_of]]):
-- one customer's events -> that customer's summary
CREATE FUNCTION @extschema@.cvfw_conversion_trans(pg_catalog.internal, @extschema@.cvfw_stage, pg_catalog.timestamptz, @extschema@.cvfw_stage[], pg_catalog.interval)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_conversion_trans(pg_catalog.internal, @extschema@.cvfw_stage, pg_catalog.timestamptz, @extschema@.cvfw_stage[], pg_catalog.interval, pg_catalog.text)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_conversion_trans(pg_catalog.internal, @extschema@.cvfw_stage, pg_catalog.timestamptz, @extschema@.cvfw_stage[], pg_catalog.interval, pg_catalog.text, pg_catalog.timestamptz)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_conversion_combine(pg_catalog.internal, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_conversion_serialize(pg_catalog.internal)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_conversion_deserialize(pg_catalog.bytea, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_conversion_final(pg_catalog.internal)
RETURNS @extschema@.cvfw_conversion
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.cvfw_conversion(@extschema@.cvfw_stage, pg_catalog.timestamptz, @extschema@.cvfw_stage[], pg_catalog.interval) (
	SFUNC = @extschema@.cvfw_conversion_trans, STYPE = pg_catalog.internal, SSPACE = 256,
	FINALFUNC = @extschema@.cvfw_conversion_final,
	COMBINEFUNC = @extschema@.cvfw_conversion_combine,
	SERIALFUNC = @extschema@.cvfw_conversion_serialize,
	DESERIALFUNC = @extschema@.cvfw_conversion_deserialize,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.cvfw_conversion(@extschema@.cvfw_stage, pg_catalog.timestamptz, @extschema@.cvfw_stage[], pg_catalog.interval, pg_catalog.text) (
	SFUNC = @extschema@.cvfw_conversion_trans, STYPE = pg_catalog.internal, SSPACE = 256,
	FINALFUNC = @extschema@.cvfw_conversion_final,
	COMBINEFUNC = @extschema@.cvfw_conversion_combine,
	SERIALFUNC = @extschema@.cvfw_conversion_serialize,
	DESERIALFUNC = @extschema@.cvfw_conversion_deserialize,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.cvfw_conversion(@extschema@.cvfw_stage, pg_catalog.timestamptz, @extschema@.cvfw_stage[], pg_catalog.interval, pg_catalog.text, pg_catalog.timestamptz) (
	SFUNC = @extschema@.cvfw_conversion_trans, STYPE = pg_catalog.internal, SSPACE = 256,
	FINALFUNC = @extschema@.cvfw_conversion_final,
	COMBINEFUNC = @extschema@.cvfw_conversion_combine,
	SERIALFUNC = @extschema@.cvfw_conversion_serialize,
	DESERIALFUNC = @extschema@.cvfw_conversion_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE @extschema@.cvfw_conversion(@extschema@.cvfw_stage, pg_catalog.timestamptz, @extschema@.cvfw_stage[], pg_catalog.interval, pg_catalog.text, pg_catalog.timestamptz) IS
'conversion summary of one customer''s stage events along path within conversion_window; options: first|any, loose|strict, by day|week|month; events after as_of are left out. GROUP BY the customer, then cvfw_conversion_merge()';

-- cvfw_conversion_merge(cvfw_conversion): summaries of disjoint sets of customers -> one
CREATE FUNCTION @extschema@.cvfw_conversion_merge_trans(pg_catalog.internal, @extschema@.cvfw_conversion)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_conversion_merge_combine(pg_catalog.internal, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_conversion_merge_serialize(pg_catalog.internal)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_conversion_merge_deserialize(pg_catalog.bytea, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_conversion_merge_final(pg_catalog.internal)
RETURNS @extschema@.cvfw_conversion
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.cvfw_conversion_merge(@extschema@.cvfw_conversion) (
	SFUNC = @extschema@.cvfw_conversion_merge_trans, STYPE = pg_catalog.internal, SSPACE = 16384,
	FINALFUNC = @extschema@.cvfw_conversion_merge_final,
	COMBINEFUNC = @extschema@.cvfw_conversion_merge_combine,
	SERIALFUNC = @extschema@.cvfw_conversion_merge_serialize,
	DESERIALFUNC = @extschema@.cvfw_conversion_merge_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_conversion_merge(@extschema@.cvfw_conversion) IS
'merge cvfw_conversion summaries of disjoint sets of customers, built with the same settings';

-- cvfw_conversion_by_customer(customer, stage, at, path, conversion_window
-- [, options [, as_of]]): many customers' events -> one summary, without a
-- GROUP BY per customer
CREATE FUNCTION @extschema@.cvfw_conversion_by_customer_trans(pg_catalog.internal, pg_catalog.int8, @extschema@.cvfw_stage, pg_catalog.timestamptz, @extschema@.cvfw_stage[], pg_catalog.interval)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_conversion_by_customer_trans(pg_catalog.internal, pg_catalog.int8, @extschema@.cvfw_stage, pg_catalog.timestamptz, @extschema@.cvfw_stage[], pg_catalog.interval, pg_catalog.text)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_conversion_by_customer_trans(pg_catalog.internal, pg_catalog.int8, @extschema@.cvfw_stage, pg_catalog.timestamptz, @extschema@.cvfw_stage[], pg_catalog.interval, pg_catalog.text, pg_catalog.timestamptz)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_conversion_by_customer_combine(pg_catalog.internal, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_conversion_by_customer_serialize(pg_catalog.internal)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_conversion_by_customer_deserialize(pg_catalog.bytea, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_conversion_by_customer_final(pg_catalog.internal)
RETURNS @extschema@.cvfw_conversion
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.cvfw_conversion_by_customer(pg_catalog.int8, @extschema@.cvfw_stage, pg_catalog.timestamptz, @extschema@.cvfw_stage[], pg_catalog.interval) (
	SFUNC = @extschema@.cvfw_conversion_by_customer_trans, STYPE = pg_catalog.internal, SSPACE = 1000000,
	FINALFUNC = @extschema@.cvfw_conversion_by_customer_final,
	COMBINEFUNC = @extschema@.cvfw_conversion_by_customer_combine,
	SERIALFUNC = @extschema@.cvfw_conversion_by_customer_serialize,
	DESERIALFUNC = @extschema@.cvfw_conversion_by_customer_deserialize,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.cvfw_conversion_by_customer(pg_catalog.int8, @extschema@.cvfw_stage, pg_catalog.timestamptz, @extschema@.cvfw_stage[], pg_catalog.interval, pg_catalog.text) (
	SFUNC = @extschema@.cvfw_conversion_by_customer_trans, STYPE = pg_catalog.internal, SSPACE = 1000000,
	FINALFUNC = @extschema@.cvfw_conversion_by_customer_final,
	COMBINEFUNC = @extschema@.cvfw_conversion_by_customer_combine,
	SERIALFUNC = @extschema@.cvfw_conversion_by_customer_serialize,
	DESERIALFUNC = @extschema@.cvfw_conversion_by_customer_deserialize,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.cvfw_conversion_by_customer(pg_catalog.int8, @extschema@.cvfw_stage, pg_catalog.timestamptz, @extschema@.cvfw_stage[], pg_catalog.interval, pg_catalog.text, pg_catalog.timestamptz) (
	SFUNC = @extschema@.cvfw_conversion_by_customer_trans, STYPE = pg_catalog.internal, SSPACE = 1000000,
	FINALFUNC = @extschema@.cvfw_conversion_by_customer_final,
	COMBINEFUNC = @extschema@.cvfw_conversion_by_customer_combine,
	SERIALFUNC = @extschema@.cvfw_conversion_by_customer_serialize,
	DESERIALFUNC = @extschema@.cvfw_conversion_by_customer_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE @extschema@.cvfw_conversion_by_customer(pg_catalog.int8, @extschema@.cvfw_stage, pg_catalog.timestamptz, @extschema@.cvfw_stage[], pg_catalog.interval, pg_catalog.text, pg_catalog.timestamptz) IS
'conversion summary of many customers'' stage events in one aggregate: the same summary as cvfw_conversion_merge over cvfw_conversion per customer';

-- reports ------------------------------------------------------------------------

CREATE FUNCTION @extschema@.cvfw_conversion_report(summary @extschema@.cvfw_conversion)
RETURNS TABLE (cohort pg_catalog.timestamptz, step pg_catalog.int4, stage @extschema@.cvfw_stage,
	customers pg_catalog.int8, attempts pg_catalog.int8, in_progress pg_catalog.int8,
	step_rate pg_catalog.float8, overall_rate pg_catalog.float8,
	time_avg pg_catalog.interval, time_p50 pg_catalog.interval, time_p90 pg_catalog.interval,
	step_time_avg pg_catalog.interval, step_time_p50 pg_catalog.interval,
	step_time_p90 pg_catalog.interval)
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 4;
COMMENT ON FUNCTION @extschema@.cvfw_conversion_report(@extschema@.cvfw_conversion) IS
'the funnel: one row per step (per cohort): customers and attempts that reached it, attempts still in progress, conversion from the previous step and from the first, time to convert from the first step and from the previous one';

CREATE FUNCTION @extschema@.cvfw_conversion_furthest(summary @extschema@.cvfw_conversion)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_conversion_furthest(@extschema@.cvfw_conversion) IS
'the last step any attempt reached (0 when none started): for one customer''s summary, how far that customer got';

CREATE FUNCTION @extschema@.cvfw_conversion_rate(summary @extschema@.cvfw_conversion)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_conversion_rate(@extschema@.cvfw_conversion) IS
'attempts that completed the path / attempts that started it, over all cohorts (NULL when none started)';

CREATE FUNCTION @extschema@.cvfw_conversion_rate(summary @extschema@.cvfw_conversion, step pg_catalog.int4)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_conversion_rate(@extschema@.cvfw_conversion, pg_catalog.int4) IS
'attempts that reached step / attempts that started, over all cohorts (NULL when none started)';

CREATE FUNCTION @extschema@.cvfw_conversion_time_percentile(summary @extschema@.cvfw_conversion,
	step pg_catalog.int4, fraction pg_catalog.float8)
RETURNS pg_catalog.interval
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_conversion_time_percentile(@extschema@.cvfw_conversion, pg_catalog.int4, pg_catalog.float8) IS
'the fraction-percentile of the time from the first step to step, over all cohorts (percentile_disc''s rank, within 0.8%)';

-- for BI tools: standard SQL types only (stages as text with their position,
-- times in days); a SQL function with a fixed search_path, as 60-bi.sql's
CREATE FUNCTION @extschema@.cvfw_bi_conversion(summary @extschema@.cvfw_conversion)
RETURNS TABLE (cohort pg_catalog.timestamptz, step pg_catalog.int8, stage pg_catalog.text,
	"position" pg_catalog.int8, customers pg_catalog.int8, attempts pg_catalog.int8,
	in_progress pg_catalog.int8, step_rate pg_catalog.float8, overall_rate pg_catalog.float8,
	time_avg_days pg_catalog.float8, time_p50_days pg_catalog.float8, time_p90_days pg_catalog.float8,
	step_time_avg_days pg_catalog.float8, step_time_p50_days pg_catalog.float8,
	step_time_p90_days pg_catalog.float8)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE ROWS 4
SET search_path = pg_catalog, pg_temp
AS $$
SELECT r.cohort, r.step::pg_catalog.int8, r.stage::pg_catalog.text,
       @extschema@.cvfw_position(r.stage)::pg_catalog.int8,
       r.customers, r.attempts, r.in_progress, r.step_rate, r.overall_rate,
       pg_catalog.date_part('epoch', r.time_avg) / 86400,
       pg_catalog.date_part('epoch', r.time_p50) / 86400,
       pg_catalog.date_part('epoch', r.time_p90) / 86400,
       pg_catalog.date_part('epoch', r.step_time_avg) / 86400,
       pg_catalog.date_part('epoch', r.step_time_p50) / 86400,
       pg_catalog.date_part('epoch', r.step_time_p90) / 86400
FROM @extschema@.cvfw_conversion_report($1) r
$$;
COMMENT ON FUNCTION @extschema@.cvfw_bi_conversion(@extschema@.cvfw_conversion) IS
'cvfw_conversion_report for BI tools: the step as bigint, its stage as text with its position, times in days (double precision)';


-- ---------------------------------------------------------------------------
-- cvfw_retention: cohort retention by period (doc/funnels.md): a mergeable
-- summary, the aggregates that build it, the matrix (already in standard
-- SQL types, for BI tools as it is) and a scalar rate
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.cvfw_retention;

CREATE FUNCTION @extschema@.cvfw_retention_in(pg_catalog.cstring)
RETURNS @extschema@.cvfw_retention
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_retention_out(@extschema@.cvfw_retention)
RETURNS pg_catalog.cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_retention_recv(pg_catalog.internal)
RETURNS @extschema@.cvfw_retention
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_retention_send(@extschema@.cvfw_retention)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.cvfw_retention (
	INPUT = @extschema@.cvfw_retention_in,
	OUTPUT = @extschema@.cvfw_retention_out,
	RECEIVE = @extschema@.cvfw_retention_recv,
	SEND = @extschema@.cvfw_retention_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = int4,
	STORAGE = extended
);

COMMENT ON TYPE @extschema@.cvfw_retention IS
'mergeable summary of cohort retention: build with cvfw_retention() or cvfw_retention_by_customer(), combine with cvfw_retention_merge(), read with cvfw_retention_matrix()';

-- cvfw_retention(stage, at, start_stage, period, as_of [, active_stages]):
-- one customer's events -> that customer's summary
CREATE FUNCTION @extschema@.cvfw_retention_trans(pg_catalog.internal, @extschema@.cvfw_stage, pg_catalog.timestamptz, @extschema@.cvfw_stage, pg_catalog.text, pg_catalog.timestamptz)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_retention_trans(pg_catalog.internal, @extschema@.cvfw_stage, pg_catalog.timestamptz, @extschema@.cvfw_stage, pg_catalog.text, pg_catalog.timestamptz, @extschema@.cvfw_stage[])
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_retention_combine(pg_catalog.internal, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_retention_serialize(pg_catalog.internal)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_retention_deserialize(pg_catalog.bytea, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_retention_final(pg_catalog.internal)
RETURNS @extschema@.cvfw_retention
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.cvfw_retention(@extschema@.cvfw_stage, pg_catalog.timestamptz, @extschema@.cvfw_stage, pg_catalog.text, pg_catalog.timestamptz) (
	SFUNC = @extschema@.cvfw_retention_trans, STYPE = pg_catalog.internal, SSPACE = 256,
	FINALFUNC = @extschema@.cvfw_retention_final,
	COMBINEFUNC = @extschema@.cvfw_retention_combine,
	SERIALFUNC = @extschema@.cvfw_retention_serialize,
	DESERIALFUNC = @extschema@.cvfw_retention_deserialize,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.cvfw_retention(@extschema@.cvfw_stage, pg_catalog.timestamptz, @extschema@.cvfw_stage, pg_catalog.text, pg_catalog.timestamptz, @extschema@.cvfw_stage[]) (
	SFUNC = @extschema@.cvfw_retention_trans, STYPE = pg_catalog.internal, SSPACE = 256,
	FINALFUNC = @extschema@.cvfw_retention_final,
	COMBINEFUNC = @extschema@.cvfw_retention_combine,
	SERIALFUNC = @extschema@.cvfw_retention_serialize,
	DESERIALFUNC = @extschema@.cvfw_retention_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE @extschema@.cvfw_retention(@extschema@.cvfw_stage, pg_catalog.timestamptz, @extschema@.cvfw_stage, pg_catalog.text, pg_catalog.timestamptz, @extschema@.cvfw_stage[]) IS
'retention summary of one customer''s stage events: cohort = the period of the first event at start_stage (any stage when NULL), activity = events at active_stages (all when NULL) up to as_of; period: day|week|month, optionally rolling. GROUP BY the customer, then cvfw_retention_merge()';

-- cvfw_retention_merge(cvfw_retention): summaries of disjoint sets of customers -> one
CREATE FUNCTION @extschema@.cvfw_retention_merge_trans(pg_catalog.internal, @extschema@.cvfw_retention)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_retention_merge_combine(pg_catalog.internal, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_retention_merge_serialize(pg_catalog.internal)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_retention_merge_deserialize(pg_catalog.bytea, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_retention_merge_final(pg_catalog.internal)
RETURNS @extschema@.cvfw_retention
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.cvfw_retention_merge(@extschema@.cvfw_retention) (
	SFUNC = @extschema@.cvfw_retention_merge_trans, STYPE = pg_catalog.internal, SSPACE = 16384,
	FINALFUNC = @extschema@.cvfw_retention_merge_final,
	COMBINEFUNC = @extschema@.cvfw_retention_merge_combine,
	SERIALFUNC = @extschema@.cvfw_retention_merge_serialize,
	DESERIALFUNC = @extschema@.cvfw_retention_merge_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_retention_merge(@extschema@.cvfw_retention) IS
'merge cvfw_retention summaries of disjoint sets of customers, built with the same settings';

-- cvfw_retention_by_customer(customer, stage, at, start_stage, period, as_of
-- [, active_stages]): many customers' events -> one summary
CREATE FUNCTION @extschema@.cvfw_retention_by_customer_trans(pg_catalog.internal, pg_catalog.int8, @extschema@.cvfw_stage, pg_catalog.timestamptz, @extschema@.cvfw_stage, pg_catalog.text, pg_catalog.timestamptz)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_retention_by_customer_trans(pg_catalog.internal, pg_catalog.int8, @extschema@.cvfw_stage, pg_catalog.timestamptz, @extschema@.cvfw_stage, pg_catalog.text, pg_catalog.timestamptz, @extschema@.cvfw_stage[])
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_retention_by_customer_combine(pg_catalog.internal, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_retention_by_customer_serialize(pg_catalog.internal)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_retention_by_customer_deserialize(pg_catalog.bytea, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_retention_by_customer_final(pg_catalog.internal)
RETURNS @extschema@.cvfw_retention
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.cvfw_retention_by_customer(pg_catalog.int8, @extschema@.cvfw_stage, pg_catalog.timestamptz, @extschema@.cvfw_stage, pg_catalog.text, pg_catalog.timestamptz) (
	SFUNC = @extschema@.cvfw_retention_by_customer_trans, STYPE = pg_catalog.internal, SSPACE = 1000000,
	FINALFUNC = @extschema@.cvfw_retention_by_customer_final,
	COMBINEFUNC = @extschema@.cvfw_retention_by_customer_combine,
	SERIALFUNC = @extschema@.cvfw_retention_by_customer_serialize,
	DESERIALFUNC = @extschema@.cvfw_retention_by_customer_deserialize,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.cvfw_retention_by_customer(pg_catalog.int8, @extschema@.cvfw_stage, pg_catalog.timestamptz, @extschema@.cvfw_stage, pg_catalog.text, pg_catalog.timestamptz, @extschema@.cvfw_stage[]) (
	SFUNC = @extschema@.cvfw_retention_by_customer_trans, STYPE = pg_catalog.internal, SSPACE = 1000000,
	FINALFUNC = @extschema@.cvfw_retention_by_customer_final,
	COMBINEFUNC = @extschema@.cvfw_retention_by_customer_combine,
	SERIALFUNC = @extschema@.cvfw_retention_by_customer_serialize,
	DESERIALFUNC = @extschema@.cvfw_retention_by_customer_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE @extschema@.cvfw_retention_by_customer(pg_catalog.int8, @extschema@.cvfw_stage, pg_catalog.timestamptz, @extschema@.cvfw_stage, pg_catalog.text, pg_catalog.timestamptz, @extschema@.cvfw_stage[]) IS
'retention summary of many customers'' stage events in one aggregate: the same summary as cvfw_retention_merge over cvfw_retention per customer';

-- reports ------------------------------------------------------------------------

CREATE FUNCTION @extschema@.cvfw_retention_matrix(summary @extschema@.cvfw_retention)
RETURNS TABLE (cohort pg_catalog.timestamptz, period_offset pg_catalog.int8,
	cohort_customers pg_catalog.int8, customers pg_catalog.int8, retained pg_catalog.int8,
	rate pg_catalog.float8, retained_on_or_after pg_catalog.int8,
	rate_on_or_after pg_catalog.float8)
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;
COMMENT ON FUNCTION @extschema@.cvfw_retention_matrix(@extschema@.cvfw_retention) IS
'the retention triangle as rows: per cohort and complete period offset, the customers for whom it is complete, those active in it (N-period retention) and those active in it or later (on-or-after retention), with rates over those customers';

CREATE FUNCTION @extschema@.cvfw_retention_rate(summary @extschema@.cvfw_retention,
	period_offset pg_catalog.int4, on_or_after pg_catalog.bool DEFAULT false)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_retention_rate(@extschema@.cvfw_retention, pg_catalog.int4, pg_catalog.bool) IS
'retention at one period offset over all cohorts: retained / customers for whom the offset is complete (NULL when there are none)';

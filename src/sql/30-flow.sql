
-- ---------------------------------------------------------------------------
-- cvfw_flow: a mergeable summary of how customers moved around the wheel
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.cvfw_flow;

CREATE FUNCTION @extschema@.cvfw_flow_in(pg_catalog.cstring)
RETURNS @extschema@.cvfw_flow
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_flow_out(@extschema@.cvfw_flow)
RETURNS pg_catalog.cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_flow_recv(pg_catalog.internal)
RETURNS @extschema@.cvfw_flow
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_flow_send(@extschema@.cvfw_flow)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.cvfw_flow (
	INPUT = @extschema@.cvfw_flow_in,
	OUTPUT = @extschema@.cvfw_flow_out,
	RECEIVE = @extschema@.cvfw_flow_recv,
	SEND = @extschema@.cvfw_flow_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = int4,
	STORAGE = extended
);

COMMENT ON TYPE @extschema@.cvfw_flow IS
'mergeable summary of customers'' movements around the wheel, amounts exact to 1e-6: build with cvfw_flow(), combine with cvfw_merge() or +, take customers out with -, read with cvfw_leakage(), cvfw_transitions(), cvfw_flow_json()';

-- cvfw_flow(stage, at [, value [, cost]]): one customer's events -> summary
CREATE FUNCTION @extschema@.cvfw_flow_trans(pg_catalog.internal,
	@extschema@.cvfw_stage, pg_catalog.timestamptz)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_flow_trans(pg_catalog.internal,
	@extschema@.cvfw_stage, pg_catalog.timestamptz, pg_catalog.float8)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_flow_trans(pg_catalog.internal,
	@extschema@.cvfw_stage, pg_catalog.timestamptz, pg_catalog.float8, pg_catalog.float8)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_flow_combine(pg_catalog.internal, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_flow_serialize(pg_catalog.internal)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_flow_deserialize(pg_catalog.bytea, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_flow_final(pg_catalog.internal)
RETURNS @extschema@.cvfw_flow
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.cvfw_flow(@extschema@.cvfw_stage, pg_catalog.timestamptz) (
	SFUNC = @extschema@.cvfw_flow_trans, STYPE = pg_catalog.internal, SSPACE = 128,
	FINALFUNC = @extschema@.cvfw_flow_final,
	COMBINEFUNC = @extschema@.cvfw_flow_combine,
	SERIALFUNC = @extschema@.cvfw_flow_serialize,
	DESERIALFUNC = @extschema@.cvfw_flow_deserialize,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.cvfw_flow(@extschema@.cvfw_stage, pg_catalog.timestamptz,
	pg_catalog.float8) (
	SFUNC = @extschema@.cvfw_flow_trans, STYPE = pg_catalog.internal, SSPACE = 128,
	FINALFUNC = @extschema@.cvfw_flow_final,
	COMBINEFUNC = @extschema@.cvfw_flow_combine,
	SERIALFUNC = @extschema@.cvfw_flow_serialize,
	DESERIALFUNC = @extschema@.cvfw_flow_deserialize,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.cvfw_flow(@extschema@.cvfw_stage, pg_catalog.timestamptz,
	pg_catalog.float8, pg_catalog.float8) (
	SFUNC = @extschema@.cvfw_flow_trans, STYPE = pg_catalog.internal, SSPACE = 128,
	FINALFUNC = @extschema@.cvfw_flow_final,
	COMBINEFUNC = @extschema@.cvfw_flow_combine,
	SERIALFUNC = @extschema@.cvfw_flow_serialize,
	DESERIALFUNC = @extschema@.cvfw_flow_deserialize,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE @extschema@.cvfw_flow(@extschema@.cvfw_stage, pg_catalog.timestamptz,
	pg_catalog.float8, pg_catalog.float8) IS
'flow summary of one customer''s stage events (stage, at, value, cost): GROUP BY the customer, then cvfw_merge()';

-- cvfw_merge(cvfw_flow): summaries of disjoint sets of customers -> one
CREATE FUNCTION @extschema@.cvfw_merge_trans(pg_catalog.internal, @extschema@.cvfw_flow)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_merge_combine(pg_catalog.internal, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_merge_serialize(pg_catalog.internal)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_merge_deserialize(pg_catalog.bytea, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_merge_final(pg_catalog.internal)
RETURNS @extschema@.cvfw_flow
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.cvfw_merge(@extschema@.cvfw_flow) (
	SFUNC = @extschema@.cvfw_merge_trans, STYPE = pg_catalog.internal, SSPACE = 16384,
	FINALFUNC = @extschema@.cvfw_merge_final,
	COMBINEFUNC = @extschema@.cvfw_merge_combine,
	SERIALFUNC = @extschema@.cvfw_merge_serialize,
	DESERIALFUNC = @extschema@.cvfw_merge_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_merge(@extschema@.cvfw_flow) IS
'merge flow summaries of disjoint sets of customers';

-- summaries as a group: + adds disjoint sets of customers, - takes a set
-- out of a summary that holds it; NULL is the summary of no customers
CREATE FUNCTION @extschema@.cvfw_flow_add(a @extschema@.cvfw_flow, b @extschema@.cvfw_flow)
RETURNS @extschema@.cvfw_flow
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_flow_add(@extschema@.cvfw_flow, @extschema@.cvfw_flow) IS
'the summary of the customers of a and of b (disjoint sets), exact; NULL counts as no customers; the + operator';

CREATE FUNCTION @extschema@.cvfw_flow_subtract(total @extschema@.cvfw_flow, part @extschema@.cvfw_flow)
RETURNS @extschema@.cvfw_flow
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_flow_subtract(@extschema@.cvfw_flow, @extschema@.cvfw_flow) IS
'the summary of total''s customers without part''s, exact; an error when part is not held in total; NULL when nobody remains; the - operator';

CREATE OPERATOR @extschema@.+ (
	LEFTARG = @extschema@.cvfw_flow, RIGHTARG = @extschema@.cvfw_flow,
	FUNCTION = @extschema@.cvfw_flow_add,
	COMMUTATOR = OPERATOR(@extschema@.+)
);

CREATE OPERATOR @extschema@.- (
	LEFTARG = @extschema@.cvfw_flow, RIGHTARG = @extschema@.cvfw_flow,
	FUNCTION = @extschema@.cvfw_flow_subtract
);

-- reports ------------------------------------------------------------------------

CREATE FUNCTION @extschema@.cvfw_leakage(flow @extschema@.cvfw_flow,
	as_of pg_catalog.timestamptz DEFAULT NULL, horizon pg_catalog.interval DEFAULT NULL)
RETURNS TABLE (stage @extschema@.cvfw_stage, customers pg_catalog.int8, visits pg_catalog.int8,
	advanced pg_catalog.int8, regressed pg_catalog.int8, skipped pg_catalog.int8,
	ended pg_catalog.int8, leaked pg_catalog.int8, active pg_catalog.int8,
	leak_rate pg_catalog.float8, value pg_catalog.float8, cost pg_catalog.float8,
	value_at_risk pg_catalog.float8, dwell_avg pg_catalog.interval,
	dwell_p50 pg_catalog.interval, dwell_p90 pg_catalog.interval)
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 6;
COMMENT ON FUNCTION @extschema@.cvfw_leakage(@extschema@.cvfw_flow, pg_catalog.timestamptz, pg_catalog.interval) IS
'where the flow leaks: one row per stage; ended visits leak when the customer''s last event is older than horizon at as_of (without a horizon, all do)';

CREATE FUNCTION @extschema@.cvfw_transitions(flow @extschema@.cvfw_flow)
RETURNS TABLE (from_stage @extschema@.cvfw_stage, to_stage @extschema@.cvfw_stage,
	transitions pg_catalog.int8, share pg_catalog.float8)
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 30;
COMMENT ON FUNCTION @extschema@.cvfw_transitions(@extschema@.cvfw_flow) IS
'moves between consecutive visits: one row per (from, to) that occurred; share = transitions / visits of from_stage';

CREATE FUNCTION @extschema@.cvfw_flow_json(flow @extschema@.cvfw_flow,
	as_of pg_catalog.timestamptz DEFAULT NULL, horizon pg_catalog.interval DEFAULT NULL)
RETURNS pg_catalog.jsonb
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_flow_json(@extschema@.cvfw_flow, pg_catalog.timestamptz, pg_catalog.interval) IS
'the leakage report and the transitions as one JSON document';

-- scalar accessors, for materialized views and BI tools that cannot call
-- set-returning functions
CREATE FUNCTION @extschema@.cvfw_customers(flow @extschema@.cvfw_flow)
RETURNS pg_catalog.int8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_visits(flow @extschema@.cvfw_flow, stage @extschema@.cvfw_stage)
RETURNS pg_catalog.int8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_leaked(flow @extschema@.cvfw_flow, stage @extschema@.cvfw_stage,
	as_of pg_catalog.timestamptz DEFAULT NULL, horizon pg_catalog.interval DEFAULT NULL)
RETURNS pg_catalog.int8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_leak_rate(flow @extschema@.cvfw_flow, stage @extschema@.cvfw_stage,
	as_of pg_catalog.timestamptz DEFAULT NULL, horizon pg_catalog.interval DEFAULT NULL)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_value_at_risk(flow @extschema@.cvfw_flow, stage @extschema@.cvfw_stage,
	as_of pg_catalog.timestamptz DEFAULT NULL, horizon pg_catalog.interval DEFAULT NULL)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_dwell_percentile(flow @extschema@.cvfw_flow,
	stage @extschema@.cvfw_stage, fraction pg_catalog.float8)
RETURNS pg_catalog.interval
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_transition_count(flow @extschema@.cvfw_flow,
	from_stage @extschema@.cvfw_stage, to_stage @extschema@.cvfw_stage)
RETURNS pg_catalog.int8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- cvfw_flow_by_customer(customer, stage, at [, value [, cost]]): the events
-- of many customers at once -> one summary, without a GROUP BY per customer.
-- Customer ids: bigint, text (compared as bytes) or uuid.  No partial form
-- (combine/serialise): a partial state would be the raw events, so a
-- parallel or distributed plan would copy every event to the leader; the
-- aggregate runs in one process within work_mem and spills to disk
-- instead (doc/flow.md).  The final function reads a spilled sort once:
-- READ_WRITE, so it is not used as a window function.

CREATE FUNCTION @extschema@.cvfw_flow_by_customer_trans(pg_catalog.internal, pg_catalog.int8,
	@extschema@.cvfw_stage, pg_catalog.timestamptz)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'cvfw_flow_by_customer_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_flow_by_customer_trans(pg_catalog.internal, pg_catalog.int8,
	@extschema@.cvfw_stage, pg_catalog.timestamptz, pg_catalog.float8)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'cvfw_flow_by_customer_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_flow_by_customer_trans(pg_catalog.internal, pg_catalog.int8,
	@extschema@.cvfw_stage, pg_catalog.timestamptz, pg_catalog.float8, pg_catalog.float8)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'cvfw_flow_by_customer_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_flow_by_customer_trans(pg_catalog.internal, pg_catalog.text,
	@extschema@.cvfw_stage, pg_catalog.timestamptz)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'cvfw_flow_by_customer_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_flow_by_customer_trans(pg_catalog.internal, pg_catalog.text,
	@extschema@.cvfw_stage, pg_catalog.timestamptz, pg_catalog.float8)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'cvfw_flow_by_customer_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_flow_by_customer_trans(pg_catalog.internal, pg_catalog.text,
	@extschema@.cvfw_stage, pg_catalog.timestamptz, pg_catalog.float8, pg_catalog.float8)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'cvfw_flow_by_customer_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_flow_by_customer_trans(pg_catalog.internal, pg_catalog.uuid,
	@extschema@.cvfw_stage, pg_catalog.timestamptz)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'cvfw_flow_by_customer_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_flow_by_customer_trans(pg_catalog.internal, pg_catalog.uuid,
	@extschema@.cvfw_stage, pg_catalog.timestamptz, pg_catalog.float8)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'cvfw_flow_by_customer_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_flow_by_customer_trans(pg_catalog.internal, pg_catalog.uuid,
	@extschema@.cvfw_stage, pg_catalog.timestamptz, pg_catalog.float8, pg_catalog.float8)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'cvfw_flow_by_customer_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_flow_by_customer_final(pg_catalog.internal)
RETURNS @extschema@.cvfw_flow
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.cvfw_flow_by_customer(pg_catalog.int8, @extschema@.cvfw_stage,
	pg_catalog.timestamptz) (
	SFUNC = @extschema@.cvfw_flow_by_customer_trans, STYPE = pg_catalog.internal, SSPACE = 1000000,
	FINALFUNC = @extschema@.cvfw_flow_by_customer_final, FINALFUNC_MODIFY = READ_WRITE,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.cvfw_flow_by_customer(pg_catalog.int8, @extschema@.cvfw_stage,
	pg_catalog.timestamptz, pg_catalog.float8) (
	SFUNC = @extschema@.cvfw_flow_by_customer_trans, STYPE = pg_catalog.internal, SSPACE = 1000000,
	FINALFUNC = @extschema@.cvfw_flow_by_customer_final, FINALFUNC_MODIFY = READ_WRITE,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.cvfw_flow_by_customer(pg_catalog.int8, @extschema@.cvfw_stage,
	pg_catalog.timestamptz, pg_catalog.float8, pg_catalog.float8) (
	SFUNC = @extschema@.cvfw_flow_by_customer_trans, STYPE = pg_catalog.internal, SSPACE = 1000000,
	FINALFUNC = @extschema@.cvfw_flow_by_customer_final, FINALFUNC_MODIFY = READ_WRITE,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_flow_by_customer(pg_catalog.int8, @extschema@.cvfw_stage,
	pg_catalog.timestamptz, pg_catalog.float8, pg_catalog.float8) IS
'flow summary of many customers'' stage events in one aggregate: the same summary as cvfw_merge over cvfw_flow per customer; memory within work_mem, spilling to disk beyond';

CREATE AGGREGATE @extschema@.cvfw_flow_by_customer(pg_catalog.text, @extschema@.cvfw_stage,
	pg_catalog.timestamptz) (
	SFUNC = @extschema@.cvfw_flow_by_customer_trans, STYPE = pg_catalog.internal, SSPACE = 1000000,
	FINALFUNC = @extschema@.cvfw_flow_by_customer_final, FINALFUNC_MODIFY = READ_WRITE,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.cvfw_flow_by_customer(pg_catalog.text, @extschema@.cvfw_stage,
	pg_catalog.timestamptz, pg_catalog.float8) (
	SFUNC = @extschema@.cvfw_flow_by_customer_trans, STYPE = pg_catalog.internal, SSPACE = 1000000,
	FINALFUNC = @extschema@.cvfw_flow_by_customer_final, FINALFUNC_MODIFY = READ_WRITE,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.cvfw_flow_by_customer(pg_catalog.text, @extschema@.cvfw_stage,
	pg_catalog.timestamptz, pg_catalog.float8, pg_catalog.float8) (
	SFUNC = @extschema@.cvfw_flow_by_customer_trans, STYPE = pg_catalog.internal, SSPACE = 1000000,
	FINALFUNC = @extschema@.cvfw_flow_by_customer_final, FINALFUNC_MODIFY = READ_WRITE,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_flow_by_customer(pg_catalog.text, @extschema@.cvfw_stage,
	pg_catalog.timestamptz, pg_catalog.float8, pg_catalog.float8) IS
'flow summary of many customers'' stage events in one aggregate: the same summary as cvfw_merge over cvfw_flow per customer; memory within work_mem, spilling to disk beyond';

CREATE AGGREGATE @extschema@.cvfw_flow_by_customer(pg_catalog.uuid, @extschema@.cvfw_stage,
	pg_catalog.timestamptz) (
	SFUNC = @extschema@.cvfw_flow_by_customer_trans, STYPE = pg_catalog.internal, SSPACE = 1000000,
	FINALFUNC = @extschema@.cvfw_flow_by_customer_final, FINALFUNC_MODIFY = READ_WRITE,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.cvfw_flow_by_customer(pg_catalog.uuid, @extschema@.cvfw_stage,
	pg_catalog.timestamptz, pg_catalog.float8) (
	SFUNC = @extschema@.cvfw_flow_by_customer_trans, STYPE = pg_catalog.internal, SSPACE = 1000000,
	FINALFUNC = @extschema@.cvfw_flow_by_customer_final, FINALFUNC_MODIFY = READ_WRITE,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.cvfw_flow_by_customer(pg_catalog.uuid, @extschema@.cvfw_stage,
	pg_catalog.timestamptz, pg_catalog.float8, pg_catalog.float8) (
	SFUNC = @extschema@.cvfw_flow_by_customer_trans, STYPE = pg_catalog.internal, SSPACE = 1000000,
	FINALFUNC = @extschema@.cvfw_flow_by_customer_final, FINALFUNC_MODIFY = READ_WRITE,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_flow_by_customer(pg_catalog.uuid, @extschema@.cvfw_stage,
	pg_catalog.timestamptz, pg_catalog.float8, pg_catalog.float8) IS
'flow summary of many customers'' stage events in one aggregate: the same summary as cvfw_merge over cvfw_flow per customer; memory within work_mem, spilling to disk beyond';

-- cvfw_flow_by_customer: memory within work_mem, spilling to disk; no
-- partial form (doc/flow.md); text and uuid customer ids.
--
-- The bigint aggregates keep their identity (views over them stay valid):
-- CREATE OR REPLACE AGGREGATE replaces an existing member of the extension
-- in place (it refuses an object that is not one), dropping its combine,
-- serialise and deserialise functions and declaring that the final
-- function reads the state once (READ_WRITE).  Their C functions stay in
-- the library, so 0.1.0 installations keep working until updated.

CREATE OR REPLACE AGGREGATE @extschema@.cvfw_flow_by_customer(pg_catalog.int8, @extschema@.cvfw_stage,
	pg_catalog.timestamptz) (
	SFUNC = @extschema@.cvfw_flow_by_customer_trans, STYPE = pg_catalog.internal, SSPACE = 1000000,
	FINALFUNC = @extschema@.cvfw_flow_by_customer_final, FINALFUNC_MODIFY = READ_WRITE,
	PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE @extschema@.cvfw_flow_by_customer(pg_catalog.int8, @extschema@.cvfw_stage,
	pg_catalog.timestamptz, pg_catalog.float8) (
	SFUNC = @extschema@.cvfw_flow_by_customer_trans, STYPE = pg_catalog.internal, SSPACE = 1000000,
	FINALFUNC = @extschema@.cvfw_flow_by_customer_final, FINALFUNC_MODIFY = READ_WRITE,
	PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE @extschema@.cvfw_flow_by_customer(pg_catalog.int8, @extschema@.cvfw_stage,
	pg_catalog.timestamptz, pg_catalog.float8, pg_catalog.float8) (
	SFUNC = @extschema@.cvfw_flow_by_customer_trans, STYPE = pg_catalog.internal, SSPACE = 1000000,
	FINALFUNC = @extschema@.cvfw_flow_by_customer_final, FINALFUNC_MODIFY = READ_WRITE,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_flow_by_customer(pg_catalog.int8, @extschema@.cvfw_stage,
	pg_catalog.timestamptz, pg_catalog.float8, pg_catalog.float8) IS
'flow summary of many customers'' stage events in one aggregate: the same summary as cvfw_merge over cvfw_flow per customer; memory within work_mem, spilling to disk beyond';

DROP FUNCTION @extschema@.cvfw_flow_by_customer_combine(pg_catalog.internal, pg_catalog.internal);
DROP FUNCTION @extschema@.cvfw_flow_by_customer_serialize(pg_catalog.internal);
DROP FUNCTION @extschema@.cvfw_flow_by_customer_deserialize(pg_catalog.bytea, pg_catalog.internal);

-- text and uuid ids: one C transition function for every id type
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

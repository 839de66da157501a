-- ---------------------------------------------------------------------------
-- cvfw_stage: one of the six wheel stages, one byte, ordered by wheel position
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.cvfw_stage;

CREATE FUNCTION @extschema@.cvfw_stage_in(pg_catalog.cstring)
RETURNS @extschema@.cvfw_stage
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_stage_out(@extschema@.cvfw_stage)
RETURNS pg_catalog.cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_stage_recv(pg_catalog.internal)
RETURNS @extschema@.cvfw_stage
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_stage_send(@extschema@.cvfw_stage)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.cvfw_stage (
	INPUT = @extschema@.cvfw_stage_in,
	OUTPUT = @extschema@.cvfw_stage_out,
	RECEIVE = @extschema@.cvfw_stage_recv,
	SEND = @extschema@.cvfw_stage_send,
	INTERNALLENGTH = 1,
	PASSEDBYVALUE,
	ALIGNMENT = char,
	STORAGE = plain
);

COMMENT ON TYPE @extschema@.cvfw_stage IS
'Customer Value Flow Wheel stage: awareness, exploration, experience, value_realization, advocacy, engagement (ordered by wheel position)';

-- comparison ------------------------------------------------------------------

CREATE FUNCTION @extschema@.cvfw_stage_eq(@extschema@.cvfw_stage, @extschema@.cvfw_stage)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION @extschema@.cvfw_stage_ne(@extschema@.cvfw_stage, @extschema@.cvfw_stage)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION @extschema@.cvfw_stage_lt(@extschema@.cvfw_stage, @extschema@.cvfw_stage)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION @extschema@.cvfw_stage_le(@extschema@.cvfw_stage, @extschema@.cvfw_stage)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION @extschema@.cvfw_stage_gt(@extschema@.cvfw_stage, @extschema@.cvfw_stage)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION @extschema@.cvfw_stage_ge(@extschema@.cvfw_stage, @extschema@.cvfw_stage)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION @extschema@.cvfw_stage_cmp(@extschema@.cvfw_stage, @extschema@.cvfw_stage)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION @extschema@.cvfw_stage_sortsupport(pg_catalog.internal)
RETURNS pg_catalog.void
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_stage_hash(@extschema@.cvfw_stage)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION @extschema@.cvfw_stage_hash_extended(@extschema@.cvfw_stage, pg_catalog.int8)
RETURNS pg_catalog.int8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR @extschema@.= (
	LEFTARG = @extschema@.cvfw_stage, RIGHTARG = @extschema@.cvfw_stage,
	FUNCTION = @extschema@.cvfw_stage_eq,
	COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
	RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel,
	HASHES, MERGES
);

CREATE OPERATOR @extschema@.<> (
	LEFTARG = @extschema@.cvfw_stage, RIGHTARG = @extschema@.cvfw_stage,
	FUNCTION = @extschema@.cvfw_stage_ne,
	COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
	RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);

CREATE OPERATOR @extschema@.< (
	LEFTARG = @extschema@.cvfw_stage, RIGHTARG = @extschema@.cvfw_stage,
	FUNCTION = @extschema@.cvfw_stage_lt,
	COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
	RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);

CREATE OPERATOR @extschema@.<= (
	LEFTARG = @extschema@.cvfw_stage, RIGHTARG = @extschema@.cvfw_stage,
	FUNCTION = @extschema@.cvfw_stage_le,
	COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
	RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);

CREATE OPERATOR @extschema@.> (
	LEFTARG = @extschema@.cvfw_stage, RIGHTARG = @extschema@.cvfw_stage,
	FUNCTION = @extschema@.cvfw_stage_gt,
	COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
	RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);

CREATE OPERATOR @extschema@.>= (
	LEFTARG = @extschema@.cvfw_stage, RIGHTARG = @extschema@.cvfw_stage,
	FUNCTION = @extschema@.cvfw_stage_ge,
	COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
	RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);

-- btree (with sort support and deduplication) and hash classes; = HASHES and
-- MERGES through them.
CREATE OPERATOR CLASS @extschema@.cvfw_stage_ops
DEFAULT FOR TYPE @extschema@.cvfw_stage USING btree AS
	OPERATOR 1 @extschema@.<,
	OPERATOR 2 @extschema@.<=,
	OPERATOR 3 @extschema@.=,
	OPERATOR 4 @extschema@.>=,
	OPERATOR 5 @extschema@.>,
	FUNCTION 1 @extschema@.cvfw_stage_cmp(@extschema@.cvfw_stage, @extschema@.cvfw_stage),
	FUNCTION 2 @extschema@.cvfw_stage_sortsupport(pg_catalog.internal),
	FUNCTION 4 pg_catalog.btequalimage(pg_catalog.oid);

CREATE OPERATOR CLASS @extschema@.cvfw_stage_ops
DEFAULT FOR TYPE @extschema@.cvfw_stage USING hash AS
	OPERATOR 1 @extschema@.=,
	FUNCTION 1 @extschema@.cvfw_stage_hash(@extschema@.cvfw_stage),
	FUNCTION 2 @extschema@.cvfw_stage_hash_extended(@extschema@.cvfw_stage, pg_catalog.int8);

-- min() and max(): overloads on our own type, so they cannot collide with a
-- user's function; SORTOP lets the planner answer them from a btree index.
CREATE FUNCTION @extschema@.cvfw_stage_smaller(@extschema@.cvfw_stage, @extschema@.cvfw_stage)
RETURNS @extschema@.cvfw_stage
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_stage_larger(@extschema@.cvfw_stage, @extschema@.cvfw_stage)
RETURNS @extschema@.cvfw_stage
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE @extschema@.min(@extschema@.cvfw_stage) (
	SFUNC = @extschema@.cvfw_stage_smaller,
	STYPE = @extschema@.cvfw_stage,
	COMBINEFUNC = @extschema@.cvfw_stage_smaller,
	SORTOP = OPERATOR(@extschema@.<),
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.max(@extschema@.cvfw_stage) (
	SFUNC = @extschema@.cvfw_stage_larger,
	STYPE = @extschema@.cvfw_stage,
	COMBINEFUNC = @extschema@.cvfw_stage_larger,
	SORTOP = OPERATOR(@extschema@.>),
	PARALLEL = SAFE
);

-- casts: text-like types both ways as assignment casts, so
-- ALTER COLUMN ... TYPE cvfw_stage works on a text column; an enum column
-- goes through text (stage::text::cvfw_stage).
CREATE CAST (pg_catalog.text AS @extschema@.cvfw_stage) WITH INOUT AS ASSIGNMENT;
CREATE CAST (@extschema@.cvfw_stage AS pg_catalog.text) WITH INOUT AS ASSIGNMENT;
CREATE CAST (pg_catalog.varchar AS @extschema@.cvfw_stage) WITH INOUT AS ASSIGNMENT;
CREATE CAST (@extschema@.cvfw_stage AS pg_catalog.varchar) WITH INOUT AS ASSIGNMENT;
CREATE CAST (pg_catalog.bpchar AS @extschema@.cvfw_stage) WITH INOUT AS ASSIGNMENT;
CREATE CAST (@extschema@.cvfw_stage AS pg_catalog.bpchar) WITH INOUT AS ASSIGNMENT;

-- wheel arithmetic ------------------------------------------------------------

CREATE FUNCTION @extschema@.cvfw_position(@extschema@.cvfw_stage)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.cvfw_position(@extschema@.cvfw_stage) IS
'wheel position of a stage, 1 (awareness) .. 6 (engagement)';

CREATE FUNCTION @extschema@.cvfw_stage(pg_catalog.int4)
RETURNS @extschema@.cvfw_stage
AS 'MODULE_PATHNAME', 'cvfw_stage_from_position' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_stage(pg_catalog.int4) IS
'stage at a wheel position 1..6';

CREATE FUNCTION @extschema@.cvfw_next(@extschema@.cvfw_stage)
RETURNS @extschema@.cvfw_stage
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.cvfw_next(@extschema@.cvfw_stage) IS
'next stage clockwise; engagement is followed by awareness';

CREATE FUNCTION @extschema@.cvfw_prev(@extschema@.cvfw_stage)
RETURNS @extschema@.cvfw_stage
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.cvfw_prev(@extschema@.cvfw_stage) IS
'previous stage; awareness is preceded by engagement';

CREATE FUNCTION @extschema@.cvfw_stage_plus(@extschema@.cvfw_stage, pg_catalog.int4)
RETURNS @extschema@.cvfw_stage
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION @extschema@.cvfw_stage_minus(@extschema@.cvfw_stage, pg_catalog.int4)
RETURNS @extschema@.cvfw_stage
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR @extschema@.+ (
	LEFTARG = @extschema@.cvfw_stage, RIGHTARG = pg_catalog.int4,
	FUNCTION = @extschema@.cvfw_stage_plus
);
COMMENT ON OPERATOR @extschema@.+ (@extschema@.cvfw_stage, pg_catalog.int4) IS
'rotate clockwise by n stages (negative n: anticlockwise)';

CREATE OPERATOR @extschema@.- (
	LEFTARG = @extschema@.cvfw_stage, RIGHTARG = pg_catalog.int4,
	FUNCTION = @extschema@.cvfw_stage_minus
);
COMMENT ON OPERATOR @extschema@.- (@extschema@.cvfw_stage, pg_catalog.int4) IS
'rotate anticlockwise by n stages (negative n: clockwise)';

CREATE FUNCTION @extschema@.cvfw_steps(from_stage @extschema@.cvfw_stage, to_stage @extschema@.cvfw_stage)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.cvfw_steps(@extschema@.cvfw_stage, @extschema@.cvfw_stage) IS
'clockwise distance from one stage to another, 0..5';

CREATE FUNCTION @extschema@.cvfw_stages()
RETURNS TABLE ("position" pg_catalog.int4, stage @extschema@.cvfw_stage, goal pg_catalog.text)
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 6;
COMMENT ON FUNCTION @extschema@.cvfw_stages() IS
'the six wheel stages in order, with the goal of each';

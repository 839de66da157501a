
-- ---------------------------------------------------------------------------
-- cvfw_policy: the set of allowed (from -> to) stage changes, a 6x6 boolean
-- matrix in 8 bytes, by value
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.cvfw_policy;

CREATE FUNCTION @extschema@.cvfw_policy_in(pg_catalog.cstring)
RETURNS @extschema@.cvfw_policy
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_policy_out(@extschema@.cvfw_policy)
RETURNS pg_catalog.cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_policy_recv(pg_catalog.internal)
RETURNS @extschema@.cvfw_policy
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_policy_send(@extschema@.cvfw_policy)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- 8 bytes by value needs a 64-bit server (every supported platform but
-- 32-bit builds)
CREATE TYPE @extschema@.cvfw_policy (
	INPUT = @extschema@.cvfw_policy_in,
	OUTPUT = @extschema@.cvfw_policy_out,
	RECEIVE = @extschema@.cvfw_policy_recv,
	SEND = @extschema@.cvfw_policy_send,
	INTERNALLENGTH = 8,
	PASSEDBYVALUE,
	ALIGNMENT = double,
	STORAGE = plain
);

COMMENT ON TYPE @extschema@.cvfw_policy IS
'set of allowed stage transitions: a policy name (wheel, strict, adjacent, forward, open, none) or edges from>to';

CREATE FUNCTION @extschema@.cvfw_policy(name pg_catalog.text)
RETURNS @extschema@.cvfw_policy
AS 'MODULE_PATHNAME', 'cvfw_policy_from_name' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_policy(pg_catalog.text) IS
'the named policy: wheel, strict, adjacent, forward, open or none';

-- equality and a fixed total order (of the bit patterns, meaningless
-- otherwise) so policies can be grouped, sorted, indexed and joined
CREATE FUNCTION @extschema@.cvfw_policy_eq(@extschema@.cvfw_policy, @extschema@.cvfw_policy)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION @extschema@.cvfw_policy_ne(@extschema@.cvfw_policy, @extschema@.cvfw_policy)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION @extschema@.cvfw_policy_lt(@extschema@.cvfw_policy, @extschema@.cvfw_policy)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION @extschema@.cvfw_policy_le(@extschema@.cvfw_policy, @extschema@.cvfw_policy)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION @extschema@.cvfw_policy_gt(@extschema@.cvfw_policy, @extschema@.cvfw_policy)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION @extschema@.cvfw_policy_ge(@extschema@.cvfw_policy, @extschema@.cvfw_policy)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION @extschema@.cvfw_policy_cmp(@extschema@.cvfw_policy, @extschema@.cvfw_policy)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION @extschema@.cvfw_policy_hash(@extschema@.cvfw_policy)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION @extschema@.cvfw_policy_hash_extended(@extschema@.cvfw_policy, pg_catalog.int8)
RETURNS pg_catalog.int8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR @extschema@.= (
	LEFTARG = @extschema@.cvfw_policy, RIGHTARG = @extschema@.cvfw_policy,
	FUNCTION = @extschema@.cvfw_policy_eq,
	COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
	RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel,
	HASHES, MERGES
);

CREATE OPERATOR @extschema@.<> (
	LEFTARG = @extschema@.cvfw_policy, RIGHTARG = @extschema@.cvfw_policy,
	FUNCTION = @extschema@.cvfw_policy_ne,
	COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
	RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);

-- the order operators are spelt as hstore spells its own (#<# ...): a
-- policy's "<" would read as "fewer transitions", which this order is not
CREATE OPERATOR @extschema@.#<# (
	LEFTARG = @extschema@.cvfw_policy, RIGHTARG = @extschema@.cvfw_policy,
	FUNCTION = @extschema@.cvfw_policy_lt,
	COMMUTATOR = OPERATOR(@extschema@.#>#), NEGATOR = OPERATOR(@extschema@.#>=#),
	RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);

CREATE OPERATOR @extschema@.#<=# (
	LEFTARG = @extschema@.cvfw_policy, RIGHTARG = @extschema@.cvfw_policy,
	FUNCTION = @extschema@.cvfw_policy_le,
	COMMUTATOR = OPERATOR(@extschema@.#>=#), NEGATOR = OPERATOR(@extschema@.#>#),
	RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);

CREATE OPERATOR @extschema@.#># (
	LEFTARG = @extschema@.cvfw_policy, RIGHTARG = @extschema@.cvfw_policy,
	FUNCTION = @extschema@.cvfw_policy_gt,
	COMMUTATOR = OPERATOR(@extschema@.#<#), NEGATOR = OPERATOR(@extschema@.#<=#),
	RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);

CREATE OPERATOR @extschema@.#>=# (
	LEFTARG = @extschema@.cvfw_policy, RIGHTARG = @extschema@.cvfw_policy,
	FUNCTION = @extschema@.cvfw_policy_ge,
	COMMUTATOR = OPERATOR(@extschema@.#<=#), NEGATOR = OPERATOR(@extschema@.#<#),
	RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);

CREATE OPERATOR CLASS @extschema@.cvfw_policy_ops
DEFAULT FOR TYPE @extschema@.cvfw_policy USING btree AS
	OPERATOR 1 @extschema@.#<#,
	OPERATOR 2 @extschema@.#<=#,
	OPERATOR 3 @extschema@.=,
	OPERATOR 4 @extschema@.#>=#,
	OPERATOR 5 @extschema@.#>#,
	FUNCTION 1 @extschema@.cvfw_policy_cmp(@extschema@.cvfw_policy, @extschema@.cvfw_policy),
	FUNCTION 4 pg_catalog.btequalimage(pg_catalog.oid);

CREATE OPERATOR CLASS @extschema@.cvfw_policy_ops
DEFAULT FOR TYPE @extschema@.cvfw_policy USING hash AS
	OPERATOR 1 @extschema@.=,
	FUNCTION 1 @extschema@.cvfw_policy_hash(@extschema@.cvfw_policy),
	FUNCTION 2 @extschema@.cvfw_policy_hash_extended(@extschema@.cvfw_policy, pg_catalog.int8);

-- set operations and containment
CREATE FUNCTION @extschema@.cvfw_policy_union(@extschema@.cvfw_policy, @extschema@.cvfw_policy)
RETURNS @extschema@.cvfw_policy
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION @extschema@.cvfw_policy_intersect(@extschema@.cvfw_policy, @extschema@.cvfw_policy)
RETURNS @extschema@.cvfw_policy
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION @extschema@.cvfw_policy_contains(@extschema@.cvfw_policy, @extschema@.cvfw_policy)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION @extschema@.cvfw_policy_contained(@extschema@.cvfw_policy, @extschema@.cvfw_policy)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR @extschema@.| (
	LEFTARG = @extschema@.cvfw_policy, RIGHTARG = @extschema@.cvfw_policy,
	FUNCTION = @extschema@.cvfw_policy_union,
	COMMUTATOR = OPERATOR(@extschema@.|)
);
COMMENT ON OPERATOR @extschema@.| (@extschema@.cvfw_policy, @extschema@.cvfw_policy) IS
'union: transitions allowed by either policy';

CREATE OPERATOR @extschema@.& (
	LEFTARG = @extschema@.cvfw_policy, RIGHTARG = @extschema@.cvfw_policy,
	FUNCTION = @extschema@.cvfw_policy_intersect,
	COMMUTATOR = OPERATOR(@extschema@.&)
);
COMMENT ON OPERATOR @extschema@.& (@extschema@.cvfw_policy, @extschema@.cvfw_policy) IS
'intersection: transitions allowed by both policies';

CREATE OPERATOR @extschema@.@> (
	LEFTARG = @extschema@.cvfw_policy, RIGHTARG = @extschema@.cvfw_policy,
	FUNCTION = @extschema@.cvfw_policy_contains,
	COMMUTATOR = OPERATOR(@extschema@.<@),
	RESTRICT = pg_catalog.contsel, JOIN = pg_catalog.contjoinsel
);
COMMENT ON OPERATOR @extschema@.@> (@extschema@.cvfw_policy, @extschema@.cvfw_policy) IS
'contains: the left policy allows every transition the right one does';

CREATE OPERATOR @extschema@.<@ (
	LEFTARG = @extschema@.cvfw_policy, RIGHTARG = @extschema@.cvfw_policy,
	FUNCTION = @extschema@.cvfw_policy_contained,
	COMMUTATOR = OPERATOR(@extschema@.@>),
	RESTRICT = pg_catalog.contsel, JOIN = pg_catalog.contjoinsel
);
COMMENT ON OPERATOR @extschema@.<@ (@extschema@.cvfw_policy, @extschema@.cvfw_policy) IS
'is contained by: the right policy allows every transition the left one does';

-- cvfw_policy_agg(from, to): the policy allowing exactly the pairs seen
CREATE FUNCTION @extschema@.cvfw_policy_agg_trans(
	@extschema@.cvfw_policy, @extschema@.cvfw_stage, @extschema@.cvfw_stage)
RETURNS @extschema@.cvfw_policy
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.cvfw_policy_agg(@extschema@.cvfw_stage, @extschema@.cvfw_stage) (
	SFUNC = @extschema@.cvfw_policy_agg_trans,
	STYPE = @extschema@.cvfw_policy,
	COMBINEFUNC = @extschema@.cvfw_policy_union,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_policy_agg(@extschema@.cvfw_stage, @extschema@.cvfw_stage) IS
'the policy allowing exactly the (from, to) pairs aggregated; NULL when there are none';

-- ---------------------------------------------------------------------------
-- validation functions: the policy defaults to wheel; NULL in, NULL out
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.cvfw_transition_valid(
	from_stage @extschema@.cvfw_stage, to_stage @extschema@.cvfw_stage,
	policy @extschema@.cvfw_policy DEFAULT 'wheel')
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.cvfw_transition_valid(@extschema@.cvfw_stage, @extschema@.cvfw_stage, @extschema@.cvfw_policy) IS
'may a customer move from one stage to the other under the policy (default wheel)? Staying in a stage is valid under every policy';

CREATE FUNCTION @extschema@.cvfw_allowed_next(
	from_stage @extschema@.cvfw_stage, policy @extschema@.cvfw_policy DEFAULT 'wheel')
RETURNS @extschema@.cvfw_stage[]
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_allowed_next(@extschema@.cvfw_stage, @extschema@.cvfw_policy) IS
'the stages the policy allows after a stage, the stage itself included (staying is always valid), in wheel order';

CREATE FUNCTION @extschema@.cvfw_path_valid(
	path @extschema@.cvfw_stage[], policy @extschema@.cvfw_policy DEFAULT 'wheel')
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_path_valid(@extschema@.cvfw_stage[], @extschema@.cvfw_policy) IS
'is every step of the path allowed? NULL elements are skipped, a repeated stage is valid';

CREATE FUNCTION @extschema@.cvfw_first_invalid_step(
	path @extschema@.cvfw_stage[], policy @extschema@.cvfw_policy DEFAULT 'wheel')
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_first_invalid_step(@extschema@.cvfw_stage[], @extschema@.cvfw_policy) IS
'subscript of the first stage that may not follow the one before it (NULLs skipped, repeats valid); NULL when the path is valid';

-- ---------------------------------------------------------------------------
-- the guard trigger
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.cvfw_enforce_transition()
RETURNS pg_catalog.trigger
AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.cvfw_enforce_transition() IS
'BEFORE UPDATE FOR EACH ROW trigger: cvfw_enforce_transition(''column'' [, ''policy'']) refuses stage changes the policy (default wheel) does not allow; cvfw_guard installs the guard nothing else on the table gets round';

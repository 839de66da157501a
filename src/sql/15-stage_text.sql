
-- ---------------------------------------------------------------------------
-- cvfw_stage compared with text: what a driver sends for a string parameter
-- (JDBC's setString sends varchar, which reaches these through varchar's
-- implicit cast to text), in both directions.  The text side is read as a
-- stage name (22P02 when it is none) and the stages compared.
--
-- No ambiguity for anything that resolved before: a literal ('awareness')
-- is unknown, and unknown takes the other side's type, so stage = 'x' is
-- still cvfw_stage = cvfw_stage and text = 'x' still text = text; a
-- varchar column against a literal still picks text = text (for an unknown
-- operand PostgreSQL prefers the string category).  No varchar operators:
-- those would win over text = text for varchar = 'literal'.
--
-- The functions are SQL whose body the planner inlines, so a stage = $1
-- with a text parameter becomes stage = $1::cvfw_stage and can use an index
-- on the stage column; they name every object by schema instead of pinning
-- search_path, which would stop the inlining.
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.cvfw_stage_eq_text(@extschema@.cvfw_stage, pg_catalog.text)
RETURNS pg_catalog.bool
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT $1 OPERATOR(@extschema@.=) $2::@extschema@.cvfw_stage $$;

CREATE FUNCTION @extschema@.cvfw_text_eq_stage(pg_catalog.text, @extschema@.cvfw_stage)
RETURNS pg_catalog.bool
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT $1::@extschema@.cvfw_stage OPERATOR(@extschema@.=) $2 $$;

CREATE FUNCTION @extschema@.cvfw_stage_ne_text(@extschema@.cvfw_stage, pg_catalog.text)
RETURNS pg_catalog.bool
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT $1 OPERATOR(@extschema@.<>) $2::@extschema@.cvfw_stage $$;

CREATE FUNCTION @extschema@.cvfw_text_ne_stage(pg_catalog.text, @extschema@.cvfw_stage)
RETURNS pg_catalog.bool
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT $1::@extschema@.cvfw_stage OPERATOR(@extschema@.<>) $2 $$;

CREATE FUNCTION @extschema@.cvfw_stage_lt_text(@extschema@.cvfw_stage, pg_catalog.text)
RETURNS pg_catalog.bool
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT $1 OPERATOR(@extschema@.<) $2::@extschema@.cvfw_stage $$;

CREATE FUNCTION @extschema@.cvfw_text_lt_stage(pg_catalog.text, @extschema@.cvfw_stage)
RETURNS pg_catalog.bool
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT $1::@extschema@.cvfw_stage OPERATOR(@extschema@.<) $2 $$;

CREATE FUNCTION @extschema@.cvfw_stage_le_text(@extschema@.cvfw_stage, pg_catalog.text)
RETURNS pg_catalog.bool
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT $1 OPERATOR(@extschema@.<=) $2::@extschema@.cvfw_stage $$;

CREATE FUNCTION @extschema@.cvfw_text_le_stage(pg_catalog.text, @extschema@.cvfw_stage)
RETURNS pg_catalog.bool
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT $1::@extschema@.cvfw_stage OPERATOR(@extschema@.<=) $2 $$;

CREATE FUNCTION @extschema@.cvfw_stage_gt_text(@extschema@.cvfw_stage, pg_catalog.text)
RETURNS pg_catalog.bool
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT $1 OPERATOR(@extschema@.>) $2::@extschema@.cvfw_stage $$;

CREATE FUNCTION @extschema@.cvfw_text_gt_stage(pg_catalog.text, @extschema@.cvfw_stage)
RETURNS pg_catalog.bool
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT $1::@extschema@.cvfw_stage OPERATOR(@extschema@.>) $2 $$;

CREATE FUNCTION @extschema@.cvfw_stage_ge_text(@extschema@.cvfw_stage, pg_catalog.text)
RETURNS pg_catalog.bool
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT $1 OPERATOR(@extschema@.>=) $2::@extschema@.cvfw_stage $$;

CREATE FUNCTION @extschema@.cvfw_text_ge_stage(pg_catalog.text, @extschema@.cvfw_stage)
RETURNS pg_catalog.bool
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT $1::@extschema@.cvfw_stage OPERATOR(@extschema@.>=) $2 $$;

CREATE OPERATOR @extschema@.= (
	LEFTARG = @extschema@.cvfw_stage, RIGHTARG = pg_catalog.text,
	FUNCTION = @extschema@.cvfw_stage_eq_text,
	COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
	RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel
);

CREATE OPERATOR @extschema@.= (
	LEFTARG = pg_catalog.text, RIGHTARG = @extschema@.cvfw_stage,
	FUNCTION = @extschema@.cvfw_text_eq_stage,
	COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
	RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel
);

CREATE OPERATOR @extschema@.<> (
	LEFTARG = @extschema@.cvfw_stage, RIGHTARG = pg_catalog.text,
	FUNCTION = @extschema@.cvfw_stage_ne_text,
	COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
	RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);

CREATE OPERATOR @extschema@.<> (
	LEFTARG = pg_catalog.text, RIGHTARG = @extschema@.cvfw_stage,
	FUNCTION = @extschema@.cvfw_text_ne_stage,
	COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
	RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);

CREATE OPERATOR @extschema@.< (
	LEFTARG = @extschema@.cvfw_stage, RIGHTARG = pg_catalog.text,
	FUNCTION = @extschema@.cvfw_stage_lt_text,
	COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
	RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);

CREATE OPERATOR @extschema@.< (
	LEFTARG = pg_catalog.text, RIGHTARG = @extschema@.cvfw_stage,
	FUNCTION = @extschema@.cvfw_text_lt_stage,
	COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
	RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);

CREATE OPERATOR @extschema@.<= (
	LEFTARG = @extschema@.cvfw_stage, RIGHTARG = pg_catalog.text,
	FUNCTION = @extschema@.cvfw_stage_le_text,
	COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
	RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);

CREATE OPERATOR @extschema@.<= (
	LEFTARG = pg_catalog.text, RIGHTARG = @extschema@.cvfw_stage,
	FUNCTION = @extschema@.cvfw_text_le_stage,
	COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
	RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);

CREATE OPERATOR @extschema@.> (
	LEFTARG = @extschema@.cvfw_stage, RIGHTARG = pg_catalog.text,
	FUNCTION = @extschema@.cvfw_stage_gt_text,
	COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
	RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);

CREATE OPERATOR @extschema@.> (
	LEFTARG = pg_catalog.text, RIGHTARG = @extschema@.cvfw_stage,
	FUNCTION = @extschema@.cvfw_text_gt_stage,
	COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
	RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);

CREATE OPERATOR @extschema@.>= (
	LEFTARG = @extschema@.cvfw_stage, RIGHTARG = pg_catalog.text,
	FUNCTION = @extschema@.cvfw_stage_ge_text,
	COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
	RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);

CREATE OPERATOR @extschema@.>= (
	LEFTARG = pg_catalog.text, RIGHTARG = @extschema@.cvfw_stage,
	FUNCTION = @extschema@.cvfw_text_ge_stage,
	COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
	RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);


-- ---------------------------------------------------------------------------
-- the wheel as a picture
-- ---------------------------------------------------------------------------

-- not STRICT: a NULL summary (an aggregate over no rows) draws the empty
-- wheel; as_of may be NULL when there is no horizon
CREATE FUNCTION @extschema@.cvfw_wheel_svg(flow @extschema@.cvfw_flow,
	as_of pg_catalog.timestamptz DEFAULT NULL, horizon pg_catalog.interval DEFAULT NULL)
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_wheel_svg(@extschema@.cvfw_flow, pg_catalog.timestamptz, pg_catalog.interval) IS
'the wheel as a standalone SVG picture: stages in wheel order, flows as wide as the transitions, leakage and value at risk at each stage';

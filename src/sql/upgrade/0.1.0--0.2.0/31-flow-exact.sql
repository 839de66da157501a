-- 0.2.0: exact summaries (amounts in millionths, summary format version 2,
-- read alongside 0.1.0's version 1) and summaries as a group: + and -.
-- The C functions behind the existing flow objects changed, not their SQL.

COMMENT ON TYPE @extschema@.cvfw_flow IS
'mergeable summary of customers'' movements around the wheel, amounts exact to 1e-6: build with cvfw_flow(), combine with cvfw_merge() or +, take customers out with -, read with cvfw_leakage(), cvfw_transitions(), cvfw_flow_json()';

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

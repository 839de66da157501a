
-- ---------------------------------------------------------------------------
-- customer lifetime value, up to customer competitiveness
-- ---------------------------------------------------------------------------

-- revenue per period x periods - costs
CREATE FUNCTION @extschema@.cvfw_clv(revenue_per_period pg_catalog.float8,
	periods pg_catalog.float8, costs pg_catalog.float8)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'cvfw_clv_simple' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_clv(pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS
'lifetime value: revenue per period x periods - costs';

CREATE FUNCTION @extschema@.cvfw_clv(revenue_per_period pg_catalog.numeric,
	periods pg_catalog.numeric, costs pg_catalog.numeric)
RETURNS pg_catalog.numeric
AS 'MODULE_PATHNAME', 'cvfw_clv_numeric' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_clv(pg_catalog.numeric, pg_catalog.numeric, pg_catalog.numeric) IS
'lifetime value in exact numeric arithmetic: revenue per period x periods - costs';

CREATE FUNCTION @extschema@.cvfw_clv(revenue_per_period pg_catalog.float8,
	periods pg_catalog.float8, costs pg_catalog.float8,
	margin pg_catalog.float8, discount pg_catalog.float8)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'cvfw_clv_discounted' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_clv(pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS
'lifetime value with a gross margin and a per-period discount rate: each period''s margin x revenue discounted by (1 + discount)^t, minus costs';

CREATE TYPE @extschema@.cvfw_clv_report AS (
	customers pg_catalog.int8,
	churned pg_catalog.int8,
	exposure_periods pg_catalog.float8,
	revenue_per_period pg_catalog.float8,
	expected_periods pg_catalog.float8,
	cost_per_customer pg_catalog.float8,
	clv_per_customer pg_catalog.float8,
	total_clv pg_catalog.float8,
	acquisition_cost pg_catalog.float8,
	new_customer_clv pg_catalog.float8
);
COMMENT ON TYPE @extschema@.cvfw_clv_report IS
'customer lifetime value of a group of customers: the estimates and the values behind them';

-- cvfw_clv_agg(revenue, cost, tenure, churned [, period]): one row per existing customer
CREATE FUNCTION @extschema@.cvfw_clv_agg_trans(pg_catalog.internal, pg_catalog.float8,
	pg_catalog.float8, pg_catalog.interval, pg_catalog.bool)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_clv_agg_trans(pg_catalog.internal, pg_catalog.float8,
	pg_catalog.float8, pg_catalog.interval, pg_catalog.bool, pg_catalog.interval)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_clv_agg_combine(pg_catalog.internal, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_clv_agg_serialize(pg_catalog.internal)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_clv_agg_deserialize(pg_catalog.bytea, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cvfw_clv_agg_final(pg_catalog.internal)
RETURNS @extschema@.cvfw_clv_report
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.cvfw_clv_agg(revenue pg_catalog.float8, cost pg_catalog.float8,
	tenure pg_catalog.interval, churned pg_catalog.bool) (
	SFUNC = @extschema@.cvfw_clv_agg_trans, STYPE = pg_catalog.internal, SSPACE = 64,
	FINALFUNC = @extschema@.cvfw_clv_agg_final,
	COMBINEFUNC = @extschema@.cvfw_clv_agg_combine,
	SERIALFUNC = @extschema@.cvfw_clv_agg_serialize,
	DESERIALFUNC = @extschema@.cvfw_clv_agg_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_clv_agg(pg_catalog.float8, pg_catalog.float8, pg_catalog.interval, pg_catalog.bool) IS
'CLV report over one row per existing customer, periods of one month (30 days)';

CREATE AGGREGATE @extschema@.cvfw_clv_agg(revenue pg_catalog.float8, cost pg_catalog.float8,
	tenure pg_catalog.interval, churned pg_catalog.bool, period pg_catalog.interval) (
	SFUNC = @extschema@.cvfw_clv_agg_trans, STYPE = pg_catalog.internal, SSPACE = 64,
	FINALFUNC = @extschema@.cvfw_clv_agg_final,
	COMBINEFUNC = @extschema@.cvfw_clv_agg_combine,
	SERIALFUNC = @extschema@.cvfw_clv_agg_serialize,
	DESERIALFUNC = @extschema@.cvfw_clv_agg_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvfw_clv_agg(pg_catalog.float8, pg_catalog.float8, pg_catalog.interval, pg_catalog.bool, pg_catalog.interval) IS
'CLV report over one row per existing customer, in periods of the given length';

-- the same report from a flow summary: values, costs, activity and leakage from one data set
CREATE FUNCTION @extschema@.cvfw_clv(flow @extschema@.cvfw_flow, as_of pg_catalog.timestamptz,
	horizon pg_catalog.interval, period pg_catalog.interval,
	margin pg_catalog.float8 DEFAULT 1, discount pg_catalog.float8 DEFAULT 0)
RETURNS @extschema@.cvfw_clv_report
AS 'MODULE_PATHNAME', 'cvfw_clv_flow' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_clv(@extschema@.cvfw_flow, pg_catalog.timestamptz, pg_catalog.interval, pg_catalog.interval, pg_catalog.float8, pg_catalog.float8) IS
'CLV report from a flow summary: churned = leaked as of as_of with the horizon, revenue = values, costs, acquisition cost = costs before the first value_realization';

CREATE FUNCTION @extschema@.cvfw_clv_with(report @extschema@.cvfw_clv_report,
	margin pg_catalog.float8 DEFAULT 1, discount pg_catalog.float8 DEFAULT 0,
	acquisition_cost pg_catalog.float8 DEFAULT NULL)
RETURNS @extschema@.cvfw_clv_report
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_clv_with(@extschema@.cvfw_clv_report, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS
'the report''s lifetime values again with a margin, a discount rate and (if given) an acquisition cost';

CREATE FUNCTION @extschema@.cvfw_competitiveness(report @extschema@.cvfw_clv_report,
	new_customers pg_catalog.float8)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_competitiveness(@extschema@.cvfw_clv_report, pg_catalog.float8) IS
'customer competitiveness: the existing customers'' total CLV + new customers x the expected CLV of a new customer';

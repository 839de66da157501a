
-- ---------------------------------------------------------------------------
-- reports for BI tools: only standard SQL types (text, bigint, double
-- precision, timestamptz), which every JDBC/ODBC driver maps to a standard
-- type -- no cvfw_stage, no composite, no interval (a JDBC "other" type):
-- stages are text with their position, durations are days
-- ---------------------------------------------------------------------------

-- SQL functions with a fixed search_path: their bodies are parsed when
-- called, and the caller's search_path must not choose their operators
CREATE FUNCTION @extschema@.cvfw_bi_leakage(flow @extschema@.cvfw_flow,
	as_of pg_catalog.timestamptz DEFAULT NULL, horizon pg_catalog.interval DEFAULT NULL)
RETURNS TABLE (stage pg_catalog.text, "position" pg_catalog.int8,
	customers pg_catalog.int8, visits pg_catalog.int8, advanced pg_catalog.int8,
	regressed pg_catalog.int8, skipped pg_catalog.int8, ended pg_catalog.int8,
	leaked pg_catalog.int8, active pg_catalog.int8, leak_rate pg_catalog.float8,
	value pg_catalog.float8, cost pg_catalog.float8, value_at_risk pg_catalog.float8,
	dwell_avg_days pg_catalog.float8, dwell_p50_days pg_catalog.float8,
	dwell_p90_days pg_catalog.float8)
LANGUAGE sql IMMUTABLE PARALLEL SAFE ROWS 6
SET search_path = pg_catalog, pg_temp
AS $$
SELECT l.stage::pg_catalog.text, @extschema@.cvfw_position(l.stage)::pg_catalog.int8,
       l.customers, l.visits, l.advanced, l.regressed, l.skipped, l.ended, l.leaked, l.active,
       l.leak_rate, l.value, l.cost, l.value_at_risk,
       pg_catalog.date_part('epoch', l.dwell_avg) / 86400,
       pg_catalog.date_part('epoch', l.dwell_p50) / 86400,
       pg_catalog.date_part('epoch', l.dwell_p90) / 86400
FROM @extschema@.cvfw_leakage($1, $2, $3) l
$$;
COMMENT ON FUNCTION @extschema@.cvfw_bi_leakage(@extschema@.cvfw_flow, pg_catalog.timestamptz, pg_catalog.interval) IS
'cvfw_leakage for BI tools: stage as text with its position, dwell times in days (double precision)';

CREATE FUNCTION @extschema@.cvfw_bi_transitions(flow @extschema@.cvfw_flow)
RETURNS TABLE (from_stage pg_catalog.text, from_position pg_catalog.int8,
	to_stage pg_catalog.text, to_position pg_catalog.int8, direction pg_catalog.text,
	transitions pg_catalog.int8, share pg_catalog.float8)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE ROWS 30
SET search_path = pg_catalog, pg_temp
AS $$
SELECT t.from_stage::pg_catalog.text, @extschema@.cvfw_position(t.from_stage)::pg_catalog.int8,
       t.to_stage::pg_catalog.text, @extschema@.cvfw_position(t.to_stage)::pg_catalog.int8,
       CASE WHEN @extschema@.cvfw_steps(t.from_stage, t.to_stage) = 1 THEN 'advanced'
            WHEN @extschema@.cvfw_position(t.to_stage) < @extschema@.cvfw_position(t.from_stage) THEN 'regressed'
            ELSE 'skipped' END,
       t.transitions, t.share
FROM @extschema@.cvfw_transitions($1) t
$$;
COMMENT ON FUNCTION @extschema@.cvfw_bi_transitions(@extschema@.cvfw_flow) IS
'cvfw_transitions for BI tools: stages as text with their positions, and the direction (advanced, regressed, skipped)';

CREATE FUNCTION @extschema@.cvfw_bi_value(flow @extschema@.cvfw_flow,
	as_of pg_catalog.timestamptz, horizon pg_catalog.interval,
	period pg_catalog.interval DEFAULT '30 days', margin pg_catalog.float8 DEFAULT 1,
	discount pg_catalog.float8 DEFAULT 0, new_customers pg_catalog.float8 DEFAULT 0)
RETURNS TABLE (as_of pg_catalog.timestamptz, period_days pg_catalog.float8,
	customers pg_catalog.int8, churned pg_catalog.int8, exposure_periods pg_catalog.float8,
	revenue_per_period pg_catalog.float8, expected_periods pg_catalog.float8,
	cost_per_customer pg_catalog.float8, clv_per_customer pg_catalog.float8,
	total_clv pg_catalog.float8, acquisition_cost pg_catalog.float8,
	new_customer_clv pg_catalog.float8, competitiveness pg_catalog.float8)
LANGUAGE sql IMMUTABLE PARALLEL SAFE ROWS 1
SET search_path = pg_catalog, pg_temp
AS $$
SELECT $2, pg_catalog.date_part('epoch', $4) / 86400,
       (r).customers, (r).churned, (r).exposure_periods, (r).revenue_per_period,
       (r).expected_periods, (r).cost_per_customer, (r).clv_per_customer, (r).total_clv,
       (r).acquisition_cost, (r).new_customer_clv, @extschema@.cvfw_competitiveness(r, $7)
FROM (SELECT @extschema@.cvfw_clv($1, $2, $3, $4, $5, $6) AS r) s
-- not "r IS NOT NULL": that is false when any field is NULL
WHERE NOT (r IS NULL)
$$;
COMMENT ON FUNCTION @extschema@.cvfw_bi_value(@extschema@.cvfw_flow, pg_catalog.timestamptz, pg_catalog.interval, pg_catalog.interval, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS
'the value report (cvfw_clv from a flow, cvfw_competitiveness) as one row of standard types; no row for a NULL summary';

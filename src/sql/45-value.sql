
-- ---------------------------------------------------------------------------
-- what to fix first: the wheel as a chain of visits (doc/value.md) — what a
-- customer at each stage is worth from here on, what each leak costs, what
-- fixing one would bring, and dwell that counts the visits still open
-- ---------------------------------------------------------------------------

-- not STRICT: as_of may be NULL when there is no horizon; a NULL summary
-- gives no rows
CREATE FUNCTION @extschema@.cvfw_stage_value(flow @extschema@.cvfw_flow,
	as_of pg_catalog.timestamptz DEFAULT NULL, horizon pg_catalog.interval DEFAULT NULL)
RETURNS TABLE (stage @extschema@.cvfw_stage, visits pg_catalog.int8, active pg_catalog.int8,
	leak_probability pg_catalog.float8, p_value_realization pg_catalog.float8,
	p_engagement pg_catalog.float8, further_visits pg_catalog.float8,
	further_rounds pg_catalog.float8, further_value pg_catalog.float8,
	further_cost pg_catalog.float8, removal_effect pg_catalog.float8,
	removal_value pg_catalog.float8)
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 6;
COMMENT ON FUNCTION @extschema@.cvfw_stage_value(@extschema@.cvfw_flow, pg_catalog.timestamptz, pg_catalog.interval) IS
'the wheel as a chain of visits: per stage, the leak probability, what a customer there can still reach and bring after this visit, and the removal effect (the value a new customer would lose if the stage leaked every visit)';

CREATE FUNCTION @extschema@.cvfw_value(flow @extschema@.cvfw_flow,
	as_of pg_catalog.timestamptz DEFAULT NULL, horizon pg_catalog.interval DEFAULT NULL)
RETURNS TABLE (customers pg_catalog.int8, active pg_catalog.int8,
	p_value_realization pg_catalog.float8, new_customer_value pg_catalog.float8,
	new_customer_cost pg_catalog.float8, new_customer_acquisition_cost pg_catalog.float8,
	new_customer_clv pg_catalog.float8, base_value pg_catalog.float8,
	base_cost pg_catalog.float8, base_clv pg_catalog.float8)
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 1;
COMMENT ON FUNCTION @extschema@.cvfw_value(@extschema@.cvfw_flow, pg_catalog.timestamptz, pg_catalog.interval) IS
'the chain''s two CLV lines: a new customer from their first visit on, and the existing (active) customers after their current visits';

CREATE FUNCTION @extschema@.cvfw_what_if(flow @extschema@.cvfw_flow,
	stage @extschema@.cvfw_stage, leak_rate pg_catalog.float8,
	as_of pg_catalog.timestamptz DEFAULT NULL, horizon pg_catalog.interval DEFAULT NULL)
RETURNS TABLE (stage @extschema@.cvfw_stage, leak_probability pg_catalog.float8,
	leak_rate pg_catalog.float8, new_customer_value pg_catalog.float8,
	new_customer_clv pg_catalog.float8, base_value pg_catalog.float8,
	base_clv pg_catalog.float8, new_customer_gain pg_catalog.float8,
	base_gain pg_catalog.float8)
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 1;
COMMENT ON FUNCTION @extschema@.cvfw_what_if(@extschema@.cvfw_flow, @extschema@.cvfw_stage, pg_catalog.float8, pg_catalog.timestamptz, pg_catalog.interval) IS
'the value of a new customer and of the existing customers if the stage leaked leak_rate of its visits (what does not leak moving on in the observed proportions), and the gains against today';

CREATE FUNCTION @extschema@.cvfw_fix_first(flow @extschema@.cvfw_flow,
	as_of pg_catalog.timestamptz DEFAULT NULL, horizon pg_catalog.interval DEFAULT NULL)
RETURNS TABLE (rank pg_catalog.int8, stage @extschema@.cvfw_stage,
	leak_probability pg_catalog.float8, visits_per_new_customer pg_catalog.float8,
	kept_visit_value pg_catalog.float8, gain_per_point pg_catalog.float8,
	base_gain_per_point pg_catalog.float8)
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 6;
COMMENT ON FUNCTION @extschema@.cvfw_fix_first(@extschema@.cvfw_flow, pg_catalog.timestamptz, pg_catalog.interval) IS
'what to fix first: per stage, the CLV a percentage point less leakage would add per new customer and for the existing customers, largest first';

CREATE FUNCTION @extschema@.cvfw_dwell_km(flow @extschema@.cvfw_flow,
	as_of pg_catalog.timestamptz DEFAULT NULL, horizon pg_catalog.interval DEFAULT NULL)
RETURNS TABLE (stage @extschema@.cvfw_stage, completed pg_catalog.int8, open pg_catalog.int8,
	dwell_p50 pg_catalog.interval, km_p50 pg_catalog.interval,
	dwell_p90 pg_catalog.interval, km_p90 pg_catalog.interval)
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 6;
COMMENT ON FUNCTION @extschema@.cvfw_dwell_km(@extschema@.cvfw_flow, pg_catalog.timestamptz, pg_catalog.interval) IS
'dwell percentiles of the completed visits next to the product-limit (Kaplan-Meier) ones that count the visits still open at as_of';

CREATE FUNCTION @extschema@.cvfw_dwell_km_percentile(flow @extschema@.cvfw_flow,
	stage @extschema@.cvfw_stage, fraction pg_catalog.float8,
	as_of pg_catalog.timestamptz DEFAULT NULL, horizon pg_catalog.interval DEFAULT NULL)
RETURNS pg_catalog.interval
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_dwell_km_percentile(@extschema@.cvfw_flow, @extschema@.cvfw_stage, pg_catalog.float8, pg_catalog.timestamptz, pg_catalog.interval) IS
'a product-limit (Kaplan-Meier) percentile of the dwell of the visits that move on, counting the visits still open at as_of';

-- the two estimates of customer value side by side: the CLV report's
-- (constant churn over time) and the chain's (visits)
CREATE FUNCTION @extschema@.cvfw_clv_compare(flow @extschema@.cvfw_flow,
	as_of pg_catalog.timestamptz, horizon pg_catalog.interval,
	period pg_catalog.interval DEFAULT '30 days')
RETURNS TABLE (estimate pg_catalog.text, clv_report pg_catalog.float8,
	wheel_model pg_catalog.float8)
LANGUAGE sql IMMUTABLE PARALLEL SAFE ROWS 5
SET search_path = pg_catalog, pg_temp
AS $$
SELECT e.estimate, e.clv_report, e.wheel_model
FROM (SELECT @extschema@.cvfw_clv($1, $2, $3, $4) AS r) c,
     @extschema@.cvfw_value($1, $2, $3) m,
     LATERAL (VALUES
       (1, 'new customer: expected value',
        (c.r).revenue_per_period * (c.r).expected_periods, m.new_customer_value),
       (2, 'new customer: expected cost', (c.r).cost_per_customer, m.new_customer_cost),
       (3, 'new customer: CLV (value - cost)', (c.r).clv_per_customer, m.new_customer_clv),
       (4, 'acquisition cost per customer acquired',
        (c.r).acquisition_cost, m.new_customer_acquisition_cost / NULLIF(m.p_value_realization, 0)),
       (5, 'existing customers: value still to come',
        ((c.r).customers - (c.r).churned) * (c.r).revenue_per_period * (c.r).expected_periods,
        m.base_value)) e(n, estimate, clv_report, wheel_model)
ORDER BY e.n
$$;
COMMENT ON FUNCTION @extschema@.cvfw_clv_compare(@extschema@.cvfw_flow, pg_catalog.timestamptz, pg_catalog.interval, pg_catalog.interval) IS
'the CLV report of the flow (cvfw_clv) next to the chain''s (cvfw_value): a new customer''s expected value, cost and CLV, the acquisition cost per customer acquired, and the value still to come from the existing customers';

-- for BI tools: standard SQL types only, as the other cvfw_bi_ functions
CREATE FUNCTION @extschema@.cvfw_bi_stage_value(flow @extschema@.cvfw_flow,
	as_of pg_catalog.timestamptz DEFAULT NULL, horizon pg_catalog.interval DEFAULT NULL)
RETURNS TABLE (stage pg_catalog.text, "position" pg_catalog.int8,
	visits pg_catalog.int8, active pg_catalog.int8, leak_probability pg_catalog.float8,
	p_value_realization pg_catalog.float8, p_engagement pg_catalog.float8,
	further_visits pg_catalog.float8, further_rounds pg_catalog.float8,
	further_value pg_catalog.float8, further_cost pg_catalog.float8,
	removal_effect pg_catalog.float8, removal_value pg_catalog.float8)
LANGUAGE sql IMMUTABLE PARALLEL SAFE ROWS 6
SET search_path = pg_catalog, pg_temp
AS $$
SELECT v.stage::pg_catalog.text, @extschema@.cvfw_position(v.stage)::pg_catalog.int8,
       v.visits, v.active, v.leak_probability, v.p_value_realization, v.p_engagement,
       v.further_visits, v.further_rounds, v.further_value, v.further_cost,
       v.removal_effect, v.removal_value
FROM @extschema@.cvfw_stage_value($1, $2, $3) v
$$;
COMMENT ON FUNCTION @extschema@.cvfw_bi_stage_value(@extschema@.cvfw_flow, pg_catalog.timestamptz, pg_catalog.interval) IS
'cvfw_stage_value for BI tools: stage as text with its position';

CREATE FUNCTION @extschema@.cvfw_bi_fix_first(flow @extschema@.cvfw_flow,
	as_of pg_catalog.timestamptz DEFAULT NULL, horizon pg_catalog.interval DEFAULT NULL)
RETURNS TABLE (rank pg_catalog.int8, stage pg_catalog.text, "position" pg_catalog.int8,
	leak_probability pg_catalog.float8, visits_per_new_customer pg_catalog.float8,
	kept_visit_value pg_catalog.float8, gain_per_point pg_catalog.float8,
	base_gain_per_point pg_catalog.float8)
LANGUAGE sql IMMUTABLE PARALLEL SAFE ROWS 6
SET search_path = pg_catalog, pg_temp
AS $$
SELECT f.rank, f.stage::pg_catalog.text, @extschema@.cvfw_position(f.stage)::pg_catalog.int8,
       f.leak_probability, f.visits_per_new_customer, f.kept_visit_value,
       f.gain_per_point, f.base_gain_per_point
FROM @extschema@.cvfw_fix_first($1, $2, $3) f
$$;
COMMENT ON FUNCTION @extschema@.cvfw_bi_fix_first(@extschema@.cvfw_flow, pg_catalog.timestamptz, pg_catalog.interval) IS
'cvfw_fix_first for BI tools: stage as text with its position';

CREATE FUNCTION @extschema@.cvfw_bi_dwell_km(flow @extschema@.cvfw_flow,
	as_of pg_catalog.timestamptz DEFAULT NULL, horizon pg_catalog.interval DEFAULT NULL)
RETURNS TABLE (stage pg_catalog.text, "position" pg_catalog.int8,
	completed pg_catalog.int8, open pg_catalog.int8,
	dwell_p50_days pg_catalog.float8, km_p50_days pg_catalog.float8,
	dwell_p90_days pg_catalog.float8, km_p90_days pg_catalog.float8)
LANGUAGE sql IMMUTABLE PARALLEL SAFE ROWS 6
SET search_path = pg_catalog, pg_temp
AS $$
SELECT d.stage::pg_catalog.text, @extschema@.cvfw_position(d.stage)::pg_catalog.int8,
       d.completed, d.open,
       pg_catalog.date_part('epoch', d.dwell_p50) / 86400,
       pg_catalog.date_part('epoch', d.km_p50) / 86400,
       pg_catalog.date_part('epoch', d.dwell_p90) / 86400,
       pg_catalog.date_part('epoch', d.km_p90) / 86400
FROM @extschema@.cvfw_dwell_km($1, $2, $3) d
$$;
COMMENT ON FUNCTION @extschema@.cvfw_bi_dwell_km(@extschema@.cvfw_flow, pg_catalog.timestamptz, pg_catalog.interval) IS
'cvfw_dwell_km for BI tools: stage as text with its position, percentiles in days (double precision)';

-- the wheel picture with the fix-first ranks under the leak labels (the
-- three-argument form is in 50-wheel.sql; the same C function)
CREATE FUNCTION @extschema@.cvfw_wheel_svg(flow @extschema@.cvfw_flow,
	as_of pg_catalog.timestamptz, horizon pg_catalog.interval, fix_first pg_catalog.bool)
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_wheel_svg(@extschema@.cvfw_flow, pg_catalog.timestamptz, pg_catalog.interval, pg_catalog.bool) IS
'the wheel as an SVG picture; with fix_first, each leaking stage also shows its rank in cvfw_fix_first and what a point less leakage there adds to a new customer''s CLV';

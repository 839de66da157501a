--
-- bi: the reports for BI tools return only standard SQL types, and the
-- same numbers as the reports they wrap; NULL summaries give no rows; a
-- hostile search_path cannot change them.  (test/jdbc reads them through
-- a real JDBC driver.)
--
SET timezone = 'UTC';
SET datestyle = ISO;
SET extra_float_digits = 0;
CREATE SCHEMA bi;
SET search_path = bi, public;

-- the README's events, hand-checked there
\i test/data/readme_events.sql
CREATE TABLE f AS SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) AS flow FROM crm_events;

-- only text, bigint, double precision and timestamptz come out
SELECT p.proname, array_agg(DISTINCT format_type(a.typ, NULL) ORDER BY format_type(a.typ, NULL)) AS column_types,
       count(*) AS columns, p.provolatile, p.proisstrict, p.proparallel
FROM pg_proc p, unnest(p.proallargtypes, p.proargmodes) a(typ, mode)
WHERE p.proname LIKE 'cvfw\_bi\_%' AND a.mode = 't'
GROUP BY p.proname, p.provolatile, p.proisstrict, p.proparallel ORDER BY p.proname;

-- the leakage report, by hand (README): dwell times in days
SELECT stage, position, visits, leaked, active, round(leak_rate::numeric, 2) AS leak_rate,
       value_at_risk, round(dwell_avg_days::numeric, 4) AS dwell_avg_days, dwell_p50_days, dwell_p90_days
FROM f, cvfw_bi_leakage(flow, '2026-03-01', '30 days');

-- ... and equal to cvfw_leakage, column by column, with and without a horizon
SELECT h AS horizon, count(*) AS stages,
       bool_and(b.stage = l.stage::text AND b.position = cvfw_position(l.stage)
                AND (b.customers, b.visits, b.advanced, b.regressed, b.skipped, b.ended, b.leaked, b.active)
                    = (l.customers, l.visits, l.advanced, l.regressed, l.skipped, l.ended, l.leaked, l.active)
                AND b.leak_rate IS NOT DISTINCT FROM l.leak_rate
                AND (b.value, b.cost, b.value_at_risk) = (l.value, l.cost, l.value_at_risk)
                AND b.dwell_avg_days IS NOT DISTINCT FROM extract(epoch FROM l.dwell_avg)::float8 / 86400
                AND b.dwell_p50_days IS NOT DISTINCT FROM extract(epoch FROM l.dwell_p50)::float8 / 86400
                AND b.dwell_p90_days IS NOT DISTINCT FROM extract(epoch FROM l.dwell_p90)::float8 / 86400) AS equal
FROM f, (VALUES (NULL::interval), ('30 days'), ('1 year')) hz(h),
     cvfw_bi_leakage(flow, '2026-03-01', h) b
     JOIN cvfw_leakage(flow, '2026-03-01', h) l ON b.position = cvfw_position(l.stage)
GROUP BY h ORDER BY h NULLS FIRST;

-- transitions with their direction; the directions add up to the leakage
-- report's advanced, regressed and skipped
SELECT t.* FROM f, cvfw_bi_transitions(flow) t ORDER BY t.from_position, t.to_position;
SELECT bool_and(coalesce(t.advanced, 0) = l.advanced AND coalesce(t.regressed, 0) = l.regressed
                AND coalesce(t.skipped, 0) = l.skipped) AS directions_add_up
FROM f, cvfw_leakage(flow) l
LEFT JOIN (SELECT from_stage, sum(transitions) FILTER (WHERE direction = 'advanced') AS advanced,
                  sum(transitions) FILTER (WHERE direction = 'regressed') AS regressed,
                  sum(transitions) FILTER (WHERE direction = 'skipped') AS skipped
           FROM f, cvfw_bi_transitions(flow) GROUP BY from_stage) t ON t.from_stage = l.stage::text;

-- the value report (README: 482.93 a month, 0.91 months, competitiveness
-- with 10 new customers 5,818)
SELECT as_of, period_days, customers, churned, round(revenue_per_period::numeric, 2) AS revenue_per_period,
       round(expected_periods::numeric, 2) AS expected_periods, round(acquisition_cost::numeric, 2) AS acquisition_cost,
       round(total_clv::numeric) AS total_clv, round(competitiveness::numeric) AS competitiveness
FROM f, cvfw_bi_value(flow, '2026-03-01', '30 days', new_customers => 10);
SELECT (b.customers, b.churned, b.exposure_periods, b.revenue_per_period, b.expected_periods,
        b.cost_per_customer, b.clv_per_customer, b.total_clv, b.acquisition_cost, b.new_customer_clv)
       IS NOT DISTINCT FROM ((r).customers, (r).churned, (r).exposure_periods, (r).revenue_per_period,
        (r).expected_periods, (r).cost_per_customer, (r).clv_per_customer, (r).total_clv,
        (r).acquisition_cost, (r).new_customer_clv) AS equal_to_cvfw_clv,
       b.competitiveness = cvfw_competitiveness(r, 3) AS competitiveness_equal
FROM f, cvfw_bi_value(flow, '2026-03-01', '30 days', '7 days', 0.6, 0.01, 3) b,
     LATERAL (SELECT cvfw_clv(flow, '2026-03-01', '30 days', '7 days', 0.6, 0.01) AS r) c;
-- no churn: the undefined estimates are NULL, as in cvfw_clv
SELECT customers, churned, expected_periods, clv_per_customer, competitiveness
FROM f, cvfw_bi_value(flow, '2026-03-01', '1 year');

-- a NULL summary (no rows): no report rows
SELECT (SELECT count(*) FROM cvfw_bi_leakage(NULL)) AS leakage_rows,
       (SELECT count(*) FROM cvfw_bi_transitions(NULL)) AS transition_rows,
       (SELECT count(*) FROM cvfw_bi_value(NULL, '2026-03-01', '30 days')) AS value_rows;
-- errors are those of the wrapped reports (caught: the context line of an
-- error inside a SQL function differs between server versions)
DO $$
BEGIN
  PERFORM * FROM bi.f, cvfw_bi_leakage(flow, NULL, '30 days');
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'cvfw_bi_leakage: % (SQLSTATE %)', SQLERRM, SQLSTATE;
END $$;
DO $$
BEGIN
  PERFORM * FROM bi.f, cvfw_bi_value(flow, 'infinity', '30 days');
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'cvfw_bi_value: % (SQLSTATE %)', SQLERRM, SQLSTATE;
END $$;

-- a search_path that puts look-alike functions and operators first changes nothing
CREATE SCHEMA bi_evil;
CREATE FUNCTION bi_evil.date_part(text, interval) RETURNS float8 LANGUAGE sql AS 'SELECT 0::float8';
CREATE FUNCTION bi_evil.int_lt(int, int) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE OPERATOR bi_evil.< (LEFTARG = int, RIGHTARG = int, FUNCTION = bi_evil.int_lt);
SET search_path = bi_evil, pg_catalog, bi, public;
SELECT sum(dwell_avg_days) > 0 AS dwell_not_hijacked FROM f, cvfw_bi_leakage(flow);
SELECT count(*) FILTER (WHERE direction = 'regressed') AS regressed_moves FROM f, cvfw_bi_transitions(flow);
SET search_path = bi, public;

RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA bi, bi_evil CASCADE;

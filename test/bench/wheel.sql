-- wheel.sql — what the picture costs: cvfw_wheel_svg on a stored flow
-- summary of 20,000 customers against the reports it draws
-- (cvfw_leakage + cvfw_transitions, and cvfw_flow_json, which holds the
-- same numbers), 200 calls each; and a whole dashboard query from the
-- events table, report against picture.
\pset footer off
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS bench_wheel CASCADE;
CREATE SCHEMA bench_wheel;
SET search_path = bench_wheel, public;
\set customers 20000
\set seed 42
\ir ../data/gen_events.sql
VACUUM ANALYZE events;
CREATE TABLE flow AS
SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) AS flow FROM events;
SELECT cvfw_customers(flow) AS customers, pg_column_size(flow) AS summary_bytes,
       length(cvfw_wheel_svg(flow, '2026-01-01', '30 days')) AS svg_chars
FROM flow;

\echo
\echo '-- 200 calls on the stored summary, median of 5 rounds'
SELECT * FROM bench.compare(
  ARRAY['cvfw_leakage + cvfw_transitions', 'cvfw_flow_json', 'cvfw_wheel_svg'],
  ARRAY[$q$SELECT (SELECT count(*) FROM cvfw_leakage(f.flow, '2026-01-01', '30 days'))
                  + (SELECT count(*) FROM cvfw_transitions(f.flow))
           FROM flow f, generate_series(1, 200) i$q$,
        $q$SELECT sum(length(cvfw_flow_json(f.flow, '2026-01-01', '30 days')::text))
           FROM flow f, generate_series(1, 200) i$q$,
        $q$SELECT sum(length(cvfw_wheel_svg(f.flow, '2026-01-01', '30 days')))
           FROM flow f, generate_series(1, 200) i$q$],
  5);

\echo
\echo '-- from the events table (20,000 customers, ~70,000 events), median of 5 rounds'
SELECT * FROM bench.compare(
  ARRAY['leakage report', 'wheel picture'],
  ARRAY[$q$SELECT count(*) FROM cvfw_leakage((SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost)
                                                FROM events), '2026-01-01', '30 days')$q$,
        $q$SELECT length(cvfw_wheel_svg((SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost)
                                         FROM events), '2026-01-01', '30 days'))$q$],
  5);
RESET search_path;
DROP SCHEMA bench_wheel CASCADE;

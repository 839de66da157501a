-- value.sql — what the value model costs from a stored summary: the chain
-- of visits (cvfw_stage_value, cvfw_value, cvfw_fix_first, cvfw_what_if)
-- and the product-limit dwell (cvfw_dwell_km) against the leakage report
-- of the same summary (cvfw_leakage), 200 calls each, side by side; the
-- floor is reading the summary alone (cvfw_customers decodes all of it).
-- The summary: the flow benchmark's data set, 1,000,000 customers, as of
-- 2026-01-01 with a 30-day horizon.
\pset footer off
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS bench_value CASCADE;
CREATE SCHEMA bench_value;
SET search_path = bench_value, public;
\set customers 1000000
\set seed 1
\ir ../data/gen_events.sql
CREATE TABLE flow AS
SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) AS flow FROM events;
DROP TABLE events;
SELECT cvfw_customers(flow) AS customers, pg_column_size(flow) AS summary_bytes FROM flow;

\echo
\echo '-- 200 calls on the stored summary, median of 5 rounds'
SELECT * FROM bench.compare(
  ARRAY['floor: cvfw_customers (decoding the summary)',
        'cvfw_leakage',
        'cvfw_stage_value',
        'cvfw_value',
        'cvfw_fix_first',
        'cvfw_what_if',
        'cvfw_dwell_km',
        'all five of the model'],
  ARRAY[$q$SELECT sum(cvfw_customers(f.flow)) FROM flow f, generate_series(1, 200) i$q$,
        $q$SELECT sum((SELECT count(*) FROM cvfw_leakage(f.flow, '2026-01-01', '30 days') l WHERE l::text <> ''))
           FROM flow f, generate_series(1, 200) i$q$,
        $q$SELECT sum((SELECT count(*) FROM cvfw_stage_value(f.flow, '2026-01-01', '30 days') v WHERE v::text <> ''))
           FROM flow f, generate_series(1, 200) i$q$,
        $q$SELECT sum((SELECT count(*) FROM cvfw_value(f.flow, '2026-01-01', '30 days') v WHERE v::text <> ''))
           FROM flow f, generate_series(1, 200) i$q$,
        $q$SELECT sum((SELECT count(*) FROM cvfw_fix_first(f.flow, '2026-01-01', '30 days') v WHERE v::text <> ''))
           FROM flow f, generate_series(1, 200) i$q$,
        $q$SELECT sum((SELECT count(*) FROM cvfw_what_if(f.flow, 'exploration', 0.2, '2026-01-01', '30 days') v
                       WHERE v::text <> ''))
           FROM flow f, generate_series(1, 200) i$q$,
        $q$SELECT sum((SELECT count(*) FROM cvfw_dwell_km(f.flow, '2026-01-01', '30 days') v WHERE v::text <> ''))
           FROM flow f, generate_series(1, 200) i$q$,
        $q$SELECT sum((SELECT count(*) FROM cvfw_stage_value(f.flow, '2026-01-01', '30 days') v WHERE v::text <> '')
                  + (SELECT count(*) FROM cvfw_value(f.flow, '2026-01-01', '30 days') v WHERE v::text <> '')
                  + (SELECT count(*) FROM cvfw_fix_first(f.flow, '2026-01-01', '30 days') v WHERE v::text <> '')
                  + (SELECT count(*) FROM cvfw_what_if(f.flow, 'exploration', 0.2, '2026-01-01', '30 days') v
                     WHERE v::text <> '')
                  + (SELECT count(*) FROM cvfw_dwell_km(f.flow, '2026-01-01', '30 days') v WHERE v::text <> ''))
           FROM flow f, generate_series(1, 200) i$q$],
  5);
RESET search_path;
DROP SCHEMA bench_value CASCADE;

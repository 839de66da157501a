-- exact.sql — what exact sums cost in the batch report (issue #15): the
-- leakage report over 1,000,000 customers (~3.5M events), one aggregate
-- and two levels, with the generator's whole amounts and with fractional
-- ones (x 1.01 + 0.333, cost / 7), each as a ratio to PostgreSQL's floor
-- for grouping the events by customer, side by side in one run, in one
-- process, in CPU time (bench.compare_cpu: the machine is shared).  Only
-- SQL that 0.1.0 has too: the same script measures the build before and
-- after, and the ratios to the floor compare them.
\pset footer off
SET client_min_messages = warning;
\set customers 1000000
\set seed 1
DROP TABLE IF EXISTS events, events_frac;
\ir ../data/gen_events.sql
CREATE TABLE events_frac AS
SELECT customer_id, segment, stage, at, value * 1.01 + 0.333 AS value, cost / 7.0 AS cost FROM events;
VACUUM ANALYZE events, events_frac;
SELECT count(*) AS events, count(DISTINCT customer_id) AS customers,
       (SELECT extversion FROM pg_extension WHERE extname = 'cvfw') AS cvfw
FROM events;

SET max_parallel_workers_per_gather = 0;
\set q_floor 'SELECT sum(n) FROM (SELECT customer_id, count(*) AS n FROM events GROUP BY customer_id) s'
\set q_one 'SELECT string_agg(l::text, '','') FROM cvfw_leakage((SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) FROM events), ''2026-01-01'', ''30 days'') l'
\set q_one_frac 'SELECT string_agg(l::text, '','') FROM cvfw_leakage((SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) FROM events_frac), ''2026-01-01'', ''30 days'') l'
\set q_two 'SELECT string_agg(l::text, '','') FROM cvfw_leakage((SELECT cvfw_merge(f) FROM (SELECT cvfw_flow(stage, at, value, cost) AS f FROM events GROUP BY customer_id) s), ''2026-01-01'', ''30 days'') l'
\set q_two_frac 'SELECT string_agg(l::text, '','') FROM cvfw_leakage((SELECT cvfw_merge(f) FROM (SELECT cvfw_flow(stage, at, value, cost) AS f FROM events_frac GROUP BY customer_id) s), ''2026-01-01'', ''30 days'') l'
\echo '== Exact sums: the leakage report, one process, CPU time, median of 7 rounds'
SELECT * FROM bench.compare_cpu(
  ARRAY['floor: GROUP BY customer_id, count(*)',
        'one aggregate, whole amounts', 'one aggregate, fractional amounts',
        'two levels, whole amounts', 'two levels, fractional amounts'],
  ARRAY[:'q_floor', :'q_one', :'q_one_frac', :'q_two', :'q_two_frac'],
  7);
RESET max_parallel_workers_per_gather;
DROP TABLE events, events_frac;

-- flow.sql — the leakage report through cvfw against the same report in
-- plain SQL (window functions, test/data/plain_leakage.sql) and against
-- PostgreSQL's floor for grouping the events by customer, side by side in
-- one run, on a seeded data set of 1,000,000 customers (~3,000,000 events).
\pset footer off
SET client_min_messages = warning;
\set customers 1000000
\set seed 1
DROP TABLE IF EXISTS events;
\ir ../data/gen_events.sql
VACUUM ANALYZE events;
DROP FUNCTION IF EXISTS bench.plain_leakage, bench.plain_transitions;
\set schema bench
\ir ../data/plain_leakage.sql

\echo '== Flow and leakage report'
SELECT count(*) AS events, count(DISTINCT customer_id) AS customers,
       pg_size_pretty(pg_relation_size('events')) AS table_size
FROM events;

-- Every query consumes every column of its result (string_agg of whole
-- rows), so the planner cannot skip work on columns nobody reads.
\set q_floor 'SELECT sum(n) FROM (SELECT customer_id, count(*) AS n FROM events GROUP BY customer_id) s'
\set q_one 'SELECT string_agg(l::text, '','') FROM cvfw_leakage((SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) FROM events), ''2026-01-01'', ''30 days'') l'
\set q_two 'SELECT string_agg(l::text, '','') FROM cvfw_leakage((SELECT cvfw_merge(f) FROM (SELECT cvfw_flow(stage, at, value, cost) AS f FROM events GROUP BY customer_id) s), ''2026-01-01'', ''30 days'') l'
\set q_plain 'SELECT string_agg(l::text, '','') FROM bench.plain_leakage(''2026-01-01'', ''30 days'') l'
\echo
\echo '-- median of 3 rounds, each query once per round in turn (default planner settings)'
SELECT * FROM bench.compare(
  ARRAY['floor: GROUP BY customer_id, count(*)',
        'cvfw, one aggregate: cvfw_leakage(cvfw_flow_by_customer(...))',
        'cvfw, two levels: cvfw_leakage(cvfw_merge(cvfw_flow(...) GROUP BY customer))',
        'plain SQL: window functions'],
  ARRAY[:'q_floor', :'q_one', :'q_two', :'q_plain'],
  3);

\echo
\echo '-- the same, one process (max_parallel_workers_per_gather = 0), median of 3'
SET max_parallel_workers_per_gather = 0;
SELECT * FROM bench.compare(
  ARRAY['floor: GROUP BY customer_id, count(*)', 'cvfw, one aggregate', 'cvfw, two levels'],
  ARRAY[:'q_floor', :'q_one', :'q_two'],
  3);
RESET max_parallel_workers_per_gather;

\echo
\echo '-- the same results: every count equal, money and dwell within rounding, percentiles within 0.8%'
SELECT c.stage, c.visits, c.leaked,
       (c.customers, c.visits, c.advanced, c.regressed, c.skipped, c.ended, c.leaked, c.active)
         = (p.customers, p.visits, p.advanced, p.regressed, p.skipped, p.ended, p.leaked, p.active) AS counts_equal,
       abs(c.value_at_risk - p.value_at_risk) <= 1e-9 * greatest(1, p.value_at_risk) AS risk_equal,
       abs(extract(epoch FROM c.dwell_p90 - p.dwell_p90)) <= 0.00804 * extract(epoch FROM p.dwell_p90) AS p90_ok
FROM cvfw_leakage((SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) FROM events),
                  '2026-01-01', '30 days') c
JOIN bench.plain_leakage('2026-01-01', '30 days') p USING (stage);
SELECT (SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost)::text FROM events)
     = (SELECT cvfw_merge(f)::text FROM (SELECT cvfw_flow(stage, at, value, cost) AS f
                                         FROM events GROUP BY customer_id) s) AS one_and_two_level_identical;

\echo
\echo '-- peak memory, one process: the largest plan node (the hash aggregates),'
\echo '-- and the aggregate context of cvfw_flow_by_customer (its arena and customer table)'
SET max_parallel_workers_per_gather = 0;
SELECT 'floor' AS query, bench.peak_memory_kb(
         'SELECT sum(n) FROM (SELECT customer_id, count(*) AS n FROM events GROUP BY customer_id) s') AS peak_kb
UNION ALL
SELECT 'cvfw, two levels', bench.peak_memory_kb(
         $q$SELECT count(*) FROM cvfw_leakage((SELECT cvfw_merge(f) FROM (SELECT cvfw_flow(stage, at, value, cost) AS f
                                  FROM events GROUP BY customer_id) s), '2026-01-01', '30 days')$q$)
UNION ALL
-- 32 bytes per event, 16 per customer slot at most half full, both grown by doubling
SELECT 'cvfw, one aggregate (arena + table, computed)',
       (SELECT (32 * 2 ^ ceil(log(2, count(*))) + 16 * 2 ^ ceil(log(2, 2 * count(DISTINCT customer_id)))) / 1024
        FROM events WHERE customer_id IS NOT NULL AND stage IS NOT NULL AND at IS NOT NULL)::bigint;
RESET max_parallel_workers_per_gather;

\echo
\echo '-- the two-level pattern: per-customer summaries stored once, reports from them'
DROP TABLE IF EXISTS bench.customer_flows;
CREATE TABLE bench.customer_flows AS
SELECT customer_id, min(segment) AS segment, cvfw_flow(stage, at, value, cost) AS flow
FROM events GROUP BY customer_id;
SELECT pg_size_pretty(pg_total_relation_size('bench.customer_flows')) AS stored_per_customer,
       pg_column_size(cvfw_merge(flow)) AS merged_summary_bytes,
       cvfw_customers(cvfw_merge(flow)) AS customers
FROM bench.customer_flows;
SELECT * FROM bench.compare(
  ARRAY['report from stored per-customer summaries', 'per-segment reports from them'],
  ARRAY[$q$SELECT string_agg(l::text, ',') FROM cvfw_leakage((SELECT cvfw_merge(flow) FROM bench.customer_flows),
             '2026-01-01', '30 days') l$q$,
        $q$SELECT string_agg(l::text, ',') FROM (SELECT segment, cvfw_merge(flow) AS flow FROM bench.customer_flows
             GROUP BY segment) s, cvfw_leakage(s.flow, '2026-01-01', '30 days') l$q$],
  3);
DROP TABLE bench.customer_flows;

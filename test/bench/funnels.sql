-- funnels.sql — the conversion report and the retention matrix through cvfw
-- against the same reports in plain SQL (test/data/plain_conversion.sql,
-- plain_retention.sql: the definitions the regression test checks cvfw
-- against) and against PostgreSQL's floor for grouping the events by
-- customer, side by side in one run, on the seeded data set of 1,000,000
-- customers (~3,500,000 events) the flow benchmark uses.
\pset footer off
SET client_min_messages = warning;
\set customers 1000000
\set seed 1
DROP TABLE IF EXISTS events;
\ir ../data/gen_events.sql
VACUUM ANALYZE events;
DROP FUNCTION IF EXISTS bench.plain_conversion, bench.plain_conversion_first, bench.plain_conversion_rows,
  bench.plain_retention;
\set schema bench
\ir ../data/plain_conversion.sql
\ir ../data/plain_retention.sql

\echo '== Funnels: the conversion report and the retention matrix'
SELECT count(*) AS events, count(DISTINCT customer_id) AS customers,
       pg_size_pretty(pg_relation_size('events')) AS table_size
FROM events;

-- The reports: the four-step funnel within 30 days, first touch, by month
-- of entering it; the monthly retention triangle of first awareness, as of
-- the export date.  Every query consumes every column of its result
-- (string_agg of whole rows).
\set q_floor 'SELECT sum(n) FROM (SELECT customer_id, count(*) AS n FROM events GROUP BY customer_id) s'
\set q_conv_one 'SELECT string_agg(r::text, '','') FROM cvfw_conversion_report((SELECT cvfw_conversion_by_customer(customer_id, stage, at, ''{awareness,exploration,experience,value_realization}'', ''30 days'', ''by month'') FROM events)) r'
\set q_conv_two 'SELECT string_agg(r::text, '','') FROM cvfw_conversion_report((SELECT cvfw_conversion_merge(c) FROM (SELECT cvfw_conversion(stage, at, ''{awareness,exploration,experience,value_realization}'', ''30 days'', ''by month'') AS c FROM events GROUP BY customer_id) s)) r'
\set q_conv_plain 'SELECT string_agg(r::text, '','') FROM bench.plain_conversion_first(''{awareness,exploration,experience,value_realization}'', ''30 days'', ''month'') r'
\set q_ret_one 'SELECT string_agg(m::text, '','') FROM cvfw_retention_matrix((SELECT cvfw_retention_by_customer(customer_id, stage, at, ''awareness'', ''month'', ''2026-01-01'') FROM events)) m'
\set q_ret_two 'SELECT string_agg(m::text, '','') FROM cvfw_retention_matrix((SELECT cvfw_retention_merge(r) FROM (SELECT cvfw_retention(stage, at, ''awareness'', ''month'', ''2026-01-01'') AS r FROM events GROUP BY customer_id) s)) m'
\set q_ret_plain 'SELECT string_agg(m::text, '','') FROM bench.plain_retention(''awareness'', ''month'', false, ''2026-01-01'', NULL) m'
\echo
\echo '-- median of 3 rounds, each query once per round in turn (default planner settings)'
SELECT * FROM bench.compare(
  ARRAY['floor: GROUP BY customer_id, count(*)',
        'conversion, one aggregate: cvfw_conversion_report(cvfw_conversion_by_customer(...))',
        'conversion, two levels: cvfw_conversion_merge(cvfw_conversion(...) GROUP BY customer)',
        'conversion, plain SQL: a join and GROUP BY per step',
        'retention, one aggregate: cvfw_retention_matrix(cvfw_retention_by_customer(...))',
        'retention, two levels: cvfw_retention_merge(cvfw_retention(...) GROUP BY customer)',
        'retention, plain SQL'],
  ARRAY[:'q_floor', :'q_conv_one', :'q_conv_two', :'q_conv_plain', :'q_ret_one', :'q_ret_two', :'q_ret_plain'],
  3);

\echo
\echo '-- the definitions in plain SQL as they are written (visits, attempts one after another, strict order:'
\echo '-- test/data/plain_conversion.sql, the regression test''s reference), first touch and re-entry, median of 2'
\set q_conv_any 'SELECT string_agg(r::text, '','') FROM cvfw_conversion_report((SELECT cvfw_conversion_by_customer(customer_id, stage, at, ''{awareness,exploration,experience,value_realization}'', ''30 days'', ''any, strict, by month'', ''2025-12-01'') FROM events)) r'
\set q_plain_first 'SELECT string_agg(r::text, '','') FROM bench.plain_conversion(''{awareness,exploration,experience,value_realization}'', ''30 days'', false, false, ''month'', NULL) r'
\set q_plain_any 'SELECT string_agg(r::text, '','') FROM bench.plain_conversion(''{awareness,exploration,experience,value_realization}'', ''30 days'', true, true, ''month'', ''2025-12-01'') r'
SELECT * FROM bench.compare(
  ARRAY['floor: GROUP BY customer_id, count(*)',
        'conversion, first touch, one aggregate', 'conversion, first touch, plain SQL definition',
        'conversion, re-entry and strict, one aggregate', 'conversion, re-entry and strict, plain SQL definition'],
  ARRAY[:'q_floor', :'q_conv_one', :'q_plain_first', :'q_conv_any', :'q_plain_any'],
  2);

\echo
\echo '-- one process (max_parallel_workers_per_gather = 0), median of 3'
SET max_parallel_workers_per_gather = 0;
SELECT * FROM bench.compare(
  ARRAY['floor: GROUP BY customer_id, count(*)', 'conversion, one aggregate', 'conversion, two levels',
        'retention, one aggregate', 'retention, two levels'],
  ARRAY[:'q_floor', :'q_conv_one', :'q_conv_two', :'q_ret_one', :'q_ret_two'],
  3);
RESET max_parallel_workers_per_gather;

\echo
\echo '-- the same results: counts and rates equal, mean times to the microsecond, percentiles within 0.8%'
\echo '-- (first touch against the per-step plain SQL; re-entry and strict against the plain definition)'
SELECT count(*) AS report_rows,
       count(*) FILTER (WHERE (c.customers, c.attempts, c.in_progress) = (p.customers, p.attempts, p.in_progress)
                          AND c.step_rate IS NOT DISTINCT FROM p.step_rate
                          AND c.overall_rate IS NOT DISTINCT FROM p.overall_rate) AS counts_and_rates_equal,
       count(*) FILTER (WHERE coalesce(abs(extract(epoch FROM c.time_avg - p.time_avg)), 0) <= 1e-6
                          AND coalesce(abs(extract(epoch FROM c.step_time_avg - p.step_time_avg)), 0) <= 1e-6) AS means_equal,
       count(*) FILTER (WHERE coalesce(abs(extract(epoch FROM c.time_p50 - p.time_p50)) <= 0.00804 * extract(epoch FROM p.time_p50), true)
                          AND coalesce(abs(extract(epoch FROM c.time_p90 - p.time_p90)) <= 0.00804 * extract(epoch FROM p.time_p90), true))
         AS percentiles_within_bound
FROM cvfw_conversion_report((SELECT cvfw_conversion_by_customer(customer_id, stage, at,
        '{awareness,exploration,experience,value_realization}', '30 days', 'by month') FROM events)) c
FULL JOIN bench.plain_conversion_first('{awareness,exploration,experience,value_realization}', '30 days', 'month') p
  ON c.cohort = p.cohort AND c.step = p.step;
SELECT count(*) AS report_rows,
       count(*) FILTER (WHERE (c.customers, c.attempts, c.in_progress) = (p.customers, p.attempts, p.in_progress)
                          AND c.step_rate IS NOT DISTINCT FROM p.step_rate
                          AND c.overall_rate IS NOT DISTINCT FROM p.overall_rate) AS counts_and_rates_equal,
       sum(p.in_progress) AS in_progress, sum(p.attempts) FILTER (WHERE p.step = 1) AS attempts,
       sum(p.customers) FILTER (WHERE p.step = 1) AS customers
FROM cvfw_conversion_report((SELECT cvfw_conversion_by_customer(customer_id, stage, at,
        '{awareness,exploration,experience,value_realization}', '30 days', 'any, strict, by month', '2025-12-01') FROM events)) c
FULL JOIN bench.plain_conversion('{awareness,exploration,experience,value_realization}', '30 days', true, true, 'month', '2025-12-01') p
  ON c.cohort = p.cohort AND c.step = p.step;
SELECT count(*) AS matrix_rows,
       count(*) FILTER (WHERE (c.cohort_customers, c.customers, c.retained, c.rate, c.retained_on_or_after, c.rate_on_or_after)
                            = (p.cohort_customers, p.customers, p.retained, p.rate, p.retained_on_or_after, p.rate_on_or_after))
         AS equal
FROM cvfw_retention_matrix((SELECT cvfw_retention_by_customer(customer_id, stage, at, 'awareness', 'month', '2026-01-01')
                            FROM events)) c
FULL JOIN bench.plain_retention('awareness', 'month', false, '2026-01-01', NULL) p
  ON c.cohort = p.cohort AND c.period_offset = p.period_offset;
SELECT (SELECT cvfw_conversion_by_customer(customer_id, stage, at, '{awareness,exploration,experience,value_realization}',
                                           '30 days', 'by month') FROM events)::text
     = (SELECT cvfw_conversion_merge(c)::text FROM (SELECT cvfw_conversion(stage, at,
          '{awareness,exploration,experience,value_realization}', '30 days', 'by month') AS c
        FROM events WHERE customer_id IS NOT NULL GROUP BY customer_id) s) AS conversion_paths_identical,
       (SELECT cvfw_retention_by_customer(customer_id, stage, at, 'awareness', 'month', '2026-01-01') FROM events)::text
     = (SELECT cvfw_retention_merge(r)::text FROM (SELECT cvfw_retention(stage, at, 'awareness', 'month', '2026-01-01') AS r
        FROM events WHERE customer_id IS NOT NULL GROUP BY customer_id) s) AS retention_paths_identical;

\echo
\echo '-- the funnel itself, and the summaries'' sizes (they do not grow with customers)'
WITH s AS MATERIALIZED (
  SELECT cvfw_conversion_by_customer(customer_id, stage, at, '{awareness,exploration,experience,value_realization}',
                                     '30 days', 'by month') AS c FROM events)
SELECT step, stage, sum(attempts) AS attempts,
       round((sum(attempts)::float8 / first_value(sum(attempts)) OVER (ORDER BY step))::numeric, 4) AS overall_rate,
       (SELECT CASE WHEN step > 1 THEN cvfw_conversion_time_percentile(c, step, 0.5) END FROM s) AS median_time
FROM s, cvfw_conversion_report(s.c) r
GROUP BY step, stage ORDER BY step;
SELECT pg_column_size(cvfw_conversion_by_customer(customer_id, stage, at, '{awareness,exploration,experience,value_realization}',
                                                  '30 days', 'by month')) AS conversion_summary_bytes,
       pg_column_size(cvfw_retention_by_customer(customer_id, stage, at, 'awareness', 'month', '2026-01-01'))
         AS retention_summary_bytes
FROM events;

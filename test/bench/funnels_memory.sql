-- funnels_memory.sql — what work_mem costs the funnel by-customer
-- aggregates (issue 19 follow-up): the conversion report and the retention
-- matrix of test/bench/funnels.sql in one aggregate with the events in
-- memory (work_mem 1 GB, the bench server's) and spilled to a sort on disk
-- (work_mem 4 MB, PostgreSQL's default: ~112 MB of events against a budget
-- of 8 MB), against the grouping floor and the two-level pattern, side by
-- side in one run, on the seeded 1,000,000 customers (~3,500,000 events).
\pset footer off
SET client_min_messages = warning;
\set customers 1000000
\set seed 1
DROP TABLE IF EXISTS events;
\ir ../data/gen_events.sql
VACUUM ANALYZE events;

\echo '== Funnels by customer: in memory and spilled'
SELECT count(*) AS events, count(DISTINCT customer_id) AS customers,
       pg_size_pretty(pg_relation_size('events')) AS table_size
FROM events;

\set q_floor 'SELECT sum(n) FROM (SELECT customer_id, count(*) AS n FROM events GROUP BY customer_id) s'
\set q_conv_one 'SELECT string_agg(r::text, '','') FROM cvfw_conversion_report((SELECT cvfw_conversion_by_customer(customer_id, stage, at, ''{awareness,exploration,experience,value_realization}'', ''30 days'', ''by month'') FROM events)) r'
\set q_conv_spill 'SET work_mem = ''4MB''; SELECT string_agg(r::text, '','') FROM cvfw_conversion_report((SELECT cvfw_conversion_by_customer(customer_id, stage, at, ''{awareness,exploration,experience,value_realization}'', ''30 days'', ''by month'') FROM events)) r; RESET work_mem'
\set q_conv_two 'SELECT string_agg(r::text, '','') FROM cvfw_conversion_report((SELECT cvfw_conversion_merge(c) FROM (SELECT cvfw_conversion(stage, at, ''{awareness,exploration,experience,value_realization}'', ''30 days'', ''by month'') AS c FROM events GROUP BY customer_id) s)) r'
\set q_ret_one 'SELECT string_agg(m::text, '','') FROM cvfw_retention_matrix((SELECT cvfw_retention_by_customer(customer_id, stage, at, ''awareness'', ''month'', ''2026-01-01'') FROM events)) m'
\set q_ret_spill 'SET work_mem = ''4MB''; SELECT string_agg(m::text, '','') FROM cvfw_retention_matrix((SELECT cvfw_retention_by_customer(customer_id, stage, at, ''awareness'', ''month'', ''2026-01-01'') FROM events)) m; RESET work_mem'
\set q_ret_two 'SELECT string_agg(m::text, '','') FROM cvfw_retention_matrix((SELECT cvfw_retention_merge(r) FROM (SELECT cvfw_retention(stage, at, ''awareness'', ''month'', ''2026-01-01'') AS r FROM events GROUP BY customer_id) s)) m'
\set q_text_spill 'SET work_mem = ''4MB''; SELECT string_agg(m::text, '','') FROM cvfw_retention_matrix((SELECT cvfw_retention_by_customer(''cust-'' || customer_id, stage, at, ''awareness'', ''month'', ''2026-01-01'') FROM events)) m; RESET work_mem'
\echo
\echo '-- median of 3 rounds, each query once per round in turn (default planner settings)'
SELECT * FROM bench.compare(
  ARRAY['floor: GROUP BY customer_id, count(*)',
        'conversion, one aggregate, in memory (work_mem 1GB)',
        'conversion, one aggregate, spilled (work_mem 4MB)',
        'conversion, two levels',
        'retention, one aggregate, in memory (work_mem 1GB)',
        'retention, one aggregate, spilled (work_mem 4MB)',
        'retention, one aggregate, text ids, spilled (work_mem 4MB)',
        'retention, two levels'],
  ARRAY[:'q_floor', :'q_conv_one', :'q_conv_spill', :'q_conv_two', :'q_ret_one', :'q_ret_spill', :'q_text_spill',
        :'q_ret_two'],
  3);

\echo
\echo '-- the same summaries in memory and spilled (bytes)'
SELECT (SELECT cvfw_conversion_by_customer(customer_id, stage, at, '{awareness,exploration,experience,value_realization}',
                                           '30 days', 'by month')::text FROM events) AS c_mem,
       (SELECT cvfw_retention_by_customer(customer_id, stage, at, 'awareness', 'month', '2026-01-01')::text FROM events) AS r_mem
\gset
SET work_mem = '4MB';
SELECT (SELECT cvfw_conversion_by_customer(customer_id, stage, at, '{awareness,exploration,experience,value_realization}',
                                           '30 days', 'by month')::text FROM events) = :'c_mem' AS conversion_same_spilled,
       (SELECT cvfw_retention_by_customer(customer_id, stage, at, 'awareness', 'month', '2026-01-01')::text FROM events)
       = :'r_mem' AS retention_same_spilled;
RESET work_mem;
DROP TABLE events;

--
-- flow_check: on a generated data set (20,000 customers), every column of
-- cvfw_leakage and cvfw_transitions equals an independent plain-SQL
-- computation of the definitions (window functions), row for row; and
-- parallel plans, partitionwise aggregation and merges over any split give
-- the serial result.
--
SET timezone = 'UTC';
\set customers 20000
\set seed 7
\i test/data/gen_events.sql
ANALYZE events;
SELECT count(*) AS events, count(DISTINCT customer_id) AS customers,
       count(*) FILTER (WHERE stage IS NULL OR at IS NULL) AS ignored_rows
FROM events;

-- The definitions in plain SQL, knowing nothing of cvfw's internals
-- (shared with the benchmark): regress.plain_leakage(as_of, horizon) and
-- regress.plain_transitions() over table events.
\set schema regress
\i test/data/plain_leakage.sql

-- the two-level pattern: per customer, then merged
CREATE TABLE customer_flows AS
SELECT customer_id, min(segment) AS segment, min(at) AS first_at,
       cvfw_flow(stage, at, value, cost) AS flow
FROM events GROUP BY customer_id;
CREATE TABLE all_flow AS SELECT cvfw_merge(flow) AS flow FROM customer_flows;

-- Compare column by column: counts exactly; money to 1e-9 relative (sums
-- in another order); dwell_avg to the microsecond; the percentiles to the
-- sketch's bound (the relative width of a bucket, 0.8%), and how many
-- are exact.
CREATE FUNCTION regress.compare_leakage(as_of timestamptz, horizon interval)
RETURNS TABLE (stage cvfw_stage, visits bigint, leaked bigint, counts_equal boolean,
  money_equal boolean, dwell_avg_equal boolean, p50_within_bound boolean,
  p90_within_bound boolean, p50_exact boolean, p90_exact boolean)
LANGUAGE sql STABLE AS $$
SELECT p.stage, p.visits, p.leaked,
       (c.customers, c.visits, c.advanced, c.regressed, c.skipped, c.ended, c.leaked, c.active)
         = (p.customers, p.visits, p.advanced, p.regressed, p.skipped, p.ended, p.leaked, p.active)
         AND c.leak_rate IS NOT DISTINCT FROM p.leak_rate,
       abs(c.value - p.value) <= 1e-9 * greatest(1, abs(p.value))
         AND abs(c.cost - p.cost) <= 1e-9 * greatest(1, abs(p.cost))
         AND abs(c.value_at_risk - p.value_at_risk) <= 1e-9 * greatest(1, abs(p.value_at_risk)),
       abs(extract(epoch FROM c.dwell_avg) - extract(epoch FROM p.dwell_avg)) <= 1e-6,
       abs(extract(epoch FROM c.dwell_p50) - extract(epoch FROM p.dwell_p50))
         <= 0.00804 * extract(epoch FROM p.dwell_p50),
       abs(extract(epoch FROM c.dwell_p90) - extract(epoch FROM p.dwell_p90))
         <= 0.00804 * extract(epoch FROM p.dwell_p90),
       c.dwell_p50 = p.dwell_p50, c.dwell_p90 = p.dwell_p90
FROM regress.plain_leakage(as_of, horizon) p
JOIN cvfw_leakage((SELECT flow FROM all_flow), as_of, horizon) c USING (stage)
ORDER BY p.stage
$$;

SELECT * FROM regress.compare_leakage(NULL, NULL);
SELECT * FROM regress.compare_leakage('2026-01-01', '30 days');
SELECT * FROM regress.compare_leakage('2025-12-31 23:00-05', '1 mon 3 days');

-- transitions: identical, row for row
SELECT count(*) AS plain_rows,
       (SELECT count(*) FROM cvfw_transitions((SELECT flow FROM all_flow))) AS cvfw_rows,
       (SELECT count(*) FROM ((SELECT * FROM regress.plain_transitions()
                               EXCEPT ALL SELECT * FROM cvfw_transitions((SELECT flow FROM all_flow)))
                              UNION ALL
                              (SELECT * FROM cvfw_transitions((SELECT flow FROM all_flow))
                               EXCEPT ALL SELECT * FROM regress.plain_transitions())) d) AS differing
FROM regress.plain_transitions();

-- The amounts are whole numbers, so every sum is exact and equal
-- summaries have equal text: compare whole summaries.
-- cvfw_merge over any split: by segment, by customer_id mod 7, then merged
SELECT (SELECT cvfw_merge(f)::text FROM (SELECT cvfw_merge(flow) f FROM customer_flows GROUP BY segment) s)
       = (SELECT flow::text FROM all_flow) AS by_segment,
       (SELECT cvfw_merge(f)::text FROM (SELECT cvfw_merge(flow) f FROM customer_flows GROUP BY customer_id % 7) s)
       = (SELECT flow::text FROM all_flow) AS by_mod_7;

-- cvfw_flow_by_customer, one aggregate over all the events, gives the same
SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost)::text = (SELECT flow::text FROM all_flow)
       AS by_customer_equals_two_level
FROM events;

-- forced parallel plans give the serial result
CREATE TABLE serial_segment_flows AS
SELECT segment, cvfw_flow(stage, at, value, cost) AS flow FROM events GROUP BY segment;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SELECT regress.plan_has('SELECT cvfw_merge(flow) FROM customer_flows', 'Partial Aggregate') AS merge_in_parallel;
SELECT cvfw_merge(flow)::text = (SELECT flow::text FROM all_flow) AS parallel_merge_equals_serial
FROM customer_flows;
-- cvfw_flow_by_customer has no partial form (a partial state would hold the
-- raw events, copied to the leader): under a parallel plan workers scan and
-- one process aggregates, with the serial result
SELECT NOT regress.plan_has('SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) FROM events',
                            'Partial Aggregate') AS by_customer_not_partial;
SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost)::text = (SELECT flow::text FROM all_flow)
       AS parallel_by_customer_equals_serial
FROM events;
-- cvfw_flow itself in parallel: each group's events split between workers
-- and combined, the partial states travelling serialised.  (Per customer
-- the planner rarely splits a group; per segment it does, and a segment's
-- events summarised as if one customer's are a hard test of combining.)
SET enable_hashagg = off;
SELECT regress.plan_has('SELECT segment, cvfw_flow(stage, at, value, cost) FROM events GROUP BY segment',
                        'Partial GroupAggregate') AS flow_in_parallel;
SELECT count(*) AS segments,
       count(*) FILTER (WHERE p.flow::text = s.flow::text) AS equal
FROM (SELECT segment, cvfw_flow(stage, at, value, cost) AS flow FROM events GROUP BY segment) p
JOIN serial_segment_flows s USING (segment);
RESET enable_hashagg;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- partitionwise aggregation: partitioned by customer, each partition
-- aggregates its own customers (as shards would) ...
CREATE TABLE events_by_customer (LIKE events) PARTITION BY HASH (customer_id);
CREATE TABLE events_by_customer_0 PARTITION OF events_by_customer FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE events_by_customer_1 PARTITION OF events_by_customer FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE events_by_customer_2 PARTITION OF events_by_customer FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO events_by_customer SELECT * FROM events;
-- ... and partitioned by time, so a group's events lie in several
-- partitions whose partial states are combined
CREATE TABLE events_by_month (LIKE events) PARTITION BY RANGE (at);
CREATE TABLE events_2025h1 PARTITION OF events_by_month FOR VALUES FROM (MINVALUE) TO ('2025-07-01');
CREATE TABLE events_2025h2 PARTITION OF events_by_month FOR VALUES FROM ('2025-07-01') TO ('2026-01-01');
CREATE TABLE events_2026 PARTITION OF events_by_month FOR VALUES FROM ('2026-01-01') TO (MAXVALUE);
CREATE TABLE events_no_time PARTITION OF events_by_month DEFAULT;
INSERT INTO events_by_month SELECT * FROM events;
ANALYZE events_by_customer, events_by_month;
SET enable_partitionwise_aggregate = on;
SET enable_hashagg = off;
SELECT regress.plan_has('SELECT customer_id, cvfw_flow(stage, at, value, cost) FROM events_by_customer GROUP BY customer_id',
                        'events_by_customer_2') AS per_partition,
       regress.plan_has('SELECT segment, cvfw_flow(stage, at, value, cost) FROM events_by_month GROUP BY segment',
                        'Partial GroupAggregate') AS partial_per_partition;
SELECT cvfw_merge(f)::text = (SELECT flow::text FROM all_flow) AS by_customer_equals_serial
FROM (SELECT cvfw_flow(stage, at, value, cost) AS f FROM events_by_customer GROUP BY customer_id) s;
SELECT count(*) AS segments, count(*) FILTER (WHERE p.flow::text = s.flow::text) AS equal
FROM (SELECT segment, cvfw_flow(stage, at, value, cost) AS flow FROM events_by_month GROUP BY segment) p
JOIN serial_segment_flows s USING (segment);
SELECT cvfw_merge(f)::text = (SELECT flow::text FROM all_flow) AS by_customer_per_segment_partition
FROM (SELECT segment, cvfw_flow_by_customer(customer_id, stage, at, value, cost) AS f
      FROM events_by_month GROUP BY segment) s;
RESET enable_hashagg;
RESET enable_partitionwise_aggregate;

-- summaries stored per segment and cohort (month of first event), as a BI
-- table would keep them, merge to the same whole
CREATE TABLE cohort_flows AS
SELECT segment, date_trunc('month', first_at) AS cohort, cvfw_merge(flow) AS flow
FROM customer_flows GROUP BY 1, 2;
SELECT count(*) AS cohort_rows, sum(cvfw_customers(flow)) AS customers,
       (SELECT cvfw_merge(flow)::text FROM cohort_flows) = (SELECT flow::text FROM all_flow) AS merges_to_whole
FROM cohort_flows;

-- the merged summary's size does not grow with customers: it holds about
-- one day bucket per (day of last activity, final stage)
SELECT pg_column_size(flow) AS bytes, cvfw_customers(flow) AS customers FROM all_flow;

DROP TABLE events, events_by_customer, events_by_month, customer_flows, all_flow, cohort_flows,
  serial_segment_flows;
DROP FUNCTION regress.plain_leakage, regress.plain_transitions, regress.compare_leakage;

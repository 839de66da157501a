--
-- funnel_check: on a generated data set (20,000 customers), every number of
-- cvfw_conversion_report and cvfw_retention_matrix equals an independent
-- plain-SQL computation of the definitions (test/data/plain_conversion.sql,
-- plain_retention.sql), over several settings; and parallel plans,
-- partitionwise aggregation and merges over any split give the serial
-- summary, byte for byte.
--
SET timezone = 'UTC';
SET intervalstyle = postgres;
\set customers 20000
\set seed 11
\i test/data/gen_events.sql
ANALYZE events;
SELECT count(*) AS events, count(DISTINCT customer_id) AS customers FROM events;

\set schema regress
\i test/data/plain_conversion.sql
\i test/data/plain_retention.sql

-- Conversion: rows matched on (cohort, step); counts and rates exactly
-- (the same integers divided), the mean time to the microsecond, the
-- percentiles within the sketch's bound (0.8%), and how many are exact.
CREATE FUNCTION regress.compare_conversion(path cvfw_stage[], win interval, options text,
  any_attempt boolean, strict boolean, period text, as_of timestamptz, fast boolean DEFAULT false)
RETURNS TABLE (rows bigint, missing bigint, counts_equal bigint, rates_equal bigint,
  means_equal bigint, percentiles_within_bound bigint, percentiles_exact bigint, percentiles bigint,
  attempts bigint, customers bigint, in_progress bigint)
LANGUAGE sql AS $$
WITH c AS (
  SELECT * FROM cvfw_conversion_report((SELECT cvfw_conversion_by_customer(customer_id, stage, at, path, win, options, as_of)
                                        FROM events))),
p AS (SELECT * FROM regress.plain_conversion(path, win, any_attempt, strict, period, as_of) WHERE NOT fast
      UNION ALL
      SELECT * FROM regress.plain_conversion_first(path, win, period) WHERE fast),
j AS (SELECT c.*, p.customers AS p_customers, p.attempts AS p_attempts, p.in_progress AS p_in_progress,
             p.step_rate AS p_step_rate, p.overall_rate AS p_overall_rate,
             p.time_avg AS p_time_avg, p.time_p50 AS p_time_p50, p.time_p90 AS p_time_p90,
             p.step_time_avg AS p_step_time_avg, p.step_time_p50 AS p_step_time_p50, p.step_time_p90 AS p_step_time_p90,
             c.step IS NULL OR p.step IS NULL AS unmatched
      FROM c FULL JOIN p ON c.cohort IS NOT DISTINCT FROM p.cohort AND c.step = p.step),
pct AS (SELECT j.*, x.got, x.want FROM j,
        LATERAL (VALUES (time_p50, p_time_p50), (time_p90, p_time_p90),
                        (step_time_p50, p_step_time_p50), (step_time_p90, p_step_time_p90)) x(got, want)
        WHERE x.want IS NOT NULL)
SELECT count(*), count(*) FILTER (WHERE unmatched),
       count(*) FILTER (WHERE (customers, attempts, in_progress) = (p_customers, p_attempts, p_in_progress)),
       count(*) FILTER (WHERE step_rate IS NOT DISTINCT FROM p_step_rate AND overall_rate IS NOT DISTINCT FROM p_overall_rate),
       count(*) FILTER (WHERE coalesce(abs(extract(epoch FROM time_avg - p_time_avg)), 0) <= 1e-6
                          AND coalesce(abs(extract(epoch FROM step_time_avg - p_step_time_avg)), 0) <= 1e-6
                          AND (time_avg IS NULL) = (p_time_avg IS NULL)),
       (SELECT count(*) FROM pct WHERE abs(extract(epoch FROM got - want)) <= 0.00804 * extract(epoch FROM want)),
       (SELECT count(*) FROM pct WHERE got = want),
       (SELECT count(*) FROM pct),
       -- what the settings exercised: re-entry (attempts > customers) and
       -- attempts in progress at as_of
       sum(p_attempts) FILTER (WHERE step = 1)::bigint, sum(p_customers) FILTER (WHERE step = 1)::bigint,
       sum(p_in_progress)::bigint
FROM j
$$;

-- first touch, loose, one cohort, no as_of: the classic funnel
SELECT * FROM regress.compare_conversion('{awareness,exploration,experience,value_realization}', '30 days',
                                         NULL, false, false, NULL, NULL);
-- re-entry, strict, monthly cohorts, as of the export date minus a month
SELECT * FROM regress.compare_conversion('{awareness,exploration,experience,value_realization}', '30 days',
                                         'any, strict, by month', true, true, 'month', '2025-12-01');
-- re-entry, loose, weekly cohorts, a path round the wheel, 14 days
SELECT * FROM regress.compare_conversion('{engagement,awareness,exploration}', '14 days',
                                         'any, by week', true, false, 'week', NULL);
-- first touch, strict, daily cohorts, a path that skips stages
SELECT * FROM regress.compare_conversion('{awareness,value_realization,engagement}', '45 days',
                                         'first, strict, by day', false, true, 'day', '2025-11-15 12:00');
-- the benchmark's plain SQL (first touch, loose: a join per step over the
-- events, no visits) agrees too, by month
SELECT * FROM regress.compare_conversion('{awareness,exploration,experience,value_realization}', '30 days',
                                         'by month', false, false, 'month', NULL, true);
-- the classic funnel's numbers themselves, for the record
SELECT step, stage, customers, attempts, round(step_rate::numeric, 4) AS step_rate,
       round(overall_rate::numeric, 4) AS overall_rate, time_p50
FROM cvfw_conversion_report((SELECT cvfw_conversion_by_customer(customer_id, stage, at,
        '{awareness,exploration,experience,value_realization}', '30 days') FROM events));

-- Retention: every row and column equal (rows matched on (cohort, offset))
CREATE FUNCTION regress.compare_retention(start cvfw_stage, period text, rolling boolean, as_of timestamptz,
  active cvfw_stage[])
RETURNS TABLE (rows bigint, missing bigint, equal bigint)
LANGUAGE sql AS $$
SELECT count(*), count(*) FILTER (WHERE c.cohort IS NULL OR p.cohort IS NULL),
       count(*) FILTER (WHERE (c.cohort_customers, c.customers, c.retained, c.rate, c.retained_on_or_after, c.rate_on_or_after)
                            = (p.cohort_customers, p.customers, p.retained, p.rate, p.retained_on_or_after, p.rate_on_or_after))
FROM cvfw_retention_matrix((SELECT cvfw_retention_by_customer(customer_id, stage, at, start,
                              CASE WHEN rolling THEN 'rolling ' ELSE '' END || period, as_of, active) FROM events)) c
FULL JOIN regress.plain_retention(start, period, rolling, as_of, active) p
  ON c.cohort = p.cohort AND c.period_offset = p.period_offset
$$;
SELECT * FROM regress.compare_retention('awareness', 'month', false, '2026-01-01', NULL);
SELECT * FROM regress.compare_retention(NULL, 'week', true, '2025-12-15 08:30', NULL);
SELECT * FROM regress.compare_retention('value_realization', 'week', false, '2026-01-01',
                                        '{value_realization,engagement}');
SELECT * FROM regress.compare_retention('exploration', 'day', true, '2025-09-30', '{exploration,experience}');
SELECT * FROM regress.compare_retention('awareness', 'month', true, '2025-08-17', NULL);
-- the monthly triangle's first cohorts, for the record
SELECT cohort::date, period_offset, customers, retained, round(rate::numeric, 4) AS rate,
       retained_on_or_after, round(rate_on_or_after::numeric, 4) AS rate_on_or_after
FROM cvfw_retention_matrix((SELECT cvfw_retention_by_customer(customer_id, stage, at, 'awareness', 'month', '2026-01-01')
                            FROM events))
WHERE cohort < '2025-03-01' ORDER BY cohort, period_offset;

-- One summary however it is built: per customer then merged (by segment,
-- by customer_id mod 7), or in one aggregate.  Rows without a customer are
-- left out of the two-level side, as cvfw_*_by_customer leaves them out.
CREATE TABLE conv AS
SELECT cvfw_conversion_by_customer(customer_id, stage, at, '{awareness,exploration,value_realization}', '21 days',
                                   'any, strict, by week', '2025-12-01') AS c,
       cvfw_retention_by_customer(customer_id, stage, at, 'awareness', 'rolling week', '2025-12-01',
                                  '{exploration,value_realization,engagement}') AS r
FROM events;
CREATE TABLE per_customer AS
SELECT customer_id, min(segment) AS segment,
       cvfw_conversion(stage, at, '{awareness,exploration,value_realization}', '21 days', 'any, strict, by week', '2025-12-01') AS c,
       cvfw_retention(stage, at, 'awareness', 'rolling week', '2025-12-01', '{exploration,value_realization,engagement}') AS r
FROM events WHERE customer_id IS NOT NULL GROUP BY customer_id;
SELECT (SELECT cvfw_conversion_merge(c) FROM per_customer)::text = (SELECT c::text FROM conv) AS conversion_two_levels,
       (SELECT cvfw_retention_merge(r) FROM per_customer)::text = (SELECT r::text FROM conv) AS retention_two_levels,
       (SELECT cvfw_conversion_merge(m) FROM (SELECT cvfw_conversion_merge(c) m FROM per_customer GROUP BY segment) s)::text
         = (SELECT c::text FROM conv) AS conversion_by_segment,
       (SELECT cvfw_retention_merge(m) FROM (SELECT cvfw_retention_merge(r) m FROM per_customer GROUP BY customer_id % 7) s)::text
         = (SELECT r::text FROM conv) AS retention_by_mod_7;

-- forced parallel plans give the serial summary
CREATE TABLE serial_segment AS
SELECT segment, cvfw_conversion(stage, at, '{awareness,exploration}', '10 days', 'any') AS c,
       cvfw_retention(stage, at, NULL, 'month', '2026-01-01') AS r
FROM events GROUP BY segment;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SELECT regress.plan_has($q$SELECT cvfw_conversion_by_customer(customer_id, stage, at, '{awareness,exploration,value_realization}', '21 days', 'any, strict, by week', '2025-12-01') FROM events$q$,
                        'Partial Aggregate') AS by_customer_in_parallel,
       regress.plan_has('SELECT cvfw_retention_merge(r) FROM per_customer', 'Partial Aggregate') AS merge_in_parallel;
SELECT (SELECT cvfw_conversion_by_customer(customer_id, stage, at, '{awareness,exploration,value_realization}', '21 days',
                                           'any, strict, by week', '2025-12-01') FROM events)::text
         = (SELECT c::text FROM conv) AS conversion_by_customer,
       (SELECT cvfw_retention_by_customer(customer_id, stage, at, 'awareness', 'rolling week', '2025-12-01',
                                          '{exploration,value_realization,engagement}') FROM events)::text
         = (SELECT r::text FROM conv) AS retention_by_customer,
       (SELECT cvfw_conversion_merge(c) FROM per_customer)::text = (SELECT c::text FROM conv) AS conversion_merge,
       (SELECT cvfw_retention_merge(r) FROM per_customer)::text = (SELECT r::text FROM conv) AS retention_merge;
-- the per-customer aggregates in parallel: a segment's events summarised
-- as if one customer's, split between workers and combined
SET enable_hashagg = off;
SELECT regress.plan_has($q$SELECT segment, cvfw_conversion(stage, at, '{awareness,exploration}', '10 days', 'any') FROM events GROUP BY segment$q$,
                        'Partial GroupAggregate') AS per_customer_in_parallel;
SELECT count(*) AS segments,
       count(*) FILTER (WHERE p.c::text = s.c::text AND p.r::text = s.r::text) AS equal
FROM (SELECT segment, cvfw_conversion(stage, at, '{awareness,exploration}', '10 days', 'any') AS c,
             cvfw_retention(stage, at, NULL, 'month', '2026-01-01') AS r
      FROM events GROUP BY segment) p
JOIN serial_segment s USING (segment);
RESET enable_hashagg;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- partitionwise: by customer (each partition its own customers, as shards
-- would), and by time (a customer's events in several partitions, partial
-- states combined)
CREATE TABLE ev_by_customer (LIKE events) PARTITION BY HASH (customer_id);
CREATE TABLE ev_by_customer_0 PARTITION OF ev_by_customer FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE ev_by_customer_1 PARTITION OF ev_by_customer FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE ev_by_customer_2 PARTITION OF ev_by_customer FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO ev_by_customer SELECT * FROM events WHERE customer_id IS NOT NULL;
CREATE TABLE ev_by_time (LIKE events) PARTITION BY RANGE (at);
CREATE TABLE ev_by_time_1 PARTITION OF ev_by_time FOR VALUES FROM (MINVALUE) TO ('2025-07-01');
CREATE TABLE ev_by_time_2 PARTITION OF ev_by_time FOR VALUES FROM ('2025-07-01') TO (MAXVALUE);
CREATE TABLE ev_by_time_null PARTITION OF ev_by_time DEFAULT;
INSERT INTO ev_by_time SELECT * FROM events;
ANALYZE ev_by_customer, ev_by_time;
SET enable_partitionwise_aggregate = on;
SET enable_hashagg = off;
SELECT regress.plan_has($q$SELECT customer_id, cvfw_retention(stage, at, 'awareness', 'rolling week', '2025-12-01', '{exploration,value_realization,engagement}') FROM ev_by_customer GROUP BY customer_id$q$,
                        'ev_by_customer_2') AS per_partition,
       regress.plan_has($q$SELECT segment, cvfw_conversion_by_customer(customer_id, stage, at, '{awareness,exploration,value_realization}', '21 days', 'any, strict, by week', '2025-12-01') FROM ev_by_time GROUP BY segment$q$,
                        'Partial GroupAggregate') AS partial_per_partition;
SELECT (SELECT cvfw_retention_merge(r) FROM (SELECT cvfw_retention(stage, at, 'awareness', 'rolling week', '2025-12-01',
                                                                   '{exploration,value_realization,engagement}') AS r
                                             FROM ev_by_customer GROUP BY customer_id) s)::text
         = (SELECT r::text FROM conv) AS retention_per_partition,
       (SELECT cvfw_conversion_merge(c) FROM (SELECT cvfw_conversion_by_customer(customer_id, stage, at,
                                                '{awareness,exploration,value_realization}', '21 days', 'any, strict, by week',
                                                '2025-12-01') AS c
                                              FROM ev_by_time GROUP BY segment) s)::text
         = (SELECT c::text FROM conv) AS conversion_by_customer_per_segment;
RESET enable_hashagg;
RESET enable_partitionwise_aggregate;

DROP TABLE events, conv, per_customer, serial_segment, ev_by_customer, ev_by_time;
DROP FUNCTION regress.plain_conversion, regress.plain_conversion_first, regress.plain_conversion_rows,
  regress.plain_retention, regress.compare_conversion, regress.compare_retention;
DROP TABLE IF EXISTS pc_visits, pc_attempts, pc_starts;

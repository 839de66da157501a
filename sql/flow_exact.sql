--
-- flow_exact: exact summaries.  Amounts with fractions (cents, thirds,
-- negatives, digits below a millionth) summed exactly: every way of
-- building a summary — serial, forced parallel, partitionwise, two-level,
-- one aggregate, random splits merged in random orders — gives the same
-- bytes; the sums equal an independent numeric computation.  Summaries as
-- a group (+ and -).  The bounds, accepted at and refused beyond, for
-- every writer.  0.1.0's summaries (format version 1) read back with the
-- same answers.
--
SET timezone = 'UTC';
\set customers 3000
\set seed 5
\i test/data/gen_events.sql
-- the generator's whole amounts made fractional: cents (x 1.01), thirds,
-- sevenths, a negative, and digits below a millionth (+ 3e-7 rounds away)
CREATE TABLE ev AS
SELECT customer_id, segment, stage, at,
       CASE WHEN value IS NULL THEN NULL
            ELSE value * 1.01 + (customer_id % 7) * 0.33 - CASE WHEN customer_id % 13 = 0 THEN 1.0 / 3 ELSE 0 END
       END AS value,
       CASE WHEN cost IS NULL THEN NULL ELSE cost / 7.0 + 0.0000003 END AS cost
FROM events;
DROP TABLE events;
ANALYZE ev;
SELECT count(*) AS events, count(DISTINCT customer_id) AS customers,
       count(*) FILTER (WHERE value <> round(value::numeric, 2)) AS values_beyond_cents
FROM ev;

-- the reference: per stage, the sum of the events' amounts each rounded to
-- the millionth, in numeric (a stage's value is the sum of its visits',
-- each the sum of its events').  These amounts have at most 15 significant
-- digits and are nowhere near a half at the seventh decimal, so the
-- float8 -> numeric cast (15 digits) rounds them as cvfw does.
CREATE TABLE reference AS
SELECT stage, sum(round(coalesce(value, 0)::numeric, 6)) AS value,
       sum(round(coalesce(cost, 0)::numeric, 6)) AS cost
FROM ev WHERE stage IS NOT NULL AND at IS NOT NULL GROUP BY stage;

CREATE TABLE customer_flows AS
SELECT customer_id, min(segment) AS segment, cvfw_flow(stage, at, value, cost) AS flow
FROM ev GROUP BY customer_id;
CREATE TABLE whole AS SELECT cvfw_merge(flow) AS flow FROM customer_flows;

-- the exact sums, as float8 (the nearest float8 to the exact sum), equal
-- the reference's
SELECT l.stage, r.value AS reference_value, l.value = r.value::float8 AS value_exact,
       l.cost = r.cost::float8 AS cost_exact
FROM cvfw_leakage((SELECT flow FROM whole)) l JOIN reference r USING (stage)
ORDER BY stage;

-- one aggregate over all events: the same bytes
SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost)::text = (SELECT flow::text FROM whole)
       AS by_customer_equals_two_level
FROM ev;

-- any split, merged in any order: by segment, by customer mod k, by a
-- random assignment, each merged in a random order (cvfw_merge over
-- ORDER BY random() merges in that order), and folded with + in reverse
SELECT k,
       (SELECT cvfw_merge(f ORDER BY random())::text
        FROM (SELECT cvfw_merge(flow ORDER BY random()) f FROM customer_flows GROUP BY customer_id % k) s)
         = (SELECT flow::text FROM whole) AS mod_k_random_order,
       (SELECT cvfw_merge(f ORDER BY random())::text
        FROM (SELECT cvfw_merge(flow) f FROM customer_flows GROUP BY floor(random() * k)) s)
         = (SELECT flow::text FROM whole) AS random_split
FROM generate_series(1, 12, 3) k;
WITH RECURSIVE parts AS (
  SELECT row_number() OVER (ORDER BY segment DESC) AS n, cvfw_merge(flow) AS f
  FROM customer_flows GROUP BY segment),
fold AS (
  SELECT 1::bigint AS n, f FROM parts WHERE n = 1
  UNION ALL
  SELECT p.n, fold.f + p.f FROM fold JOIN parts p ON p.n = fold.n + 1)
SELECT f::text = (SELECT flow::text FROM whole) AS folded_with_plus
FROM fold ORDER BY n DESC LIMIT 1;

-- forced parallel plans give the serial bytes
CREATE TABLE serial_segments AS
SELECT segment, cvfw_flow(stage, at, value, cost) AS flow FROM ev GROUP BY segment;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SELECT regress.plan_has('SELECT cvfw_merge(flow) FROM customer_flows', 'Partial Aggregate') AS merge_in_parallel,
       -- no partial form since the scale work: workers scan, one aggregate summarises
       NOT regress.plan_has('SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) FROM ev',
                            'Partial Aggregate') AS by_customer_whole;
SELECT (SELECT cvfw_merge(flow)::text FROM customer_flows) = (SELECT flow::text FROM whole)
         AS parallel_merge,
       (SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost)::text FROM ev)
         = (SELECT flow::text FROM whole) AS parallel_by_customer;
-- cvfw_flow itself split between workers (per segment, as if one customer):
-- the same bytes as the serial plan
SET enable_hashagg = off;
SELECT regress.plan_has('SELECT segment, cvfw_flow(stage, at, value, cost) FROM ev GROUP BY segment',
                        'Partial GroupAggregate') AS flow_in_parallel;
SELECT count(*) AS segments, count(*) FILTER (WHERE p.flow::text = s.flow::text) AS equal
FROM (SELECT segment, cvfw_flow(stage, at, value, cost) AS flow FROM ev GROUP BY segment) p
JOIN serial_segments s USING (segment);
RESET enable_hashagg;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- partitionwise: by customer (as shards), and by time (a customer's events
-- in several partitions, their partial states combined)
CREATE TABLE ev_by_customer (LIKE ev) PARTITION BY HASH (customer_id);
CREATE TABLE ev_by_customer_0 PARTITION OF ev_by_customer FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE ev_by_customer_1 PARTITION OF ev_by_customer FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE ev_by_customer_2 PARTITION OF ev_by_customer FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO ev_by_customer SELECT * FROM ev;
CREATE TABLE ev_by_time (LIKE ev) PARTITION BY RANGE (at);
CREATE TABLE ev_by_time_1 PARTITION OF ev_by_time FOR VALUES FROM (MINVALUE) TO ('2025-07-01');
CREATE TABLE ev_by_time_2 PARTITION OF ev_by_time FOR VALUES FROM ('2025-07-01') TO (MAXVALUE);
CREATE TABLE ev_by_time_null PARTITION OF ev_by_time DEFAULT;
INSERT INTO ev_by_time SELECT * FROM ev;
ANALYZE ev_by_customer, ev_by_time;
SET enable_partitionwise_aggregate = on;
SET enable_hashagg = off;
SELECT regress.plan_has('SELECT customer_id, cvfw_flow(stage, at, value, cost) FROM ev_by_customer GROUP BY customer_id',
                        'ev_by_customer_2') AS per_partition,
       regress.plan_has('SELECT segment, cvfw_flow(stage, at, value, cost) FROM ev_by_time GROUP BY segment',
                        'Partial GroupAggregate') AS partial_per_partition;
SELECT (SELECT cvfw_merge(f)::text FROM (SELECT cvfw_flow(stage, at, value, cost) AS f
                                         FROM ev_by_customer GROUP BY customer_id) s)
         = (SELECT flow::text FROM whole) AS partitioned_by_customer,
       (SELECT cvfw_merge(f)::text FROM (SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) AS f
                                         FROM ev_by_time GROUP BY segment) s)
         = (SELECT flow::text FROM whole) AS partitioned_by_time;
SELECT count(*) AS segments, count(*) FILTER (WHERE p.flow::text = s.flow::text) AS equal
FROM (SELECT segment, cvfw_flow(stage, at, value, cost) AS flow FROM ev_by_time GROUP BY segment) p
JOIN serial_segments s USING (segment);
RESET enable_hashagg;
RESET enable_partitionwise_aggregate;

-- --- summaries as a group ------------------------------------------------------------

-- (A + B) - B = A and (A + B) - A = B, byte for byte, for random disjoint
-- sets of customers (eight draws, sets of any size)
CREATE TABLE draws AS
SELECT d, customer_id, (hashint8(customer_id * 31 + d) & 3) AS side
FROM generate_series(1, 8) d, (SELECT DISTINCT customer_id FROM customer_flows) c;
SELECT d, cvfw_customers(a) AS a_customers, cvfw_customers(b) AS b_customers,
       ((a + b) - b)::text = a::text AS a_back, ((a + b) - a)::text = b::text AS b_back,
       (a + b)::text = (b + a)::text AS commutes
FROM (SELECT d, cvfw_merge(flow) FILTER (WHERE side = 0) AS a,
             cvfw_merge(flow) FILTER (WHERE side IN (1, 2)) AS b
      FROM draws JOIN customer_flows USING (customer_id) GROUP BY d) s
ORDER BY d;
-- taking customers out of the whole one by one, in random order, leaves
-- exactly the summary of the rest
SELECT (SELECT flow FROM whole) - cvfw_merge(flow) IS NULL AS all_taken_out FROM customer_flows;
SELECT ((SELECT flow FROM whole) - cvfw_merge(flow))::text
       = (SELECT cvfw_merge(flow)::text FROM customer_flows WHERE customer_id % 10 <> 0) AS rest_exact
FROM customer_flows WHERE customer_id % 10 = 0;
-- replacing a customer: take the old summary out, put the new one in; the
-- same as summarising the changed events
CREATE TABLE ev_changed AS SELECT * FROM ev;
UPDATE ev_changed SET value = coalesce(value, 0) + 0.125, at = at + interval '3 days'
WHERE customer_id = 42 AND stage = (SELECT min(stage) FROM ev WHERE customer_id = 42);
SELECT ((SELECT flow FROM whole)
        - (SELECT flow FROM customer_flows WHERE customer_id = 42)
        + (SELECT cvfw_flow(stage, at, value, cost) FROM ev_changed WHERE customer_id = 42))::text
       = (SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost)::text FROM ev_changed)
       AS replaced;
-- NULL is the summary of no customers
SELECT (NULL::cvfw_flow + flow)::text = flow::text AS null_plus, (flow + NULL)::text = flow::text AS plus_null,
       (flow - NULL)::text = flow::text AS minus_null, (flow - flow) IS NULL AS minus_itself,
       (NULL::cvfw_flow + NULL::cvfw_flow) IS NULL AS null_null,
       cvfw_flow_add(flow, flow)::text = (flow + flow)::text AS function_is_operator
FROM customer_flows WHERE customer_id = 7;
-- what is refused: a part the total does not hold (22023, saying what)
SELECT label, (regress.try(stmt)).*
FROM (VALUES
  ('a customer not in the total',
   $$SELECT (SELECT cvfw_merge(flow) FROM customer_flows WHERE customer_id < 100)
            - (SELECT flow FROM customer_flows WHERE customer_id = 2500)$$),
  ('more customers than the total',
   $$SELECT (SELECT flow FROM customer_flows WHERE customer_id = 7) - (SELECT flow FROM whole)$$),
  ('a customer twice',
   $$SELECT (SELECT flow FROM whole) - (SELECT flow + flow FROM customer_flows WHERE customer_id = 7)$$),
  ('from NULL',
   $$SELECT NULL::cvfw_flow - (SELECT flow FROM customer_flows WHERE customer_id = 7)$$)) t(label, stmt);

-- --- bounds: accepted at each, refused beyond, by every writer ---------------------

-- customers: one summary doubled 53 times holds 2^53 customers; it is
-- written, stored, read; one more customer, by + or by cvfw_merge, is 22003
CREATE TABLE bounds (label text, flow cvfw_flow);
WITH RECURSIVE d(n, f) AS (
  SELECT 0, cvfw_flow('awareness', '2026-01-01', 0.5, 0.25)
  UNION ALL
  SELECT n + 1, f + f FROM d WHERE n < 53)
INSERT INTO bounds SELECT '2^53 customers', f FROM d WHERE n = 53;
SELECT cvfw_customers(flow) = 2 ^ 53 AS at_bound, cvfw_customers(flow::text::cvfw_flow) AS read_back,
       (cvfw_leakage(flow)).value AS value
FROM bounds WHERE label = '2^53 customers' LIMIT 1;
SELECT label, (regress.try(stmt)).*
FROM (VALUES
  ('+ one customer', $$SELECT flow + (SELECT cvfw_flow('awareness', '2026-01-01')) FROM bounds WHERE label = '2^53 customers'$$),
  ('cvfw_merge', $$SELECT cvfw_merge(f) FROM (SELECT flow FROM bounds WHERE label = '2^53 customers'
                                             UNION ALL SELECT cvfw_flow('awareness', '2026-01-01')) s(f)$$),
  ('doubled', $$SELECT flow + flow FROM bounds WHERE label = '2^53 customers'$$)) t(label, stmt);
-- amounts: ±10^31 (the float8 1e31 is just below 10^31) accepted; sums
-- beyond refused when they form, by every writer
INSERT INTO bounds
SELECT '±10^31', cvfw_flow(stage, at, value, cost)
FROM (VALUES ('value_realization'::cvfw_stage, '2026-01-01'::timestamptz, 1e31::float8, -1e31::float8)) v(stage, at, value, cost);
SELECT value, cost FROM cvfw_leakage((SELECT flow FROM bounds WHERE label = '±10^31'))
WHERE stage = 'value_realization';
SELECT label, (regress.try(stmt)).*
FROM (VALUES
  ('input beyond', $$SELECT cvfw_flow('awareness', '2026-01-01', 1.0000000000000002e31)$$),
  ('by_customer input beyond', $$SELECT cvfw_flow_by_customer(1, 'awareness', '2026-01-01', 0, -2e31)$$),
  ('one customer''s sum', $$SELECT cvfw_flow(s, t, v) FROM (VALUES ('awareness'::cvfw_stage, '2026-01-01'::timestamptz, 1e31::float8), ('awareness', '2026-01-02', 1e31)) x(s, t, v)$$),
  ('+', $$SELECT flow + flow FROM bounds WHERE label = '±10^31'$$),
  ('cvfw_merge', $$SELECT cvfw_merge(flow) FROM bounds, generate_series(1, 2) WHERE label = '±10^31'$$),
  ('cvfw_flow_by_customer', $$SELECT cvfw_flow_by_customer(c, 'value_realization', '2026-01-01', 1e31) FROM generate_series(1, 2) c$$))
  t(label, stmt);
-- visits per customer: built by test/unit/test_flow_exact.c (which checks
-- these bytes are what it builds), one customer whose visits alternate
-- awareness and exploration: 2^32 visits read; 2^32 + 1, and issue 14's
-- 2^53, refused as no customer could have made them
INSERT INTO bounds VALUES ('2^32 visits, one customer',
  '\x02000103018080808008000001ffffffff0700000201808080800806ffffffff0701d08c0102010500f755551c');
SELECT cvfw_customers(flow) AS customers,
       cvfw_visits(flow, 'awareness') + cvfw_visits(flow, 'exploration') = 2 ^ 32 AS visits_at_bound
FROM bounds WHERE label = '2^32 visits, one customer';
SELECT label, (regress.try(format('SELECT %L::cvfw_flow', hex))).*
FROM (VALUES
  ('2^32 + 1 visits', '\x02000103018080808008000001808080800800000201808080800806808080800801d08c0101010500e2254f9c'),
  ('2^53 visits', '\x02000103018080808080808008000001ffffffffffffff0700000201808080808080800806ffffffffffffff0701d08c010201050084028207'))
  t(label, hex);
-- the same through binary input (COPY ... FORMAT binary, 22003 too)
SELECT state, message, detail
FROM regress.recv('cvfw_flow', decode('02000103018080808080808008000001ffffffffffffff0700000201808080808080800806ffffffffffffff0701d08c010201050084028207', 'hex'));
-- a stage's visits: 2^52 customers of two awareness visits each make 2^53
-- (accepted); doubled, 2^53 customers (within their bound) make 2^54: refused
WITH RECURSIVE d(n, f) AS (
  SELECT 0, cvfw_flow(s, t) FROM (VALUES ('awareness'::cvfw_stage, '2026-01-01'::timestamptz),
                                        ('exploration', '2026-01-02'), ('awareness', '2026-01-03')) x(s, t)
  UNION ALL
  SELECT n + 1, f + f FROM d WHERE n < 52)
INSERT INTO bounds SELECT '2^53 awareness visits', f FROM d WHERE n = 52;
SELECT cvfw_visits(flow, 'awareness') = 2 ^ 53 AS at_bound FROM bounds WHERE label = '2^53 awareness visits';
SELECT (regress.try($$SELECT flow + flow FROM bounds WHERE label = '2^53 awareness visits'$$)).*;
-- times: the first and the last microsecond PostgreSQL holds, and the
-- longest dwell between them
INSERT INTO bounds
SELECT 'the ends of time', cvfw_flow(stage, at)
FROM (VALUES ('awareness'::cvfw_stage, '4714-11-24 00:00:00+00 BC'::timestamptz),
             ('exploration', '294276-12-31 23:59:59.999999+00')) v(stage, at);
SELECT stage, visits, dwell_avg FROM cvfw_leakage((SELECT flow FROM bounds WHERE label = 'the ends of time'))
WHERE visits > 0;
-- every row at a bound reads back from its text and its binary form
SELECT label, flow::text::cvfw_flow::text = flow::text AS text_round_trip,
       cvfw_customers(flow::text::cvfw_flow) = cvfw_customers(flow) AS reads
FROM bounds ORDER BY label;

-- --- 0.1.0's summaries (test/data/flow_v1: bytes and reports made by 0.1.0) ---------

CREATE TABLE v1 (label text, hex text);
\copy v1 FROM 'test/data/flow_v1/hex.txt' (FORMAT csv, DELIMITER '|')
CREATE TABLE v1_leakage (stage cvfw_stage, customers bigint, visits bigint, advanced bigint,
  regressed bigint, skipped bigint, ended bigint, leaked bigint, active bigint, leak_rate float8,
  value text, cost text, value_at_risk text, dwell_avg interval, dwell_p50 interval, dwell_p90 interval);
\copy v1_leakage FROM 'test/data/flow_v1/leakage.txt' (FORMAT text, DELIMITER '|', NULL '')
CREATE TABLE v1_leakage_one (LIKE v1_leakage);
\copy v1_leakage_one FROM 'test/data/flow_v1/leakage_one.txt' (FORMAT text, DELIMITER '|', NULL '')
CREATE TABLE v1_transitions (from_stage cvfw_stage, to_stage cvfw_stage, transitions bigint, share float8);
\copy v1_transitions FROM 'test/data/flow_v1/transitions.txt' (FORMAT text, DELIMITER '|')
CREATE TABLE v1_clv (customers bigint, churned bigint, exposure_periods float8, revenue_per_period float8,
  expected_periods float8, cost_per_customer float8, clv_per_customer float8, total_clv float8,
  acquisition_cost float8, new_customer_clv float8);
\copy v1_clv FROM 'test/data/flow_v1/clv.txt' (FORMAT text, DELIMITER '|')
CREATE TABLE v1_percentiles (n serial, p interval);
\copy v1_percentiles (p) FROM 'test/data/flow_v1/percentiles.txt'
SELECT label, substr(hex, 1, 4) AS version, regress.input_is_valid(hex, 'cvfw_flow') AS reads FROM v1 ORDER BY label;
-- the leakage report: every count, rate and duration as 0.1.0 printed it;
-- each amount 0.1.0's float8 sum rounded to the millionth
SELECT count(*) AS stages,
       count(*) FILTER (WHERE (n.customers, n.visits, n.advanced, n.regressed, n.skipped, n.ended, n.leaked,
                               n.active, n.leak_rate, n.dwell_avg, n.dwell_p50, n.dwell_p90)
                              IS NOT DISTINCT FROM
                              (o.customers, o.visits, o.advanced, o.regressed, o.skipped, o.ended, o.leaked,
                               o.active, o.leak_rate, o.dwell_avg, o.dwell_p50, o.dwell_p90)) AS same_counts_and_times,
       count(*) FILTER (WHERE n.value = round(o.value::numeric, 6)::float8
                          AND n.cost = round(o.cost::numeric, 6)::float8) AS amounts_to_the_millionth,
       max(abs(n.value_at_risk - o.value_at_risk::float8) / greatest(1, abs(o.value_at_risk::float8)))
         < 1e-8 AS value_at_risk_close
FROM cvfw_leakage((SELECT hex::cvfw_flow FROM v1 WHERE label = 'all'), '2026-01-01', '30 days') n
JOIN v1_leakage o USING (stage);
SELECT n.stage, o.value AS value_0_1_0, n.value, o.cost AS cost_0_1_0, n.cost
FROM cvfw_leakage((SELECT hex::cvfw_flow FROM v1 WHERE label = 'one')) n JOIN v1_leakage_one o USING (stage)
WHERE n.visits > 0;
SELECT count(*) AS transitions_0_1_0,
       count(*) FILTER (WHERE (n.transitions, n.share) = (o.transitions, o.share)) AS same
FROM v1_transitions o
LEFT JOIN cvfw_transitions((SELECT hex::cvfw_flow FROM v1 WHERE label = 'all')) n USING (from_stage, to_stage);
SELECT (n.customers, n.churned, n.exposure_periods, n.expected_periods) = (o.customers, o.churned, o.exposure_periods, o.expected_periods)
         AS same_counts,
       abs(n.revenue_per_period / o.revenue_per_period - 1) < 1e-8 AND abs(n.cost_per_customer / o.cost_per_customer - 1) < 1e-8
         AND abs(n.total_clv / o.total_clv - 1) < 1e-8 AND abs(n.acquisition_cost / o.acquisition_cost - 1) < 1e-8
         AS amounts_close
FROM cvfw_clv((SELECT hex::cvfw_flow FROM v1 WHERE label = 'all'), '2026-01-01', '30 days', '30 days') n, v1_clv o;
SELECT count(*) AS percentiles, count(*) FILTER (WHERE n.p = o.p) AS same
FROM (SELECT row_number() OVER () AS n, cvfw_dwell_percentile((SELECT hex::cvfw_flow FROM v1 WHERE label = 'all'),
                                                               cvfw_stage(s), q) AS p
      FROM generate_series(1, 6) s, unnest(ARRAY[0.1, 0.5, 0.99]) q) n
JOIN v1_percentiles o USING (n);
-- a version-1 summary merges with version-2 ones, and is written as version 2
SELECT substr((old + new)::text, 1, 4) AS written_as, cvfw_customers(old + new) AS customers,
       ((old + new) - new)::text = (NULL::cvfw_flow + old)::text AS subtracts_back
FROM (SELECT hex::cvfw_flow AS old, (SELECT cvfw_flow('awareness', '2026-01-01')) AS new
      FROM v1 WHERE label = 'all') s;

DROP TABLE ev, reference, customer_flows, whole, serial_segments, ev_by_customer, ev_by_time, draws,
  ev_changed, bounds, v1, v1_leakage, v1_leakage_one, v1_transitions, v1_clv, v1_percentiles;

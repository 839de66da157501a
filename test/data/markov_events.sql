-- markov_events.sql — customers walking a known Markov chain round the
-- wheel, for the tests of the value model (sql/value_mc.sql, sql/dwell_km.sql).
-- psql variables: customers (how many), seed, dwell (an int[] literal of
-- the days a visit that moves on may last, each equally likely).  Reads
--   mc_chain(from_stage int, to_stage int, p float8): after a visit of
--            from_stage the next visit is at to_stage with probability p,
--            to_stage 0 = leaked (no more events); each from_stage's p sum to 1
--   mc_start(stage int, p float8): where customers start
-- and creates mc_events(customer_id, stage, at, value, cost).
--
-- Every draw is a hash of (customer, step, draw) and the seed, so the rows
-- are the same on every platform and version.  Each customer starts on a
-- day uniform in the 180 days from 2026-01-01; every visit is one event at
-- midnight UTC; a visit that moves on lasts one of the dwell days (each as
-- likely, whatever comes next); a customer whose next visit would fall after
-- 2026-06-30 (day 180, the as_of of the tests) is still in their visit:
-- the export ends there.  Amounts per visit, uniform whole numbers:
-- value_realization 100..300 (mean 200), engagement 50..150 (mean 100);
-- cost at awareness 5..15 (mean 10), at exploration 0..10 (mean 5).
CREATE FUNCTION pg_temp.mc_u(c bigint, step int, k int, seed bigint) RETURNS float8
LANGUAGE sql IMMUTABLE AS
$$ SELECT (hashint8extended(c * 4096 + step * 8 + k, seed) & 4294967295)::float8 / 4294967296 $$;

CREATE TABLE mc_events AS
WITH RECURSIVE cum AS (
  SELECT from_stage, to_stage,
         coalesce(sum(p) OVER (PARTITION BY from_stage ORDER BY to_stage
                               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS lo,
         sum(p) OVER (PARTITION BY from_stage ORDER BY to_stage) AS hi
  FROM mc_chain
),
start_cum AS (
  SELECT stage,
         coalesce(sum(p) OVER (ORDER BY stage ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS lo,
         sum(p) OVER (ORDER BY stage) AS hi
  FROM mc_start
),
walk(customer_id, step, stage, day) AS (
  SELECT c, 0, s.stage, floor(pg_temp.mc_u(c, 0, 1, :seed) * 180)::int
  FROM generate_series(1::bigint, :customers) c
  JOIN start_cum s ON pg_temp.mc_u(c, 0, 0, :seed) >= s.lo AND pg_temp.mc_u(c, 0, 0, :seed) < s.hi
  UNION ALL
  SELECT w.customer_id, w.step + 1, n.to_stage,
         w.day + (:'dwell'::int[])[1 + floor(pg_temp.mc_u(w.customer_id, w.step + 1, 3, :seed) * cardinality(:'dwell'::int[]))::int]
  FROM walk w
  JOIN cum n ON n.from_stage = w.stage
            AND pg_temp.mc_u(w.customer_id, w.step + 1, 2, :seed) >= n.lo
            AND pg_temp.mc_u(w.customer_id, w.step + 1, 2, :seed) < n.hi
  WHERE n.to_stage <> 0
    AND w.day + (:'dwell'::int[])[1 + floor(pg_temp.mc_u(w.customer_id, w.step + 1, 3, :seed) * cardinality(:'dwell'::int[]))::int] <= 180
)
SELECT customer_id, cvfw_stage(stage) AS stage,
       timestamptz '2026-01-01 00:00:00+00' + day * interval '1 day' AS at,
       CASE stage WHEN 4 THEN 100 + floor(pg_temp.mc_u(customer_id, step, 4, :seed) * 201)
                  WHEN 6 THEN 50 + floor(pg_temp.mc_u(customer_id, step, 4, :seed) * 101)
                  ELSE 0 END AS value,
       CASE stage WHEN 1 THEN 5 + floor(pg_temp.mc_u(customer_id, step, 5, :seed) * 11)
                  WHEN 2 THEN floor(pg_temp.mc_u(customer_id, step, 5, :seed) * 11)
                  ELSE 0 END AS cost
FROM walk;

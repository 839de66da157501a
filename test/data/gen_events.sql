-- gen_events.sql — a seeded, repeatable CRM event data set for tests,
-- benchmarks and the demo.  psql variables: customers (how many) and seed.
-- Creates table events (customer_id, segment, stage, at, value, cost).
--
-- Every draw is a hash of (seed, customer, event, draw), so the same
-- variables give the same rows in any order, serial or parallel.  About
-- 3 events per customer: a random walk round the wheel (mostly a step on,
-- sometimes a repeat, a step or two back, or a skip), gaps of hours to
-- weeks, values at value_realization and engagement, costs early on; about
-- 1% of rows lack a stage or a time and 5% of costs are NULL, as in real
-- CRM exports.  Amounts are whole numbers.  Rows are stored in time order,
-- as an event table fills up.
CREATE TABLE events AS
WITH customers AS (
  SELECT c AS customer_id, u_start, u_seg, u_t0,
         least(12, 1 + floor(-2.5 * ln(u_n))::int) AS n   -- 1 + a geometric-ish count, mean about 3
  FROM (SELECT c,
               -- uniform draws in (0, 1) from independent hashes
               ((hashint8(c * 64 + 0) # :seed) & 1048575) / 1048576.0 + 1 / 2097152.0 AS u_n,
               ((hashint8(c * 64 + 1) # :seed) & 1048575) / 1048576.0 AS u_start,
               ((hashint8(c * 64 + 2) # :seed) & 1048575) / 1048576.0 AS u_seg,
               ((hashint8(c * 64 + 3) # :seed) & 1048575) / 1048576.0 AS u_t0
        FROM generate_series(1::bigint, :customers) c) d
),
draws AS (
  SELECT customer_id, i, u_start, u_seg, u_t0,
         ((hashint8(customer_id * 4096 + i * 8 + 4) # :seed) & 1048575) / 1048576.0 AS u_step,
         ((hashint8(customer_id * 4096 + i * 8 + 5) # :seed) & 1048575) / 1048576.0 + 1 / 2097152.0 AS u_gap,
         ((hashint8(customer_id * 4096 + i * 8 + 6) # :seed) & 1048575) / 1048576.0 AS u_amount,
         ((hashint8(customer_id * 4096 + i * 8 + 7) # :seed) & 1048575) / 1048576.0 AS u_null
  FROM customers, LATERAL generate_series(1, n) i
),
walk AS (
  SELECT *,
         CASE WHEN i = 1 THEN CASE WHEN u_start < 0.7 THEN 0 WHEN u_start < 0.85 THEN 1
                                   ELSE floor(u_start * 6)::int END
              WHEN u_step < 0.55 THEN 1 WHEN u_step < 0.70 THEN 0
              WHEN u_step < 0.80 THEN -1 WHEN u_step < 0.88 THEN -2 ELSE 2 END AS step,
         CASE WHEN i = 1 THEN u_t0 * 300 ELSE -ln(u_gap) * 9 END AS gap_days
  FROM draws
),
placed AS (
  SELECT customer_id, i, u_seg, u_amount, u_null,
         cvfw_stage(1 + ((sum(step) OVER w) % 6 + 6)::int % 6) AS stage,
         timestamptz '2025-01-01 00:00:00+00'
           + make_interval(secs => round((sum(gap_days) OVER w) * 86400)) AS at
  FROM walk
  WINDOW w AS (PARTITION BY customer_id ORDER BY i)
)
SELECT customer_id::int AS customer_id,
       (ARRAY['smb', 'mid-market', 'enterprise'])[1 + floor(u_seg * 3)::int] AS segment,
       CASE WHEN u_null < 0.006 THEN NULL ELSE stage END AS stage,
       CASE WHEN u_null BETWEEN 0.006 AND 0.01 THEN NULL ELSE at END AS at,
       CASE WHEN stage IN ('value_realization', 'engagement') THEN round(20 + u_amount * 480)
            WHEN stage = 'advocacy' AND u_amount < 0.2 THEN round(u_amount * 100)
            ELSE 0 END::float8 AS value,
       CASE WHEN u_null BETWEEN 0.01 AND 0.06 THEN NULL
            WHEN stage IN ('awareness', 'exploration') THEN round(1 + u_amount * 30)
            WHEN stage = 'experience' THEN round(u_amount * 10)
            ELSE 0 END::float8 AS cost
FROM placed
ORDER BY at, customer_id;   -- stored in time order, as events arrive, not by customer

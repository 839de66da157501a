-- gen_events.sql — a seeded, repeatable CRM event data set for tests,
-- benchmarks and the demo.  psql variables: customers (how many) and seed.
-- Creates table events (customer_id, segment, stage, at, value, cost).
--
-- Every draw is a hash of (seed, customer, event, draw), so the same
-- variables give the same rows in any order, serial or parallel.  Each
-- customer walks round the wheel (mostly a step on, sometimes a repeat, a
-- step or two back, or a skip), with gaps of hours to weeks, and after
-- each event stops for good with a chance that depends on the stage and
-- the segment (the leaks the reports should find: early stages and small
-- customers leak most), up to 8 events, about 3.5 on average.  Values come
-- at value_realization and engagement, costs early on.  About 1% of rows
-- lack a stage or a time and 5% of costs are NULL, as in real CRM exports.
-- Amounts are whole numbers.  The export is taken on 2026-01-01: later
-- events are not in it, so the customers still on their way are active.
-- Rows are stored in time order, as an event table fills up.
CREATE TABLE events AS
WITH customers AS (
  SELECT c AS customer_id,
         -- uniform draws in [0, 1) from independent hashes
         ((hashint8(c * 64 + 1) # :seed) & 1048575) / 1048576.0 AS u_start,
         ((hashint8(c * 64 + 2) # :seed) & 1048575) / 1048576.0 AS u_seg,
         ((hashint8(c * 64 + 3) # :seed) & 1048575) / 1048576.0 AS u_t0
  FROM generate_series(1::bigint, :customers) c
),
draws AS (
  SELECT customer_id, i, u_start, u_seg, u_t0,
         ((hashint8(customer_id * 4096 + i * 8 + 3) # :seed) & 1048575) / 1048576.0 AS u_stop,
         ((hashint8(customer_id * 4096 + i * 8 + 4) # :seed) & 1048575) / 1048576.0 AS u_step,
         ((hashint8(customer_id * 4096 + i * 8 + 5) # :seed) & 1048575) / 1048576.0 + 1 / 2097152.0 AS u_gap,
         ((hashint8(customer_id * 4096 + i * 8 + 6) # :seed) & 1048575) / 1048576.0 AS u_amount,
         ((hashint8(customer_id * 4096 + i * 8 + 7) # :seed) & 1048575) / 1048576.0 AS u_null
  FROM customers, generate_series(1, 8) i
),
walk AS (
  SELECT *,
         CASE WHEN i = 1 THEN CASE WHEN u_start < 0.7 THEN 0 WHEN u_start < 0.85 THEN 1
                                   ELSE floor(u_start * 6)::int END
              WHEN u_step < 0.55 THEN 1 WHEN u_step < 0.70 THEN 0
              WHEN u_step < 0.80 THEN -1 WHEN u_step < 0.88 THEN -2 ELSE 2 END AS step,
         CASE WHEN i = 1 THEN u_t0 * 300 ELSE -ln(u_gap) * 9 END AS gap_days,
         (ARRAY['smb', 'mid-market', 'enterprise'])[1 + floor(u_seg * 3)::int] AS segment
  FROM draws
),
placed AS (
  SELECT customer_id, i, segment, u_amount, u_null, u_stop,
         cvfw_stage(1 + ((sum(step) OVER w) % 6 + 6)::int % 6) AS stage,
         timestamptz '2025-01-01 00:00:00+00'
           + make_interval(secs => round((sum(gap_days) OVER w) * 86400)) AS at
  FROM walk
  WINDOW w AS (PARTITION BY customer_id ORDER BY i)
),
stopping AS (
  -- the chance to stop after an event: by stage, times 1.3 for smb and 0.7
  -- for enterprise
  SELECT *, u_stop < (ARRAY[0.36, 0.30, 0.24, 0.12, 0.20, 0.10])[cvfw_position(stage)]
                     * CASE segment WHEN 'smb' THEN 1.3 WHEN 'enterprise' THEN 0.7 ELSE 1 END AS stops
  FROM placed
),
kept AS (
  SELECT *, coalesce(min(i) FILTER (WHERE stops) OVER (PARTITION BY customer_id), 8) AS last_i
  FROM stopping
)
SELECT customer_id::int AS customer_id, segment,
       CASE WHEN u_null < 0.006 THEN NULL ELSE stage END AS stage,
       CASE WHEN u_null BETWEEN 0.006 AND 0.01 THEN NULL ELSE at END AS at,
       CASE WHEN stage IN ('value_realization', 'engagement') THEN round(20 + u_amount * 480)
            WHEN stage = 'advocacy' AND u_amount < 0.2 THEN round(u_amount * 100)
            ELSE 0 END::float8 AS value,
       CASE WHEN u_null BETWEEN 0.01 AND 0.06 THEN NULL
            WHEN stage IN ('awareness', 'exploration') THEN round(1 + u_amount * 30)
            WHEN stage = 'experience' THEN round(u_amount * 10)
            ELSE 0 END::float8 AS cost
FROM kept
WHERE i <= last_i AND at < timestamptz '2026-01-01 00:00:00+00'
ORDER BY at, customer_id;   -- stored in time order, as events arrive, not by customer

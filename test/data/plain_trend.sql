-- plain_trend.sql — the trend's definitions (doc/live.md, "Trends") in
-- plain SQL with window functions, knowing nothing of cvfw's internals: the
-- independent computation the regression test compares cvfw_trend_leakage
-- with, cell by cell, and the plain-SQL side of the trend benchmark.
-- psql variable schema: where to create
--   plain_trend(period text, as_of timestamptz, horizon interval)
-- over a table events(customer_id, stage, at, value) on the search path.
-- Values are summed as numeric after rounding each to millionths, as cvfw
-- rounds each amount once on input, so the sums agree exactly.

CREATE FUNCTION :"schema".plain_trend(period text, as_of timestamptz, horizon interval)
RETURNS TABLE (period_start date, stage cvfw_stage, visits bigint, advanced bigint,
  regressed bigint, skipped bigint, ended bigint, leaked bigint, active bigint,
  leak_rate float8, value float8)
LANGUAGE sql STABLE AS $$
WITH ev AS (          -- rows without a stage or a time are ignored; NULL values count 0
  SELECT customer_id, stage, at, round(coalesce(value, 0)::numeric, 6) AS value
  FROM events WHERE stage IS NOT NULL AND at IS NOT NULL AND customer_id IS NOT NULL),
ordered AS (          -- by time, ties by wheel position
  SELECT *, row_number() OVER (PARTITION BY customer_id ORDER BY at, stage) AS n
  FROM ev),
numbered AS (         -- consecutive events at one stage form a visit
  SELECT *, sum(starts) OVER (PARTITION BY customer_id ORDER BY n) AS visit_no
  FROM (SELECT *, CASE WHEN stage IS DISTINCT FROM lag(stage) OVER (PARTITION BY customer_id ORDER BY n)
                       THEN 1 ELSE 0 END AS starts
        FROM ordered) m),
visits AS (
  SELECT customer_id, visit_no, min(stage) AS stage, min(at) AS entry, sum(value) AS value
  FROM numbered GROUP BY customer_id, visit_no),
linked AS (
  SELECT v.*, c.last_at, lead(v.stage) OVER (PARTITION BY v.customer_id ORDER BY v.visit_no) AS next_stage
  FROM visits v
  JOIN (SELECT customer_id, max(at) AS last_at FROM ev GROUP BY customer_id) c USING (customer_id)),
classified AS (
  SELECT date_trunc(period, entry AT TIME ZONE 'UTC')::date AS period_start, stage, value,
         CASE WHEN next_stage IS NULL THEN 'ended'
              WHEN next_stage = cvfw_next(stage) THEN 'advanced'
              WHEN cvfw_position(next_stage) < cvfw_position(stage) THEN 'regressed'
              ELSE 'skipped' END AS outcome,
         next_stage IS NULL
           AND (horizon IS NULL
                OR (last_at AT TIME ZONE 'UTC')::date < ((as_of AT TIME ZONE 'UTC') - horizon)::date)
           AS is_leaked
  FROM linked)
SELECT period_start, stage, count(*),
       count(*) FILTER (WHERE outcome = 'advanced'),
       count(*) FILTER (WHERE outcome = 'regressed'),
       count(*) FILTER (WHERE outcome = 'skipped'),
       count(*) FILTER (WHERE outcome = 'ended'),
       count(*) FILTER (WHERE is_leaked),
       count(*) FILTER (WHERE outcome = 'ended' AND NOT is_leaked),
       (count(*) FILTER (WHERE is_leaked))::float8 / count(*),
       sum(value)::float8
FROM classified
GROUP BY period_start, stage
ORDER BY period_start, stage
$$;

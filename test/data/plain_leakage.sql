-- plain_leakage.sql — the flow definitions (README, "Flow and leakage") in
-- plain SQL with window functions, knowing nothing of cvfw's internals: the
-- independent computation the regression test compares cvfw_leakage and
-- cvfw_transitions with, and the plain-SQL side of the benchmark.
-- psql variable schema: where to create
--   plain_leakage(as_of timestamptz, horizon interval) and plain_transitions()
-- over a table events(customer_id, stage, at, value, cost) on the search path.

CREATE FUNCTION :"schema".plain_leakage(as_of timestamptz, horizon interval)
RETURNS TABLE (stage cvfw_stage, customers bigint, visits bigint, advanced bigint,
  regressed bigint, skipped bigint, ended bigint, leaked bigint, active bigint,
  leak_rate float8, value float8, cost float8, value_at_risk float8,
  dwell_avg interval, dwell_p50 interval, dwell_p90 interval)
LANGUAGE sql STABLE AS $$
WITH ev AS (          -- rows without a stage or a time are ignored; NULL amounts count 0
  SELECT customer_id, stage, at, coalesce(value, 0) AS value, coalesce(cost, 0) AS cost
  FROM events WHERE stage IS NOT NULL AND at IS NOT NULL),
ordered AS (          -- by time, ties by wheel position
  SELECT *, row_number() OVER (PARTITION BY customer_id ORDER BY at, stage, value, cost) AS n
  FROM ev),
numbered AS (         -- consecutive events at one stage form a visit
  SELECT *, sum(starts) OVER (PARTITION BY customer_id ORDER BY n) AS visit_no
  FROM (SELECT *, CASE WHEN stage IS DISTINCT FROM lag(stage) OVER (PARTITION BY customer_id ORDER BY n)
                       THEN 1 ELSE 0 END AS starts
        FROM ordered) m),
visits AS (
  SELECT customer_id, visit_no, min(stage) AS stage, min(at) AS entry,
         sum(value) AS value, sum(cost) AS cost
  FROM numbered GROUP BY customer_id, visit_no),
linked AS (
  SELECT v.*, max(v.entry) OVER (PARTITION BY v.customer_id) AS unused,
         c.last_at,
         lead(v.stage) OVER w AS next_stage,
         lead(v.entry) OVER w AS next_entry,
         coalesce(sum(v.value) OVER (w ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING), 0) AS downstream
  FROM visits v
  JOIN (SELECT customer_id, max(at) AS last_at FROM ev GROUP BY customer_id) c USING (customer_id)
  WINDOW w AS (PARTITION BY v.customer_id ORDER BY v.visit_no)),
classified AS (
  SELECT *,
         CASE WHEN next_stage IS NULL THEN 'ended'
              WHEN next_stage = cvfw_next(stage) THEN 'advanced'
              WHEN cvfw_position(next_stage) < cvfw_position(stage) THEN 'regressed'
              ELSE 'skipped' END AS outcome,
         next_stage IS NULL
           AND (horizon IS NULL
                OR (last_at AT TIME ZONE 'UTC')::date < ((as_of AT TIME ZONE 'UTC') - horizon)::date)
           AS is_leaked,
         next_entry - entry AS dwell
  FROM linked),
per_stage AS (
  SELECT s.stage,
         count(DISTINCT c.customer_id) AS customers,
         count(c.stage) AS visits,
         count(*) FILTER (WHERE outcome = 'advanced') AS advanced,
         count(*) FILTER (WHERE outcome = 'regressed') AS regressed,
         count(*) FILTER (WHERE outcome = 'skipped') AS skipped,
         count(*) FILTER (WHERE outcome = 'ended') AS ended,
         count(*) FILTER (WHERE is_leaked) AS leaked,
         coalesce(sum(c.value), 0) AS value,
         coalesce(sum(c.cost), 0) AS cost,
         avg(downstream) FILTER (WHERE outcome <> 'ended') AS mean_downstream,
         avg(dwell) FILTER (WHERE outcome <> 'ended') AS dwell_avg,
         percentile_disc(0.5) WITHIN GROUP (ORDER BY dwell) FILTER (WHERE outcome <> 'ended') AS dwell_p50,
         percentile_disc(0.9) WITHIN GROUP (ORDER BY dwell) FILTER (WHERE outcome <> 'ended') AS dwell_p90
  FROM cvfw_stages() s LEFT JOIN classified c ON c.stage = s.stage
  GROUP BY s.stage)
SELECT stage, customers, visits, advanced, regressed, skipped, ended, leaked, ended - leaked,
       leaked::float8 / nullif(visits, 0), value, cost, leaked * coalesce(mean_downstream, 0),
       dwell_avg, dwell_p50, dwell_p90
FROM per_stage ORDER BY stage
$$;

CREATE FUNCTION :"schema".plain_transitions()
RETURNS TABLE (from_stage cvfw_stage, to_stage cvfw_stage, transitions bigint, share float8)
LANGUAGE sql STABLE AS $$
WITH ev AS (
  SELECT customer_id, stage, at, coalesce(value, 0) AS value, coalesce(cost, 0) AS cost
  FROM events WHERE stage IS NOT NULL AND at IS NOT NULL),
ordered AS (
  SELECT customer_id, stage,
         lag(stage) OVER (PARTITION BY customer_id ORDER BY at, stage, value, cost) AS prev
  FROM ev),
moves AS (SELECT prev AS from_stage, stage AS to_stage FROM ordered WHERE prev <> stage),
visits AS (   -- visits of a stage: the moves out of it, plus the customers ending there
  SELECT from_stage AS stage, count(*) AS n FROM moves GROUP BY 1
  UNION ALL
  SELECT stage, 1 FROM (SELECT DISTINCT ON (customer_id) customer_id, stage FROM ev
                        ORDER BY customer_id, at DESC, stage DESC, value DESC, cost DESC) last_event)
SELECT from_stage, to_stage, count(*), count(*)::float8 / (SELECT sum(n) FROM visits WHERE stage = from_stage)
FROM moves GROUP BY 1, 2 ORDER BY 1, 2
$$;

-- plain_retention.sql — cohort retention (doc/funnels.md) in plain SQL,
-- knowing nothing of cvfw's internals: the independent computation the
-- regression test compares cvfw_retention_matrix with, and the plain-SQL
-- side of the benchmark.
-- psql variable schema: where to create
--   plain_retention(start_stage, period, rolling, as_of, active_stages)
-- over a table events(customer_id, stage, at) on the search path.
-- start_stage NULL: the first event at any stage; active_stages NULL: all.

CREATE FUNCTION :"schema".plain_retention(start_stage cvfw_stage, period text, rolling boolean,
  as_of timestamptz, active_stages cvfw_stage[])
RETURNS TABLE (cohort timestamptz, period_offset bigint, cohort_customers bigint, customers bigint,
  retained bigint, rate float8, retained_on_or_after bigint, rate_on_or_after float8)
LANGUAGE sql STABLE AS $$
WITH ev AS (           -- what is known at as_of
  SELECT e.customer_id, e.stage, e.at, e.at AT TIME ZONE 'UTC' AS utc
  FROM events e
  WHERE e.customer_id IS NOT NULL AND e.stage IS NOT NULL AND e.at IS NOT NULL AND e.at <= as_of),
len AS (               -- a rolling period
  SELECT CASE period WHEN 'day' THEN interval '1 day' WHEN 'week' THEN interval '7 days'
                     ELSE interval '30 days' END AS l),
starts AS (            -- each customer's start: the first event at the start stage
  SELECT customer_id, min(at) AS start, min(at) AT TIME ZONE 'UTC' AS start_utc
  FROM ev WHERE start_stage IS NULL OR stage = start_stage
  GROUP BY customer_id),
-- calendar periods: number them (months since year 0, ISO weeks, days), so an
-- offset is a difference of numbers
numbered AS (
  SELECT s.*, date_trunc(period, s.start_utc) AT TIME ZONE 'UTC' AS cohort_start,
         CASE WHEN rolling
              -- the last rolling period wholly at or before as_of
              THEN floor(extract(epoch FROM as_of + interval '1 microsecond' - s.start)
                         / extract(epoch FROM (SELECT l FROM len)))::bigint - 1
              ELSE (SELECT CASE period
                             WHEN 'month' THEN (extract(year FROM a) * 12 + extract(month FROM a))
                                               - (extract(year FROM s.start_utc) * 12 + extract(month FROM s.start_utc))
                             WHEN 'week' THEN (date_trunc('week', a)::date - date_trunc('week', s.start_utc)::date) / 7
                             ELSE a::date - s.start_utc::date END
                    FROM (SELECT (as_of + interval '1 microsecond') AT TIME ZONE 'UTC' AS a) x)::bigint - 1
         END AS last_complete
  FROM starts s),
activity AS (          -- the offsets at which each customer was active
  SELECT DISTINCT n.customer_id,
         CASE WHEN rolling
              THEN floor(extract(epoch FROM e.at - n.start) / extract(epoch FROM (SELECT l FROM len)))::bigint
              ELSE (CASE period
                      WHEN 'month' THEN (extract(year FROM e.utc) * 12 + extract(month FROM e.utc))
                                        - (extract(year FROM n.start_utc) * 12 + extract(month FROM n.start_utc))
                      WHEN 'week' THEN (date_trunc('week', e.utc)::date - date_trunc('week', n.start_utc)::date) / 7
                      ELSE e.utc::date - n.start_utc::date END)::bigint
         END AS o
  FROM numbered n JOIN ev e ON e.customer_id = n.customer_id AND e.at >= n.start
  WHERE active_stages IS NULL OR e.stage = ANY (active_stages)),
per_customer AS (
  SELECT n.customer_id, n.cohort_start, n.last_complete, max(a.o) AS last_active,
         array_agg(a.o) FILTER (WHERE a.o IS NOT NULL) AS offsets
  FROM numbered n LEFT JOIN activity a USING (customer_id)
  GROUP BY n.customer_id, n.cohort_start, n.last_complete),
grid AS (              -- each cohort's offsets: 0 .. the last complete one of any customer
  SELECT cohort_start, count(*) AS cohort_customers, generate_series(0, max(last_complete)) AS o
  FROM per_customer GROUP BY cohort_start)
SELECT g.cohort_start, g.o, g.cohort_customers,
       count(p.customer_id) AS customers,
       count(p.customer_id) FILTER (WHERE g.o = ANY (p.offsets)) AS retained,
       (count(p.customer_id) FILTER (WHERE g.o = ANY (p.offsets)))::float8 / count(p.customer_id),
       count(p.customer_id) FILTER (WHERE p.last_active >= g.o) AS retained_on_or_after,
       (count(p.customer_id) FILTER (WHERE p.last_active >= g.o))::float8 / count(p.customer_id)
FROM grid g JOIN per_customer p ON p.cohort_start = g.cohort_start AND p.last_complete >= g.o
GROUP BY g.cohort_start, g.o, g.cohort_customers
ORDER BY g.cohort_start, g.o
$$;

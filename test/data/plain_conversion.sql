-- plain_conversion.sql — funnel conversion (doc/funnels.md) in plain SQL,
-- knowing nothing of cvfw's internals: the independent computation the
-- regression test compares cvfw_conversion_report with, and the plain-SQL
-- side of the benchmark.  It works set-wise, one step (and one attempt) at
-- a time for all customers together, where cvfw walks each customer's
-- visits once.
-- psql variable schema: where to create
--   plain_conversion(path, conversion_window, any_attempt, strict_order, period, as_of)
--   plain_conversion_first(path, conversion_window, period): first touch,
--     loose, no as_of, written the way an analyst would for speed: one
--     join and GROUP BY per step over the events, no visits
-- over a table public.events(customer_id, stage, at), cvfw in public.
-- period: NULL (one cohort), 'day', 'week' or 'month' (UTC); as_of may be NULL.

CREATE FUNCTION :"schema".plain_conversion(path cvfw_stage[], conversion_window interval,
  any_attempt boolean, strict_order boolean, period text, as_of timestamptz)
RETURNS TABLE (cohort timestamptz, step int, stage cvfw_stage, customers bigint,
  attempts bigint, in_progress bigint, step_rate float8, overall_rate float8,
  time_avg interval, time_p50 interval, time_p90 interval,
  step_time_avg interval, step_time_p50 interval, step_time_p90 interval)
LANGUAGE plpgsql AS $$
DECLARE
  m int := cardinality(path);
  n int := 1;
BEGIN
  PERFORM set_config('client_min_messages', 'warning', true);
  -- visits: consecutive events at one stage, events ordered by time then
  -- wheel position; events after as_of and without a stage or time ignored.
  -- regresses: the move into this visit falls back on the wheel (engagement
  -- to awareness is the next round, not a fall back); prev_stage: where
  -- the move came from
  DROP TABLE IF EXISTS pc_visits, pc_attempts, pc_starts;
  CREATE TEMP TABLE pc_visits AS
  WITH ev AS (
    SELECT e.customer_id, e.stage, e.at,
           e.stage IS DISTINCT FROM lag(e.stage) OVER (PARTITION BY e.customer_id ORDER BY e.at, e.stage) AS starts
    FROM events e
    WHERE e.stage IS NOT NULL AND e.at IS NOT NULL AND e.customer_id IS NOT NULL
      AND (as_of IS NULL OR e.at <= as_of)),
  numbered AS (
    SELECT ev.*, count(*) FILTER (WHERE ev.starts) OVER (PARTITION BY ev.customer_id ORDER BY ev.at, ev.stage) AS vno
    FROM ev),
  v AS (
    SELECT numbered.customer_id, numbered.vno, min(numbered.stage) AS stage, min(numbered.at) AS entry
    FROM numbered GROUP BY numbered.customer_id, numbered.vno)
  SELECT v.*, lag(v.stage) OVER w AS prev_stage,
         coalesce(cvfw_position(v.stage) < cvfw_position(lag(v.stage) OVER w)
                  AND v.stage <> cvfw_next(lag(v.stage) OVER w), false) AS regresses
  FROM v WINDOW w AS (PARTITION BY v.customer_id ORDER BY v.vno);
  CREATE INDEX ON pc_visits (customer_id, vno);
  ANALYZE pc_visits;

  CREATE TEMP TABLE pc_attempts (customer_id bigint, attempt int, t0 timestamptz, level int,
                                 reached timestamptz[], open boolean, next_vno bigint);
  -- the first attempt starts at each customer's first visit to the first stage
  CREATE TEMP TABLE pc_starts AS
  SELECT DISTINCT ON (v.customer_id) v.customer_id, v.vno, v.entry
  FROM pc_visits v WHERE v.stage = path[1] ORDER BY v.customer_id, v.vno;

  LOOP
    INSERT INTO pc_attempts
    WITH RECURSIVE steps AS (
      -- step k + 1: the first later visit to path[k + 1] entered within the
      -- window from the attempt's start; strict: with no fall back before
      -- it, and not reached by a fall back unless straight from path[k]
      SELECT s.customer_id, 1 AS k, s.vno, s.entry AS t0, ARRAY[s.entry] AS reached
      FROM pc_starts s
      UNION ALL
      SELECT st.customer_id, st.k + 1, nx.vno, st.t0, st.reached || nx.entry
      FROM steps st
      CROSS JOIN LATERAL (
        SELECT v.vno, v.entry FROM pc_visits v
        WHERE v.customer_id = st.customer_id AND v.vno > st.vno AND v.stage = path[st.k + 1]
          AND v.entry - st.t0 <= conversion_window
          AND NOT (strict_order AND EXISTS (
                SELECT FROM pc_visits w
                WHERE w.customer_id = st.customer_id AND w.vno > st.vno AND w.vno < v.vno AND w.regresses))
        ORDER BY v.vno LIMIT 1) nx
      WHERE st.k < m
        AND NOT (strict_order AND EXISTS (
              SELECT FROM pc_visits f
              WHERE f.customer_id = st.customer_id AND f.vno = nx.vno AND f.regresses
                AND f.prev_stage IS DISTINCT FROM path[st.k]))),
    last_step AS (
      SELECT DISTINCT ON (customer_id) * FROM steps ORDER BY customer_id, k DESC)
    SELECT l.customer_id, n, l.t0, l.k, l.reached,
           -- still in progress: incomplete, nothing stopped it, window open at as_of
           as_of IS NOT NULL AND l.k < m AND stop.vno IS NULL AND as_of - l.t0 < conversion_window,
           -- where the next attempt may start: after the completing visit, or
           -- at the visit that stopped this one (past the window, or a fall back)
           CASE WHEN l.k = m THEN l.vno + 1 ELSE stop.vno END
    FROM last_step l
    LEFT JOIN LATERAL (
      SELECT w.vno FROM pc_visits w
      WHERE w.customer_id = l.customer_id AND w.vno > l.vno
        AND (w.entry - l.t0 > conversion_window
             OR (strict_order AND w.regresses
                 AND NOT (w.stage = path[l.k + 1] AND w.prev_stage = path[l.k])))
      ORDER BY w.vno LIMIT 1) stop ON l.k < m;
    EXIT WHEN NOT any_attempt;
    -- re-entry: the next visit to the first stage from there on starts the next attempt
    DROP TABLE pc_starts;
    CREATE TEMP TABLE pc_starts AS
    SELECT DISTINCT ON (v.customer_id) v.customer_id, v.vno, v.entry
    FROM pc_attempts a JOIN pc_visits v ON v.customer_id = a.customer_id AND v.vno >= a.next_vno
    WHERE a.attempt = n AND v.stage = path[1]
    ORDER BY v.customer_id, v.vno;
    EXIT WHEN NOT EXISTS (SELECT FROM pc_starts);
    n := n + 1;
  END LOOP;

  RETURN QUERY SELECT * FROM plain_conversion_rows(path, period);
END $$;

-- the report from the attempts in temp table pc_attempts (customer_id, t0,
-- level, reached[], open): per cohort and step, counts, rates and times
CREATE FUNCTION :"schema".plain_conversion_rows(path cvfw_stage[], period text)
RETURNS TABLE (cohort timestamptz, step int, stage cvfw_stage, customers bigint,
  attempts bigint, in_progress bigint, step_rate float8, overall_rate float8,
  time_avg interval, time_p50 interval, time_p90 interval,
  step_time_avg interval, step_time_p50 interval, step_time_p90 interval)
LANGUAGE plpgsql AS $$
DECLARE
  m int := cardinality(path);
BEGIN
  RETURN QUERY
  WITH cohorts AS (
    SELECT a.*, CASE WHEN period IS NULL THEN NULL
                     ELSE date_trunc(period, a.t0 AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' END AS c
    FROM pc_attempts a),
  per_step AS (
    SELECT c, k,
           count(*) FILTER (WHERE a.level >= k) AS attempts,
           count(DISTINCT a.customer_id) FILTER (WHERE a.level >= k) AS customers,
           count(*) FILTER (WHERE a.level = k AND a.open) AS in_progress,
           avg(a.reached[k] - a.reached[1]) FILTER (WHERE a.level >= k AND k > 1) AS t_avg,
           percentile_disc(0.5) WITHIN GROUP (ORDER BY a.reached[k] - a.reached[1]) FILTER (WHERE a.level >= k AND k > 1) AS t_p50,
           percentile_disc(0.9) WITHIN GROUP (ORDER BY a.reached[k] - a.reached[1]) FILTER (WHERE a.level >= k AND k > 1) AS t_p90,
           avg(a.reached[k] - a.reached[k - 1]) FILTER (WHERE a.level >= k AND k > 1) AS s_avg,
           percentile_disc(0.5) WITHIN GROUP (ORDER BY a.reached[k] - a.reached[k - 1]) FILTER (WHERE a.level >= k AND k > 1) AS s_p50,
           percentile_disc(0.9) WITHIN GROUP (ORDER BY a.reached[k] - a.reached[k - 1]) FILTER (WHERE a.level >= k AND k > 1) AS s_p90
    FROM cohorts a, generate_series(1, m) k
    GROUP BY c, k)
  SELECT p.c, p.k, path[p.k], p.customers, p.attempts, p.in_progress,
         p.attempts::float8 / nullif(lag(p.attempts) OVER w, 0),
         p.attempts::float8 / nullif(first_value(p.attempts) OVER w, 0),
         p.t_avg, p.t_p50, p.t_p90, p.s_avg, p.s_p50, p.s_p90
  FROM per_step p
  WINDOW w AS (PARTITION BY p.c ORDER BY p.k)
  ORDER BY p.c, p.k;
END $$;

CREATE FUNCTION :"schema".plain_conversion_first(path cvfw_stage[], conversion_window interval, period text)
RETURNS TABLE (cohort timestamptz, step int, stage cvfw_stage, customers bigint,
  attempts bigint, in_progress bigint, step_rate float8, overall_rate float8,
  time_avg interval, time_p50 interval, time_p90 interval,
  step_time_avg interval, step_time_p50 interval, step_time_p90 interval)
LANGUAGE plpgsql AS $$
DECLARE
  m int := cardinality(path);
  k int;
BEGIN
  PERFORM set_config('client_min_messages', 'warning', true);
  DROP TABLE IF EXISTS pc_attempts;
  -- step 1: each customer's first event at the first stage
  CREATE TEMP TABLE pc_attempts AS
  SELECT e.customer_id, 1 AS attempt, min(e.at) AS t0, 1 AS level, ARRAY[min(e.at)] AS reached,
         false AS open, NULL::bigint AS next_vno
  FROM events e
  WHERE e.stage = path[1] AND e.at IS NOT NULL AND e.customer_id IS NOT NULL
  GROUP BY e.customer_id;
  FOR k IN 2 .. m LOOP
    -- step k: the first event at path[k] after step k - 1's (at one
    -- instant, events follow wheel order), within the window from step 1
    UPDATE pc_attempts a SET level = k, reached = a.reached || n.at
    FROM (SELECT s.customer_id, min(e.at) AS at
          FROM pc_attempts s JOIN events e ON e.customer_id = s.customer_id AND e.stage = path[k]
          WHERE s.level = k - 1
            AND (e.at > s.reached[k - 1] OR (e.at = s.reached[k - 1] AND path[k] > path[k - 1]))
            AND e.at - s.t0 <= conversion_window
          GROUP BY s.customer_id) n
    WHERE n.customer_id = a.customer_id;
  END LOOP;
  RETURN QUERY SELECT * FROM plain_conversion_rows(path, period);
END $$;

-- the functions call each other within :"schema"; the events table and cvfw
-- are found in public
ALTER FUNCTION :"schema".plain_conversion(cvfw_stage[], interval, boolean, boolean, text, timestamptz)
  SET search_path = :"schema", public;
ALTER FUNCTION :"schema".plain_conversion_first(cvfw_stage[], interval, text)
  SET search_path = :"schema", public;

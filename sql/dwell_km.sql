--
-- dwell_km: the product-limit (Kaplan-Meier) dwell percentiles that count
-- the visits still open at as_of (cvfw_dwell_km, cvfw_dwell_km_percentile)
-- equal an independent plain-SQL product-limit computation over the
-- visits themselves, at every stage and percentile, for two as_of dates;
-- without a horizon they are today's percentiles of the completed visits.
-- The data: 5,000 customers of a known chain (test/data/markov_events.sql)
-- whose visits last 1 to 50 days, one event each at midnight: the times
-- the estimate reads from the summary are then the visits' own (km.h).
--
SET timezone = 'UTC';
CREATE SCHEMA dwell_km;
SET search_path = dwell_km, public;
SET extra_float_digits = 0;
CREATE TABLE mc_chain (from_stage int, to_stage int, p float8);
INSERT INTO mc_chain VALUES
  (1, 0, 0.30), (1, 2, 0.50), (1, 3, 0.20),
  (2, 0, 0.25), (2, 1, 0.15), (2, 3, 0.45), (2, 4, 0.15),
  (3, 0, 0.20), (3, 2, 0.20), (3, 4, 0.60),
  (4, 0, 0.15), (4, 5, 0.45), (4, 6, 0.40),
  (5, 0, 0.30), (5, 1, 0.20), (5, 6, 0.50),
  (6, 0, 0.25), (6, 1, 0.40), (6, 4, 0.35);
CREATE TABLE mc_start (stage int, p float8);
INSERT INTO mc_start VALUES (1, 0.9), (2, 0.1);
\set customers 5000
\set seed 5
\set dwell '{1,1,2,3,3,4,5,6,7,7,8,10,12,13,15,18,21,26,33,41,50}'
\i test/data/markov_events.sql
CREATE TABLE km_flow AS SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) AS flow FROM mc_events;

-- The definitions in plain SQL: visits (consecutive events at one stage,
-- events in cvfw's order), each one moved on after its dwell, leaked (the
-- customer's last event before the UTC date of as_of - horizon) or open
-- for greatest(as_of, last event) - entry.  At each dwell t with d moves,
-- r at risk: the moves at t or later, every leaked visit, the open visits
-- open t or longer.  S = prod (1 - d / r) in numeric; F = (1 - S) / (1 - S
-- at the end); the q-percentile is the first t with F >= q (to 1e-12).
CREATE AGGREGATE product(numeric) (SFUNC = numeric_mul, STYPE = numeric);
CREATE FUNCTION plain_km_curve(as_of timestamptz, horizon interval)
RETURNS TABLE (stage cvfw_stage, t interval, f numeric) LANGUAGE sql STABLE AS $$
WITH e AS (
  SELECT customer_id, stage, at,
         lag(stage) OVER (PARTITION BY customer_id ORDER BY at, stage, value, cost) AS prev
  FROM mc_events
), v AS (
  SELECT customer_id, stage, at AS entry,
         lead(at) OVER (PARTITION BY customer_id ORDER BY at, stage) AS next_entry
  FROM e WHERE prev IS DISTINCT FROM stage
), o AS (
  SELECT v.stage,
         CASE WHEN next_entry IS NOT NULL THEN 'moved'
              WHEN (c.last_at AT TIME ZONE 'UTC')::date < ((as_of AT TIME ZONE 'UTC') - horizon)::date THEN 'leaked'
              ELSE 'open' END AS kind,
         CASE WHEN next_entry IS NOT NULL THEN next_entry - entry
              ELSE greatest(as_of, c.last_at) - entry END AS t
  FROM v JOIN (SELECT customer_id, max(at) AS last_at FROM mc_events GROUP BY 1) c USING (customer_id)
), risk AS (
  SELECT m.stage, m.t, m.d,
         (SELECT count(*) FROM o WHERE o.stage = m.stage AND (o.kind = 'leaked' OR o.t >= m.t)) AS r
  FROM (SELECT stage, t, count(*) AS d FROM o WHERE kind = 'moved' GROUP BY 1, 2) m
), s AS (
  SELECT stage, t, product(1 - d::numeric / r) OVER (PARTITION BY stage ORDER BY t) AS s FROM risk
), f AS (
  SELECT stage, t, (1 - s) / (1 - last_value(s) OVER (PARTITION BY stage ORDER BY t
                                                      ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) AS f
  FROM s
)
SELECT stage, t, f FROM f
$$;

-- as of the end of the data (a third of the customers open), and as of
-- 2026-05-01 with a 10-day horizon (events after as_of: visits open until
-- their last event)
CREATE TABLE cases (as_of timestamptz, horizon interval);
INSERT INTO cases VALUES ('2026-06-30', '30 days'), ('2026-05-01', '10 days');
CREATE TABLE curves AS SELECT c.as_of, k.* FROM cases c, plain_km_curve(c.as_of, c.horizon) k;
CREATE TABLE fractions AS SELECT unnest('{0,0.05,0.1,0.25,0.5,0.75,0.9,0.95,1}'::float8[]) AS q;
CREATE TABLE plain_km AS
SELECT c.as_of, c.horizon, f.q, k.stage, min(k.t) AS km
FROM cases c, fractions f, curves k
WHERE k.as_of = c.as_of AND k.f >= f.q - 1e-12
GROUP BY 1, 2, 3, 4;
SELECT p.as_of::date, count(*) AS percentiles,
       count(*) FILTER (WHERE p.km = cvfw_dwell_km_percentile(k.flow, p.stage, p.q, p.as_of, p.horizon)) AS equal,
       count(*) FILTER (WHERE p.km <> cvfw_dwell_percentile(k.flow, p.stage, p.q)) AS not_todays
FROM plain_km p, km_flow k
GROUP BY 1 ORDER BY 1;
-- the report's p50 and p90 are the same estimate
SELECT bool_and(d.km_p50 = p50.km AND d.km_p90 = p90.km) AS report_equal
FROM cases c, km_flow k, cvfw_dwell_km(k.flow, c.as_of, c.horizon) d
JOIN plain_km p50 ON p50.stage = d.stage AND p50.q = 0.5
JOIN plain_km p90 ON p90.stage = d.stage AND p90.q = 0.9
WHERE p50.as_of = c.as_of AND p90.as_of = c.as_of;
-- open visits make the estimate longer (never shorter) than today's
SELECT stage, completed, open, dwell_p50, km_p50, dwell_p90, km_p90
FROM km_flow, cvfw_dwell_km(flow, '2026-06-30', '30 days');
-- without a horizon nothing is open: today's percentiles, exactly
SELECT count(*) AS percentiles,
       count(*) FILTER (WHERE cvfw_dwell_km_percentile(flow, s, q) = cvfw_dwell_percentile(flow, s, q)) AS equal
FROM km_flow, fractions, generate_series(1, 6) i, LATERAL (SELECT cvfw_stage(i) AS s) st;

RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA dwell_km CASCADE;

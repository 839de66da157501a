--
-- value_mc: the value model against a Monte-Carlo simulation.  20,000
-- customers walk a Markov chain with known probabilities and amounts
-- (test/data/markov_events.sql), observed as of 2026-06-30 with a 30-day
-- horizon, so a third of them are still in a visit (censored).  The truth
-- is computed here by value iteration (x <- f + P x, knowing nothing of
-- the extension's solver); every estimate must lie within 5 standard
-- errors of it, the standard error measured from 20 disjoint batches of
-- customers (each batch its own summary, as cohorts would be).  The
-- estimator that drops the open visits instead of censoring them misses
-- the truth by far more: the test can tell them apart.
--
SET timezone = 'UTC';
CREATE SCHEMA value_mc;
SET search_path = value_mc, public;
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
-- mean value and cost of a visit, per stage (the generator's amounts)
CREATE TABLE mc_amount (stage int, value float8, cost float8);
INSERT INTO mc_amount VALUES (1, 0, 10), (2, 0, 5), (3, 0, 0), (4, 200, 0), (5, 0, 0), (6, 100, 0);
\set customers 20000
\set seed 17
\set dwell '{2,5,9,14,20}'
\i test/data/markov_events.sql
SELECT count(*) AS events, count(DISTINCT customer_id) AS customers FROM mc_events;

-- one summary per batch of customers, and all of them
CREATE TABLE mc_flows AS
SELECT customer_id % 20 AS batch, cvfw_flow_by_customer(customer_id, stage, at, value, cost) AS flow
FROM mc_events GROUP BY 1;
CREATE TABLE mc_all AS SELECT cvfw_merge(flow) AS flow FROM mc_flows;
SELECT stage, visits, active FROM cvfw_stage_value((SELECT flow FROM mc_all), '2026-06-30', '30 days');

-- The truth: x = f + P x by iteration, P from mc_chain; stage k may leak r
-- instead (the rest of its row scaled to 1 - r); a stop stage counts
-- `bound` and goes no further.
CREATE FUNCTION mc_truth(f float8[], stop int DEFAULT 0, bound float8 DEFAULT 0,
                         k int DEFAULT 0, r float8 DEFAULT NULL)
RETURNS float8[] LANGUAGE plpgsql AS $$
DECLARE
  m float8[] := array_fill(0::float8, ARRAY[6, 6]);
  x float8[] := array_fill(0::float8, ARRAY[6]);
  nx float8[];
  e record;
  s float8;
BEGIN
  FOR e IN SELECT * FROM mc_chain WHERE to_stage <> 0 LOOP
    m[e.from_stage][e.to_stage] := e.p;
    IF e.from_stage = k THEN
      m[e.from_stage][e.to_stage] := e.p * (1 - r)
        / (1 - (SELECT c.p FROM mc_chain c WHERE c.from_stage = k AND c.to_stage = 0));
    END IF;
  END LOOP;
  FOR it IN 1 .. 1000 LOOP           -- every row leaks 15% or more: 0.85^1000
    nx := x;
    FOR i IN 1 .. 6 LOOP
      IF i = stop THEN nx[i] := bound; CONTINUE; END IF;
      s := f[i];
      FOR j IN 1 .. 6 LOOP s := s + m[i][j] * x[j]; END LOOP;
      nx[i] := s;
    END LOOP;
    x := nx;
  END LOOP;
  RETURN x;
END $$;
-- after a visit of s: sum_t P(s, t) x(t)
CREATE FUNCTION mc_after(x float8[]) RETURNS float8[] LANGUAGE sql AS $$
  SELECT array_agg(coalesce(a, 0) ORDER BY s)
  FROM generate_series(1, 6) s
  LEFT JOIN (SELECT from_stage, sum(p * x[to_stage]) AS a FROM mc_chain WHERE to_stage <> 0
             GROUP BY 1) c ON c.from_stage = s
$$;
-- over the start: sum_s start(s) x(s)
CREATE FUNCTION mc_new(x float8[]) RETURNS float8 LANGUAGE sql AS $$
  SELECT sum(p * x[stage]) FROM mc_start
$$;
CREATE FUNCTION mc_vec(col text) RETURNS float8[] LANGUAGE plpgsql AS $$
DECLARE v float8[];
BEGIN
  EXECUTE format('SELECT array_agg(%I ORDER BY stage) FROM mc_amount', col) INTO v;
  RETURN v;
END $$;
-- a new customer's CLV (value - cost) with stage k leaking r
CREATE FUNCTION mc_new_clv(k int, r float8) RETURNS float8 LANGUAGE sql AS $$
  SELECT mc_new(mc_truth(mc_vec('value'), k => k, r => r)) - mc_new(mc_truth(mc_vec('cost'), k => k, r => r))
$$;

CREATE TABLE truth AS
WITH v AS (
  SELECT mc_truth('{1,1,1,1,1,1}') AS visits, mc_truth(mc_vec('value')) AS value,
         mc_truth(mc_vec('cost')) AS cost,
         mc_truth('{0,0,0,0,0,0.4}') AS rounds,       -- engagement -> awareness: 0.4 a visit
         mc_truth('{0,0,0,0,0,0}', 4, 1) AS h_vr, mc_truth('{0,0,0,0,0,0}', 6, 1) AS h_en,
         mc_truth(mc_vec('cost'), 4, 0) AS acquisition
)
SELECT s AS stage,
       (SELECT p FROM mc_chain WHERE from_stage = s AND to_stage = 0) AS leak_probability,
       (mc_after(h_vr))[s] AS p_value_realization, (mc_after(h_en))[s] AS p_engagement,
       (mc_after(visits))[s] AS further_visits, rounds[s] AS further_rounds,
       (mc_after(value))[s] AS further_value, (mc_after(cost))[s] AS further_cost,
       mc_new(value) - mc_new(mc_truth(mc_vec('value'), k => s, r => 1)) AS removal_value,
       1 - mc_new(mc_truth(mc_vec('value'), k => s, r => 1)) / mc_new(value) AS removal_effect,
       0.01 * (mc_new_clv(s, (SELECT p FROM mc_chain WHERE from_stage = s AND to_stage = 0) - 1e-4)
               - mc_new_clv(s, (SELECT p FROM mc_chain WHERE from_stage = s AND to_stage = 0) + 1e-4))
            / 2e-4 AS gain_per_point,
       mc_new(h_vr) AS new_p_value_realization, mc_new(value) AS new_customer_value,
       mc_new(cost) AS new_customer_cost, mc_new(acquisition) AS new_customer_acquisition_cost,
       mc_new(value) - mc_new(cost) AS new_customer_clv
FROM v, generate_series(1, 6) s;

-- every estimate, from all customers and from each batch, in one long table
CREATE FUNCTION mc_estimates(flow cvfw_flow)
RETURNS TABLE (name text, estimate float8) LANGUAGE sql AS $$
  SELECT cvfw_position(v.stage) || ' ' || x.name, x.est
  FROM cvfw_stage_value(flow, '2026-06-30', '30 days') v,
       LATERAL (VALUES ('leak_probability', v.leak_probability),
                       ('p_value_realization', v.p_value_realization),
                       ('p_engagement', v.p_engagement), ('further_visits', v.further_visits),
                       ('further_rounds', v.further_rounds), ('further_value', v.further_value),
                       ('further_cost', v.further_cost), ('removal_value', v.removal_value),
                       ('removal_effect', v.removal_effect)) x(name, est)
  UNION ALL
  SELECT cvfw_position(f.stage) || ' gain_per_point', f.gain_per_point
  FROM cvfw_fix_first(flow, '2026-06-30', '30 days') f
  UNION ALL
  SELECT x.name, x.est
  FROM cvfw_value(flow, '2026-06-30', '30 days') m,
       LATERAL (VALUES ('new p_value_realization', m.p_value_realization),
                       ('new customer_value', m.new_customer_value),
                       ('new customer_cost', m.new_customer_cost),
                       ('new customer_acquisition_cost', m.new_customer_acquisition_cost),
                       ('new customer_clv', m.new_customer_clv)) x(name, est)
$$;
CREATE TABLE truth_long AS
SELECT stage || ' ' || x.name AS name, x.truth
FROM truth, LATERAL (VALUES ('leak_probability', leak_probability),
                            ('p_value_realization', p_value_realization),
                            ('p_engagement', p_engagement), ('further_visits', further_visits),
                            ('further_rounds', further_rounds), ('further_value', further_value),
                            ('further_cost', further_cost), ('removal_value', removal_value),
                            ('removal_effect', removal_effect),
                            ('gain_per_point', gain_per_point)) x(name, truth)
UNION ALL
SELECT x.name, x.truth
FROM truth, LATERAL (VALUES ('new p_value_realization', new_p_value_realization),
                            ('new customer_value', new_customer_value),
                            ('new customer_cost', new_customer_cost),
                            ('new customer_acquisition_cost', new_customer_acquisition_cost),
                            ('new customer_clv', new_customer_clv)) x(name, truth)
WHERE stage = 1;
CREATE TABLE mc_check AS
SELECT t.name, a.estimate, t.truth,
       stddev_samp(b.estimate) / sqrt(count(b.estimate)) AS se, count(b.estimate) AS batches
FROM truth_long t
JOIN (SELECT e.* FROM mc_all, mc_estimates(flow) e) a USING (name)
JOIN (SELECT e.* FROM mc_flows, mc_estimates(flow) e) b USING (name)
GROUP BY t.name, a.estimate, t.truth;

-- 65 estimates, every one within 5 standard errors of the truth
SELECT count(*) AS estimates, count(*) FILTER (WHERE abs(estimate - truth) <= 5 * se) AS within_5_se,
       min(batches) AS batches, string_agg(name, ', ') FILTER (WHERE NOT abs(estimate - truth) <= 5 * se) AS outside
FROM mc_check;
-- and most within 2 (about 95% would be): the standard errors are not loose
SELECT count(*) FILTER (WHERE abs(estimate - truth) <= 2 * se) >= 0.85 * count(*) AS most_within_2_se FROM mc_check;
-- the leak probabilities and the value of a new customer, to 2 decimals
SELECT name, round(estimate::numeric, 2) AS estimate, round(truth::numeric, 2) AS truth
FROM mc_check WHERE name LIKE '% leak_probability' OR name LIKE 'new %' ORDER BY name;

-- Dropping the open visits (leaked / (moved + leaked)) instead of
-- censoring them underestimates leakage, by more than 5 standard errors at
-- most stages: the customers who will leak are still open for the last 30
-- days, those who move on only for their last few.
SELECT cvfw_position(l.stage) AS stage,
       abs(l.leaked::float8 / (l.advanced + l.regressed + l.skipped + l.leaked) - t.leak_probability)
         > 5 * c.se AS dropping_open_visits_misses
FROM cvfw_leakage((SELECT flow FROM mc_all), '2026-06-30', '30 days') l
JOIN truth t ON t.stage = cvfw_position(l.stage)
JOIN mc_check c ON c.name = cvfw_position(l.stage) || ' leak_probability'
ORDER BY 1;

-- The dwell of visits that move on is 2, 5, 9, 14 or 20 days (1/5 each):
-- the median is 9 days, the 90th percentile 20 days.  The product-limit
-- estimate finds both at every stage.
SELECT stage, km_p50, km_p90 FROM cvfw_dwell_km((SELECT flow FROM mc_all), '2026-06-30', '30 days');

RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA value_mc CASCADE;

--
-- value: the chain of visits (cvfw_stage_value, cvfw_value, cvfw_what_if,
-- cvfw_fix_first) on chains computed by hand — two and three stages, loops,
-- open visits censored, a stage nobody reaches, a stage whose visits are
-- all open, a stage that leaks everyone, no leakage at all, no summary —
-- and, on a generated data set, the identities between them: the what-if
-- at today's leak probability is today exactly, leaking everyone is the
-- removal effect, the fix-first gains are the what-if's derivatives.
-- Values are shown to 10 decimals; the hand results are in the comments.
--
SET timezone = 'UTC';
CREATE SCHEMA value;
SET search_path = value, public;
SET extra_float_digits = 0;
CREATE TABLE hand (chain text, customer int, stage cvfw_stage, day int,
                   value float8 DEFAULT 0, cost float8 DEFAULT 0);
CREATE FUNCTION hand_flow(name text) RETURNS cvfw_flow LANGUAGE sql AS $$
  SELECT cvfw_flow_by_customer(customer, stage, timestamptz '2026-01-01' + day * interval '1 day', value, cost)
  FROM hand WHERE chain = name
$$;
CREATE FUNCTION r(x float8) RETURNS numeric LANGUAGE sql AS $$ SELECT round(x::numeric, 10) $$;

-- Two stages.  Awareness costs 10 a visit, exploration brings 30:
--   1: A X    2: A    3: A X A    4: A X        (no horizon: every one leaked)
-- A: 5 visits, 3 moves to X, 2 leaked: leak 2/5.  X: 3 visits, 1 move back
-- to A, 2 leaked: leak 2/3.  Expected over a visit and the later ones,
-- x = f + Q x:
--   visits: x_A = 1 + 3/5 x_X, x_X = 1 + 1/3 x_A     -> x_A = 2,    x_X = 5/3
--   value:  x_A = 3/5 x_X,     x_X = 30 + 1/3 x_A    -> x_A = 45/2, x_X = 75/2
--   cost:   x_A = 10 + 3/5 x_X, x_X = 1/3 x_A        -> x_A = 25/2, x_X = 25/6
-- further = x - this visit's own: A 1 visit, 22.5 value, 2.5 cost;
-- X 2/3 visit, 7.5 value, 25/6 cost.
INSERT INTO hand (chain, customer, stage, day, value, cost) VALUES
  ('two', 1, 'awareness', 0, 0, 10), ('two', 1, 'exploration', 1, 30, 0),
  ('two', 2, 'awareness', 0, 0, 10),
  ('two', 3, 'awareness', 0, 0, 10), ('two', 3, 'exploration', 1, 30, 0), ('two', 3, 'awareness', 2, 0, 10),
  ('two', 4, 'awareness', 0, 0, 10), ('two', 4, 'exploration', 3, 30, 0);
SELECT stage, visits, active, r(leak_probability) AS leak, r(further_visits) AS visits_after,
       r(further_value) AS value_after, r(further_cost) AS cost_after,
       p_value_realization AS p_vr, further_rounds AS rounds
FROM cvfw_stage_value(hand_flow('two')) WHERE visits > 0;
-- nobody reached the other stages: no estimate, NULL
SELECT count(*) AS stages_without_estimate
FROM cvfw_stage_value(hand_flow('two'))
WHERE visits = 0 AND leak_probability IS NULL AND further_value IS NULL AND p_engagement IS NULL;
-- A new customer starts at A: value 22.5, cost 12.5 (all of it acquisition:
-- value_realization never comes), CLV 10.  No horizon: nobody is active.
SELECT customers, active, p_value_realization, r(new_customer_value) AS value, r(new_customer_cost) AS cost,
       r(new_customer_acquisition_cost) AS acquisition, r(new_customer_clv) AS clv, base_value, base_clv
FROM cvfw_value(hand_flow('two'));
-- Removal: if A leaked everyone, all 22.5 after the first visit is lost
-- (share 1); if X did, the 7.5 after X, reached 3/5 of the time: 4.5 (0.2).
SELECT stage, r(removal_effect) AS removal_effect, r(removal_value) AS removal_value
FROM cvfw_stage_value(hand_flow('two')) WHERE visits > 0;
-- A point less leakage at X: a new customer visits X N(A,X) = 3/4 times;
-- a visit kept goes back to A, worth 22.5 - 12.5 = 10 net: 0.01 x 10 x 3/4
-- = 0.075.  At A: N(A,A) = 5/4, a kept visit goes to X, worth 37.5 - 25/6
-- = 33.333...: 0.41666...  (the derivatives of 8 / (0.4 + 0.6 leak_X) and
-- (20 - 30 leak_A) / (2/3 + leak_A / 3), the CLV as a function of each).
SELECT rank, stage, r(leak_probability) AS leak, r(visits_per_new_customer) AS visits,
       r(kept_visit_value) AS kept_value, r(gain_per_point) AS gain_per_point, base_gain_per_point
FROM cvfw_fix_first(hand_flow('two')) WHERE rank <= 3;
-- what if X leaked 1/3 instead of 2/3?  x_A = -10 + 3/5 x_X, x_X = 30 + 2/3 x_A
-- (net): x_A = 8 / (1 - 2/5) = 13.333...: a gain of 3.333... per new customer
SELECT stage, r(leak_probability) AS leak_today, r(leak_rate) AS leak_rate,
       r(new_customer_value) AS value, r(new_customer_clv) AS clv, r(new_customer_gain) AS gain,
       base_gain
FROM cvfw_what_if(hand_flow('two'), 'exploration', 1.0 / 3);

-- Three stages and a loop back, value at value_realization (100), awareness
-- costs 6 a visit:
--   1: A X V    2: A X A    3: A
-- A: 4 visits, 2 to X, 2 leaked: 1/2.  X: 2 visits, one to V, one back to A:
-- none leaked.  V: 1 visit, leaked.
--   visits: x_V = 1, x_X = 1 + 1/2 x_V + 1/2 x_A, x_A = 1 + 1/2 x_X -> x_A = 7/3, x_X = 8/3
--   value:  x_V = 100, x_X = 50 + 1/2 x_A, x_A = 1/2 x_X          -> x_A = 100/3, x_X = 200/3
--   cost:   x_A = 6 + 1/2 x_X, x_X = 1/2 x_A                      -> x_A = 8, x_X = 4
--   reach V: h_X = 1/2 + 1/2 h_A, h_A = 1/2 h_X                    -> h_A = 1/3, h_X = 2/3
-- after A: visits 1/2 x_X = 4/3, value 100/3, cost 2, p_vr 1/2 h_X = 1/3;
-- after X: visits 1/2 + 1/2 x_A = 5/3, value 50 + 50/3 = 200/3, cost 4, p_vr 2/3;
-- after V: nothing.  Engagement is never visited and cannot be reached: p 0.
INSERT INTO hand (chain, customer, stage, day, value, cost) VALUES
  ('three', 1, 'awareness', 0, 0, 6), ('three', 1, 'exploration', 1, 0, 0), ('three', 1, 'value_realization', 2, 100, 0),
  ('three', 2, 'awareness', 0, 0, 6), ('three', 2, 'exploration', 1, 0, 0), ('three', 2, 'awareness', 2, 0, 6),
  ('three', 3, 'awareness', 0, 0, 6);
SELECT stage, r(leak_probability) AS leak, r(p_value_realization) AS p_vr, p_engagement AS p_en,
       r(further_visits) AS visits_after, r(further_value) AS value_after, r(further_cost) AS cost_after,
       r(removal_effect) AS removal_effect, r(removal_value) AS removal_value
FROM cvfw_stage_value(hand_flow('three')) WHERE visits > 0;
-- new customer: value 100/3, cost 8, of which acquisition (before V) 8,
-- CLV 76/3, reaches V with 1/3
SELECT r(p_value_realization) AS p_vr, r(new_customer_value) AS value, r(new_customer_cost) AS cost,
       r(new_customer_acquisition_cost) AS acquisition, r(new_customer_clv) AS clv
FROM cvfw_value(hand_flow('three'));
-- A point less at A: N(A,A) = 4/3 visits (x_A = 1 + 1/4 x_A), a kept one
-- worth x_X net = 200/3 - 4 = 188/3: 0.01 x 188/3 x 4/3 = 0.83555...  X does
-- not leak: nothing to fix.  V leaks everyone; a kept visit would move on
-- to advocacy, which nobody visited: unknown, ranked last.  Stages nobody
-- reaches gain nothing (a kept experience visit would go on to V: 100).
SELECT rank, stage, r(leak_probability) AS leak, r(visits_per_new_customer) AS visits,
       r(kept_visit_value) AS kept_value, r(gain_per_point) AS gain_per_point
FROM cvfw_fix_first(hand_flow('three'));

-- Open visits are censored.  As of 2026-01-11 (day 10) with a 5-day horizon
-- (leaked: last event before day 5):
--   1: A(0) X(2)        leaked at X
--   2: A(0) X(1) A(4)   leaked at A
--   3: A(0) X(8)        open at X for 2 days
--   4: A(1) X(3) A(6)   open at A for 4 days
-- A moved on after 1, 2, 2 and 8 days; 1 leaked; 1 open for 4 days.  The
-- product-limit estimate of the share that never moves on:
--   1 day: 6 at risk, 1 moves: S = 5/6; 2 days: 5 at risk, 2 move: S = 1/2;
--   8 days: the open one (4 days) no longer at risk: 2, 1 moves: S = 1/4
-- so leak(A) = 1/4 (dropping the open visit instead: 1/5).  X moved after
-- 3 and 3 days, 1 leaked, 1 open for 2 days: at 3 days 3 at risk, 2 move:
-- leak 1/3.  Visits: x_A = 1 + 3/4 x_X, x_X = 1 + 2/3 x_A -> x_A = 7/2,
-- x_X = 10/3: after A 3/4 x_X = 5/2, after X 2/3 x_A = 7/3.
INSERT INTO hand (chain, customer, stage, day) VALUES
  ('open', 1, 'awareness', 0), ('open', 1, 'exploration', 2),
  ('open', 2, 'awareness', 0), ('open', 2, 'exploration', 1), ('open', 2, 'awareness', 4),
  ('open', 3, 'awareness', 0), ('open', 3, 'exploration', 8),
  ('open', 4, 'awareness', 1), ('open', 4, 'exploration', 3), ('open', 4, 'awareness', 6);
SELECT stage, visits, active, r(leak_probability) AS leak, r(further_visits) AS visits_after
FROM cvfw_stage_value(hand_flow('open'), '2026-01-11', '5 days') WHERE visits > 0;
-- the dwell of the visits that move on, F = (1 - S) / (1 - 1/4): 2/9 by 1
-- day, 2/3 by 2 days, 1 by 8 days.  Today's completed visits: 1, 2, 2, 8
-- days.  The 25th percentile: 1 day among the completed, 2 days counting
-- the open one.
SELECT stage, completed, open, dwell_p50, km_p50, dwell_p90, km_p90
FROM cvfw_dwell_km(hand_flow('open'), '2026-01-11', '5 days') WHERE completed > 0;
SELECT cvfw_dwell_percentile(hand_flow('open'), 'awareness', 0.25) AS completed_p25,
       cvfw_dwell_km_percentile(hand_flow('open'), 'awareness', 0.25, '2026-01-11', '5 days') AS km_p25,
       cvfw_dwell_km_percentile(hand_flow('open'), 'awareness', 2.0 / 9, '2026-01-11', '5 days') AS km_2_9ths,
       cvfw_dwell_km_percentile(hand_flow('open'), 'awareness', 0.25) AS no_horizon_p25;

-- Singular stages.
--   1: A X V(50)    2: A X    3: A X V(50) N(10) (engagement on day 9)
-- Without a horizon: A 3 visits, all to X (leak 0); X 2 of 3 to V (leak
-- 1/3); V 1 of 2 to N (leak 1/2); N leaks its one visit.  Experience and
-- advocacy nobody visits.  value: x_N = 10, x_V = 50 + 1/2 x_N = 55,
-- x_X = 2/3 x_V = 110/3, x_A = x_X: after A 110/3, after X 110/3, after V 5,
-- after N nothing.
INSERT INTO hand (chain, customer, stage, day, value, cost) VALUES
  ('singular', 1, 'awareness', 0, 0, 1), ('singular', 1, 'exploration', 1, 0, 0), ('singular', 1, 'value_realization', 2, 50, 0),
  ('singular', 2, 'awareness', 0, 0, 1), ('singular', 2, 'exploration', 1, 0, 0),
  ('singular', 3, 'awareness', 0, 0, 1), ('singular', 3, 'exploration', 1, 0, 0), ('singular', 3, 'value_realization', 2, 50, 0),
  ('singular', 3, 'engagement', 9, 10, 0);
SELECT stage, visits, r(leak_probability) AS leak, r(p_value_realization) AS p_vr, r(p_engagement) AS p_en,
       r(further_value) AS value_after, r(removal_effect) AS removal_effect
FROM cvfw_stage_value(hand_flow('singular'));
-- As of day 10 with a 5-day horizon, customer 3's engagement visit is open
-- and engagement has no visit that moved on or leaked: no estimate.  What
-- can reach engagement has no value either; reaching a stage does not
-- depend on what follows it, so the probabilities stay.
SELECT stage, visits, active, r(leak_probability) AS leak, r(p_value_realization) AS p_vr,
       r(p_engagement) AS p_en, further_value AS value_after
FROM cvfw_stage_value(hand_flow('singular'), '2026-01-11', '5 days');
SELECT customers, active, r(p_value_realization) AS p_vr, new_customer_value, base_value
FROM cvfw_value(hand_flow('singular'), '2026-01-11', '5 days');

-- No leakage at all: customers going round exploration (cost 2) <->
-- experience (value 5), both still active as of 2026-01-04 12:00 with a
-- 2-day horizon; every visit moved on within a day, the open ones are half
-- a day old: leak 0.  A closed loop: infinitely many visits, infinite value
-- and cost, and a CLV of infinity - infinity: undefined.
INSERT INTO hand (chain, customer, stage, day, value, cost) VALUES
  ('loop', 1, 'exploration', 0, 0, 2), ('loop', 1, 'experience', 1, 5, 0),
  ('loop', 1, 'exploration', 2, 0, 2), ('loop', 1, 'experience', 3, 5, 0),
  ('loop', 2, 'exploration', 1, 0, 2), ('loop', 2, 'experience', 2, 5, 0), ('loop', 2, 'exploration', 3, 0, 2);
SELECT stage, leak_probability AS leak, p_value_realization AS p_vr, further_visits, further_rounds,
       further_value, further_cost
FROM cvfw_stage_value(hand_flow('loop'), '2026-01-04 12:00', '2 days') WHERE visits > 0;
SELECT new_customer_value, new_customer_cost, new_customer_clv, base_value
FROM cvfw_value(hand_flow('loop'), '2026-01-04 12:00', '2 days');
-- nothing leaks, nothing to fix; if experience leaked 10%: x_E = 5 + 0.9 x_X,
-- x_X = x_E -> value 50 from exploration; cost x_X = 2 + 0.9 x_X -> 20
SELECT stage, gain_per_point FROM cvfw_fix_first(hand_flow('loop'), '2026-01-04 12:00', '2 days')
WHERE stage IN ('exploration', 'experience');
SELECT r(new_customer_value) AS value, r(new_customer_clv) AS clv, new_customer_gain
FROM cvfw_what_if(hand_flow('loop'), 'experience', 0.1, '2026-01-04 12:00', '2 days');

-- No summary (an aggregate over no rows): no rows; NULL arguments: no rows.
SELECT count(*) AS rows FROM cvfw_stage_value(NULL);
SELECT count(*) AS rows FROM cvfw_value(NULL);
SELECT count(*) AS rows FROM cvfw_fix_first(NULL, '2026-01-01', '30 days');
SELECT count(*) AS rows FROM cvfw_dwell_km(NULL);
SELECT count(*) AS rows FROM cvfw_what_if(hand_flow('two'), NULL, 0.5);
SELECT count(*) AS rows FROM cvfw_what_if(hand_flow('two'), 'awareness', NULL);
SELECT cvfw_dwell_km_percentile(NULL, 'awareness', 0.5) IS NULL AS null_flow,
       cvfw_dwell_km_percentile(hand_flow('two'), 'advocacy', 0.5) IS NULL AS nobody_moved;

-- The identities, on a generated data set (20,000 customers, a 30-day
-- horizon: many open visits).
\set customers 20000
\set seed 3
\i test/data/gen_events.sql
CREATE TABLE gen AS SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) AS flow FROM events;
CREATE VIEW today AS SELECT * FROM cvfw_value((SELECT flow FROM gen), '2026-01-01', '30 days');
CREATE VIEW stages AS SELECT * FROM cvfw_stage_value((SELECT flow FROM gen), '2026-01-01', '30 days');
-- What-if at today's leak probability: today's values, bit for bit.
SELECT s.stage, w.new_customer_value = t.new_customer_value AND w.new_customer_clv = t.new_customer_clv
                AND w.base_value = t.base_value AND w.base_clv = t.base_clv
                AND w.new_customer_gain = 0 AND w.base_gain = 0 AS today_exactly
FROM stages s, today t,
     cvfw_what_if((SELECT flow FROM gen), s.stage, s.leak_probability, '2026-01-01', '30 days') w;
-- Leaking everyone: the value lost is the removal effect (computed another
-- way: P(reach the stage) x the value after it), to 1e-12; effects are shares.
SELECT s.stage, s.removal_effect BETWEEN 0 AND 1 AS a_share,
       abs((t.new_customer_value - w.new_customer_value) - s.removal_value) <= 1e-12 * t.new_customer_value AS equals_removal,
       abs((t.new_customer_value - w.new_customer_value) / t.new_customer_value - s.removal_effect) <= 1e-12 AS share_equal
FROM stages s, today t,
     cvfw_what_if((SELECT flow FROM gen), s.stage, 1, '2026-01-01', '30 days') w;
-- The fix-first gains are the derivatives of the what-if: central
-- differences of +-0.0001 around today's leak, to 1e-6 relative.
SELECT f.rank, f.stage,
       abs(0.01 * (up.new_customer_gain - down.new_customer_gain) / 0.0002 - f.gain_per_point)
         <= 1e-6 * abs(f.gain_per_point) AS new_customer_derivative,
       abs(0.01 * (up.base_gain - down.base_gain) / 0.0002 - f.base_gain_per_point)
         <= 1e-6 * abs(f.base_gain_per_point) AS base_derivative,
       f.gain_per_point > 0 AS gains
FROM cvfw_fix_first((SELECT flow FROM gen), '2026-01-01', '30 days') f,
     cvfw_what_if((SELECT flow FROM gen), f.stage, f.leak_probability - 0.0001, '2026-01-01', '30 days') up,
     cvfw_what_if((SELECT flow FROM gen), f.stage, f.leak_probability + 0.0001, '2026-01-01', '30 days') down
ORDER BY f.rank;
-- ranked by the gain per new customer
SELECT bool_and(a.gain_per_point >= b.gain_per_point) AS ranked
FROM cvfw_fix_first((SELECT flow FROM gen), '2026-01-01', '30 days') a
JOIN cvfw_fix_first((SELECT flow FROM gen), '2026-01-01', '30 days') b ON b.rank = a.rank + 1;
-- per cohort: summaries merged from parts give the same model
SELECT (SELECT array_agg(v::text) FROM cvfw_stage_value((SELECT flow FROM gen), '2026-01-01', '30 days') v)
     = (SELECT array_agg(v::text) FROM cvfw_stage_value(
          (SELECT cvfw_merge(f) FROM (SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) AS f
                                      FROM events GROUP BY customer_id % 7) p), '2026-01-01', '30 days') v)
       AS merged_parts_same_model;

-- The BI functions: standard types only, the same numbers.
SELECT pg_typeof(stage) AS stage, pg_typeof("position") AS pos, pg_typeof(visits) AS visits,
       pg_typeof(further_value) AS value
FROM cvfw_bi_stage_value((SELECT flow FROM gen), '2026-01-01', '30 days') LIMIT 1;
SELECT (SELECT array_agg((b.stage, b.visits, b.active, b.leak_probability, b.p_value_realization, b.p_engagement,
                          b.further_visits, b.further_rounds, b.further_value, b.further_cost,
                          b.removal_effect, b.removal_value)::text ORDER BY b."position")
        FROM cvfw_bi_stage_value((SELECT flow FROM gen), '2026-01-01', '30 days') b)
     = (SELECT array_agg(s::text ORDER BY s.stage) FROM stages s) AS bi_stage_value_same,
       (SELECT array_agg((b.rank, b.stage, b.leak_probability, b.visits_per_new_customer, b.kept_visit_value,
                          b.gain_per_point, b.base_gain_per_point)::text ORDER BY b.rank)
        FROM cvfw_bi_fix_first((SELECT flow FROM gen), '2026-01-01', '30 days') b)
     = (SELECT array_agg(f::text ORDER BY f.rank)
        FROM cvfw_fix_first((SELECT flow FROM gen), '2026-01-01', '30 days') f) AS bi_fix_first_same,
       (SELECT count(*) FROM cvfw_bi_dwell_km((SELECT flow FROM gen), '2026-01-01', '30 days')
        WHERE km_p90_days >= dwell_p90_days) AS km_never_shorter;
-- The picture with the fix-first ranks: each stage's rank under its leak
-- label is its rank in cvfw_fix_first; without the flag, the picture as before.
SELECT f.rank, f.stage,
       (regexp_match(p.svg, 'data-stage="' || f.stage || '"[^\n]*fix #([0-9])'))[1]::int = f.rank AS rank_drawn
FROM cvfw_fix_first((SELECT flow FROM gen), '2026-01-01', '30 days') f,
     (SELECT cvfw_wheel_svg(flow, '2026-01-01', '30 days', true) AS svg FROM gen) p
ORDER BY f.rank;
SELECT cvfw_wheel_svg(flow, '2026-01-01', '30 days') = cvfw_wheel_svg(flow, '2026-01-01', '30 days', false)
         AS flag_off_same,
       strpos(cvfw_wheel_svg(flow, '2026-01-01', '30 days'), 'fix #') = 0 AS no_ranks_without,
       cvfw_wheel_svg(NULL, NULL, NULL, true) = cvfw_wheel_svg(NULL) AS empty_wheel_same
FROM gen;
-- the CLV report and the chain, side by side
SELECT estimate, round(clv_report::numeric, 2) AS clv_report, round(wheel_model::numeric, 2) AS wheel_model
FROM cvfw_clv_compare((SELECT flow FROM gen), '2026-01-01', '30 days');

RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA value CASCADE;

--
-- flow: cvfw_flow and cvfw_merge on small paths checked by hand, the
-- reports, the accessors, and bad input
--
SET timezone = 'UTC';

CREATE TABLE journey (customer_id int, stage cvfw_stage, at timestamptz, value float8, cost float8);
INSERT INTO journey VALUES
  -- c1, a full round and more: aw(cost 10) ex(cost 5) xp vr(100) ad en(50) aw ex; ends at exploration on the 22nd
  (1, 'awareness', '2026-01-01', 0, 10), (1, 'exploration', '2026-01-03', 0, 5),
  (1, 'experience', '2026-01-06', 0, 0), (1, 'value_realization', '2026-01-10', 100, 0),
  (1, 'advocacy', '2026-01-12', 0, 0), (1, 'engagement', '2026-01-15', 50, 0),
  (1, 'awareness', '2026-01-20', 0, 0), (1, 'exploration', '2026-01-22', 0, 0),
  -- c2, a skip, a step back, a repeated stage and a duplicate row: aw vr(30) ex ex ex xp; ends on the 9th
  (2, 'awareness', '2026-01-01', 0, 0), (2, 'value_realization', '2026-01-02', 30, 0),
  (2, 'exploration', '2026-01-05', 0, 0), (2, 'exploration', '2026-01-06', 0, 0),
  (2, 'exploration', '2026-01-06', 0, 0), (2, 'experience', '2026-01-09', 0, 0),
  -- c3, a tie: awareness and advocacy at the same time go in wheel order (aw first)
  (3, 'advocacy', '2026-01-10', 0, 0), (3, 'awareness', '2026-01-10', 0, 0),
  (3, 'engagement', '2026-01-11', 0, 0),
  -- c4, one event
  (4, 'value_realization', '2026-01-28', 40, 0),
  -- c5, NULLs: a NULL cost counts 0, rows without a stage or a time are ignored
  (5, 'awareness', '2026-01-05', 0, NULL), (5, NULL, '2026-01-06', 0, 0),
  (5, 'exploration', NULL, 0, 0), (5, 'exploration', '2026-01-07', NULL, 2),
  -- c6, nothing usable: no summary at all
  (6, NULL, '2026-01-01', 0, 0), (6, 'awareness', NULL, 0, 0),
  -- c7, from engagement a new round (advanced), then a skip and a step back
  (7, 'engagement', '2026-01-01', 10, 0), (7, 'awareness', '2026-01-02', 0, 0),
  (7, 'engagement', '2026-01-03', 0, 0), (7, 'experience', '2026-01-04', 0, 0);

-- per customer; c6 has no events with a stage and a time, so NULL
SELECT customer_id, cvfw_flow(stage, at, value, cost) IS NULL AS no_summary,
       cvfw_customers(cvfw_flow(stage, at, value, cost)) AS customers,
       cvfw_visits(cvfw_flow(stage, at, value, cost), 'exploration') AS exploration_visits
FROM journey GROUP BY customer_id ORDER BY customer_id;

CREATE TABLE journey_flow AS
SELECT cvfw_merge(f) AS flow
FROM (SELECT cvfw_flow(stage, at, value, cost) AS f FROM journey GROUP BY customer_id) per_customer;

-- The leakage report without a horizon: every ended visit leaks.  By hand
-- (visits with outcome, dwell in days, downstream value):
--   c1: aw adv 2 150 | ex adv 3 150 | xp adv 4 150 | vr adv 2 50 | ad adv 3 50 | en adv 5 0 | aw adv 2 0 | ex ended
--   c2: aw skip 1 30 | vr regr 3 0 | ex adv 4 0 | xp ended
--   c3: aw skip 0 0 | ad adv 1 0 | en ended
--   c4: vr ended
--   c5: aw adv 2 0 | ex ended
--   c7: en adv 1 0 | aw skip 1 0 | en regr 1 0 | xp ended
-- awareness: 6 visits of 5 customers, 3 adv 3 skip; cost 10; dwell 0,1,1,2,2,2:
--   avg 8/6 d = 1 day 08:00, p50 (rank 3) 1 day, p90 (rank 6) 2 days
-- exploration: 4 visits, 2 adv, 2 ended and leaked; cost 5 + 2; dwell 3,4;
--   value at risk 2 x mean(150, 0) = 150
-- experience: 3 visits, 1 adv, 2 ended; dwell 4; value at risk 2 x 150 = 300
-- value_realization: 3 visits, 1 adv, 1 regr, 1 ended; value 100+30+40; dwell 2,3;
--   value at risk 1 x mean(50, 0) = 25
-- advocacy: 2 visits, both adv; dwell 3,1: avg 2 days, p50 1 day, p90 3 days
-- engagement: 4 visits of 3 customers, 2 adv (both to awareness), 1 regr, 1 ended;
--   value 50+10; dwell 5,1,1: avg 2 days 08:00, p50 (rank 2) 1 day, p90 (rank 3) 5 days
SELECT * FROM cvfw_leakage((SELECT flow FROM journey_flow));

-- With a horizon: as of 2026-02-01, 7 days: leaked when the last event's
-- UTC date is before 2026-01-25.  c4 (value_realization, 28th) is active;
-- every other customer's last event is before the 25th.
SELECT stage, ended, leaked, active, leak_rate, value_at_risk
FROM cvfw_leakage((SELECT flow FROM journey_flow), '2026-02-01', '7 days');

-- The cut-off is a whole UTC day: the 25th itself is not before the 25th,
-- and the session time zone does not matter.
-- (c4 ended at value_realization on the 28th; at exploration c1 ended on
-- the 22nd and c5 on the 7th)
SELECT cvfw_leaked(flow, 'value_realization', '2026-02-04 23:59:59+00', '7 days') AS vr_cutoff_28th,
       cvfw_leaked(flow, 'value_realization', '2026-02-05 00:00:00+00', '7 days') AS vr_cutoff_29th,
       cvfw_leaked(flow, 'exploration', '2026-01-29 12:00+00', '7 days') AS ex_cutoff_22nd,
       cvfw_leaked(flow, 'exploration', '2026-01-30 00:00+00', '7 days') AS ex_cutoff_23rd
FROM journey_flow;
SET timezone = 'Pacific/Auckland';
SELECT cvfw_leaked(flow, 'value_realization', '2026-02-04 23:59:59+00', '7 days') AS vr_cutoff_28th,
       cvfw_leaked(flow, 'value_realization', '2026-02-05 00:00:00+00', '7 days') AS vr_cutoff_29th
FROM journey_flow;
SET timezone = 'UTC';

-- transitions: 16 moves between consecutive visits; share of the from stage's visits
SELECT * FROM cvfw_transitions((SELECT flow FROM journey_flow));

-- the same numbers as JSON, for applications and BI tools
SELECT jsonb_pretty(cvfw_flow_json(flow, '2026-02-01', '7 days') - 'stages')
FROM journey_flow;
SELECT s->>'stage' AS stage, s->'visits' AS visits, s->'leaked' AS leaked,
       s->'dwell_avg_seconds' AS dwell_avg_seconds, s->'dwell_p90_seconds' AS dwell_p90_seconds
FROM journey_flow, jsonb_array_elements(cvfw_flow_json(flow)->'stages') s;
SELECT (SELECT count(*) FROM cvfw_leakage(flow) l
        JOIN jsonb_to_recordset(cvfw_flow_json(flow)->'stages')
             AS j(stage cvfw_stage, visits bigint, leaked bigint, value float8, value_at_risk float8)
          USING (stage)
        WHERE (l.visits, l.leaked, l.value, l.value_at_risk) = (j.visits, j.leaked, j.value, j.value_at_risk))
       AS json_rows_agreeing
FROM journey_flow;

-- the scalar accessors agree with the report
SELECT l.stage,
       cvfw_visits(flow, l.stage) = l.visits AS visits,
       cvfw_leaked(flow, l.stage, '2026-02-01', '7 days') = l.leaked AS leaked,
       cvfw_leak_rate(flow, l.stage, '2026-02-01', '7 days') IS NOT DISTINCT FROM l.leak_rate AS leak_rate,
       cvfw_value_at_risk(flow, l.stage, '2026-02-01', '7 days') = l.value_at_risk AS value_at_risk,
       cvfw_dwell_percentile(flow, l.stage, 0.5) IS NOT DISTINCT FROM l.dwell_p50 AS p50,
       cvfw_dwell_percentile(flow, l.stage, 0.9) IS NOT DISTINCT FROM l.dwell_p90 AS p90
FROM journey_flow, cvfw_leakage(flow, '2026-02-01', '7 days') l;
SELECT cvfw_customers(flow) AS customers,
       cvfw_transition_count(flow, 'engagement', 'awareness') AS en_to_aw,
       cvfw_transition_count(flow, 'awareness', 'awareness') AS aw_to_aw,
       cvfw_dwell_percentile(flow, 'engagement', 0) AS shortest,
       cvfw_dwell_percentile(flow, 'engagement', 1) AS longest,
       cvfw_dwell_percentile(flow, 'value_realization', 0.5) AS vr_median,
       cvfw_leak_rate(flow, 'value_realization') AS vr_leak_rate_no_horizon,
       cvfw_visits(flow, NULL) IS NULL AS null_stage
FROM journey_flow;

-- the two- and three-argument forms: amounts count 0
SELECT stage, visits, value, cost
FROM cvfw_leakage((SELECT cvfw_flow(stage, at) FROM journey WHERE customer_id = 1))
WHERE visits > 0;
SELECT stage, value, cost
FROM cvfw_leakage((SELECT cvfw_flow(stage, at, value) FROM journey WHERE customer_id = 2))
WHERE visits > 0;

-- the result never depends on input order: the same events, reversed
SELECT (SELECT cvfw_merge(f)::text FROM (SELECT cvfw_flow(stage, at, value, cost ORDER BY at DESC, stage DESC) f
                                         FROM journey GROUP BY customer_id) s)
     = (SELECT flow::text FROM journey_flow) AS order_independent;
-- and merging is over any split: per customer, per pair of customers, all at once
SELECT (SELECT cvfw_merge(f)::text FROM (SELECT cvfw_merge(f) f FROM
          (SELECT customer_id, cvfw_flow(stage, at, value, cost) f FROM journey GROUP BY customer_id) c
          GROUP BY customer_id % 2) s)
     = (SELECT flow::text FROM journey_flow) AS split_independent;

-- cvfw_flow_by_customer: the same summary in one aggregate, with the
-- customer as its first argument; rows without a customer are ignored
SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost)::text
       = (SELECT flow::text FROM journey_flow) AS by_customer_equals_two_level
FROM (SELECT * FROM journey UNION ALL SELECT NULL, 'engagement', '2026-01-30', 1000, 0) j;
SELECT cvfw_flow_by_customer(customer_id, stage, at)::text
       = (SELECT cvfw_merge(f)::text FROM (SELECT cvfw_flow(stage, at) f FROM journey GROUP BY customer_id) s)
       AS two_args,
       cvfw_flow_by_customer(customer_id::bigint * 1000000000000, stage, at, value)::text
       = (SELECT cvfw_merge(f)::text FROM (SELECT cvfw_flow(stage, at, value) f FROM journey GROUP BY customer_id) s)
       AS three_args_bigint_ids
FROM journey;
SELECT cvfw_flow_by_customer(customer_id, stage, at) IS NULL AS by_customer_no_rows FROM journey WHERE false;

-- empty input: NULL, not an error
SELECT cvfw_flow(stage, at) IS NULL AS no_rows FROM journey WHERE false;
SELECT cvfw_merge(f) IS NULL AS merge_no_rows FROM (SELECT NULL::cvfw_flow f WHERE false) s;
SELECT cvfw_merge(f) IS NULL AS merge_nulls FROM (VALUES (NULL::cvfw_flow), (NULL)) v(f);
SELECT count(*) AS report_rows FROM cvfw_leakage(NULL);
SELECT count(*) AS transition_rows FROM cvfw_transitions(NULL);
SELECT cvfw_flow_json(NULL) IS NULL AS json_null;
-- a merge with a NULL among summaries ignores it
SELECT cvfw_customers(cvfw_merge(f)) FROM (SELECT flow FROM journey_flow UNION ALL SELECT NULL) v(f);

-- bad input
SELECT (regress.try($$SELECT cvfw_flow(stage, at) FROM (VALUES ('awareness'::cvfw_stage, 'infinity'::timestamptz)) v(stage, at)$$)).*;
SELECT (regress.try($$SELECT cvfw_flow(stage, at) FROM (VALUES ('awareness'::cvfw_stage, '-infinity'::timestamptz)) v(stage, at)$$)).*;
SELECT (regress.try($$SELECT cvfw_flow(stage, at, value) FROM (VALUES ('awareness'::cvfw_stage, now(), 'NaN'::float8)) v(stage, at, value)$$)).*;
SELECT (regress.try($$SELECT cvfw_flow(stage, at, 0, cost) FROM (VALUES ('awareness'::cvfw_stage, now(), '-Infinity'::float8)) v(stage, at, cost)$$)).*;
-- amounts beyond ±10^31 are refused on input; sums that would pass it, when
-- they form: within a customer, and when customers' summaries merge
SELECT (regress.try($$SELECT cvfw_flow(stage, at, value) FROM (VALUES ('awareness'::cvfw_stage, now(), 1e308::float8)) v(stage, at, value)$$)).*;
SELECT (regress.try($$SELECT cvfw_flow(stage, at, value) FROM (VALUES ('awareness'::cvfw_stage, now(), 6e30::float8), ('awareness', now(), 6e30)) v(stage, at, value)$$)).*;
SELECT (regress.try($$SELECT cvfw_merge(f) FROM (SELECT cvfw_flow(stage, at, value) f FROM (VALUES (1, 'awareness'::cvfw_stage, now(), 6e30::float8), (2, 'awareness', now(), 6e30)) v(c, stage, at, value) GROUP BY c) s$$)).*;
SELECT (regress.try($$SELECT * FROM cvfw_leakage((SELECT flow FROM journey_flow), NULL, '7 days')$$)).*;
SELECT (regress.try($$SELECT * FROM cvfw_leakage((SELECT flow FROM journey_flow), 'infinity', '7 days')$$)).*;
SELECT (regress.try($$SELECT cvfw_dwell_percentile(flow, 'awareness', 1.5) FROM journey_flow$$)).*;
-- amounts at the ends of the range are fine, and sum exactly
SELECT value, cost FROM cvfw_leakage((SELECT cvfw_flow(stage, at, value, cost) FROM (VALUES ('awareness'::cvfw_stage, now(), 1e31::float8, -1e31::float8)) v(stage, at, value, cost)))
WHERE stage = 'awareness';
SELECT value FROM cvfw_leakage((SELECT cvfw_flow(stage, at, value) FROM (VALUES ('awareness'::cvfw_stage, now(), 1e31::float8), ('awareness', now(), -1e31), ('awareness', now(), 0.000001)) v(stage, at, value)))
WHERE stage = 'awareness';
-- times far in the past and future are fine; the dwell is longer than an
-- int64 of microseconds: 294276-12-31 - 4713-01-01 BC = 109203489 days (as
-- date subtraction says; timestamptz subtraction overflows here; the cast
-- prints 13's float8 extract like 14's numeric one)
SELECT stage, visits, dwell_avg, (extract(epoch FROM dwell_avg) / 86400)::numeric(20, 8) AS days
FROM cvfw_leakage((SELECT cvfw_flow(stage, at) FROM (VALUES ('awareness'::cvfw_stage, '4713-01-01 BC'::timestamptz),
  ('exploration', '294276-12-31 00:00:00+00')) v(stage, at)))
WHERE visits > 0;

-- answers.sql — everything values.sql stored, read through the extension:
-- upgrade.sh runs it before and after ALTER EXTENSION cvfw UPDATE and the
-- two outputs must be equal.  Every amount is printed as numeric rounded to
-- 6 decimals and every column is named, so a report that gains columns or
-- moves its amounts from float8 to numeric reads the same; errors print
-- their SQLSTATE only (\set VERBOSITY sqlstate), so reworded messages do
-- too.  Nothing here changes the data (the guard checks roll back).
SET timezone = 'UTC';
SET client_min_messages = warning;
\set VERBOSITY sqlstate
\pset null '(null)'

\echo == flows: leakage per stored flow
SELECT label, stage, customers, visits, advanced, regressed, skipped, ended, leaked, active,
       round(leak_rate::numeric, 9) AS leak_rate, round(value::numeric, 6) AS value,
       round(cost::numeric, 6) AS cost, round(value_at_risk::numeric, 6) AS value_at_risk,
       dwell_avg, dwell_p50, dwell_p90
FROM up_leakage ORDER BY label, stage;

\echo == flows: transitions and scalar accessors
SELECT f.label, t.from_stage, t.to_stage, t.transitions, round(t.share::numeric, 9) AS share
FROM up_flows f, LATERAL cvfw_transitions(f.flow) t ORDER BY 1, 2, 3;
SELECT label, cvfw_customers(flow) AS customers,
       cvfw_visits(flow, 'value_realization') AS vr_visits,
       cvfw_leaked(flow, 'awareness', '2026-01-01', '30 days') AS awareness_leaked,
       round(cvfw_value_at_risk(flow, 'experience', '2026-01-01', '30 days')::numeric, 6) AS experience_var,
       cvfw_dwell_percentile(flow, 'exploration', 0.5) AS exploration_p50,
       cvfw_transition_count(flow, 'awareness', 'exploration') AS aw_ex
FROM up_flows ORDER BY label;
SELECT * FROM up_summary ORDER BY label;

\echo == flows: merged, and through their binary form
SELECT s.stage, s.customers, s.visits, s.leaked, round(s.value::numeric, 6) AS value
FROM (SELECT cvfw_merge(flow) AS flow FROM up_flows WHERE label LIKE 'segment %') m,
     LATERAL cvfw_leakage(m.flow, '2026-01-01', '30 days') s ORDER BY s.stage;
SELECT label, cvfw_flow_send(flow::text::cvfw_flow) = cvfw_flow_send(flow) AS text_round_trip,
       cvfw_flow_json(flow, '2026-01-01', '30 days') IS NOT NULL AS json_readable
FROM up_flows ORDER BY label;

\echo == flows written by the 0.1.0 library: readable, and equal to the same events summarised now
SELECT o.label, s.stage, s.customers, s.visits, s.advanced, s.regressed, s.ended, s.leaked,
       round(s.value::numeric, 6) AS value, round(s.cost::numeric, 6) AS cost,
       round(s.value_at_risk::numeric, 6) AS value_at_risk, s.dwell_avg, s.dwell_p50, s.dwell_p90
FROM up_flows_010 o, LATERAL cvfw_leakage(o.flow, '2026-01-01', '30 days') s ORDER BY 1, 2;
WITH live AS (
  SELECT o.label,
         CASE WHEN o.label LIKE '%stages only%'
              THEN (SELECT cvfw_merge(f) FROM (SELECT cvfw_flow(stage, at) AS f FROM up_events
                    WHERE o.customers @> customer_id::int GROUP BY customer_id) c)
              ELSE (SELECT cvfw_merge(f) FROM (SELECT cvfw_flow(stage, at, value, cost) AS f FROM up_events
                    WHERE o.customers @> customer_id::int GROUP BY customer_id) c)
         END AS flow
  FROM up_flows_010 o),
rows AS (
  SELECT 'stored' AS src, o.label, s.stage, s.customers, s.visits, s.advanced, s.regressed, s.skipped,
         s.ended, s.leaked, round(s.value::numeric, 6) AS value, round(s.cost::numeric, 6) AS cost,
         round(s.value_at_risk::numeric, 6) AS var, s.dwell_avg, s.dwell_p50, s.dwell_p90
  FROM up_flows_010 o, LATERAL cvfw_leakage(o.flow, '2026-01-01', '30 days') s
  UNION ALL
  SELECT 'live', l.label, s.stage, s.customers, s.visits, s.advanced, s.regressed, s.skipped,
         s.ended, s.leaked, round(s.value::numeric, 6), round(s.cost::numeric, 6),
         round(s.value_at_risk::numeric, 6), s.dwell_avg, s.dwell_p50, s.dwell_p90
  FROM live l, LATERAL cvfw_leakage(l.flow, '2026-01-01', '30 days') s)
SELECT label, 'fixture equals live: ' || (count(*) FILTER (WHERE src = 'stored') = count(*) FILTER (WHERE src = 'live')
        AND NOT EXISTS ((SELECT label, stage, customers, visits, advanced, regressed, skipped, ended, leaked,
                                value, cost, var, dwell_avg, dwell_p50, dwell_p90 FROM rows r WHERE src = 'stored' AND r.label = g.label
                         EXCEPT
                         SELECT label, stage, customers, visits, advanced, regressed, skipped, ended, leaked,
                                value, cost, var, dwell_avg, dwell_p50, dwell_p90 FROM rows r WHERE src = 'live' AND r.label = g.label)
                        UNION ALL
                        (SELECT label, stage, customers, visits, advanced, regressed, skipped, ended, leaked,
                                value, cost, var, dwell_avg, dwell_p50, dwell_p90 FROM rows r WHERE src = 'live' AND r.label = g.label
                         EXCEPT
                         SELECT label, stage, customers, visits, advanced, regressed, skipped, ended, leaked,
                                value, cost, var, dwell_avg, dwell_p50, dwell_p90 FROM rows r WHERE src = 'stored' AND r.label = g.label))) AS verdict
FROM rows g GROUP BY label ORDER BY label;

\echo == policies
SELECT name, policy::text AS policy FROM up_policies ORDER BY name;
SELECT p.name, string_agg(a.stage::text || '>' || b.stage::text, ' ' ORDER BY a.stage, b.stage) AS allowed
FROM up_policies p, cvfw_stages() a, cvfw_stages() b
WHERE cvfw_transition_valid(a.stage, b.stage, p.policy)
GROUP BY p.name ORDER BY p.name;
SELECT a.name, b.name AS other, a.policy = b.policy AS equal, a.policy @> b.policy AS contains
FROM up_policies a, up_policies b ORDER BY 1, 2;
SELECT * FROM up_contact_checks ORDER BY id;

\echo == CLV reports
SELECT label, (report).customers, (report).churned,
       round((report).exposure_periods::numeric, 6) AS exposure_periods,
       round((report).revenue_per_period::numeric, 6) AS revenue_per_period,
       round((report).expected_periods::numeric, 6) AS expected_periods,
       round((report).cost_per_customer::numeric, 6) AS cost_per_customer,
       round((report).clv_per_customer::numeric, 6) AS clv_per_customer,
       round((report).total_clv::numeric, 6) AS total_clv,
       round((report).acquisition_cost::numeric, 6) AS acquisition_cost,
       round((report).new_customer_clv::numeric, 6) AS new_customer_clv,
       round(cvfw_competitiveness(report, 25)::numeric, 6) AS competitiveness,
       round((cvfw_clv_with(report, 0.5, 0.02, 10)).clv_per_customer::numeric, 6) AS clv_with
FROM up_clv ORDER BY label;

\echo == RFM rows and models
SELECT customer_id, (rfm).frequency, round((rfm).recency::numeric, 6) AS recency,
       round((rfm).t::numeric, 6) AS t, round((rfm).monetary::numeric, 6) AS monetary
FROM up_rfm ORDER BY customer_id;
SELECT label, round((bgnbd).r::numeric, 4) AS r, round((bgnbd).alpha::numeric, 4) AS alpha,
       round((bgnbd).a::numeric, 4) AS a, round((bgnbd).b::numeric, 4) AS b,
       round((bgnbd).loglik::numeric, 2) AS loglik, (bgnbd).customers,
       round((gg).p::numeric, 4) AS p, round((gg).q::numeric, 4) AS q, round((gg).v::numeric, 4) AS v,
       (gg).customers AS gg_customers
FROM up_models ORDER BY label;
SELECT m.label, r.customer_id,
       round(cvfw_bgnbd_p_alive(m.bgnbd, (r.rfm).frequency, (r.rfm).recency, (r.rfm).t)::numeric, 6) AS p_alive,
       round(cvfw_bgnbd_conditional(m.bgnbd, (r.rfm).frequency, (r.rfm).recency, (r.rfm).t, 39)::numeric, 6) AS next_39,
       round(cvfw_gg_expected_spend(m.gg, (r.rfm).frequency, (r.rfm).monetary)::numeric, 6) AS spend,
       round(cvfw_clv_predict(m.bgnbd, m.gg, (r.rfm).frequency, (r.rfm).recency, (r.rfm).t,
                              (r.rfm).monetary, 52, 0.0018)::numeric, 6) AS clv
FROM up_models m,
     (SELECT customer_id, rfm FROM up_rfm WHERE customer_id % 10 = 1
      UNION ALL
      SELECT -customer_id, rfm FROM up_cdnow_rfm WHERE customer_id IN (1, 3, 157, 814)) r
ORDER BY 1, 2;
SELECT label, round(cvfw_bgnbd_expected(bgnbd, 52)::numeric, 6) AS expected_52 FROM up_models ORDER BY label;

\echo == guarded tables: allowed changes pass, invalid ones fail with 23514 and change nothing
SELECT * FROM up_contacts ORDER BY id;
BEGIN;
UPDATE up_contacts SET stage = cvfw_next(stage) WHERE id = 1;
UPDATE up_contacts SET stage = 'awareness' WHERE id = 5;
SELECT id, stage FROM up_contacts WHERE id IN (1, 5) ORDER BY id;
ROLLBACK;
BEGIN;
UPDATE up_contacts SET stage = 'engagement' WHERE id = 1;
ROLLBACK;
BEGIN;
UPDATE up_contacts SET stage_text = 'awareness' WHERE id = 3;
ROLLBACK;
BEGIN;
UPDATE up_contacts SET stage_enum = 'Advocacy' WHERE id = 6;
ROLLBACK;
-- one invalid row (12 skips a stage) among eleven valid ones: the whole
-- statement is refused
UPDATE up_contacts SET stage = CASE WHEN id = 12 THEN stage + 2 ELSE cvfw_next(stage) END;
SELECT id, stage, stage_text, stage_enum, path FROM up_contacts ORDER BY id;
SELECT count(*) AS by_index FROM up_contacts WHERE stage = 'advocacy';

-- demo.sql — what `make demo` shows, on a throwaway cluster.
-- psql variable wheel_svg: the file to write the wheel picture to.
-- Grows with each capability into the full wheel report.
\pset footer off
SET client_min_messages = warning;
CREATE EXTENSION cvfw;

\echo
\echo '== The Customer Value Flow Wheel: six stages, round and round'
SELECT position, stage, goal FROM cvfw_stages();

-- A small CRM: 2,000 contacts with a stage column of type cvfw_stage
-- (seeded, so every run shows the same numbers).
SELECT setseed(0.42) \g /dev/null
CREATE TABLE contacts (
    id         int PRIMARY KEY,
    name       text NOT NULL,
    segment    text NOT NULL,
    stage      cvfw_stage NOT NULL,
    updated_at timestamptz NOT NULL
);
INSERT INTO contacts
SELECT i,
       'contact ' || i,
       (ARRAY['smb', 'mid-market', 'enterprise'])[1 + floor(3 * random())::int],
       cvfw_stage(1 + floor(6 * random() ^ 1.6)::int),
       timestamptz '2026-01-01' + random() * interval '300 days'
FROM generate_series(1, 2000) i;
CREATE INDEX ON contacts (stage);

\echo
\echo '== Contacts per stage, in wheel order (one byte per stage value)'
SELECT stage, count(*) AS contacts,
       round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS pct,
       repeat('#', (count(*) / 20)::int) AS bar
FROM contacts GROUP BY stage ORDER BY stage;

\echo
\echo '== Per segment: the furthest stage reached, and how many are past value realization'
SELECT segment, min(stage) AS earliest, max(stage) AS furthest,
       count(*) FILTER (WHERE stage > 'value_realization') AS past_value_realization
FROM contacts GROUP BY segment ORDER BY segment;

\echo
\echo '== Wheel arithmetic: next stage, three steps on, steps to engagement'
SELECT stage, cvfw_next(stage) AS next, stage + 3 AS three_on,
       cvfw_steps(stage, 'engagement') AS steps_to_engagement
FROM cvfw_stages();

\echo
\echo '== Which stage changes are valid? The wheel policy: stay, one step on, or back'
SELECT stage, cvfw_allowed_next(stage) AS wheel, cvfw_allowed_next(stage, 'strict') AS strict
FROM cvfw_stages();

\echo
\echo '== The database guards the CRM table: a trigger refuses invalid stage changes'
CREATE TRIGGER guard BEFORE UPDATE ON contacts
    FOR EACH ROW EXECUTE FUNCTION cvfw_enforce_transition('stage');
\echo 'contact 1 is at:'
SELECT id, name, stage FROM contacts WHERE id = 1;
\echo 'moving it one step on is fine:'
UPDATE contacts SET stage = cvfw_next(stage) WHERE id = 1 RETURNING id, name, stage;
\echo 'skipping two stages ahead is refused:'
\set ON_ERROR_STOP off
UPDATE contacts SET stage = stage + 2 WHERE id = 1;
\set ON_ERROR_STOP on

\echo
\echo '== A sample CRM event table: 20,000 customers, about 70,000 stage events (seeded)'
\set customers 20000
\set seed 42
\ir ../data/gen_events.sql
SELECT count(*) AS events, count(DISTINCT customer_id) AS customers,
       min(at)::date AS first_event, max(at)::date AS last_event
FROM events;
-- "today" for this data set: the day it was exported
\set as_of '2026-01-01'

\echo
\echo '== The wheel report: where value leaks (as of the export, 2026-01-01; customers quiet for 30 days have leaked)'
SELECT stage, customers, visits, advanced, regressed, skipped, leaked,
       round(100 * leak_rate)::int AS "leak %", round(value) AS value,
       round(value_at_risk) AS value_at_risk, date_trunc('minute', dwell_p50) AS dwell_p50
FROM cvfw_leakage((SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) FROM events),
                  :'as_of', '30 days');

\echo
\echo '== How customers move: the most common transitions'
SELECT from_stage, to_stage, transitions, round(100 * share)::int AS "% of from_stage visits"
FROM cvfw_transitions((SELECT cvfw_flow_by_customer(customer_id, stage, at) FROM events))
ORDER BY transitions DESC LIMIT 8;

\echo
\echo '== Per segment: leak rate at each stage (summaries per customer, merged per segment)'
SELECT segment,
       round(100 * cvfw_leak_rate(flow, 'awareness', :'as_of', '30 days'))::int AS awareness,
       round(100 * cvfw_leak_rate(flow, 'exploration', :'as_of', '30 days'))::int AS exploration,
       round(100 * cvfw_leak_rate(flow, 'experience', :'as_of', '30 days'))::int AS experience,
       round(100 * cvfw_leak_rate(flow, 'value_realization', :'as_of', '30 days'))::int AS value_realization,
       round(100 * cvfw_leak_rate(flow, 'advocacy', :'as_of', '30 days'))::int AS advocacy,
       round(100 * cvfw_leak_rate(flow, 'engagement', :'as_of', '30 days'))::int AS engagement
FROM (SELECT segment, cvfw_merge(f) AS flow
      FROM (SELECT min(segment) AS segment, cvfw_flow(stage, at, value, cost) AS f
            FROM events GROUP BY customer_id) c
      GROUP BY segment) s
ORDER BY segment;

\echo
\echo '== Which leak do we fix first? One point less leakage at each stage, best first'
\echo '   (gain per point: what it adds to a new customer''s value; base: to all existing customers'' value)'
SELECT rank, stage, round(100 * leak_probability)::int AS "leak %",
       round(gain_per_point::numeric, 2) AS gain_per_point, round(base_gain_per_point) AS base_gain_per_point
FROM cvfw_fix_first((SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) FROM events),
                    :'as_of', '30 days');

\echo
\echo '== The value report beside it: lifetime value and customer competitiveness'
\echo '   (same events, same as-of date and horizon; months of 30 days; 60% gross margin, 1% a month discount)'
SELECT coalesce(segment, 'all') AS segment, (r).customers, (r).churned,
       round((r).revenue_per_period::numeric, 2) AS revenue_per_month,
       round((r).expected_periods::numeric, 1) AS expected_months,
       round((r).clv_per_customer::numeric) AS clv, round((r).total_clv::numeric) AS total_clv,
       round((r).acquisition_cost::numeric, 2) AS acquisition_cost,
       round((r).new_customer_clv::numeric) AS new_customer_clv,
       round(cvfw_competitiveness(r, 1000)::numeric) AS "competitiveness, 1000 new"
FROM (SELECT segment, cvfw_clv(cvfw_merge(f), :'as_of', '30 days', '30 days', 0.6, 0.01) AS r
      FROM (SELECT min(segment) AS segment, cvfw_flow(stage, at, value, cost) AS f
            FROM events GROUP BY customer_id) c
      GROUP BY ROLLUP (segment)) s
ORDER BY s.segment IS NULL, s.segment;

\echo
\echo '== For BI tools (Metabase, Grafana, Tableau over JDBC): the same reports in standard SQL types'
\echo '   (stages as text with their position, durations in days: cvfw_bi_leakage, cvfw_bi_transitions, cvfw_bi_value)'
SELECT stage, position, visits, leaked, round(leak_rate::numeric, 3) AS leak_rate,
       round(value_at_risk) AS value_at_risk, round(dwell_p50_days::numeric, 1) AS dwell_p50_days
FROM cvfw_bi_leakage((SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) FROM events),
                     :'as_of', '30 days');

\echo
\echo '== An old CRM table with free-text stages converts in place'
CREATE TABLE legacy_leads (id int, stage text);
INSERT INTO legacy_leads VALUES (1, 'Awareness'), (2, 'value realization'),
    (3, 'ADVOCACY'), (4, ' Engagement ');
ALTER TABLE legacy_leads ALTER COLUMN stage TYPE cvfw_stage;
SELECT * FROM legacy_leads ORDER BY stage;

\echo
\echo '== ... and a typo is refused, naming the valid stages'
\set ON_ERROR_STOP off
INSERT INTO legacy_leads VALUES (5, 'advocacyy');
\set ON_ERROR_STOP on

\echo
\echo '== The wheel as a picture: cvfw_wheel_svg writes a standalone SVG (with the fix-first ranks)'
\pset format unaligned
\pset tuples_only on
SELECT cvfw_wheel_svg((SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) FROM events),
                      :'as_of', '30 days', true) \g :wheel_svg
\pset format aligned
\pset tuples_only off
\echo 'wrote the wheel of the sample customers to' :wheel_svg '(open it in a browser)'

-- values.sql — what a user of an old release keeps in tables: built with
-- the old version installed (upgrade.sh runs it right after CREATE
-- EXTENSION cvfw VERSION 'old'), then answers.sql reads it before and after
-- ALTER EXTENSION cvfw UPDATE, and the answers must be the same.  Uses only
-- objects that 0.1.0 has.
--
-- flows: per segment (cvfw_flow per customer, cvfw_merge), in one pass
--   (cvfw_flow_by_customer), and as literal bytes written by the 0.1.0
--   library (up_flows_010: what is on disk at users' sites, whatever later
--   versions write);
-- policies, stage columns and arrays, an index on a stage column;
-- CLV reports (cvfw_clv_report values), RFM rows, fitted and literal models;
-- guarded tables (cvfw_enforce_transition on a cvfw_stage, a text and an
--   enum column); views and a materialized view over all of it.
SET timezone = 'UTC';
SET client_min_messages = warning;

-- the events: 60 customers, deterministic, amounts in cents
CREATE TABLE up_events AS
SELECT c AS customer_id, 'segment ' || (c % 3) AS segment,
       cvfw_stage(1 + (c + k) % 6) AS stage,
       '2024-03-01'::timestamptz + ((c * 7 + k * 13) % 400) * interval '1 day' + k * interval '1 hour' AS at,
       ((c * 37 + k * 11) % 9000) / 100.0::float8 AS value,
       ((c * 13 + k * 7) % 700) / 100.0::float8 AS cost
FROM generate_series(1, 60) c, generate_series(0, c % 6) k;

CREATE TABLE up_flows (label text PRIMARY KEY, flow cvfw_flow NOT NULL);
INSERT INTO up_flows
SELECT segment, cvfw_merge(f)
FROM (SELECT segment, cvfw_flow(stage, at, value, cost) AS f
      FROM up_events GROUP BY segment, customer_id) per_customer
GROUP BY segment;
INSERT INTO up_flows
SELECT 'by customer', cvfw_flow_by_customer(customer_id, stage, at, value, cost) FROM up_events;
INSERT INTO up_flows
SELECT 'stages only', cvfw_merge(f)
FROM (SELECT cvfw_flow(stage, at) AS f FROM up_events GROUP BY customer_id) per_customer;

-- bytes as the 0.1.0 library wrote them (its text form), for two small
-- flows of up_events: customers 1..4 with values and costs, and customers
-- 5..6 with stages only.  answers.sql reads them next to flows the
-- installed library builds from the same events.
CREATE TABLE up_flows_010 (label text PRIMARY KEY, customers int4range NOT NULL, flow cvfw_flow NOT NULL);
\ir fixtures-0.1.0.sql

CREATE TABLE up_policies (name text PRIMARY KEY, policy cvfw_policy NOT NULL);
INSERT INTO up_policies VALUES
  ('wheel', 'wheel'), ('strict', 'strict'), ('none', 'none'),
  ('custom', 'awareness>exploration, *>awareness, advocacy>engagement'),
  ('learned', (SELECT cvfw_policy_agg(a, b)
               FROM (VALUES ('awareness'::cvfw_stage, 'experience'::cvfw_stage),
                            ('engagement', 'advocacy')) x(a, b)));

-- reports stored as values
CREATE TABLE up_clv (label text PRIMARY KEY, report cvfw_clv_report);
INSERT INTO up_clv
SELECT label, cvfw_clv(flow, '2026-01-01', '30 days', '30 days', 0.4, 0.01) FROM up_flows;
INSERT INTO up_clv
SELECT 'per customer rows', cvfw_clv_agg(revenue, cost, tenure, churned)
FROM (SELECT customer_id, sum(value) AS revenue, sum(cost) AS cost,
             max(at) - min(at) AS tenure, max(at) < '2025-01-01' AS churned
      FROM up_events GROUP BY customer_id) c;

CREATE TABLE up_rfm AS
SELECT customer_id, cvfw_rfm(at, value, '2025-01-01', '7 days') AS rfm
FROM up_events GROUP BY customer_id;

-- models: the published CDNOW parameters (literal), and both models fitted
-- on the CDNOW purchases (run from the repository's root)
CREATE TABLE up_models (label text PRIMARY KEY, bgnbd cvfw_bgnbd, gg cvfw_gg);
INSERT INTO up_models VALUES
  ('cdnow published', ROW(0.243, 4.414, 0.793, 2.426, -9582.4, 2357), ROW(6.25, 3.74, 15.44, -4000.1, 946));
CREATE TABLE up_cdnow_lines (line text);
\copy up_cdnow_lines FROM 'test/data/cdnow/CDNOW_sample.txt'
CREATE TABLE up_cdnow_rfm AS
SELECT f[2]::int AS customer_id, cvfw_rfm(to_date(f[3], 'YYYYMMDD'), f[5]::float8, '1997-09-30', '7 days') AS rfm
FROM (SELECT regexp_split_to_array(btrim(line, E' \r'), '\s+') AS f FROM up_cdnow_lines) s
GROUP BY 1;
INSERT INTO up_models
SELECT 'cdnow fitted', cvfw_bgnbd_fit((rfm).frequency, (rfm).recency, (rfm).t),
       cvfw_gg_fit((rfm).frequency, (rfm).monetary)
FROM up_cdnow_rfm;

-- guarded tables
CREATE TYPE up_label AS ENUM ('Awareness', 'Exploration', 'Experience',
  'Value Realization', 'Advocacy', 'Engagement');
CREATE TABLE up_contacts (
  id int PRIMARY KEY,
  stage cvfw_stage,
  stage_text text,
  stage_enum up_label,
  path cvfw_stage[]
);
CREATE INDEX up_contacts_stage ON up_contacts (stage);
INSERT INTO up_contacts
SELECT i, cvfw_stage(1 + i % 6), cvfw_stage(1 + i % 6)::text,
       (enum_range(NULL::up_label))[1 + i % 6], ARRAY[cvfw_stage(1), cvfw_stage(1 + i % 6)]
FROM generate_series(1, 12) i;
CREATE TRIGGER guard BEFORE UPDATE ON up_contacts FOR EACH ROW
  EXECUTE FUNCTION cvfw_enforce_transition('stage');
CREATE TRIGGER guard_text BEFORE UPDATE ON up_contacts FOR EACH ROW
  EXECUTE FUNCTION cvfw_enforce_transition('stage_text', 'strict');
CREATE TRIGGER guard_enum BEFORE UPDATE ON up_contacts FOR EACH ROW
  EXECUTE FUNCTION cvfw_enforce_transition('stage_enum', 'adjacent, engagement>awareness');

-- views that depend on the extension's functions and types: an update
-- that drops and re-creates one of them fails here
CREATE VIEW up_leakage AS
SELECT f.label, l.stage, l.customers, l.visits, l.advanced, l.regressed, l.skipped, l.ended,
       l.leaked, l.active, l.leak_rate, l.value, l.cost, l.value_at_risk,
       l.dwell_avg, l.dwell_p50, l.dwell_p90
FROM up_flows f, LATERAL cvfw_leakage(f.flow, '2026-01-01', '30 days') l;
CREATE MATERIALIZED VIEW up_summary AS
SELECT label, cvfw_customers(flow) AS customers, cvfw_visits(flow, 'awareness') AS awareness_visits,
       cvfw_leak_rate(flow, 'exploration', '2026-01-01', '30 days') AS exploration_leak_rate
FROM up_flows;
CREATE VIEW up_contact_checks AS
SELECT c.id, c.stage, cvfw_next(c.stage) AS next,
       cvfw_transition_valid(c.stage, cvfw_next(c.stage), p.policy) AS next_ok
FROM up_contacts c, up_policies p WHERE p.name = 'strict';

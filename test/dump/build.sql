-- build.sql — a CRM database using every cvfw type and object kind a user
-- can make with it, for the dump and restore test (dump_restore.sh).
SET timezone = 'UTC';
CREATE SCHEMA crm;
CREATE EXTENSION cvfw SCHEMA crm;
SET search_path = crm, public;

CREATE TYPE crm.stage_label AS ENUM ('Awareness', 'Exploration', 'Experience',
  'Value Realization', 'Advocacy', 'Engagement');
CREATE DOMAIN crm.known_stage AS crm.cvfw_stage NOT NULL;

CREATE TABLE crm.contacts (
  id bigint PRIMARY KEY,
  stage crm.cvfw_stage NOT NULL DEFAULT 'awareness',
  stage_text text,
  stage_enum crm.stage_label,
  path crm.cvfw_stage[],
  first_stage crm.known_stage,
  CHECK (stage >= 'awareness')
);
CREATE INDEX contacts_stage ON crm.contacts (stage);
CREATE INDEX contacts_stage_hash ON crm.contacts USING hash (stage);
CREATE TRIGGER guard BEFORE UPDATE ON crm.contacts FOR EACH ROW
  EXECUTE FUNCTION crm.cvfw_enforce_transition('stage');
CREATE TRIGGER guard_text BEFORE UPDATE ON crm.contacts FOR EACH ROW
  EXECUTE FUNCTION crm.cvfw_enforce_transition('stage_text', 'strict');
CREATE TRIGGER guard_enum BEFORE UPDATE ON crm.contacts FOR EACH ROW
  EXECUTE FUNCTION crm.cvfw_enforce_transition('stage_enum', 'adjacent, engagement>awareness');

CREATE TABLE crm.policies (name text PRIMARY KEY, policy crm.cvfw_policy NOT NULL);
CREATE UNIQUE INDEX policies_policy ON crm.policies (policy);

CREATE TABLE crm.events (customer_id bigint, segment text, stage crm.cvfw_stage,
  at timestamptz, value float8, cost float8);

CREATE TABLE crm.flows (segment text PRIMARY KEY, flow crm.cvfw_flow);

INSERT INTO crm.contacts
SELECT i, crm.cvfw_stage(i % 6 + 1), crm.cvfw_stage(i % 6 + 1)::text,
       (enum_range(NULL::crm.stage_label))[i % 6 + 1],
       ARRAY[crm.cvfw_stage(1), crm.cvfw_stage(i % 6 + 1)], 'awareness'
FROM generate_series(1, 300) i;

INSERT INTO crm.policies VALUES
  ('wheel', 'wheel'), ('strict', 'strict'), ('none', 'none'),
  ('custom', 'awareness>exploration, *>awareness, advocacy>engagement'),
  ('learned', (SELECT crm.cvfw_policy_agg(a, b)
               FROM (VALUES ('awareness'::crm.cvfw_stage, 'experience'::crm.cvfw_stage),
                            ('engagement', 'advocacy')) x(a, b)));

SELECT setseed(0.25);
INSERT INTO crm.events
SELECT c, 'segment ' || (c % 3), crm.cvfw_stage(1 + (c + k) % 6),
       '2025-06-01'::timestamptz + (c * 7 + k * 13) * interval '1 hour',
       round((random() * 100)::numeric, 2)::float8, round((random() * 10)::numeric, 2)::float8
FROM generate_series(1, 400) c, generate_series(0, (c % 5)) k;

INSERT INTO crm.flows
SELECT segment, crm.cvfw_merge(f)
FROM (SELECT segment, crm.cvfw_flow(stage, at, value, cost) AS f
      FROM crm.events GROUP BY segment, customer_id) per_customer
GROUP BY segment;
INSERT INTO crm.flows
SELECT 'all, in one pass', crm.cvfw_flow_by_customer(customer_id, stage, at, value, cost) FROM crm.events;

CREATE VIEW crm.leakage AS
SELECT f.segment, l.*
FROM crm.flows f, LATERAL crm.cvfw_leakage(f.flow, '2026-01-01', '30 days') l;
CREATE MATERIALIZED VIEW crm.value_report AS
SELECT segment, (crm.cvfw_clv(flow, '2026-01-01', '30 days', '30 days')).*
FROM crm.flows;
CREATE VIEW crm.contact_checks AS
SELECT id, stage, crm.cvfw_next(stage) AS next,
       crm.cvfw_transition_valid(stage, crm.cvfw_next(stage), p.policy) AS strict_next_ok
FROM crm.contacts, crm.policies p WHERE p.name = 'strict';

-- predictive CLV: per-customer RFM, stored fitted models, a scoring view
CREATE TABLE crm.rfm AS
SELECT customer_id, (crm.cvfw_rfm(at, value, '2026-01-01', '7 days')).*
FROM crm.events GROUP BY customer_id;
CREATE TABLE crm.models (label text PRIMARY KEY, bgnbd crm.cvfw_bgnbd, gg crm.cvfw_gg);
INSERT INTO crm.models VALUES
  ('cdnow', ROW(0.243, 4.414, 0.793, 2.426, -9582.4, 2357), ROW(6.25, 3.74, 15.44, -4000.1, 946));
CREATE VIEW crm.scores AS
SELECT r.customer_id, crm.cvfw_bgnbd_p_alive(m.bgnbd, r.frequency, r.recency, r.t) AS p_alive,
       crm.cvfw_clv_predict(m.bgnbd, m.gg, r.frequency, r.recency, r.t, r.monetary, 52, 0.01) AS clv
FROM crm.rfm r, crm.models m WHERE m.label = 'cdnow';

-- the picture and the BI reports, as a BI tool would query them
CREATE VIEW crm.bi_leakage AS
SELECT f.segment, b.* FROM crm.flows f, LATERAL crm.cvfw_bi_leakage(f.flow, '2026-01-01', '30 days') b;
CREATE VIEW crm.wheel AS
SELECT segment, md5(crm.cvfw_wheel_svg(flow, '2026-01-01', '30 days')) AS svg_md5 FROM crm.flows;

-- summaries at every bound (doc/flow.md, "Bounds"): whatever cvfw writes it
-- reads back, so each restores (a COPY that refused one row would restore
-- the whole table empty); and a view using the + and - operators
CREATE TABLE crm.flow_bounds (label text PRIMARY KEY, flow crm.cvfw_flow NOT NULL);
WITH RECURSIVE d(n, f) AS (
  SELECT 0, (SELECT crm.cvfw_flow(stage, at, value, cost)
             FROM (VALUES ('awareness'::crm.cvfw_stage, '2026-01-01'::timestamptz, 0.5::float8, 0.25::float8)) v(stage, at, value, cost))
  UNION ALL
  SELECT n + 1, f OPERATOR(crm.+) f FROM d WHERE n < 53)
INSERT INTO crm.flow_bounds SELECT '2^53 customers', f FROM d WHERE n = 53;
WITH RECURSIVE d(n, f) AS (
  SELECT 0, (SELECT crm.cvfw_flow(stage, at)
             FROM (VALUES ('awareness'::crm.cvfw_stage, '2026-01-01'::timestamptz), ('exploration', '2026-01-02'),
                          ('awareness', '2026-01-03')) v(stage, at))
  UNION ALL
  SELECT n + 1, f OPERATOR(crm.+) f FROM d WHERE n < 52)
INSERT INTO crm.flow_bounds SELECT '2^53 visits of a stage', f FROM d WHERE n = 52;
INSERT INTO crm.flow_bounds
SELECT 'amounts at ±10^31', crm.cvfw_flow(stage, at, value, cost)
FROM (VALUES ('value_realization'::crm.cvfw_stage, '2026-01-01'::timestamptz, 1e31::float8, -1e31::float8),
             ('advocacy', '2026-01-02', -1e31, 1e31)) v(stage, at, value, cost);
INSERT INTO crm.flow_bounds
SELECT 'the ends of time', crm.cvfw_flow(stage, at, 0.000001, -0.000001)
FROM (VALUES ('awareness'::crm.cvfw_stage, '4714-11-24 00:00:00+00 BC'::timestamptz),
             ('exploration', '294276-12-31 23:59:59.999999+00')) v(stage, at);
-- one customer with 2^32 visits (bytes built by test/unit/test_flow_exact.c)
INSERT INTO crm.flow_bounds VALUES ('2^32 visits of one customer',
  '\x02000103018080808008000001ffffffff0700000201808080800806ffffffff0701d08c0102010500f755551c');
-- a summary written by cvfw 0.1.0 (format version 1, test/data/flow_v1)
INSERT INTO crm.flow_bounds VALUES ('written by 0.1.0', '\x010101019a9999999919204001000359f28b25bf58fa3f9a99999999192040000001989301010180d9bef1ad92f20280d9bef1ad92f202ab95435a');
CREATE VIEW crm.flow_group AS
SELECT b.label, crm.cvfw_customers((b.flow OPERATOR(crm.+) f.flow) OPERATOR(crm.-) f.flow) AS customers_back
FROM crm.flow_bounds b, crm.flows f
WHERE f.segment = 'segment 0' AND b.label IN ('amounts at ±10^31', 'written by 0.1.0', 'the ends of time');

-- trends, stored and in a view, and live tracking of the events (#15):
-- restored, the summaries read the same and tracking goes on
CREATE TABLE crm.trends (segment text PRIMARY KEY, trend crm.cvfw_trend NOT NULL);
INSERT INTO crm.trends
SELECT segment, crm.cvfw_merge(t)
FROM (SELECT segment, crm.cvfw_trend(stage, at, value) AS t FROM crm.events GROUP BY segment, customer_id) s
GROUP BY segment;
CREATE VIEW crm.trend_by_month AS
SELECT t.segment, l.* FROM crm.trends t, LATERAL crm.cvfw_trend_leakage(t.trend, 'month', '2026-01-01', '30 days') l;
SELECT crm.cvfw_track('crm.events', customer => 'customer_id', stage => 'stage', at => 'at',
                      value => 'value', cost => 'cost', group_by => '{segment}') IS NOT NULL AS tracked;

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
CREATE TABLE crm.models (label text PRIMARY KEY, bgnbd crm.cvfw_bgnbd, gg crm.cvfw_gg,
                         pnbd crm.cvfw_pnbd);
-- the published CDNOW models, and a limiting BG/NBD (a + b = 1e15) with large a, b
INSERT INTO crm.models VALUES
  ('cdnow', ROW(0.243, 4.414, 0.793, 2.426, -9582.4, 2357), ROW(6.25, 3.74, 15.44, -4000.1, 946),
   ROW(0.553, 10.58, 0.606, 11.66, -9594.98, 2357)),
  ('limit', ROW(0.531, 8.78, 253362774687486.75, 746637225312513.25, -55908.73, 10000),
   ROW(6.25, 3.74, 15.44, -4000.1, 946), ROW(1.5, 28.4, 572447, 26366700, -28616.6, 5000));
CREATE VIEW crm.scores AS
SELECT r.customer_id, m.label, crm.cvfw_bgnbd_p_alive(m.bgnbd, r.frequency, r.recency, r.t) AS p_alive,
       crm.cvfw_clv_predict(m.bgnbd, m.gg, r.frequency, r.recency, r.t, r.monetary, 52, 0.01) AS clv,
       crm.cvfw_pnbd_p_alive(m.pnbd, r.frequency, r.recency, r.t) AS pnbd_p_alive,
       crm.cvfw_clv_predict_pnbd(m.pnbd, m.gg, r.frequency, r.recency, r.t, r.monetary, 52, 0.01) AS pnbd_clv
FROM crm.rfm r, crm.models m;
-- fit summaries (nested model, arrays) and their parameter tables
CREATE TABLE crm.fit_summaries (label text PRIMARY KEY, bg crm.cvfw_bgnbd_summary,
                                pn crm.cvfw_pnbd_summary, gg crm.cvfw_gg_summary);
INSERT INTO crm.fit_summaries VALUES
  ('cdnow', ROW((SELECT bgnbd FROM crm.models WHERE label = 'cdnow'), 'maximum likelihood', 'The maximum likelihood estimate.', 0,
               ARRAY['r', 'alpha', 'a', 'b'], ARRAY[0.243, 4.414, 0.793, 2.426], ARRAY[0.0126, 0.378, 0.186, 0.705]),
            ROW((SELECT pnbd FROM crm.models WHERE label = 'cdnow'), 'penalised maximum likelihood', 'A note, with ''quotes''.', 0.01,
               ARRAY['r', 'alpha', 's', 'beta'], ARRAY[0.553, 10.58, 0.606, 11.66], ARRAY[0.0476, 0.843, 0.187, NULL]),
            ROW((SELECT gg FROM crm.models WHERE label = 'cdnow'), 'maximum likelihood', '', 0,
               ARRAY['p', 'q', 'v'], ARRAY[6.25, 3.74, 15.44], ARRAY[1.19, 0.29, 4.16]));
CREATE VIEW crm.parameters AS
SELECT f.label, 'bgnbd' AS model, p.* FROM crm.fit_summaries f, LATERAL crm.cvfw_btyd_parameters(f.bg) p
UNION ALL SELECT f.label, 'pnbd', p.* FROM crm.fit_summaries f, LATERAL crm.cvfw_btyd_parameters(f.pn) p;
-- the calibration/holdout split and the checks, stored and as views
CREATE TABLE crm.holdout AS
SELECT customer_id, (crm.cvfw_rfm_holdout(at, value, '2025-08-01', '2025-10-01', '7 days')).*
FROM crm.events GROUP BY customer_id;
CREATE TABLE crm.checks AS
SELECT crm.cvfw_bgnbd_holdout(m.bgnbd, h.frequency, h.recency, h.t, h.frequency_holdout, h.duration_holdout, 3) AS holdout_bins,
       crm.cvfw_pnbd_frequencies(m.pnbd, h.frequency, h.t, 3) AS frequency_bins
FROM crm.holdout h, crm.models m WHERE m.label = 'cdnow';
CREATE VIEW crm.holdout_report AS
SELECT b.* FROM crm.checks c, LATERAL unnest(c.holdout_bins) b;

-- the picture and the BI reports, as a BI tool would query them
CREATE VIEW crm.bi_leakage AS
SELECT f.segment, b.* FROM crm.flows f, LATERAL crm.cvfw_bi_leakage(f.flow, '2026-01-01', '30 days') b;
CREATE VIEW crm.wheel AS
SELECT segment, md5(crm.cvfw_wheel_svg(flow, '2026-01-01', '30 days')) AS svg_md5 FROM crm.flows;

-- bring your CRM: a map of one's own, guarded tables (text through a map,
-- with history and remembered stages; partitioned; inheritance), a
-- generated stage column and a view reading labels through maps
INSERT INTO crm.cvfw_stage_map (map, label, stage, kind, note) VALUES
  ('pipedrive', 'Lead In', 'awareness', 'stage', NULL), ('pipedrive', 'Won', 'value_realization', 'stage', 'paid'),
  ('pipedrive', 'Lost', NULL, 'left', NULL);
CREATE TABLE crm.hubspot_contacts (id bigint PRIMARY KEY, lifecyclestage text, modified timestamptz,
  stage crm.cvfw_stage GENERATED ALWAYS AS (crm.cvfw_stage_preset(lifecyclestage, 'hubspot_lifecycle')) STORED);
CREATE TABLE crm.contact_events (customer bigint, stage crm.cvfw_stage, at timestamptz, value numeric, cost numeric);
INSERT INTO crm.hubspot_contacts (id, lifecyclestage, modified) VALUES
  (1, 'subscriber', '2026-01-01'), (2, 'lead', '2026-01-01'), (3, 'customer', '2026-01-01');
SELECT crm.cvfw_guard('crm.hubspot_contacts', 'lifecyclestage', 'forward', 'hubspot_lifecycle',
                      history => 'crm.contact_events', at => 'modified');
UPDATE crm.hubspot_contacts SET lifecyclestage = 'lead', modified = '2026-01-02' WHERE id = 1;
UPDATE crm.hubspot_contacts SET lifecyclestage = '', modified = '2026-01-03' WHERE id = 3;
UPDATE crm.hubspot_contacts SET lifecyclestage = 'other', modified = '2026-01-03' WHERE id = 2;
-- the captured history tracked live (doc/live.md): guard, history and tracking together
SELECT crm.cvfw_track('crm.contact_events', customer => 'customer', stage => 'stage', at => 'at',
                      value => 'value', cost => 'cost') IS NOT NULL AS history_tracked;
CREATE VIEW crm.deals_on_the_wheel AS
SELECT label, crm.cvfw_stage(label, 'pipedrive') AS stage FROM (VALUES ('Lead In'), ('Won'), ('Lost')) v(label);
CREATE TABLE crm.regional (id int, region text, stage crm.cvfw_stage, PRIMARY KEY (id, region))
  PARTITION BY LIST (region);
CREATE TABLE crm.regional_eu PARTITION OF crm.regional FOR VALUES IN ('eu');
CREATE TABLE crm.regional_us PARTITION OF crm.regional FOR VALUES IN ('us');
INSERT INTO crm.regional VALUES (1, 'eu', 'awareness'), (2, 'us', 'experience');
SELECT crm.cvfw_guard('crm.regional', 'stage', 'strict');
CREATE TABLE crm.people (id int PRIMARY KEY, stage crm.cvfw_stage);
CREATE TABLE crm.people_eu (PRIMARY KEY (id)) INHERITS (crm.people);
SELECT crm.cvfw_guard('crm.people', 'stage');
INSERT INTO crm.people_eu VALUES (1, 'awareness');
UPDATE crm.people_eu SET stage = NULL;
-- funnels: stored conversion and retention summaries (per segment, and
-- per customer in a materialized view), the reports as views
CREATE TABLE crm.funnels (segment text PRIMARY KEY, conversion crm.cvfw_conversion,
                          retention crm.cvfw_retention);
INSERT INTO crm.funnels
SELECT segment,
       crm.cvfw_conversion_by_customer(customer_id, stage, at, '{awareness,exploration,experience}', '3 days',
                                       'any, strict, by week', '2025-08-01'),
       crm.cvfw_retention_by_customer(customer_id, stage, at, 'awareness', 'rolling week', '2025-08-01',
                                      '{exploration,experience,value_realization}')
FROM crm.events GROUP BY segment;
CREATE MATERIALIZED VIEW crm.customer_funnels AS
SELECT customer_id, crm.cvfw_conversion(stage, at, '{awareness,exploration,experience}', '3 days',
                                        'any, strict, by week', '2025-08-01') AS conversion
FROM crm.events GROUP BY customer_id;
CREATE VIEW crm.funnel_report AS
SELECT f.segment, r.* FROM crm.funnels f, LATERAL crm.cvfw_bi_conversion(f.conversion) r;
CREATE VIEW crm.retention_matrix AS
SELECT f.segment, m.* FROM crm.funnels f, LATERAL crm.cvfw_retention_matrix(f.retention) m;
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

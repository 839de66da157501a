-- views.sql — the JDBC test's database: the generated CRM events and the
-- README's pattern of BI views over them (one per report, per segment).
CREATE EXTENSION cvfw;
\set customers 2000
\set seed 42
\ir ../data/gen_events.sql

CREATE VIEW wheel_stages AS
SELECT s.segment, l.*
FROM (SELECT segment, cvfw_flow_by_customer(customer_id, stage, at, value, cost) AS flow
      FROM events GROUP BY segment) s,
     cvfw_bi_leakage(s.flow, '2026-01-01', '30 days') l;

CREATE VIEW wheel_moves AS
SELECT t.*
FROM cvfw_bi_transitions((SELECT cvfw_flow_by_customer(customer_id, stage, at) FROM events)) t;

CREATE VIEW wheel_value AS
SELECT s.segment, v.*
FROM (SELECT segment, cvfw_flow_by_customer(customer_id, stage, at, value, cost) AS flow
      FROM events GROUP BY segment) s,
     cvfw_bi_value(s.flow, '2026-01-01', '30 days', margin => 0.6, discount => 0.01,
                   new_customers => 1000) v;

CREATE VIEW wheel_picture AS
SELECT cvfw_wheel_svg(cvfw_flow_by_customer(customer_id, stage, at, value, cost),
                      '2026-01-01', '30 days') AS svg
FROM events;

-- a HubSpot-like table a tool writes through JDBC, guarded (StageParameters in
-- BiReports.java)
CREATE TABLE hubspot_contacts (id int PRIMARY KEY, lifecyclestage text);
INSERT INTO hubspot_contacts VALUES (1, 'lead'), (2, 'customer');
SELECT cvfw_guard('hubspot_contacts', 'lifecyclestage', 'forward', 'hubspot_lifecycle');

-- the value model's reports (doc/value.md)
CREATE VIEW wheel_stage_value AS
SELECT s.segment, v.*
FROM (SELECT segment, cvfw_flow_by_customer(customer_id, stage, at, value, cost) AS flow
      FROM events GROUP BY segment) s,
     cvfw_bi_stage_value(s.flow, '2026-01-01', '30 days') v;

CREATE VIEW wheel_fix_first AS
SELECT f.*
FROM cvfw_bi_fix_first((SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) FROM events),
                       '2026-01-01', '30 days') f;

CREATE VIEW wheel_dwell_km AS
SELECT d.*
FROM cvfw_bi_dwell_km((SELECT cvfw_flow_by_customer(customer_id, stage, at) FROM events),
                      '2026-01-01', '30 days') d;

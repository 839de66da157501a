-- queries.sql — read everything back (dump_restore.sh runs it on the
-- original and on each restored copy and compares the outputs).
SET timezone = 'UTC';
SET search_path = crm, public;
\pset pager off
SELECT extname, extversion, extnamespace::regnamespace FROM pg_extension WHERE extname = 'cvfw';
SELECT * FROM crm.contacts ORDER BY id;
SELECT name, policy, policy::text::crm.cvfw_policy = policy AS reads_back FROM crm.policies ORDER BY name;
SELECT segment, flow::text, crm.cvfw_customers(flow) FROM crm.flows ORDER BY segment;
SELECT label, flow::text, crm.cvfw_customers(flow) FROM crm.flow_bounds ORDER BY label;
SELECT 'flow_bounds: ' || count(*) || ' rows' AS restored FROM crm.flow_bounds;
SELECT * FROM crm.flow_group ORDER BY label;
SELECT * FROM crm.leakage ORDER BY segment, stage;
SELECT * FROM crm.value_report ORDER BY segment;
SELECT * FROM crm.contact_checks ORDER BY id LIMIT 20;
SELECT count(*) FROM crm.events;
SELECT * FROM crm.models ORDER BY label;
SELECT * FROM crm.scores ORDER BY customer_id, label LIMIT 30;
SELECT label, count(*), sum(clv), sum(pnbd_clv) FROM crm.scores GROUP BY label ORDER BY label;
SELECT * FROM crm.fit_summaries ORDER BY label;
SELECT * FROM crm.parameters ORDER BY label, model, parameter;
SELECT count(*), sum(frequency), sum(frequency_holdout), sum(monetary_holdout) FROM crm.holdout;
SELECT * FROM crm.checks;
SELECT * FROM crm.holdout_report;
SELECT * FROM crm.bi_leakage ORDER BY segment, "position";
SELECT * FROM crm.wheel ORDER BY segment;
-- the maps of one's own (the presets are not dumped, so not doubled), the
-- guards, what they remember, the history they recorded
SELECT * FROM crm.cvfw_stage_map ORDER BY map, label;
SELECT count(*) AS presets FROM crm.cvfw_stage_presets();
SELECT * FROM crm.deals_on_the_wheel ORDER BY label;
SELECT table_name, column_name, policy, map, history, customer, at FROM crm.cvfw_guards() ORDER BY 1::text;
SELECT tbl, col, key, stage FROM crm.cvfw_guard_memory ORDER BY 1::text, 2, 3;
SELECT * FROM crm.contact_events ORDER BY customer, at;
SELECT * FROM crm.hubspot_contacts ORDER BY id;
-- funnels
SELECT segment, conversion::text, retention::text FROM crm.funnels ORDER BY segment;
SELECT * FROM crm.funnel_report ORDER BY segment, cohort, step;
SELECT * FROM crm.retention_matrix ORDER BY segment, cohort, period_offset;
SELECT crm.cvfw_conversion_merge(conversion)::text = (SELECT crm.cvfw_conversion_merge(conversion)::text FROM crm.funnels)
       AS per_customer_merges_to_segments
FROM crm.customer_funnels;
SELECT segment, trend::text FROM crm.trends ORDER BY segment;
SELECT * FROM crm.trend_by_month ORDER BY segment, period_start, stage;
SELECT segment, customers, flow::text, trend::text FROM crm.events_cvfw_live ORDER BY segment;
-- live tracking goes on: an event in, read live, equal to the batch
-- summary (rolled back, so this file changes nothing)
BEGIN;
INSERT INTO crm.events VALUES (7, 'segment 1', 'advocacy', '2026-02-01', 5, 0), (9999, 'segment 2', 'awareness', '2026-02-01', 0, 1);
SELECT crm.cvfw_live_flow('crm.events')::text
         = (SELECT crm.cvfw_flow_by_customer(customer_id, stage, at, value, cost)::text FROM crm.events) AS live_flow_is_batch,
       crm.cvfw_live_trend('crm.events', 'segment 2')::text
         = (SELECT crm.cvfw_trend_by_customer(customer_id, stage, at, value)::text FROM crm.events
            WHERE customer_id IN (SELECT customer_id FROM crm.events_cvfw_customers WHERE segment = 'segment 2')) AS live_trend_is_batch;
ROLLBACK;
-- the indexes answer
SET enable_seqscan = off;
SELECT count(*) FROM crm.contacts WHERE stage = 'advocacy';
SELECT count(*) FROM crm.contacts WHERE stage > 'experience';
RESET enable_seqscan;
-- the triggers still guard the table: each refused with its own error
-- (in a transaction rolled back at the end, so this file changes nothing)
\set ON_ERROR_STOP 0
\set ON_ERROR_ROLLBACK on
\set VERBOSITY terse
BEGIN;
UPDATE crm.contacts SET stage = 'advocacy' WHERE id = 6;
UPDATE crm.contacts SET stage_text = 'Experience' WHERE id = 6;
UPDATE crm.contacts SET stage_enum = 'Experience' WHERE id = 6;
UPDATE crm.contacts SET first_stage = NULL WHERE id = 6;
UPDATE crm.contacts SET stage = 'exploration', stage_text = 'exploration', stage_enum = 'Exploration' WHERE id = 6;
SELECT id, stage, stage_text, stage_enum FROM crm.contacts WHERE id = 6;
-- the guards: a remembered stage across a cleared label, a row moved between
-- partitions, an inheritance child's remembered stage; then allowed changes
-- that capture history
UPDATE crm.hubspot_contacts SET lifecyclestage = 'lead' WHERE id = 3;
UPDATE crm.regional SET region = 'us', stage = 'advocacy' WHERE id = 1;
UPDATE crm.people SET stage = 'advocacy' WHERE id = 1;
UPDATE crm.hubspot_contacts SET lifecyclestage = 'evangelist', modified = '2026-01-05' WHERE id = 3;
UPDATE crm.regional SET region = 'us', stage = 'exploration' WHERE id = 1;
SELECT * FROM crm.contact_events WHERE at = '2026-01-05';
-- the change the guard let through is in the live wheel of the history
SELECT crm.cvfw_customers(crm.cvfw_live_flow('crm.contact_events')) AS history_customers,
       crm.cvfw_live_flow('crm.contact_events')::text
         = (SELECT crm.cvfw_flow_by_customer(customer, stage, at, value, cost)::text FROM crm.contact_events)
         AS history_live_is_batch;
SELECT tableoid::regclass, * FROM crm.regional ORDER BY id;
ROLLBACK;

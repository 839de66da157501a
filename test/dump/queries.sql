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
SELECT * FROM crm.models;
SELECT * FROM crm.scores ORDER BY customer_id LIMIT 30;
SELECT count(*), sum(clv) FROM crm.scores;
SELECT * FROM crm.bi_leakage ORDER BY segment, "position";
SELECT * FROM crm.wheel ORDER BY segment;
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
ROLLBACK;

--
-- stage_map: a source system's labels read as stages — the shipped presets,
-- maps of one's own (cvfw_stage_map), cvfw_stage(label, map) and the
-- IMMUTABLE cvfw_stage_preset(label, map)
--

-- the presets, label by label (their readings are also unit-tested against
-- doc/crm.md in test/unit/test_stage_map.c)
SELECT map, label, stage, kind FROM cvfw_stage_presets();
SELECT map, count(*) AS labels, count(*) FILTER (WHERE reason ~ '^[A-Z].*\.$') AS reasons_as_sentences
FROM cvfw_stage_presets() GROUP BY map ORDER BY map;

-- labels match by key: case, spaces and punctuation do not matter
SELECT cvfw_stage_label_key('Closed Won') AS key, cvfw_stage_label_key('  closed_won ') AS same,
       cvfw_stage_label_key('Id. Decision Makers') AS punctuation, cvfw_stage_label_key(' - ') AS empty;
SELECT label, cvfw_stage(label, 'hubspot_lifecycle') AS stage
FROM (VALUES ('Marketing Qualified Lead'), ('marketingqualifiedlead'), ('SALES-QUALIFIED-LEAD'),
             ('other'), (''), ('  '), (NULL)) v(label);
SELECT label, cvfw_stage(label, 'salesforce_opportunity') AS stage
FROM (VALUES ('Prospecting'), ('Closed Won'), ('closed lost'), ('Id. Decision Makers'), ('Proposal/Price Quote')) v(label);
-- a label the map lacks reads as the stage it names, if it is one
SELECT cvfw_stage('Value Realization', 'salesforce_lead') AS stage_name, cvfw_stage('engagement', 'hubspot_lifecycle');
-- else 22P02 in the core wording, the map's labels in the hint
SELECT (regress.try($$SELECT cvfw_stage('churned', 'hubspot_lifecycle')$$)).*;
SELECT (regress.try($$SELECT cvfw_stage('x', 'no_such_map')$$)).*;
SELECT cvfw_stage('lead', NULL) IS NULL AS strict;

-- maps of one's own ----------------------------------------------------------

INSERT INTO cvfw_stage_map (map, label, stage, kind, note) VALUES
  ('pipedrive', 'Lead In', 'awareness', 'stage', NULL),
  ('pipedrive', 'Contact Made', 'exploration', 'stage', NULL),
  ('pipedrive', 'Demo Scheduled', 'experience', 'stage', 'a demo: the promise first-hand'),
  ('pipedrive', 'Won', 'value_realization', 'stage', NULL),
  ('pipedrive', 'Lost', NULL, 'left', NULL),
  ('pipedrive', 'On Hold', NULL, 'keep', NULL);
SELECT label, cvfw_stage(label, 'pipedrive') AS stage
FROM (VALUES ('lead in'), ('CONTACT_MADE'), ('Demo Scheduled'), ('won'), ('lost'), ('on hold')) v(label);
SELECT (regress.try($$SELECT cvfw_stage('Proposal Made', 'pipedrive')$$)).*;
-- the table keeps maps readable: one label, one reading
SELECT (regress.try($$INSERT INTO cvfw_stage_map VALUES ('pipedrive', 'lead-in', 'exploration')$$)).state AS same_key;
SELECT (regress.try($$INSERT INTO cvfw_stage_map VALUES ('pipedrive', 'Paused', NULL)$$)).state AS stage_without_stage;
SELECT (regress.try($$INSERT INTO cvfw_stage_map VALUES ('pipedrive', 'Paused', 'awareness', 'keep')$$)).state AS keep_with_stage;
SELECT (regress.try($$INSERT INTO cvfw_stage_map VALUES ('pipedrive', 'Paused', NULL, 'gone')$$)).state AS unknown_kind;
-- the presets' names are taken: a preset cannot be shadowed or edited
SELECT map, (regress.try(format('INSERT INTO cvfw_stage_map VALUES (%L, %L, %L)', map, 'x', 'awareness'))).state
FROM (SELECT DISTINCT map FROM cvfw_stage_presets()) p ORDER BY map;
-- a map of one's own, copied from a preset and extended
INSERT INTO cvfw_stage_map (map, label, stage, kind)
SELECT 'my_hubspot', label, stage, kind FROM cvfw_stage_presets() WHERE map = 'hubspot_lifecycle';
INSERT INTO cvfw_stage_map (map, label, stage) VALUES ('my_hubspot', 'repeat_customer', 'engagement');
SELECT cvfw_stage('Repeat Customer', 'my_hubspot'), cvfw_stage('customer', 'my_hubspot');

-- STABLE and IMMUTABLE ------------------------------------------------------------

SELECT proname, provolatile FROM pg_proc
WHERE oid IN ('cvfw_stage(text, text)'::regprocedure, 'cvfw_stage_preset(text, text)'::regprocedure)
ORDER BY 1;
-- a map of one's own can change, and the next statement reads it changed
CREATE VIEW pipedrive_deals AS
SELECT id, label, cvfw_stage(label, 'pipedrive') AS stage
FROM (VALUES (1, 'Won'), (2, 'On Hold')) v(id, label);
SELECT * FROM pipedrive_deals ORDER BY id;
UPDATE cvfw_stage_map SET stage = 'engagement' WHERE map = 'pipedrive' AND label = 'Won';
SELECT * FROM pipedrive_deals ORDER BY id;
-- so only the presets can be stored in generated columns and indexes
CREATE TABLE sf_deals (id int, stagename text,
  stage cvfw_stage GENERATED ALWAYS AS (cvfw_stage_preset(stagename, 'salesforce_opportunity')) STORED);
INSERT INTO sf_deals (id, stagename) VALUES (1, 'Needs Analysis'), (2, 'Closed Lost'), (3, 'Closed Won');
SELECT * FROM sf_deals ORDER BY id;
CREATE INDEX sf_deals_stage ON sf_deals (cvfw_stage_preset(stagename, 'salesforce_opportunity'));
SELECT (regress.try($$CREATE TABLE x (l text, s cvfw_stage GENERATED ALWAYS AS (cvfw_stage(l, 'pipedrive')) STORED)$$)).state;
SELECT (regress.try($$SELECT cvfw_stage_preset('Won', 'pipedrive')$$)).*;
SELECT (regress.try($$INSERT INTO sf_deals (id, stagename) VALUES (4, 'Closed')$$)).state;

-- converting a CRM's text column in place: ALTER ... TYPE ... USING reads
-- the labels through any map (cvfw_stage casts only stage names)
CREATE TABLE hs_contacts (id int, lifecyclestage text);
INSERT INTO hs_contacts VALUES (1, 'subscriber'), (2, 'marketingqualifiedlead'), (3, 'customer'),
  (4, 'other'), (5, NULL), (6, '');
SELECT (regress.try($$ALTER TABLE hs_contacts ALTER lifecyclestage TYPE cvfw_stage$$)).*;
ALTER TABLE hs_contacts ALTER lifecyclestage TYPE cvfw_stage
  USING cvfw_stage(lifecyclestage, 'hubspot_lifecycle');
SELECT * FROM hs_contacts ORDER BY id;
-- an enum column of Salesforce labels, through text
CREATE TYPE sf_status AS ENUM ('Open - Not Contacted', 'Working - Contacted', 'Closed - Converted',
                               'Closed - Not Converted');
CREATE TABLE sf_leads (id int, status sf_status);
INSERT INTO sf_leads VALUES (1, 'Working - Contacted'), (2, 'Closed - Not Converted');
ALTER TABLE sf_leads ALTER status TYPE cvfw_stage USING cvfw_stage(status::text, 'salesforce_lead');
SELECT * FROM sf_leads ORDER BY id;

-- parallel plans read maps as serial ones do
CREATE TABLE many_labels AS
SELECT i AS id, (ARRAY['Lead In', 'Contact Made', 'Demo Scheduled', 'Won', 'Lost', 'On Hold'])[1 + i % 6] AS label
FROM generate_series(1, 60000) i;
ANALYZE many_labels;
CREATE TEMP TABLE serial_counts AS
SELECT cvfw_stage(label, 'pipedrive') AS stage, count(*) FROM many_labels GROUP BY 1;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT regress.plan_has($$SELECT cvfw_stage(label, 'pipedrive'), count(*) FROM many_labels GROUP BY 1$$,
                        'Gather') AS parallel;
SELECT stage, count FROM serial_counts
EXCEPT
SELECT cvfw_stage(label, 'pipedrive'), count(*) FROM many_labels GROUP BY 1;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT * FROM serial_counts ORDER BY stage;

DROP VIEW pipedrive_deals;
DROP TABLE sf_deals, hs_contacts, sf_leads, many_labels;
DROP TYPE sf_status;
DELETE FROM cvfw_stage_map;

--
-- crm: the quick start of doc/crm.md on HubSpot- and Salesforce-shaped
-- tables kept by a sync tool: the text columns keep taking the tools'
-- labels while the guards refuse invalid changes, and the history they
-- record, with what was backfilled, gives the leakage report.
--
SET timezone = 'UTC';

-- HubSpot contacts ------------------------------------------------------------

CREATE TABLE hubspot_contacts (id bigint PRIMARY KEY, email text, lifecyclestage text,
                               lastmodifieddate timestamptz, total_revenue numeric DEFAULT 0);
CREATE TABLE contact_events (customer bigint, stage cvfw_stage, at timestamptz, value numeric, cost numeric);
-- the sync tool loads, then upserts batches from its staging table
CREATE TABLE hubspot_staging (LIKE hubspot_contacts);
CREATE FUNCTION hubspot_sync() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
  INSERT INTO hubspot_contacts SELECT * FROM hubspot_staging
  ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email, lifecyclestage = EXCLUDED.lifecyclestage,
    lastmodifieddate = EXCLUDED.lastmodifieddate, total_revenue = EXCLUDED.total_revenue;
  GET DIAGNOSTICS n = ROW_COUNT;
  DELETE FROM hubspot_staging;
  RETURN n;
END $$;
INSERT INTO hubspot_staging VALUES
  (1, 'a@x.io', 'subscriber', '2026-01-01', 0), (2, 'b@x.io', 'lead', '2026-01-01', 0),
  (3, 'c@x.io', 'marketingqualifiedlead', '2026-01-01', 0), (4, 'd@x.io', 'salesqualifiedlead', '2026-01-01', 0),
  (5, 'e@x.io', 'opportunity', '2026-01-01', 0), (6, 'f@x.io', 'customer', '2026-01-01', 500),
  (7, 'g@x.io', 'evangelist', '2026-01-01', 900), (8, 'h@x.io', 'other', '2026-01-01', 0),
  (9, 'i@x.io', NULL, '2026-01-01', 0);
SELECT hubspot_sync() AS loaded;
SELECT cvfw_guard('hubspot_contacts', 'lifecyclestage', 'forward', 'hubspot_lifecycle',
                  history => 'contact_events', at => 'lastmodifieddate', value => 'total_revenue');

-- a batch of valid changes, in HubSpot's labels: every label of the map
-- occurs; a contact is cleared before a stage is set again, as HubSpot does
INSERT INTO hubspot_staging VALUES
  (1, 'a@x.io', 'lead', '2026-01-05', 0), (2, 'b@x.io', 'marketingqualifiedlead', '2026-01-05', 0),
  (3, 'c@x.io', 'opportunity', '2026-01-05', 0), (4, 'd@x.io', 'customer', '2026-01-05', 300),
  (5, 'e@x.io', '', '2026-01-05', 0), (6, 'f@x.io', 'evangelist', '2026-01-05', 800),
  (7, 'g@x.io', 'other', '2026-01-05', 900), (9, 'i@x.io', 'subscriber', '2026-01-05', 0),
  (10, 'j@x.io', 'Marketing Qualified Lead', '2026-01-05', 0);
SELECT hubspot_sync() AS synced;
-- a batch with one change the policy refuses: the whole batch is refused,
-- the offending contact named, the staging rows kept for the next try
INSERT INTO hubspot_staging VALUES
  (1, 'a@x.io', 'salesqualifiedlead', '2026-01-09', 0), (4, 'd@x.io', 'lead', '2026-01-09', 300);
SELECT hubspot_sync();
SELECT lifecyclestage FROM hubspot_contacts WHERE id = 1;
DELETE FROM hubspot_staging WHERE id = 4;
SELECT hubspot_sync() AS synced;
-- clearing does not open a skip back, nor does 'other'
UPDATE hubspot_contacts SET lifecyclestage = 'subscriber', lastmodifieddate = '2026-01-10' WHERE id = 5;
UPDATE hubspot_contacts SET lifecyclestage = 'lead', lastmodifieddate = '2026-01-10' WHERE id = 7;
UPDATE hubspot_contacts SET lifecyclestage = 'customer', total_revenue = 250, lastmodifieddate = '2026-01-11'
WHERE id = 5;
-- an 'other' contact with no history before it: its next stage is free
UPDATE hubspot_contacts SET lifecyclestage = 'subscriber', lastmodifieddate = '2026-01-12' WHERE id = 8;
-- a label the map does not read
UPDATE hubspot_contacts SET lifecyclestage = 'churned' WHERE id = 9;
SELECT id, lifecyclestage, cvfw_stage(lifecyclestage, 'hubspot_lifecycle') AS stage
FROM hubspot_contacts ORDER BY id;
SELECT customer, stage, at, value FROM contact_events ORDER BY customer, at;

-- Salesforce deals and leads --------------------------------------------------

CREATE TABLE sf_opportunity (id text PRIMARY KEY, stagename text NOT NULL, amount numeric,
                             lastmodifieddate timestamptz);
-- a stage-change log the CRM team kept before: old and new stage per change
CREATE TABLE deal_stage_changes (deal_id text, old_stage text, new_stage text, changed_at timestamptz);
INSERT INTO sf_opportunity VALUES ('006A', 'Needs Analysis', 1000, '2026-01-03'),
  ('006B', 'Perception Analysis', 5000, '2026-01-04'), ('006C', 'Closed Lost', 700, '2026-01-06');
INSERT INTO deal_stage_changes VALUES
  ('006A', NULL, 'Prospecting', '2026-01-01'), ('006A', 'Prospecting', 'Needs Analysis', '2026-01-03'),
  ('006B', NULL, 'Qualification', '2026-01-01'), ('006B', 'Qualification', 'Value Proposition', '2026-01-02'),
  ('006B', 'Value Proposition', 'Perception Analysis', '2026-01-04'),
  ('006C', NULL, 'Prospecting', '2026-01-02'), ('006C', 'Prospecting', 'Closed Lost', '2026-01-06');
CREATE TABLE deal_events (customer text, stage cvfw_stage, at timestamptz, value numeric, cost numeric);
SELECT cvfw_backfill('deal_events',
  'SELECT deal_id AS customer, new_stage AS label, changed_at AS at FROM deal_stage_changes',
  'salesforce_opportunity') AS events;
SELECT cvfw_guard('sf_opportunity', 'stagename', 'forward', 'salesforce_opportunity',
                  history => 'deal_events', at => 'lastmodifieddate');
-- every label of the map, in a valid order
UPDATE sf_opportunity SET stagename = 'Qualification', lastmodifieddate = '2026-01-07' WHERE id = '006A';
UPDATE sf_opportunity SET stagename = 'Value Proposition', lastmodifieddate = '2026-01-08' WHERE id = '006A';
UPDATE sf_opportunity SET stagename = 'Id. Decision Makers', lastmodifieddate = '2026-01-09' WHERE id = '006A';
UPDATE sf_opportunity SET stagename = 'Proposal/Price Quote', lastmodifieddate = '2026-01-10' WHERE id = '006A';
UPDATE sf_opportunity SET stagename = 'Negotiation/Review', lastmodifieddate = '2026-01-11' WHERE id = '006A';
UPDATE sf_opportunity SET stagename = 'Closed Won', lastmodifieddate = '2026-01-12' WHERE id = '006A';
-- refused: a keep label does not hide the last stage; a won deal back to the start
UPDATE sf_opportunity SET stagename = 'Prospecting', lastmodifieddate = '2026-01-13' WHERE id = '006B';
UPDATE sf_opportunity SET stagename = 'Prospecting', lastmodifieddate = '2026-01-13' WHERE id = '006A';
-- the deal lost before the guard came: its last stage comes from the
-- backfilled history; reopened where it was lost, then on
UPDATE sf_opportunity SET stagename = 'Prospecting', lastmodifieddate = '2026-01-13' WHERE id = '006C';
UPDATE sf_opportunity SET stagename = 'Qualification', lastmodifieddate = '2026-01-14' WHERE id = '006C';
UPDATE sf_opportunity SET stagename = 'Prospecting', lastmodifieddate = '2026-01-15' WHERE id = '006C';
SELECT * FROM sf_opportunity ORDER BY id;
SELECT customer, stage, at FROM deal_events ORDER BY customer, at;

CREATE TABLE sf_lead (id text PRIMARY KEY, status text);
INSERT INTO sf_lead VALUES ('00QA', 'Open - Not Contacted'), ('00QB', 'Working - Contacted');
SELECT cvfw_guard('sf_lead', 'status', 'strict', 'salesforce_lead');
UPDATE sf_lead SET status = 'Working - Contacted' WHERE id = '00QA';
UPDATE sf_lead SET status = 'Closed - Converted' WHERE id = '00QA';
UPDATE sf_lead SET status = 'Closed - Not Converted' WHERE id = '00QB';
UPDATE sf_lead SET status = 'Open - Not Contacted' WHERE id = '00QB';
SELECT * FROM sf_lead ORDER BY id;

-- the reports ---------------------------------------------------------------------

SELECT stage, customers, visits, advanced, regressed, skipped, ended, value
FROM cvfw_leakage((SELECT cvfw_flow_by_customer(customer, stage, at, value, cost) FROM contact_events));
SELECT stage, customers, visits, advanced, skipped, ended
FROM cvfw_leakage((SELECT cvfw_merge(f) FROM (SELECT cvfw_flow(stage, at) AS f FROM deal_events
                                              GROUP BY customer) d));
-- every stage change in the history is one the policy allows
SELECT count(*) AS changes,
       count(*) FILTER (WHERE NOT cvfw_transition_valid(prev, stage, 'forward')) AS invalid
FROM (SELECT stage, lag(stage) OVER (PARTITION BY customer ORDER BY at) AS prev FROM contact_events
      UNION ALL
      SELECT stage, lag(stage) OVER (PARTITION BY customer ORDER BY at) FROM deal_events) e
WHERE prev IS NOT NULL;

DROP TABLE hubspot_contacts, contact_events, hubspot_staging, sf_opportunity, deal_stage_changes,
  deal_events, sf_lead;
DROP FUNCTION hubspot_sync();

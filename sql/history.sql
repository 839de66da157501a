--
-- history: a guard that records every stage change of a current-state
-- table into an events table the flow aggregates read; backfills of the
-- same events from a change log and from HubSpot's per-stage date columns,
-- shown to give the same leakage report as the events recorded live.
--
SET timezone = 'UTC';

-- capture, case by case ---------------------------------------------------------

CREATE TABLE deals (id bigint PRIMARY KEY, name text, stagename text, amount numeric,
                    spend numeric, modified timestamptz);
CREATE TABLE deal_events (customer bigint, stage cvfw_stage, at timestamptz, value numeric, cost numeric);
INSERT INTO deals VALUES (1, 'Acme', 'Prospecting', 0, 5, '2026-01-01'), (2, 'Bolt', NULL, 0, 0, '2026-01-01');
SELECT cvfw_guard('deals', 'stagename', 'forward', 'salesforce_opportunity',
                  history => 'deal_events', at => 'modified', value => 'amount', cost => 'spend');
-- rows already there are not history: nothing recorded yet
SELECT count(*) FROM deal_events;
-- a new row at a stage: an event with what its amounts are
INSERT INTO deals VALUES (3, 'Cori', 'Qualification', 0, 12, '2026-01-02');
-- a change of stage: an event; a change of label within a stage: none
UPDATE deals SET stagename = 'Qualification', modified = '2026-01-03' WHERE id = 1;
UPDATE deals SET stagename = 'Needs Analysis', modified = '2026-01-04' WHERE id = 1;
-- a change of another column: none; of the amount: an event at the same stage
-- with what it gained (the sum of a deal's event values is its amount)
UPDATE deals SET name = 'Acme Inc', modified = '2026-01-05' WHERE id = 1;
UPDATE deals SET amount = 1000, modified = '2026-01-06' WHERE id = 1;
UPDATE deals SET amount = 1200, spend = 8, modified = '2026-01-07' WHERE id = 1;
-- keep and left labels hold no stage: nothing recorded; from them on to a
-- new stage: an event
UPDATE deals SET stagename = 'Id. Decision Makers', modified = '2026-01-08' WHERE id = 1;
UPDATE deals SET stagename = 'Value Proposition', modified = '2026-01-09' WHERE id = 1;
UPDATE deals SET stagename = 'Closed Lost', modified = '2026-01-10' WHERE id = 3;
-- refused changes record nothing (the statement rolls back)
UPDATE deals SET stagename = 'Prospecting', modified = '2026-01-11' WHERE id = 1;
-- a first stage after NULL; a deal that goes records nothing
UPDATE deals SET stagename = 'Prospecting', modified = '2026-01-12' WHERE id = 2;
DELETE FROM deals WHERE id = 2;
SELECT * FROM deal_events ORDER BY customer, at;
-- the sums of the values and costs are the deals' amounts and spend (from
-- their first stage on: deal 1's first 5 came before the guard)
SELECT d.id, d.amount, d.spend, sum(e.value) AS sum_value, sum(e.cost) AS sum_cost
FROM deals d JOIN deal_events e ON e.customer = d.id GROUP BY d.id ORDER BY d.id;

-- without an at column, the time of the statement
CREATE TABLE leads (id int PRIMARY KEY, status text);
CREATE TABLE lead_events (customer int, stage cvfw_stage, at timestamptz);
SELECT cvfw_guard('leads', 'status', 'forward', 'salesforce_lead', history => 'lead_events');
BEGIN;
INSERT INTO leads VALUES (1, 'Open - Not Contacted');
UPDATE leads SET status = 'Working - Contacted';
SELECT customer, stage, at >= transaction_timestamp() AND at <= statement_timestamp() AS in_this_transaction,
       count(*) OVER (PARTITION BY at) AS events_at_that_time
FROM lead_events ORDER BY at;
-- in the same transaction: a rollback takes the events with the change
ROLLBACK;
SELECT count(*) FROM lead_events;

-- recorded as the table's owner: a user who may update the deals but not
-- write the history still leaves it complete
CREATE ROLE regress_cvfw_rep;
GRANT SELECT, UPDATE ON deals TO regress_cvfw_rep;
SET ROLE regress_cvfw_rep;
UPDATE deals SET stagename = 'Closed Won', amount = 1500, modified = '2026-01-13' WHERE id = 1;
RESET ROLE;
SELECT * FROM deal_events WHERE at = '2026-01-13';

-- a row moved between partitions is one change, recorded once
CREATE TABLE regional (id int, region text, stage cvfw_stage, PRIMARY KEY (id, region))
  PARTITION BY LIST (region);
CREATE TABLE regional_eu PARTITION OF regional FOR VALUES IN ('eu');
CREATE TABLE regional_us PARTITION OF regional FOR VALUES IN ('us');
CREATE TABLE regional_events (customer int, stage cvfw_stage, at timestamptz);
SELECT cvfw_guard('regional', 'stage', history => 'regional_events', customer => 'id');
INSERT INTO regional VALUES (1, 'eu', 'awareness');
UPDATE regional SET region = 'us', stage = 'exploration';
UPDATE regional SET region = 'eu';
SELECT customer, stage FROM regional_events ORDER BY at, stage;

-- the flow aggregates read the history directly
SELECT stage, customers, visits, advanced, skipped, ended, value, cost
FROM cvfw_leakage((SELECT cvfw_flow_by_customer(customer, stage, at, value, cost) FROM deal_events));

-- backfill from a change log ---------------------------------------------------

-- an OpportunityHistory-like log: the record after each change.  Backfilled
-- events are what live capture recorded above, and one more: deal 1's first
-- stage, which it had before the guard came.
CREATE TABLE opportunity_history (opportunity_id bigint, stagename text, amount numeric,
                                  spend numeric, created timestamptz);
INSERT INTO opportunity_history VALUES
  (3, 'Qualification', 0, 12, '2026-01-02'), (3, 'Closed Lost', 0, 12, '2026-01-10'),
  (1, 'Prospecting', 0, 5, '2025-12-31'), (2, NULL, 0, 0, '2026-01-01'), (2, 'Prospecting', 0, 0, '2026-01-12'),
  (1, 'Qualification', 0, 5, '2026-01-03'), (1, 'Needs Analysis', 0, 5, '2026-01-04'),
  (1, 'Needs Analysis', 0, 5, '2026-01-05'), (1, 'Needs Analysis', 1000, 5, '2026-01-06'),
  (1, 'Needs Analysis', 1200, 8, '2026-01-07'), (1, 'Id. Decision Makers', 1200, 8, '2026-01-08'),
  (1, 'Value Proposition', 1200, 8, '2026-01-09'), (1, 'Closed Won', 1500, 8, '2026-01-13');
CREATE TABLE backfilled (customer bigint, stage cvfw_stage, at timestamptz, value numeric, cost numeric);
SELECT cvfw_backfill('backfilled',
  'SELECT opportunity_id AS customer, stagename AS label, created AS at, amount AS value, spend AS cost
   FROM opportunity_history', 'salesforce_opportunity') AS events;
(SELECT * FROM backfilled EXCEPT ALL SELECT * FROM deal_events) ORDER BY customer, at;
(SELECT * FROM deal_events EXCEPT ALL SELECT * FROM backfilled) ORDER BY customer, at;
-- a log of stages (no map), values left out; NULLs of customer and at are skipped
CREATE TABLE stage_log (who int, s cvfw_stage, t timestamptz);
INSERT INTO stage_log VALUES (1, 'awareness', '2026-01-01'), (1, NULL, '2026-01-02'), (1, 'awareness', '2026-01-03'),
  (1, 'advocacy', '2026-01-04'), (NULL, 'awareness', '2026-01-05'), (2, 'awareness', NULL);
CREATE TABLE stage_events (customer int, stage cvfw_stage, at timestamptz);
SELECT cvfw_backfill('stage_events', 'SELECT who AS customer, s AS label, t AS at FROM stage_log') AS events;
SELECT * FROM stage_events ORDER BY at;
-- errors: an unknown map, a label the map does not read
SELECT (regress.try($$SELECT cvfw_backfill('stage_events', 'SELECT 1 AS customer, ''x'' AS label, now() AS at', 'nomap')$$)).*;
SELECT (regress.try($$SELECT cvfw_backfill('stage_events', 'SELECT 1 AS customer, ''x'' AS label, now() AS at', 'salesforce_lead')$$)).state;

-- live and backfilled, on a synthetic HubSpot-like data set --------------------

-- 400 contacts, each moving forward through HubSpot's lifecycle stages (some
-- skipping, some cleared in between as HubSpot does before a change, some
-- ending as 'other'), one change a day at most.  A sync tool applies the
-- changes in time order to a contacts table guarded with history capture;
-- HubSpot's per-stage date columns (hs_lifecyclestage_<stage>_date) are
-- kept as HubSpot keeps them.
-- pseudo-random numbers from a hash, the same on every PostgreSQL version
-- (random() after setseed() is not: 15 changed its generator)
CREATE FUNCTION hs_rand(a int, b bigint, salt int) RETURNS float8 LANGUAGE sql IMMUTABLE AS
$$ SELECT (hashint8(a * 1000003::bigint + b * 101 + salt) & 2147483647)::float8 / 2147483648 $$;
CREATE TABLE hs_steps AS
WITH labels(k, label) AS (
  VALUES (1, 'subscriber'), (2, 'lead'), (3, 'marketingqualifiedlead'), (4, 'salesqualifiedlead'),
         (5, 'opportunity'), (6, 'customer'), (7, 'evangelist')),
picked AS (
  SELECT c AS id, l.k, l.label
  FROM generate_series(1, 400) c, labels l
  WHERE l.k = 1 + c % 3 OR hs_rand(c, l.k, 1) < 0.45),
ordered AS (
  SELECT id, label, row_number() OVER (PARTITION BY id ORDER BY k) AS n FROM picked),
with_clears AS (
  -- before a stage change, now and then the field is cleared first
  SELECT id, label, 2 * n AS n FROM ordered
  UNION ALL
  SELECT id, '', 2 * n - 1 FROM ordered WHERE n > 1 AND hs_rand(id, n, 2) < 0.2),
with_other AS (
  SELECT id, label, n FROM with_clears
  UNION ALL
  SELECT id, 'other', 100 FROM generate_series(1, 400) id WHERE hs_rand(id, 0, 3) < 0.15)
SELECT id, label, row_number() OVER (PARTITION BY id ORDER BY n) AS step,
       timestamptz '2025-01-01' + (id % 50) * interval '1 day'
         + (sum(1 + floor(hs_rand(id, n, 4) * 20)::int) OVER (PARTITION BY id ORDER BY n)) * interval '1 day' AS at
FROM with_other;
SELECT count(*) AS changes, count(DISTINCT id) AS contacts, count(*) FILTER (WHERE label = '') AS clears,
       count(*) FILTER (WHERE label = 'other') AS left_the_flow
FROM hs_steps;

CREATE TABLE hs_contacts (id bigint PRIMARY KEY, email text, lifecyclestage text, lastmodifieddate timestamptz,
  hs_lifecyclestage_subscriber_date timestamptz, hs_lifecyclestage_lead_date timestamptz,
  hs_lifecyclestage_marketingqualifiedlead_date timestamptz, hs_lifecyclestage_salesqualifiedlead_date timestamptz,
  hs_lifecyclestage_opportunity_date timestamptz, hs_lifecyclestage_customer_date timestamptz,
  hs_lifecyclestage_evangelist_date timestamptz, hs_lifecyclestage_other_date timestamptz);
CREATE TABLE hs_live (customer bigint, stage cvfw_stage, at timestamptz);
SELECT cvfw_guard('hs_contacts', 'lifecyclestage', 'forward', 'hubspot_lifecycle',
                  history => 'hs_live', at => 'lastmodifieddate');
CREATE FUNCTION hs_apply(step int) RETURNS bigint LANGUAGE sql AS $$
  WITH s AS (SELECT * FROM hs_steps WHERE hs_steps.step = hs_apply.step),
  ins AS (
    INSERT INTO hs_contacts (id, email, lifecyclestage, lastmodifieddate)
    SELECT id, 'c' || id || '@example.com', label, at FROM s WHERE hs_apply.step = 1 RETURNING 1),
  upd AS (
    UPDATE hs_contacts c SET lifecyclestage = s.label, lastmodifieddate = s.at,
      hs_lifecyclestage_subscriber_date = CASE WHEN s.label = 'subscriber' THEN s.at ELSE hs_lifecyclestage_subscriber_date END,
      hs_lifecyclestage_lead_date = CASE WHEN s.label = 'lead' THEN s.at ELSE hs_lifecyclestage_lead_date END,
      hs_lifecyclestage_marketingqualifiedlead_date = CASE WHEN s.label = 'marketingqualifiedlead' THEN s.at ELSE hs_lifecyclestage_marketingqualifiedlead_date END,
      hs_lifecyclestage_salesqualifiedlead_date = CASE WHEN s.label = 'salesqualifiedlead' THEN s.at ELSE hs_lifecyclestage_salesqualifiedlead_date END,
      hs_lifecyclestage_opportunity_date = CASE WHEN s.label = 'opportunity' THEN s.at ELSE hs_lifecyclestage_opportunity_date END,
      hs_lifecyclestage_customer_date = CASE WHEN s.label = 'customer' THEN s.at ELSE hs_lifecyclestage_customer_date END,
      hs_lifecyclestage_evangelist_date = CASE WHEN s.label = 'evangelist' THEN s.at ELSE hs_lifecyclestage_evangelist_date END,
      hs_lifecyclestage_other_date = CASE WHEN s.label = 'other' THEN s.at ELSE hs_lifecyclestage_other_date END
    FROM s WHERE c.id = s.id AND hs_apply.step > 1 RETURNING 1)
  SELECT (SELECT count(*) FROM ins) + (SELECT count(*) FROM upd)
$$;
-- the first step inserts (its date column set after, as HubSpot would)
SELECT sum(hs_apply(step)) AS applied FROM generate_series(1, (SELECT max(step)::int FROM hs_steps)) step;
UPDATE hs_contacts c SET hs_lifecyclestage_subscriber_date = s.at FROM hs_steps s
WHERE s.id = c.id AND s.step = 1 AND s.label = 'subscriber';
UPDATE hs_contacts c SET hs_lifecyclestage_lead_date = s.at FROM hs_steps s
WHERE s.id = c.id AND s.step = 1 AND s.label = 'lead';
UPDATE hs_contacts c SET hs_lifecyclestage_marketingqualifiedlead_date = s.at FROM hs_steps s
WHERE s.id = c.id AND s.step = 1 AND s.label = 'marketingqualifiedlead';
-- every change went through the guard (forward-only, as HubSpot's own rule)
SELECT count(*) AS contacts_in_sync FROM hs_contacts c
WHERE c.lifecyclestage = (SELECT label FROM hs_steps s WHERE s.id = c.id ORDER BY step DESC LIMIT 1);

-- backfill from the date columns only, as for contacts synced before the guard
CREATE TABLE hs_backfilled (customer bigint, stage cvfw_stage, at timestamptz);
SELECT cvfw_backfill_hubspot('hs_backfilled', 'hs_contacts', 'id') AS events;
SELECT (SELECT count(*) FROM hs_live) AS live_events,
       (SELECT count(*) FROM (SELECT * FROM hs_live EXCEPT ALL SELECT * FROM hs_backfilled) d) AS only_live,
       (SELECT count(*) FROM (SELECT * FROM hs_backfilled EXCEPT ALL SELECT * FROM hs_live) d) AS only_backfilled;
-- the same leakage report, as of the day after the last change with a
-- 30-day horizon
SELECT 'live' AS events, stage, customers, visits, advanced, skipped, ended, leaked, active,
       round(leak_rate::numeric, 3) AS leak_rate, dwell_avg, dwell_p50, dwell_p90
FROM cvfw_leakage((SELECT cvfw_flow_by_customer(customer, stage, at) FROM hs_live), '2025-05-28', '30 days')
UNION ALL
SELECT 'backfilled', stage, customers, visits, advanced, skipped, ended, leaked, active,
       round(leak_rate::numeric, 3), dwell_avg, dwell_p50, dwell_p90
FROM cvfw_leakage((SELECT cvfw_flow_by_customer(customer, stage, at) FROM hs_backfilled), '2025-05-28', '30 days')
ORDER BY 2, 1;
SELECT cvfw_flow_json(live, '2025-05-28', '30 days') = cvfw_flow_json(backfilled, '2025-05-28', '30 days') AS same_report
FROM (SELECT cvfw_flow_by_customer(customer, stage, at) AS live FROM hs_live) a,
     (SELECT cvfw_flow_by_customer(customer, stage, at) AS backfilled FROM hs_backfilled) b;
-- an independent check of the collapse (plain SQL): one event per change of
-- mapped stage of each contact's steps, NULL/other/'' carrying the last stage
WITH m AS (
  SELECT id, step, at, CASE label WHEN 'subscriber' THEN 'awareness' WHEN 'lead' THEN 'exploration'
                       WHEN 'marketingqualifiedlead' THEN 'exploration' WHEN 'salesqualifiedlead' THEN 'experience'
                       WHEN 'opportunity' THEN 'experience' WHEN 'customer' THEN 'value_realization'
                       WHEN 'evangelist' THEN 'advocacy' END AS stage
  FROM hs_steps),
g AS (SELECT *, count(stage) OVER (PARTITION BY id ORDER BY step) AS grp FROM m),
e AS (SELECT *, max(stage) OVER (PARTITION BY id, grp) AS eff FROM g),
d AS (SELECT *, lag(eff) OVER (PARTITION BY id ORDER BY step) AS prev FROM e)
SELECT count(*) AS expected_events,
       count(*) = (SELECT count(*) FROM hs_live) AS matches_live
FROM d WHERE eff IS NOT NULL AND eff IS DISTINCT FROM prev;
SELECT (regress.try($$SELECT cvfw_backfill_hubspot('hs_backfilled', 'deals', 'id')$$)).*;

DROP TABLE deals, deal_events, leads, lead_events, regional, regional_events, opportunity_history,
  backfilled, stage_log, stage_events, hs_steps, hs_contacts, hs_live, hs_backfilled;
DROP FUNCTION hs_apply(int);
REVOKE ALL ON SCHEMA regress FROM regress_cvfw_rep;
DROP ROLE regress_cvfw_rep;

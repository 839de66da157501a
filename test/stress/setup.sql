-- setup.sql — the populated CRM database the stress tests run against:
-- cvfw installed, and a column, a table or a view for every cvfw type,
-- aggregate, report and the guard trigger, so that random queries
-- (sqlsmith) and the concurrency test reach all of them.
-- psql variables: customers (size of the event data set) and seed.
SET client_min_messages = warning;
CREATE EXTENSION cvfw;

-- the seeded event table (about 3.5 events a customer)
\ir ../data/gen_events.sql
ALTER TABLE events ADD COLUMN event_id bigserial PRIMARY KEY;
CREATE INDEX ON events (customer_id, at);
CREATE INDEX ON events (stage);

-- a CRM table guarded by cvfw_guard: a cvfw_stage column under the default
-- policy, its changes captured into stage_history, and a text column (which
-- may be set to NULL: the guard remembers the last stage) under a custom
-- literal; each change audited
CREATE TABLE contacts (
  id int PRIMARY KEY,
  segment text NOT NULL,
  stage cvfw_stage NOT NULL,
  stage_text text,
  policy cvfw_policy NOT NULL DEFAULT 'wheel'
);
INSERT INTO contacts
SELECT customer_id, min(segment),
       (array_agg(stage ORDER BY at DESC) FILTER (WHERE stage IS NOT NULL AND at IS NOT NULL))[1],
       (array_agg(stage::text ORDER BY at DESC) FILTER (WHERE stage IS NOT NULL AND at IS NOT NULL))[1],
       (ARRAY['wheel', 'strict', 'adjacent', 'open']::cvfw_policy[])[1 + customer_id % 4]
FROM events GROUP BY customer_id
HAVING count(*) FILTER (WHERE stage IS NOT NULL AND at IS NOT NULL) > 0;
-- the stage each contact started the tests with, for the audit replay
CREATE TABLE contacts_initial AS SELECT id, stage, stage_text FROM contacts;
CREATE TABLE stage_history (customer int, stage cvfw_stage, at timestamptz);
DO $$
BEGIN
  PERFORM cvfw_guard('contacts', 'stage', history => 'stage_history');
  PERFORM cvfw_guard('contacts', 'stage_text', 'strict, *>awareness');
END $$;

-- every stored change, in the order the changes happened to each row
-- (a row's updates are serialised by its row lock, so the audit id order
-- is the row's change order)
CREATE TABLE stage_audit (
  audit_id bigserial PRIMARY KEY,
  contact_id int NOT NULL,
  old_stage cvfw_stage, new_stage cvfw_stage,
  old_text text, new_text text,
  at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE FUNCTION audit_stage() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stage_audit (contact_id, old_stage, new_stage, old_text, new_text)
  VALUES (NEW.id, OLD.stage, NEW.stage, OLD.stage_text, NEW.stage_text);
  RETURN NULL;
END $$;
CREATE TRIGGER audit_stage AFTER UPDATE ON contacts FOR EACH ROW
  WHEN (OLD.stage IS DISTINCT FROM NEW.stage OR OLD.stage_text IS DISTINCT FROM NEW.stage_text)
  EXECUTE FUNCTION audit_stage();

-- stored, mergeable summaries: one per segment and monthly cohort
CREATE TABLE flows AS
SELECT segment, date_trunc('month', first_seen) AS cohort, cvfw_merge(flow) AS flow
FROM (SELECT customer_id, min(segment) AS segment, min(at) AS first_seen,
             cvfw_flow(stage, at, value, cost) AS flow
      FROM events GROUP BY customer_id) c
GROUP BY 1, 2;

-- paths, policies and allowed pairs, for the policy functions
CREATE TABLE paths AS
SELECT customer_id, array_agg(stage ORDER BY at, event_id) AS path
FROM events GROUP BY customer_id;
CREATE TABLE policies (name text PRIMARY KEY, policy cvfw_policy NOT NULL);
INSERT INTO policies VALUES ('wheel', 'wheel'), ('strict', 'strict'), ('adjacent', 'adjacent'),
  ('open', 'open'), ('none', 'none'), ('custom', 'awareness>exploration, *>awareness, advocacy>*');
CREATE TABLE allowed_changes AS
SELECT f.stage AS from_stage, t.stage AS to_stage
FROM cvfw_stages() f, cvfw_stages() t WHERE cvfw_transition_valid(f.stage, t.stage, 'adjacent');

-- existing customers' value, and the CLV reports over them
CREATE TABLE customer_value AS
SELECT customer_id, min(segment) AS segment,
       sum(coalesce(value, 0)) AS revenue, sum(coalesce(cost, 0)) AS cost,
       max(at) - min(at) AS tenure, (max(at) AT TIME ZONE 'UTC')::date < '2025-11-01' AS churned
FROM events GROUP BY customer_id;
CREATE TABLE clv_reports AS
SELECT segment, cvfw_clv_agg(revenue, cost, tenure, churned) AS report
FROM customer_value GROUP BY segment;

CREATE VIEW segment_leakage AS
SELECT s.segment, l.*
FROM (SELECT segment, cvfw_merge(flow) AS flow FROM flows GROUP BY segment) s,
     cvfw_leakage(s.flow, '2026-01-01', '30 days') l;
-- sqlsmith calls no set-returning function: these views take it to them
CREATE VIEW cohort_transitions AS
SELECT f.segment, f.cohort, t.* FROM flows f, cvfw_transitions(f.flow) t;
CREATE VIEW cohort_leakage AS
SELECT f.segment, f.cohort, l.* FROM flows f, cvfw_leakage(f.flow, f.cohort + interval '6 months', '60 days') l;
CREATE VIEW wheel AS SELECT * FROM cvfw_stages();
CREATE VIEW flow_report AS
SELECT * FROM cvfw_transitions((SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost)
                                FROM events));

-- predictive CLV: the CDNOW summary (2,357 customers), RFM of the events,
-- and views that fit and score, for sqlsmith and the memory rounds
CREATE TABLE cdnow (id int, x float8, t_x float8, t float8, zbar float8);
-- (\copy does not expand variables: build the command, then run it)
\set cdnow_copy '\\copy cdnow FROM ' :'cdnow_csv' ' (FORMAT csv, HEADER)'
:cdnow_copy
CREATE TABLE event_rfm AS
SELECT customer_id, (cvfw_rfm(at, value, '2026-01-01', '7 days')).* FROM events GROUP BY customer_id;
CREATE VIEW cdnow_scores AS
SELECT c.id, cvfw_bgnbd_p_alive(m.b, c.x, c.t_x, c.t) AS p_alive,
       cvfw_clv_predict(m.b, m.g, c.x, c.t_x, c.t, c.zbar, 52, 0.01) AS clv
FROM cdnow c,
     (SELECT (SELECT cvfw_bgnbd_fit(x, t_x, t) FROM cdnow) AS b,
             (SELECT cvfw_gg_fit(x, zbar) FROM cdnow) AS g) m;
CREATE VIEW segment_bi_leakage AS
SELECT s.segment, b.*
FROM (SELECT segment, cvfw_merge(flow) AS flow FROM flows GROUP BY segment) s,
     cvfw_bi_leakage(s.flow, '2026-01-01', '30 days') b;

ANALYZE;

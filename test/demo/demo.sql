-- demo.sql — what `make demo` shows, on a throwaway cluster.
-- Grows with each capability into the full wheel report.
\pset footer off
SET client_min_messages = warning;
CREATE EXTENSION cvfw;

\echo
\echo '== The Customer Value Flow Wheel: six stages, round and round'
SELECT position, stage, goal FROM cvfw_stages();

-- A small CRM: 2,000 contacts with a stage column of type cvfw_stage
-- (seeded, so every run shows the same numbers).
SELECT setseed(0.42) \g /dev/null
CREATE TABLE contacts (
    id         int PRIMARY KEY,
    name       text NOT NULL,
    segment    text NOT NULL,
    stage      cvfw_stage NOT NULL,
    updated_at timestamptz NOT NULL
);
INSERT INTO contacts
SELECT i,
       'contact ' || i,
       (ARRAY['smb', 'mid-market', 'enterprise'])[1 + floor(3 * random())::int],
       cvfw_stage(1 + floor(6 * random() ^ 1.6)::int),
       timestamptz '2026-01-01' + random() * interval '300 days'
FROM generate_series(1, 2000) i;
CREATE INDEX ON contacts (stage);

\echo
\echo '== Contacts per stage, in wheel order (one byte per stage value)'
SELECT stage, count(*) AS contacts,
       round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS pct,
       repeat('#', (count(*) / 20)::int) AS bar
FROM contacts GROUP BY stage ORDER BY stage;

\echo
\echo '== Per segment: the furthest stage reached, and how many are past value realization'
SELECT segment, min(stage) AS earliest, max(stage) AS furthest,
       count(*) FILTER (WHERE stage > 'value_realization') AS past_value_realization
FROM contacts GROUP BY segment ORDER BY segment;

\echo
\echo '== Wheel arithmetic: next stage, three steps on, steps to engagement'
SELECT stage, cvfw_next(stage) AS next, stage + 3 AS three_on,
       cvfw_steps(stage, 'engagement') AS steps_to_engagement
FROM cvfw_stages();

\echo
\echo '== Which stage changes are valid? The wheel policy: stay, one step on, or back'
SELECT stage, cvfw_allowed_next(stage) AS wheel, cvfw_allowed_next(stage, 'strict') AS strict
FROM cvfw_stages();

\echo
\echo '== The database guards the CRM table: a trigger refuses invalid stage changes'
CREATE TRIGGER guard BEFORE UPDATE ON contacts
    FOR EACH ROW EXECUTE FUNCTION cvfw_enforce_transition('stage');
\echo 'contact 1 is at:'
SELECT id, name, stage FROM contacts WHERE id = 1;
\echo 'moving it one step on is fine:'
UPDATE contacts SET stage = cvfw_next(stage) WHERE id = 1 RETURNING id, name, stage;
\echo 'skipping two stages ahead is refused:'
\set ON_ERROR_STOP off
UPDATE contacts SET stage = stage + 2 WHERE id = 1;
\set ON_ERROR_STOP on

\echo
\echo '== An old CRM table with free-text stages converts in place'
CREATE TABLE legacy_leads (id int, stage text);
INSERT INTO legacy_leads VALUES (1, 'Awareness'), (2, 'value realization'),
    (3, 'ADVOCACY'), (4, ' Engagement ');
ALTER TABLE legacy_leads ALTER COLUMN stage TYPE cvfw_stage;
SELECT * FROM legacy_leads ORDER BY stage;

\echo
\echo '== ... and a typo is refused, naming the valid stages'
\set ON_ERROR_STOP off
INSERT INTO legacy_leads VALUES (5, 'advocacyy');
\set ON_ERROR_STOP on

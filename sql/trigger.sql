--
-- trigger: cvfw_enforce_transition guards a CRM table's stage column
--

-- a cvfw_stage column, default policy (wheel)
CREATE TABLE contacts (id int PRIMARY KEY, name text, stage cvfw_stage);
INSERT INTO contacts VALUES (1, 'Ada', 'awareness'), (2, 'Bo', 'exploration'),
  (3, 'Cy', 'advocacy'), (4, 'Di', NULL), (5, 'Ed', 'engagement');
CREATE TRIGGER guard BEFORE UPDATE ON contacts
  FOR EACH ROW EXECUTE FUNCTION cvfw_enforce_transition('stage');

-- allowed: advance, step back, new round, stay, to and from NULL
UPDATE contacts SET stage = 'exploration' WHERE id = 1;
UPDATE contacts SET stage = 'awareness' WHERE id = 3;
UPDATE contacts SET stage = 'awareness' WHERE id = 5;
UPDATE contacts SET stage = stage WHERE id = 2;
UPDATE contacts SET stage = 'advocacy' WHERE id = 4;
UPDATE contacts SET stage = NULL WHERE id = 4;
UPDATE contacts SET name = 'Bob' WHERE id = 2;
SELECT * FROM contacts ORDER BY id;

-- refused: skipping forward
UPDATE contacts SET stage = 'advocacy' WHERE id = 1;
-- the error's SQLSTATE and its schema, table and column fields
SELECT (regress.try_fields($$UPDATE contacts SET stage = 'engagement' WHERE id = 2$$)).*;
-- a multi-row update with one bad row changes nothing
UPDATE contacts SET stage = cvfw_next(stage) WHERE id IN (1, 2, 3);
UPDATE contacts SET stage = 'value_realization' WHERE id IN (1, 2, 3);
SELECT * FROM contacts ORDER BY id;
UPDATE contacts SET stage = cvfw_next(stage) WHERE stage IS NOT NULL;
SELECT * FROM contacts ORDER BY id;

-- the arguments are parsed once per statement, not once per row (the
-- trigger logs its set-up at DEBUG1): one line for a 4-row update
SET client_min_messages = debug1;
UPDATE contacts SET stage = stage - 1 WHERE stage IS NOT NULL;
RESET client_min_messages;
SELECT * FROM contacts ORDER BY id;

-- another policy, by name and by literal
DROP TRIGGER guard ON contacts;
CREATE TRIGGER guard BEFORE UPDATE ON contacts
  FOR EACH ROW EXECUTE FUNCTION cvfw_enforce_transition('stage', 'strict');
UPDATE contacts SET stage = 'awareness' WHERE id = 3;
UPDATE contacts SET stage = cvfw_next(stage) WHERE id = 3;
DROP TRIGGER guard ON contacts;
CREATE TRIGGER guard BEFORE UPDATE ON contacts
  FOR EACH ROW EXECUTE FUNCTION cvfw_enforce_transition('stage', 'awareness>advocacy, *>awareness');
UPDATE contacts SET stage = 'advocacy' WHERE id = 5;
UPDATE contacts SET stage = 'awareness' WHERE id = 5;
UPDATE contacts SET stage = 'advocacy' WHERE id = 5;
UPDATE contacts SET stage = 'advocacy' WHERE id = 5;   -- same stage: silent, though not in the policy
UPDATE contacts SET stage = 'engagement' WHERE id = 5;
DROP TRIGGER guard ON contacts;
CREATE TRIGGER guard BEFORE UPDATE ON contacts
  FOR EACH ROW EXECUTE FUNCTION cvfw_enforce_transition('stage', 'none');
UPDATE contacts SET stage = 'exploration' WHERE id = 5;
SELECT * FROM contacts ORDER BY id;

-- a text column: stage names in any accepted spelling
CREATE TABLE leads (id int, stage text);
INSERT INTO leads VALUES (1, 'Awareness'), (2, 'value realization'), (3, 'lost'), (4, NULL);
CREATE TRIGGER guard BEFORE UPDATE ON leads
  FOR EACH ROW EXECUTE FUNCTION cvfw_enforce_transition('stage');
UPDATE leads SET stage = 'awareness' WHERE id = 1;           -- same stage, other spelling: silent
UPDATE leads SET stage = 'Exploration' WHERE id = 1;
UPDATE leads SET stage = 'engagement' WHERE id = 1;          -- refused
UPDATE leads SET stage = 'Value-Realization' WHERE id = 2;   -- same stage: silent
UPDATE leads SET stage = 'churned' WHERE id = 2;             -- not a stage: 22P02
UPDATE leads SET stage = 'advocacy' WHERE id = 3;            -- from a non-stage value: allowed
UPDATE leads SET stage = 'churned' WHERE id = 4;             -- from NULL, still no stage: 22P02
UPDATE leads SET stage = 'advocacy' WHERE id = 4;            -- from NULL to a stage: allowed
SELECT * FROM leads ORDER BY id;

-- a varchar column, and a domain over text
CREATE DOMAIN stage_text AS varchar(40);
CREATE TABLE deals (id int, stage stage_text);
INSERT INTO deals VALUES (1, 'experience');
CREATE TRIGGER guard BEFORE UPDATE ON deals
  FOR EACH ROW EXECUTE FUNCTION cvfw_enforce_transition('stage', 'adjacent');
UPDATE deals SET stage = 'exploration';
UPDATE deals SET stage = 'advocacy';
SELECT * FROM deals;

-- an enum column whose labels are stage names
CREATE TYPE crm_stage AS ENUM ('Awareness', 'Exploration', 'Experience', 'Value Realization',
  'Advocacy', 'Engagement', 'Lost');
CREATE TABLE accounts (id int, stage crm_stage);
INSERT INTO accounts VALUES (1, 'Experience'), (2, 'Lost');
CREATE TRIGGER guard BEFORE UPDATE ON accounts
  FOR EACH ROW EXECUTE FUNCTION cvfw_enforce_transition('stage');
UPDATE accounts SET stage = 'Value Realization' WHERE id = 1;
UPDATE accounts SET stage = 'Engagement' WHERE id = 1;
UPDATE accounts SET stage = 'Lost' WHERE id = 1;             -- a label that is no stage: 22P02
UPDATE accounts SET stage = 'Awareness' WHERE id = 2;        -- from it: allowed
SELECT * FROM accounts ORDER BY id;
SELECT (regress.try_fields($$UPDATE accounts SET stage = 'Advocacy' WHERE id = 2$$)).*;

-- a partitioned table whose partitions order their columns differently
CREATE TABLE journeys (region text, id int, stage cvfw_stage) PARTITION BY LIST (region);
CREATE TABLE journeys_eu (stage cvfw_stage, id int, region text);
ALTER TABLE journeys ATTACH PARTITION journeys_eu FOR VALUES IN ('eu');
CREATE TABLE journeys_us PARTITION OF journeys FOR VALUES IN ('us');
INSERT INTO journeys VALUES ('eu', 1, 'awareness'), ('us', 2, 'awareness');
CREATE TRIGGER guard BEFORE UPDATE ON journeys
  FOR EACH ROW EXECUTE FUNCTION cvfw_enforce_transition('stage');
UPDATE journeys SET stage = 'exploration';
UPDATE journeys SET stage = 'advocacy' WHERE region = 'eu';
UPDATE journeys SET stage = 'advocacy' WHERE region = 'us';
SELECT * FROM journeys ORDER BY id;

-- a trigger fired for more than UPDATE in one statement: an UPDATE that
-- moves a row to another partition also deletes it from the first, where
-- an UPDATE OR DELETE trigger then fires for the delete (an error, not a crash)
DROP TRIGGER guard ON journeys;
CREATE TRIGGER guard BEFORE UPDATE OR DELETE ON journeys
  FOR EACH ROW EXECUTE FUNCTION cvfw_enforce_transition('stage');
UPDATE journeys SET stage = 'experience', region = 'us' WHERE region = 'eu';
SELECT * FROM journeys ORDER BY id;

-- misuse
SELECT cvfw_enforce_transition();                                        -- not as a trigger
CREATE TABLE misuse (id int, stage cvfw_stage, score int);
INSERT INTO misuse VALUES (1, 'awareness', 0);
-- BEFORE INSERT OR UPDATE: an inserted row has no old stage to check
-- against; it passes (its value must be a stage), updates are guarded
CREATE TRIGGER t BEFORE INSERT OR UPDATE ON misuse FOR EACH ROW EXECUTE FUNCTION cvfw_enforce_transition('stage');
INSERT INTO misuse VALUES (2, 'awareness', 0);
UPDATE misuse SET stage = 'advocacy' WHERE id = 2;
DELETE FROM misuse WHERE id = 2;
DROP TRIGGER t ON misuse;
CREATE TABLE misuse_text (id int, stage text);
CREATE TRIGGER t BEFORE INSERT OR UPDATE ON misuse_text FOR EACH ROW EXECUTE FUNCTION cvfw_enforce_transition('stage');
INSERT INTO misuse_text VALUES (1, 'Awareness'), (2, NULL);
INSERT INTO misuse_text VALUES (3, 'churned');
SELECT * FROM misuse_text ORDER BY id;
DROP TABLE misuse_text;
CREATE TRIGGER t BEFORE DELETE ON misuse FOR EACH ROW EXECUTE FUNCTION cvfw_enforce_transition('stage');
DELETE FROM misuse WHERE id = 1;
DROP TRIGGER t ON misuse;
CREATE TRIGGER t AFTER UPDATE ON misuse FOR EACH ROW EXECUTE FUNCTION cvfw_enforce_transition('stage');
UPDATE misuse SET stage = 'exploration';
DROP TRIGGER t ON misuse;
CREATE TRIGGER t BEFORE UPDATE ON misuse FOR EACH STATEMENT EXECUTE FUNCTION cvfw_enforce_transition('stage');
UPDATE misuse SET stage = 'exploration';
DROP TRIGGER t ON misuse;
CREATE TRIGGER t BEFORE UPDATE ON misuse FOR EACH ROW EXECUTE FUNCTION cvfw_enforce_transition();
UPDATE misuse SET stage = 'exploration';
DROP TRIGGER t ON misuse;
CREATE TRIGGER t BEFORE UPDATE ON misuse FOR EACH ROW EXECUTE FUNCTION cvfw_enforce_transition('stage', 'wheel', 'x');
UPDATE misuse SET stage = 'exploration';
DROP TRIGGER t ON misuse;
CREATE TRIGGER t BEFORE UPDATE ON misuse FOR EACH ROW EXECUTE FUNCTION cvfw_enforce_transition('stag');
UPDATE misuse SET stage = 'exploration';
DROP TRIGGER t ON misuse;
CREATE TRIGGER t BEFORE UPDATE ON misuse FOR EACH ROW EXECUTE FUNCTION cvfw_enforce_transition('ctid');
UPDATE misuse SET stage = 'exploration';
DROP TRIGGER t ON misuse;
CREATE TRIGGER t BEFORE UPDATE ON misuse FOR EACH ROW EXECUTE FUNCTION cvfw_enforce_transition('score');
UPDATE misuse SET stage = 'exploration';
DROP TRIGGER t ON misuse;
CREATE TRIGGER t BEFORE UPDATE ON misuse FOR EACH ROW EXECUTE FUNCTION cvfw_enforce_transition('stage', 'funnel');
UPDATE misuse SET stage = 'exploration';
DROP TRIGGER t ON misuse;
SELECT * FROM misuse;

DROP TABLE contacts, leads, deals, accounts, journeys, misuse;
DROP DOMAIN stage_text;
DROP TYPE crm_stage;

--
-- guard: cvfw_guard(table, column, policy [, map, history ...]) installs a
-- guard that nothing else on the table gets round.  Each loophole of the
-- BEFORE form (issue #16) is shown twice: cvfw_enforce_transition lets the
-- change through, the guard refuses it.
--
\set VERBOSITY default

-- misuse is refused when the guard is installed, not at the first row ------

CREATE TABLE misuse (id int PRIMARY KEY, stage cvfw_stage, label text, score int,
                     born date, amount text, gen cvfw_stage GENERATED ALWAYS AS (stage) STORED);
INSERT INTO misuse VALUES (1, 'awareness', 'lead', 0, '2026-01-01', '10');
CREATE VIEW misuse_view AS SELECT * FROM misuse;
CREATE TABLE misuse_parted (id int, stage cvfw_stage) PARTITION BY RANGE (id);
CREATE TABLE misuse_part PARTITION OF misuse_parted FOR VALUES FROM (0) TO (10);
SELECT (regress.try($$SELECT cvfw_guard('misuse_view', 'stage')$$)).*;
SELECT (regress.try($$SELECT cvfw_guard('misuse_part', 'stage')$$)).*;
SELECT (regress.try($$SELECT cvfw_guard('misuse', 'stag')$$)).*;
SELECT (regress.try($$SELECT cvfw_guard('misuse', 'ctid')$$)).*;
SELECT (regress.try($$SELECT cvfw_guard('misuse', 'score')$$)).*;
SELECT (regress.try($$SELECT cvfw_guard('misuse', 'stage', map => 'hubspot_lifecycle')$$)).*;
SELECT (regress.try($$SELECT cvfw_guard('misuse', 'label', map => 'hubspot')$$)).*;
-- 'lead' is a HubSpot label, not a stage name: without the map it reads as nothing
SELECT (regress.try($$SELECT cvfw_guard('misuse', 'label')$$)).*;
SELECT (regress.try($$SELECT cvfw_guard('misuse', 'label', map => 'salesforce_lead')$$)).*;
SELECT (regress.try($$SELECT cvfw_guard('misuse', 'stage', 'funnel')$$)).*;
-- history: its table's shape, the customer, the types of at, value and cost
CREATE TABLE no_stage_history (customer int, at timestamptz);
CREATE TABLE text_stage_history (customer int, stage text, at timestamptz);
CREATE TABLE good_history (customer int, stage cvfw_stage, at timestamptz, value numeric, cost numeric);
SELECT (regress.try($$SELECT cvfw_guard('misuse', 'stage', history => 'no_stage_history')$$)).*;
SELECT (regress.try($$SELECT cvfw_guard('misuse', 'stage', history => 'text_stage_history')$$)).*;
SELECT (regress.try($$SELECT cvfw_guard('misuse', 'stage', history => 'good_history', customer => 'nobody')$$)).*;
SELECT (regress.try($$SELECT cvfw_guard('misuse', 'stage', history => 'good_history', at => 'score')$$)).*;
SELECT (regress.try($$SELECT cvfw_guard('misuse', 'stage', history => 'good_history', value => 'amount')$$)).*;
SELECT (regress.try($$SELECT cvfw_guard('misuse', 'stage', history => 'no_stage_history', value => 'score')$$)).*;
CREATE TABLE two_keys (a int, b int, stage cvfw_stage, PRIMARY KEY (a, b));
SELECT (regress.try($$SELECT cvfw_guard('two_keys', 'stage', history => 'good_history')$$)).*;
-- none of that left a trigger behind
SELECT count(*) AS triggers FROM pg_trigger WHERE tgrelid IN ('misuse'::regclass, 'two_keys'::regclass);
-- a generated column is fine: the guard sees its value as stored
SELECT cvfw_guard('misuse', 'gen');
SELECT * FROM cvfw_guards();
SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 'misuse'::regclass;
SELECT cvfw_unguard('misuse', 'gen');
SELECT (regress.try($$SELECT cvfw_unguard('misuse', 'gen')$$)).*;
-- someone else's table
CREATE ROLE regress_cvfw_clerk;
GRANT USAGE ON SCHEMA regress TO regress_cvfw_clerk;
GRANT SELECT, UPDATE ON misuse TO regress_cvfw_clerk;
SET ROLE regress_cvfw_clerk;
SELECT (regress.try($$SELECT cvfw_guard('misuse', 'stage')$$)).*;
SELECT (regress.try($$SELECT cvfw_guard_forget('misuse', 'stage')$$)).*;
RESET ROLE;
DROP TABLE misuse, misuse_parted, two_keys, no_stage_history, text_stage_history CASCADE;

-- the guard at work -----------------------------------------------------------

CREATE TABLE contacts (id int PRIMARY KEY, name text, stage cvfw_stage);
INSERT INTO contacts VALUES (1, 'Ada', 'awareness'), (2, 'Bo', 'exploration'), (3, 'Cy', 'advocacy'),
  (4, 'Di', NULL), (5, 'Ed', 'engagement');
SELECT cvfw_guard('contacts', 'stage');
-- allowed: advance, step back, new round, stay, from NULL, other columns
UPDATE contacts SET stage = 'exploration' WHERE id = 1;
UPDATE contacts SET stage = 'awareness' WHERE id = 3;
UPDATE contacts SET stage = 'awareness' WHERE id = 5;
UPDATE contacts SET stage = stage WHERE id = 2;
UPDATE contacts SET stage = 'advocacy' WHERE id = 4;
UPDATE contacts SET name = 'Bob' WHERE id = 2;
SELECT * FROM contacts ORDER BY id;
-- refused, naming the row by its key; the error's fields name the column
UPDATE contacts SET stage = 'advocacy' WHERE id = 1;
SELECT (regress.try_fields($$UPDATE contacts SET stage = 'engagement' WHERE id = 2$$)).*;
-- one bad row in a bulk update: the statement changes nothing, the row is named
UPDATE contacts SET stage = 'experience';
SELECT * FROM contacts ORDER BY id;
-- the settings are read once per statement, not once per row: one DEBUG line
SET client_min_messages = debug1;
UPDATE contacts SET stage = cvfw_next(stage) WHERE id IN (1, 2, 3);
RESET client_min_messages;
-- calling cvfw_guard again replaces the guard: another policy
SELECT cvfw_guard('contacts', 'stage', 'strict');
SELECT table_name, column_name, policy FROM cvfw_guards();
UPDATE contacts SET stage = 'awareness' WHERE id = 1;
UPDATE contacts SET stage = 'value_realization' WHERE id = 1;
-- the forward policy: on to any later stage, never back
SELECT cvfw_guard('contacts', 'stage', 'forward');
UPDATE contacts SET stage = 'engagement' WHERE id = 1;
UPDATE contacts SET stage = 'awareness' WHERE id = 1;
UPDATE contacts SET stage = 'exploration' WHERE id = 1;
SELECT * FROM contacts ORDER BY id;
-- a trigger function not fired by the trigger manager, or fired otherwise
SELECT cvfw_guard_trigger();
CREATE TRIGGER wrong BEFORE UPDATE ON contacts FOR EACH ROW
  EXECUTE FUNCTION cvfw_guard_trigger('column=stage', 'policy=wheel');
UPDATE contacts SET name = 'Ed' WHERE id = 5;
DROP TRIGGER wrong ON contacts;
CREATE CONSTRAINT TRIGGER wrong AFTER UPDATE ON contacts FOR EACH ROW
  EXECUTE FUNCTION cvfw_guard_trigger('column=stage', 'rule=wheel');
UPDATE contacts SET name = 'Ed' WHERE id = 5;
DROP TRIGGER wrong ON contacts;
-- one call removes it
SELECT cvfw_unguard('contacts', 'stage');
UPDATE contacts SET stage = 'advocacy' WHERE id = 1;
SELECT count(*) AS guards FROM cvfw_guards();

-- the loopholes of the BEFORE form, closed ----------------------------------

-- 1. a generated stage column: BEFORE triggers see the old generated value
CREATE TABLE deals (id int PRIMARY KEY, stagename text,
  stage cvfw_stage GENERATED ALWAYS AS (cvfw_stage_preset(stagename, 'salesforce_opportunity')) STORED);
INSERT INTO deals VALUES (1, 'Prospecting'), (2, 'Prospecting');
CREATE TRIGGER before_guard BEFORE UPDATE ON deals FOR EACH ROW
  EXECUTE FUNCTION cvfw_enforce_transition('stage');
UPDATE deals SET stagename = 'Closed Won' WHERE id = 1;   -- awareness -> value_realization: through
DROP TRIGGER before_guard ON deals;
SELECT cvfw_guard('deals', 'stage');
UPDATE deals SET stagename = 'Closed Won' WHERE id = 2;   -- refused
UPDATE deals SET stagename = 'Qualification' WHERE id = 2;
SELECT * FROM deals ORDER BY id;

-- 2. trigger order: a BEFORE trigger that sets the stage and sorts after the
-- guard (triggers fire in name order)
CREATE TABLE scored (id int PRIMARY KEY, score int, stage cvfw_stage);
INSERT INTO scored VALUES (1, 0, 'awareness'), (2, 0, 'awareness');
CREATE FUNCTION promote() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.score > 10 THEN NEW.stage := 'advocacy'; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER b_promote BEFORE UPDATE ON scored FOR EACH ROW EXECUTE FUNCTION promote();
CREATE TRIGGER a_guard BEFORE UPDATE ON scored FOR EACH ROW EXECUTE FUNCTION cvfw_enforce_transition('stage');
UPDATE scored SET score = 20 WHERE id = 1;                -- through
DROP TRIGGER a_guard ON scored;
SELECT cvfw_guard('scored', 'stage');
UPDATE scored SET score = 20 WHERE id = 2;                -- refused
SELECT * FROM scored ORDER BY id;

-- 3. column-list triggers: a BEFORE form declared UPDATE OF another column
-- never sees stage change; declared UPDATE OF stage it misses a BEFORE
-- trigger that sets stage when another column changes
CREATE TABLE listed (id int PRIMARY KEY, score int, stage cvfw_stage);
INSERT INTO listed VALUES (1, 0, 'awareness'), (2, 0, 'awareness'), (3, 0, 'awareness');
CREATE TRIGGER guard_of BEFORE UPDATE OF score ON listed FOR EACH ROW
  EXECUTE FUNCTION cvfw_enforce_transition('stage');
UPDATE listed SET stage = 'advocacy' WHERE id = 1;        -- through
DROP TRIGGER guard_of ON listed;
CREATE TRIGGER guard_of BEFORE UPDATE OF stage ON listed FOR EACH ROW
  EXECUTE FUNCTION cvfw_enforce_transition('stage');
CREATE TRIGGER promote BEFORE UPDATE OF score ON listed FOR EACH ROW EXECUTE FUNCTION promote();
UPDATE listed SET score = 20 WHERE id = 2;                -- through
DROP TRIGGER guard_of ON listed;
SELECT cvfw_guard('listed', 'stage');
UPDATE listed SET stage = 'advocacy' WHERE id = 3;        -- refused
UPDATE listed SET score = 20 WHERE id = 3;                -- refused
SELECT * FROM listed ORDER BY id;

-- 4. inheritance children: the parent's trigger does not fire for their rows
CREATE TABLE people (id int PRIMARY KEY, stage cvfw_stage);
CREATE TABLE people_eu (PRIMARY KEY (id)) INHERITS (people);
INSERT INTO people_eu VALUES (1, 'awareness'), (2, 'awareness');
CREATE TRIGGER before_guard BEFORE UPDATE ON people FOR EACH ROW
  EXECUTE FUNCTION cvfw_enforce_transition('stage');
UPDATE people SET stage = 'advocacy' WHERE id = 1;        -- through (in people_eu)
DROP TRIGGER before_guard ON people;
SELECT cvfw_guard('people', 'stage');
UPDATE people SET stage = 'advocacy' WHERE id = 2;        -- refused
-- a child made later, or a table that becomes a child, is guarded at once
CREATE TABLE people_us (PRIMARY KEY (id)) INHERITS (people);
INSERT INTO people_us VALUES (3, 'awareness');
UPDATE people SET stage = 'advocacy' WHERE id = 3;        -- refused
CREATE TABLE people_asia (id int NOT NULL PRIMARY KEY, stage cvfw_stage);
INSERT INTO people_asia VALUES (4, 'awareness');
ALTER TABLE people_asia INHERIT people;
UPDATE people SET stage = 'advocacy' WHERE id = 4;        -- refused
SELECT table_name, column_name, policy FROM cvfw_guards() ORDER BY 1::text;
SELECT tableoid::regclass, * FROM people ORDER BY id;
-- a child's guard goes with its parent's, not alone
SELECT (regress.try($$SELECT cvfw_unguard('people_us', 'stage')$$)).*;
SELECT cvfw_unguard('people', 'stage');
SELECT count(*) AS guards FROM cvfw_guards();
DROP TABLE people CASCADE;

-- 5. a NULL in between opened a skip: awareness -> NULL -> advocacy
CREATE TABLE gapped (id int PRIMARY KEY, stage cvfw_stage);
INSERT INTO gapped VALUES (1, 'awareness'), (2, 'awareness');
CREATE TRIGGER before_guard BEFORE UPDATE ON gapped FOR EACH ROW
  EXECUTE FUNCTION cvfw_enforce_transition('stage');
UPDATE gapped SET stage = NULL WHERE id = 1;
UPDATE gapped SET stage = 'advocacy' WHERE id = 1;        -- through
DROP TRIGGER before_guard ON gapped;
SELECT cvfw_guard('gapped', 'stage');
UPDATE gapped SET stage = NULL WHERE id = 2;
SELECT * FROM cvfw_guard_memory;
UPDATE gapped SET stage = 'advocacy' WHERE id = 2;        -- refused: remembered
UPDATE gapped SET stage = 'exploration' WHERE id = 2;
SELECT count(*) AS remembered FROM cvfw_guard_memory;

-- 6. COPY: a value that is no stage came in unchecked, and any change from it
-- was allowed
CREATE TABLE loaded (id int PRIMARY KEY, stage text);
CREATE TRIGGER before_guard BEFORE UPDATE ON loaded FOR EACH ROW
  EXECUTE FUNCTION cvfw_enforce_transition('stage');
COPY loaded FROM stdin;
1	churned
\.
UPDATE loaded SET stage = 'engagement' WHERE id = 1;      -- through
DROP TRIGGER before_guard ON loaded;
TRUNCATE loaded;
SELECT cvfw_guard('loaded', 'stage');
COPY loaded FROM stdin;
1	churned
\.
COPY loaded FROM stdin;
1	awareness
\.
UPDATE loaded SET stage = 'engagement' WHERE id = 1;      -- refused
SELECT * FROM loaded;

-- 7. INSERT ... ON CONFLICT DO UPDATE
CREATE TABLE upserted (id int PRIMARY KEY, stage cvfw_stage);
INSERT INTO upserted VALUES (1, 'awareness'), (2, 'awareness');
SELECT cvfw_guard('upserted', 'stage');
INSERT INTO upserted VALUES (1, 'advocacy') ON CONFLICT (id) DO UPDATE SET stage = EXCLUDED.stage;
INSERT INTO upserted VALUES (1, 'exploration'), (3, 'engagement')
  ON CONFLICT (id) DO UPDATE SET stage = EXCLUDED.stage;
SELECT * FROM upserted ORDER BY id;

-- 8. MERGE (PostgreSQL 15+; before 15 the same changes as an UPDATE and an
-- INSERT, so this file prints the same on every version)
CREATE FUNCTION merge_or(merge text, otherwise text, OUT state text, OUT message text, OUT detail text)
LANGUAGE plpgsql AS $$
BEGIN
  SELECT t.state, t.message, t.detail INTO state, message, detail
  FROM regress.try(CASE WHEN current_setting('server_version_num')::int >= 150000 THEN merge
                        ELSE otherwise END) t;
END $$;
SELECT * FROM merge_or(
  $$MERGE INTO upserted u USING (VALUES (2, 'engagement'::cvfw_stage), (4, 'advocacy')) v(id, stage)
    ON u.id = v.id
    WHEN MATCHED THEN UPDATE SET stage = v.stage
    WHEN NOT MATCHED THEN INSERT VALUES (v.id, v.stage)$$,
  $$WITH u AS (UPDATE upserted SET stage = 'engagement' WHERE id = 2) INSERT INTO upserted VALUES (4, 'advocacy')$$);
SELECT * FROM merge_or(
  $$MERGE INTO upserted u USING (VALUES (2, 'exploration'::cvfw_stage), (4, 'advocacy')) v(id, stage)
    ON u.id = v.id
    WHEN MATCHED THEN UPDATE SET stage = v.stage
    WHEN NOT MATCHED THEN INSERT VALUES (v.id, v.stage)$$,
  $$WITH u AS (UPDATE upserted SET stage = 'exploration' WHERE id = 2) INSERT INTO upserted VALUES (4, 'advocacy')$$);
SELECT * FROM upserted ORDER BY id;

-- 9. UPDATE through a view: an updatable one, and one with an INSTEAD OF trigger
CREATE VIEW upserted_view AS SELECT id, stage FROM upserted WHERE id < 10;
UPDATE upserted_view SET stage = 'engagement' WHERE id = 1;
CREATE VIEW upserted_labels AS SELECT id, stage::text AS label FROM upserted;
CREATE FUNCTION upserted_labels_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE upserted SET stage = NEW.label::cvfw_stage WHERE id = OLD.id;
  RETURN NEW;
END $$;
CREATE TRIGGER instead INSTEAD OF UPDATE ON upserted_labels FOR EACH ROW
  EXECUTE FUNCTION upserted_labels_update();
UPDATE upserted_labels SET label = 'Engagement' WHERE id = 1;
UPDATE upserted_labels SET label = 'Experience' WHERE id = 1;
SELECT * FROM upserted ORDER BY id;

-- 10. a row moved to another partition: the UPDATE ends as a DELETE and an
-- INSERT; the guard checks it as the update it was
CREATE TABLE regional (id int, region text, stage cvfw_stage, PRIMARY KEY (id, region))
  PARTITION BY LIST (region);
CREATE TABLE regional_eu (stage cvfw_stage, id int NOT NULL, region text NOT NULL);
ALTER TABLE regional ATTACH PARTITION regional_eu FOR VALUES IN ('eu');
CREATE TABLE regional_us PARTITION OF regional FOR VALUES IN ('us');
INSERT INTO regional VALUES (1, 'eu', 'awareness'), (2, 'eu', 'awareness'), (3, 'us', 'awareness');
SELECT cvfw_guard('regional', 'stage');
UPDATE regional SET region = 'us', stage = 'advocacy' WHERE id = 1;          -- refused
UPDATE regional SET region = 'us', stage = 'exploration' WHERE id IN (1, 2);
-- 1 and 2 move to eu and on to experience; 3 moves and skips: refused, all stay
UPDATE regional SET region = 'eu', stage = 'experience';
UPDATE regional SET region = 'eu', stage = cvfw_next(stage);
SELECT tableoid::regclass, * FROM regional ORDER BY id;
-- partitioned by the stage itself: every change of stage moves the row
CREATE TABLE by_stage (id int, stage cvfw_stage, PRIMARY KEY (id, stage)) PARTITION BY LIST (stage);
CREATE TABLE by_stage_start PARTITION OF by_stage FOR VALUES IN ('awareness', 'exploration');
CREATE TABLE by_stage_rest PARTITION OF by_stage DEFAULT;
INSERT INTO by_stage VALUES (1, 'awareness'), (2, 'exploration');
SELECT cvfw_guard('by_stage', 'stage');
UPDATE by_stage SET stage = 'value_realization' WHERE id = 1;               -- refused
UPDATE by_stage SET stage = cvfw_next(stage);                               -- 2 moves
SELECT * FROM merge_or(                                                     -- refused
  $$MERGE INTO by_stage b USING (VALUES (2, 'advocacy'::cvfw_stage)) v(id, stage) ON b.id = v.id
    WHEN MATCHED THEN UPDATE SET stage = v.stage$$,
  $$UPDATE by_stage SET stage = 'advocacy' WHERE id = 2$$);
SELECT * FROM merge_or(                                                     -- moves back
  $$MERGE INTO by_stage b USING (VALUES (2, 'awareness'::cvfw_stage)) v(id, stage) ON b.id = v.id
    WHEN MATCHED THEN UPDATE SET stage = v.stage$$,
  $$UPDATE by_stage SET stage = 'awareness' WHERE id = 2$$);
SELECT tableoid::regclass, * FROM by_stage ORDER BY id;

-- the NULL rule in detail ------------------------------------------------------

-- labels meaning "left" and "keep" hold no stage either; the last stage is
-- remembered across them, and across changes of the key
CREATE TABLE hubspot (id int PRIMARY KEY, lifecyclestage text);
INSERT INTO hubspot VALUES (1, 'customer'), (2, 'lead'), (3, NULL);
SELECT cvfw_guard('hubspot', 'lifecyclestage', 'forward', 'hubspot_lifecycle');
UPDATE hubspot SET lifecyclestage = '' WHERE id = 1;              -- cleared, as HubSpot does
UPDATE hubspot SET lifecyclestage = 'lead' WHERE id = 1;          -- value_realization -> exploration: refused
UPDATE hubspot SET id = 10 WHERE id = 1;
SELECT * FROM cvfw_guard_memory;
UPDATE hubspot SET lifecyclestage = 'other' WHERE id = 10;        -- left: still remembered
UPDATE hubspot SET lifecyclestage = 'subscriber' WHERE id = 10;   -- refused
UPDATE hubspot SET lifecyclestage = 'evangelist' WHERE id = 10;   -- on from the last stage
UPDATE hubspot SET lifecyclestage = 'customer' WHERE id = 3;      -- a first stage is free
UPDATE hubspot SET lifecyclestage = 'other' WHERE id = 2;
DELETE FROM hubspot WHERE id = 2;                                 -- forgets it
INSERT INTO hubspot VALUES (2, NULL);
UPDATE hubspot SET lifecyclestage = 'subscriber' WHERE id = 2;    -- a new row: free
SELECT * FROM hubspot ORDER BY id;
SELECT count(*) AS remembered FROM cvfw_guard_memory;
-- someone who may only update the table: the guard remembers for them, and
-- they cannot touch what it remembers
GRANT SELECT, UPDATE ON hubspot TO regress_cvfw_clerk;
SET ROLE regress_cvfw_clerk;
UPDATE hubspot SET lifecyclestage = NULL WHERE id = 2;
UPDATE hubspot SET lifecyclestage = 'customer' WHERE id = 3;
SELECT (regress.try($$SELECT * FROM cvfw_guard_memory$$)).state;
SELECT (regress.try($$DELETE FROM cvfw_guard_memory$$)).state;
UPDATE hubspot SET lifecyclestage = 'subscriber' WHERE id = 2;
UPDATE hubspot SET lifecyclestage = 'lead' WHERE id = 2;
RESET ROLE;
-- dropping a table forgets what was remembered of it
UPDATE hubspot SET lifecyclestage = NULL WHERE id = 2;
SELECT tbl, col, key, stage FROM cvfw_guard_memory;
DROP TABLE hubspot;
SELECT count(*) AS remembered FROM cvfw_guard_memory;

-- a table without a primary key cannot remember: a stage cannot be lost there
CREATE TABLE keyless (stage cvfw_stage);
INSERT INTO keyless VALUES ('awareness'), (NULL);
SELECT cvfw_guard('keyless', 'stage');
UPDATE keyless SET stage = NULL WHERE stage = 'awareness';
UPDATE keyless SET stage = 'advocacy' WHERE stage IS NULL;
SELECT * FROM keyless;

-- what PostgreSQL itself lets through: the guard is a trigger -------------------

SET session_replication_role = replica;
UPDATE gapped SET stage = 'engagement' WHERE id = 2;              -- through: triggers do not fire
RESET session_replication_role;
ALTER TABLE gapped DISABLE TRIGGER ALL;
UPDATE gapped SET stage = 'experience' WHERE id = 2;              -- through
ALTER TABLE gapped ENABLE TRIGGER ALL;
UPDATE gapped SET stage = 'awareness' WHERE id = 2;               -- guarded again
SELECT * FROM gapped ORDER BY id;

DROP TABLE deals, scored, listed, gapped, loaded, upserted, regional, by_stage, keyless, contacts CASCADE;
DROP FUNCTION promote(), upserted_labels_update(), merge_or(text, text);
DROP TABLE good_history;
REVOKE USAGE ON SCHEMA regress FROM regress_cvfw_clerk;
DROP ROLE regress_cvfw_clerk;

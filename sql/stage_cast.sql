--
-- stage_cast: text, varchar and char casts both ways; converting existing
-- text and enum columns of a CRM table
--

SELECT 'Value Realization'::text::cvfw_stage AS from_text,
       'advocacy'::varchar::cvfw_stage AS from_varchar,
       'exploration   '::char(14)::cvfw_stage AS from_char,
       'engagement'::cvfw_stage::text AS to_text,
       'engagement'::cvfw_stage::varchar(4) AS to_varchar4,
       'advocacy'::cvfw_stage::char(10) || '|' AS to_char10;

-- function-call notation works too: cvfw_stage(text) is the cast,
-- cvfw_stage(int) the stage at a wheel position
SELECT cvfw_stage('Advocacy') AS from_literal, cvfw_stage(label) AS from_column, cvfw_stage(4) AS from_position
FROM (VALUES ('exploration'::text)) v(label);

-- the casts are assignment casts (context 'a')
SELECT castsource::regtype, casttarget::regtype, castcontext, castmethod
FROM pg_cast
WHERE castsource = 'cvfw_stage'::regtype OR casttarget = 'cvfw_stage'::regtype
ORDER BY 1::text, 2::text;

-- assignment: text values go straight into a cvfw_stage column and back
CREATE TABLE cast_target (stage cvfw_stage, label text);
INSERT INTO cast_target (stage) SELECT 'Experience'::text;
INSERT INTO cast_target (stage) SELECT 'value-realization'::varchar;
UPDATE cast_target SET label = stage;
SELECT * FROM cast_target ORDER BY stage;
INSERT INTO cast_target (stage) SELECT 'churned'::text;

-- ALTER a text column to cvfw_stage (no USING needed: assignment cast)
CREATE TABLE crm_contacts (id int, stage text);
INSERT INTO crm_contacts VALUES (1, 'awareness'), (2, 'Exploration'), (3, 'value realization'),
  (4, NULL), (5, ' engagement ');
ALTER TABLE crm_contacts ALTER COLUMN stage TYPE cvfw_stage;
SELECT * FROM crm_contacts ORDER BY stage, id;
SELECT format_type(atttypid, atttypmod) FROM pg_attribute
WHERE attrelid = 'crm_contacts'::regclass AND attname = 'stage';

-- a bad value stops the ALTER, and the table and its data stay as they were
CREATE TABLE crm_bad (id int, stage text);
INSERT INTO crm_bad VALUES (1, 'advocacy'), (2, 'lost');
ALTER TABLE crm_bad ALTER COLUMN stage TYPE cvfw_stage USING stage::cvfw_stage;
SELECT format_type(atttypid, atttypmod) FROM pg_attribute
WHERE attrelid = 'crm_bad'::regclass AND attname = 'stage';
SELECT * FROM crm_bad ORDER BY id;

-- a varchar column, with USING as DBAs often write it
CREATE TABLE crm_varchar (id int, stage varchar(40));
INSERT INTO crm_varchar VALUES (1, 'ADVOCACY'), (2, 'experience');
ALTER TABLE crm_varchar ALTER COLUMN stage TYPE cvfw_stage USING stage::cvfw_stage;
SELECT * FROM crm_varchar ORDER BY stage;

-- an enum column whose labels are stage names converts through text
CREATE TYPE crm_stage_enum AS ENUM ('Awareness', 'Exploration', 'Experience',
  'Value Realization', 'Advocacy', 'Engagement');
CREATE TABLE crm_enum (id int, stage crm_stage_enum);
INSERT INTO crm_enum VALUES (1, 'Advocacy'), (2, 'Value Realization'), (3, 'Awareness');
ALTER TABLE crm_enum ALTER COLUMN stage TYPE cvfw_stage USING stage::text::cvfw_stage;
SELECT * FROM crm_enum ORDER BY stage;

DROP TABLE cast_target, crm_contacts, crm_bad, crm_varchar, crm_enum;
DROP TYPE crm_stage_enum;

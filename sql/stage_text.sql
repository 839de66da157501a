--
-- stage_text: cvfw_stage compared with text and varchar, as drivers send
-- string parameters (JDBC's setString sends varchar), without changing
-- what any other comparison resolves to
--

CREATE TABLE compared (id int PRIMARY KEY, stage cvfw_stage, t text, v varchar(40), c char(12));
INSERT INTO compared VALUES
  (1, 'awareness', 'awareness', 'awareness', 'awareness'),
  (2, 'exploration', 'Exploration', 'exploration', 'exploration'),
  (3, 'engagement', 'lost', 'lost', 'lost');

-- the operators: each comparison in both directions, text on one side
SELECT oprleft::regtype, oprname, oprright::regtype, oprcom::regoperator AS commutator,
       oprnegate::regoperator AS negator
FROM pg_operator WHERE (oprleft = 'cvfw_stage'::regtype AND oprright = 'text'::regtype)
                    OR (oprleft = 'text'::regtype AND oprright = 'cvfw_stage'::regtype)
ORDER BY oprleft::regtype::text, oprname;

-- stage against text: the text is read as a stage name, the stages compared
SELECT id, stage = t AS eq_text, t = stage AS text_eq, stage = v AS eq_varchar, v = stage AS varchar_eq
FROM compared WHERE id < 3 ORDER BY id;
SELECT (regress.try($$SELECT stage = t FROM compared WHERE id = 3$$)).*;
-- order is the wheel's, not the alphabet's
SELECT 'exploration'::cvfw_stage < 'engagement'::text AS wheel_order,
       'exploration'::text < 'engagement'::text AS alphabet_order,
       'advocacy'::varchar >= 'value realization'::cvfw_stage AS varchar_ge;

-- what resolved before resolves as before: literals are unknown and take
-- the other side's type; text and varchar columns against literals compare
-- as text (a value that is no stage is no error there)
SELECT count(*) FILTER (WHERE stage = 'awareness') AS stage_literal,
       count(*) FILTER (WHERE 'awareness' = stage) AS literal_stage,
       count(*) FILTER (WHERE t = 'lost') AS text_literal,
       count(*) FILTER (WHERE 'lost' = t) AS literal_text,
       count(*) FILTER (WHERE v = 'lost') AS varchar_literal,
       count(*) FILTER (WHERE 'lost' = v) AS literal_varchar,
       count(*) FILTER (WHERE c = 'lost') AS char_literal,
       count(*) FILTER (WHERE v = t) AS varchar_text,
       count(*) FILTER (WHERE v::text < 'm') AS varchar_lt_literal
FROM compared;
SELECT (regress.try($$SELECT count(*) FROM compared WHERE stage = 'lost'$$)).state AS stage_vs_bad_literal,
       (regress.try($$SELECT count(*) FROM compared WHERE stage = 5$$)).state AS stage_vs_integer,
       (regress.try($$SELECT count(*) FROM compared WHERE stage = 5.0$$)).state AS stage_vs_numeric;
-- the operators chosen, as the planner records them
CREATE VIEW chosen AS
SELECT stage = 'awareness' AS a, t = 'lost' AS b, v = 'lost' AS c, 'lost' = v AS d, c = 'lost' AS e,
       stage = t AS f, v = stage AS g
FROM compared;
-- (without the table qualifier PostgreSQL 16+ leaves out)
SELECT regexp_replace(pg_get_viewdef('chosen'::regclass, true), 'compared\.', '', 'g') AS viewdef;

-- parameters: typed varchar (JDBC setString), text, or untyped
PREPARE by_varchar(varchar) AS SELECT id FROM compared WHERE stage = $1;
PREPARE by_text(text) AS SELECT id FROM compared WHERE $1 = stage;
PREPARE by_unknown AS SELECT id FROM compared WHERE stage = $1;
PREPARE in_list(varchar, varchar) AS SELECT id FROM compared WHERE stage IN ($1, $2) ORDER BY id;
PREPARE any_array(varchar[]) AS SELECT id FROM compared WHERE stage = ANY ($1) ORDER BY id;
PREPARE later_than(varchar) AS SELECT id FROM compared WHERE stage > $1 ORDER BY id;
EXECUTE by_varchar('Exploration');
EXECUTE by_text('awareness');
EXECUTE by_unknown('engagement');
EXECUTE in_list('awareness', 'engagement');
EXECUTE any_array('{awareness,exploration}');
EXECUTE later_than('exploration');
SELECT (regress.try($$EXECUTE by_varchar('lost')$$)).*;
-- the SQL bodies are inlined: an index on the stage column serves them
CREATE INDEX compared_stage ON compared (stage);
SET enable_seqscan = off;
SELECT regress.plan_has($$EXECUTE by_varchar('advocacy')$$, 'Index') AS varchar_uses_index,
       regress.plan_has($$EXECUTE by_text('advocacy')$$, 'Index') AS text_uses_index;
RESET enable_seqscan;
DEALLOCATE ALL;

DROP VIEW chosen;
DROP TABLE compared;

--
-- transition: cvfw_transition_valid, cvfw_allowed_next, cvfw_path_valid,
-- cvfw_first_invalid_step
--

-- the policy defaults to wheel
SELECT cvfw_transition_valid('awareness', 'exploration') AS advance,
       cvfw_transition_valid('awareness', 'advocacy') AS skip_forward,
       cvfw_transition_valid('advocacy', 'exploration') AS step_back,
       cvfw_transition_valid('engagement', 'awareness') AS new_round,
       cvfw_transition_valid('experience', 'experience') AS stay,
       cvfw_transition_valid('advocacy', 'exploration', 'strict') AS back_under_strict,
       cvfw_transition_valid('awareness', 'engagement', 'adjacent') AS back_round_under_adjacent,
       cvfw_transition_valid('awareness', 'advocacy', 'awareness>advocacy') AS custom;
-- a default argument is the same as passing wheel, for all 36 pairs
SELECT count(*) FILTER (WHERE cvfw_transition_valid(f.stage, t.stage)
                         <> cvfw_transition_valid(f.stage, t.stage, 'wheel')) AS differ
FROM cvfw_stages() f, cvfw_stages() t;
-- NULL in, NULL out
SELECT cvfw_transition_valid(NULL, 'awareness') IS NULL AS null_from,
       cvfw_transition_valid('awareness', NULL) IS NULL AS null_to,
       cvfw_transition_valid('awareness', 'awareness', NULL) IS NULL AS null_policy;

-- allowed next stages, in wheel order, under each named policy
SELECT stage, cvfw_allowed_next(stage) AS wheel, cvfw_allowed_next(stage, 'strict') AS strict,
       cvfw_allowed_next(stage, 'adjacent') AS adjacent
FROM cvfw_stages();
-- staying is always allowed, so none allows the stage itself
SELECT cvfw_allowed_next('advocacy', 'none') AS none, cvfw_allowed_next(NULL) IS NULL AS null_in,
       pg_typeof(cvfw_allowed_next('advocacy')) AS type;
SELECT stage, cvfw_allowed_next(stage, 'forward') AS forward FROM cvfw_stages();
-- allowed_next agrees with transition_valid
SELECT count(*) FILTER (WHERE (t.stage = ANY (cvfw_allowed_next(f.stage, p::cvfw_policy)))
                         <> cvfw_transition_valid(f.stage, t.stage, p::cvfw_policy)) AS differ
FROM cvfw_stages() f, cvfw_stages() t,
     unnest(ARRAY['wheel', 'strict', 'adjacent', 'forward', 'open', 'none', '*>advocacy']) p;

-- staying in a stage is no move: valid under every policy, in a pair, in a
-- path and (sql/guard.sql) under the guards.  0.1.0's functions consulted the
-- matrix's diagonal and disagreed with the trigger (issue #16).
SELECT cvfw_path_valid('{awareness,awareness,exploration}', 'awareness>exploration') AS path_with_a_repeat,
       cvfw_first_invalid_step('{awareness,awareness,exploration}', 'awareness>exploration') AS first_invalid,
       cvfw_transition_valid('advocacy', 'advocacy', 'none') AS stay_under_none,
       cvfw_path_valid('{experience,NULL,experience}', 'none') AS repeat_across_null,
       cvfw_first_invalid_step('{experience,experience,advocacy}', 'none') AS move_under_none;

-- paths: every consecutive pair must be allowed
SELECT path, cvfw_path_valid(path) AS valid, cvfw_first_invalid_step(path) AS first_invalid
FROM (VALUES
  ('{awareness,exploration,experience,value_realization,advocacy,engagement,awareness}'::cvfw_stage[]),
  ('{awareness,exploration,exploration,experience,exploration,experience}'),
  ('{awareness,exploration,value_realization,advocacy}'),
  ('{awareness,advocacy,exploration}'),
  ('{engagement,awareness,experience}'),
  ('{advocacy}'),
  ('{}')) v(path);
-- under another policy
SELECT cvfw_path_valid('{awareness,exploration,awareness}', 'strict') AS strict_back,
       cvfw_first_invalid_step('{awareness,exploration,awareness}', 'strict') AS at,
       cvfw_path_valid('{awareness,engagement,advocacy}', 'adjacent') AS adjacent_round,
       cvfw_first_invalid_step('{awareness,exploration}', 'none') AS none_at;

-- NULL elements are missing observations: skipped, each stage compared with
-- the last present one before it; a path of NULLs only has no step to fail
SELECT path, cvfw_path_valid(path) AS valid, cvfw_first_invalid_step(path) AS first_invalid
FROM (VALUES
  ('{awareness,NULL,exploration}'::cvfw_stage[]),
  ('{NULL,awareness,exploration,NULL}'),
  ('{exploration,NULL,advocacy}'),
  ('{exploration,NULL,NULL,awareness,NULL,value_realization}'),
  ('{NULL,NULL}')) v(path);
SELECT cvfw_path_valid(NULL) IS NULL AS null_path, cvfw_first_invalid_step('{awareness}', NULL) IS NULL AS null_policy;

-- the result is the subscript of the offending element, also when the
-- array does not start at 1
SELECT p, cvfw_first_invalid_step(p) AS i, p[cvfw_first_invalid_step(p)] AS offending
FROM (VALUES ('[0:3]={awareness,exploration,advocacy,engagement}'::cvfw_stage[]),
             ('[5:7]={awareness,advocacy,exploration}'::cvfw_stage[])) v(p);

-- a path is one-dimensional; anything else is an error
SELECT (regress.try($$SELECT cvfw_path_valid('{{awareness,exploration},{experience,advocacy}}')$$)).*;
SELECT (regress.try($$SELECT cvfw_first_invalid_step('{{{awareness}}}')$$)).*;

-- checked against a plain SQL evaluation on generated paths
CREATE TABLE paths AS
SELECT i AS id,
       ARRAY(SELECT CASE WHEN (i * 31 + j * 17) % 11 = 0 THEN NULL
                         ELSE cvfw_stage(1 + (i * 7 + j * j * 3 + i * j) % 6) END
             FROM generate_series(1, 1 + i % 9) j) AS path
FROM generate_series(1, 3000) i;
CREATE VIEW plain_first_invalid AS
WITH elems AS (
  SELECT id, n, s FROM paths, unnest(path) WITH ORDINALITY u(s, n) WHERE s IS NOT NULL),
steps AS (
  SELECT id, n, s, lag(s) OVER (PARTITION BY id ORDER BY n) AS prev FROM elems)
SELECT p.id,
       (SELECT min(n) FROM steps st WHERE st.id = p.id AND st.prev IS NOT NULL
          AND NOT (st.s = st.prev OR st.s = cvfw_next(st.prev) OR st.s < st.prev))::int AS first_invalid
FROM paths p;
SELECT count(*) AS paths,
       count(*) FILTER (WHERE cvfw_first_invalid_step(p.path) IS NOT DISTINCT FROM q.first_invalid) AS agree,
       count(*) FILTER (WHERE cvfw_path_valid(p.path) = (q.first_invalid IS NULL)) AS valid_agrees,
       count(*) FILTER (WHERE q.first_invalid IS NULL) AS valid_paths
FROM paths p JOIN plain_first_invalid q USING (id);

DROP VIEW plain_first_invalid;
DROP TABLE paths;

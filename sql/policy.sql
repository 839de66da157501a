--
-- policy: the cvfw_policy type — named policies, literals, operators,
-- operator classes, the aggregate, binary I/O
--

-- Each named policy's full 6x6 matrix, computed by cvfw, beside the matrix
-- written out by hand (rows: from; columns: to, in wheel order:
-- awareness exploration experience value_realization advocacy engagement).
-- Staying in a stage is valid under every policy (the diagonal).
CREATE TABLE hand_matrix (policy text, from_pos int, row text);
INSERT INTO hand_matrix VALUES
  -- wheel: stay, one step clockwise (engagement -> awareness), or back to any earlier stage
  ('wheel', 1, '1 1 0 0 0 0'), ('wheel', 2, '1 1 1 0 0 0'), ('wheel', 3, '1 1 1 1 0 0'),
  ('wheel', 4, '1 1 1 1 1 0'), ('wheel', 5, '1 1 1 1 1 1'), ('wheel', 6, '1 1 1 1 1 1'),
  -- strict: stay, or one step clockwise
  ('strict', 1, '1 1 0 0 0 0'), ('strict', 2, '0 1 1 0 0 0'), ('strict', 3, '0 0 1 1 0 0'),
  ('strict', 4, '0 0 0 1 1 0'), ('strict', 5, '0 0 0 0 1 1'), ('strict', 6, '1 0 0 0 0 1'),
  -- adjacent: stay, or one step either way round (awareness and engagement are neighbours)
  ('adjacent', 1, '1 1 0 0 0 1'), ('adjacent', 2, '1 1 1 0 0 0'), ('adjacent', 3, '0 1 1 1 0 0'),
  ('adjacent', 4, '0 0 1 1 1 0'), ('adjacent', 5, '0 0 0 1 1 1'), ('adjacent', 6, '1 0 0 0 1 1'),
  -- forward: stay, or on to any later stage; engagement -> awareness starts a new round
  ('forward', 1, '1 1 1 1 1 1'), ('forward', 2, '0 1 1 1 1 1'), ('forward', 3, '0 0 1 1 1 1'),
  ('forward', 4, '0 0 0 1 1 1'), ('forward', 5, '0 0 0 0 1 1'), ('forward', 6, '1 0 0 0 0 1'),
  -- open: everything; none: no change (the empty set of moves: staying only)
  ('open', 1, '1 1 1 1 1 1'), ('open', 2, '1 1 1 1 1 1'), ('open', 3, '1 1 1 1 1 1'),
  ('open', 4, '1 1 1 1 1 1'), ('open', 5, '1 1 1 1 1 1'), ('open', 6, '1 1 1 1 1 1'),
  ('none', 1, '1 0 0 0 0 0'), ('none', 2, '0 1 0 0 0 0'), ('none', 3, '0 0 1 0 0 0'),
  ('none', 4, '0 0 0 1 0 0'), ('none', 5, '0 0 0 0 1 0'), ('none', 6, '0 0 0 0 0 1');

CREATE VIEW computed_matrix AS
SELECT h.policy, f.stage AS from_stage, h.row AS by_hand,
       string_agg(CASE WHEN cvfw_transition_valid(f.stage, t.stage, h.policy::cvfw_policy)
                       THEN '1' ELSE '0' END, ' ' ORDER BY t.position) AS computed
FROM hand_matrix h
JOIN cvfw_stages() f ON f.position = h.from_pos
CROSS JOIN cvfw_stages() t
GROUP BY h.policy, f.stage, h.row;

SELECT policy, from_stage, computed, computed = by_hand AS as_by_hand
FROM computed_matrix
ORDER BY array_position(ARRAY['wheel', 'strict', 'adjacent', 'forward', 'open', 'none'], policy), from_stage;
-- the value none is still the empty set: staying is valid whatever the
-- matrix's diagonal (0.1.0's functions read the diagonal: issue #16)
SELECT 'none'::cvfw_policy <@ 'awareness>exploration' AS none_is_empty,
       'awareness>exploration'::cvfw_policy @> 'awareness>awareness' AS diagonal_is_a_bit,
       cvfw_transition_valid('awareness', 'awareness', 'awareness>exploration') AS yet_staying_is_valid;

-- the same through cvfw_policy(name), case-insensitive
SELECT n, cvfw_policy(n) = n::cvfw_policy AS same
FROM unnest(ARRAY['wheel', 'Strict', ' ADJACENT ', 'Forward', 'open', 'none']) n;
SELECT (regress.try($$SELECT cvfw_policy('funnel'::text)$$)).*;

-- literals: names and edge lists read back to the same policy; the output
-- is canonical (the name, or full rows "from>*", full columns "*>to", edges)
SELECT lit, lit::cvfw_policy AS canonical,
       lit::cvfw_policy::text::cvfw_policy = lit::cvfw_policy AS round_trip
FROM unnest(ARRAY[
  'wheel', 'STRICT', 'awareness>exploration', ' Awareness > Exploration ',
  'awareness>exploration, *>awareness', '*>*', 'advocacy>*', '*>advocacy, advocacy>*',
  'strict, engagement>awareness', 'strict, *>awareness',
  'awareness>awareness, exploration>exploration, experience>experience, value_realization>value_realization, advocacy>advocacy, engagement>engagement',
  'value realization>value-realization', 'wheel, none']) lit;

-- every kind of bad literal: 22P02 naming the offending item
SELECT lit, (regress.try(format('SELECT %L::cvfw_policy', lit))).*
FROM unnest(ARRAY['', 'funnel', 'wheel, funnel', 'awareness>', '>awareness',
                  'awareness>exploration>experience', 'awareness>exploration,',
                  'strict,,open', 'awareness>explorashun', '**>awareness', 'awareness->exploration']) lit;

-- operators: union, intersection, containment, equality
SELECT 'strict'::cvfw_policy | 'adjacent' AS strict_or_adjacent,
       'adjacent'::cvfw_policy & 'wheel' AS adjacent_and_wheel,
       'wheel'::cvfw_policy & 'strict' = 'strict' AS strict_within_wheel,
       'wheel'::cvfw_policy @> 'strict' AS wheel_contains_strict,
       'strict'::cvfw_policy <@ 'wheel' AS strict_in_wheel,
       'wheel'::cvfw_policy @> 'adjacent' AS wheel_contains_adjacent,
       'open'::cvfw_policy @> 'awareness>engagement' AS open_contains,
       'none'::cvfw_policy <@ 'none' AS none_in_none,
       'wheel'::cvfw_policy <> 'strict' AS ne,
       ('strict'::cvfw_policy | 'awareness>advocacy') = 'awareness>advocacy, strict' AS eq;
-- the operators agree with the matrices, pair by pair, on all named policies
SELECT count(*) AS checked,
       count(*) FILTER (WHERE
         cvfw_transition_valid(f.stage, t.stage, a.p | b.p)
           <> (cvfw_transition_valid(f.stage, t.stage, a.p) OR cvfw_transition_valid(f.stage, t.stage, b.p))
         OR cvfw_transition_valid(f.stage, t.stage, a.p & b.p)
           <> (cvfw_transition_valid(f.stage, t.stage, a.p) AND cvfw_transition_valid(f.stage, t.stage, b.p))) AS wrong
FROM (SELECT n::cvfw_policy AS p FROM unnest(ARRAY['wheel', 'strict', 'adjacent', 'open', 'none', 'advocacy>*']) n) a,
     (SELECT n::cvfw_policy AS p FROM unnest(ARRAY['wheel', 'strict', 'adjacent', 'open', 'none', '*>awareness']) n) b,
     cvfw_stages() f, cvfw_stages() t;
SELECT a.n AS a, b.n AS b, a.p @> b.p AS contains, a.p <@ b.p AS contained
FROM (SELECT n, n::cvfw_policy AS p FROM unnest(ARRAY['wheel', 'strict', 'adjacent']) n) a,
     (SELECT n, n::cvfw_policy AS p FROM unnest(ARRAY['wheel', 'strict', 'adjacent']) n) b
ORDER BY 1, 2;

-- stored, grouped, indexed, joined
CREATE TABLE team_policy (team text, policy cvfw_policy);
INSERT INTO team_policy VALUES ('marketing', 'wheel'), ('sales', 'strict'),
  ('success', 'adjacent'), ('partners', 'wheel'), ('support', 'strict');
INSERT INTO team_policy VALUES ('ops', 'awareness>awareness, awareness>exploration, exploration>exploration, exploration>experience, experience>experience, experience>value_realization, value_realization>value_realization, value_realization>advocacy, advocacy>advocacy, advocacy>engagement, engagement>engagement, engagement>awareness');
SELECT policy, count(*), string_agg(team, ', ' ORDER BY team) FROM team_policy GROUP BY policy ORDER BY 2 DESC, 3;
SELECT count(DISTINCT policy) FROM team_policy;
SET enable_hashagg = off;
SELECT policy, count(*) FROM team_policy GROUP BY policy ORDER BY 2 DESC, 1;
RESET enable_hashagg;
CREATE INDEX ON team_policy (policy);
CREATE INDEX team_policy_hash ON team_policy USING hash (policy);
SET enable_seqscan = off;
SELECT team FROM team_policy WHERE policy = 'strict' ORDER BY team;
RESET enable_seqscan;
SET enable_nestloop = off;
SET enable_mergejoin = off;
SELECT regress.plan_has('SELECT * FROM team_policy a JOIN team_policy b USING (policy)', 'Hash Join') AS hash_join,
       (SELECT count(*) FROM team_policy a JOIN team_policy b USING (policy)) AS pairs;
RESET enable_mergejoin;
SET enable_hashjoin = off;
SELECT regress.plan_has('SELECT * FROM team_policy a JOIN team_policy b USING (policy)', 'Merge Join') AS merge_join,
       (SELECT count(*) FROM team_policy a JOIN team_policy b USING (policy)) AS pairs;
RESET enable_hashjoin;
RESET enable_nestloop;
SELECT bool_and(cvfw_policy_hash(policy) = cvfw_policy_hash(policy::text::cvfw_policy)
            AND cvfw_policy_hash_extended(policy, 0) & 4294967295 = cvfw_policy_hash(policy)::bigint & 4294967295)
       AS hashing_ok
FROM team_policy;

-- cvfw_policy_agg: the policy of exactly the pairs seen; NULL pairs skipped;
-- no pairs: NULL
CREATE TABLE allowed_moves (from_stage cvfw_stage, to_stage cvfw_stage);
INSERT INTO allowed_moves VALUES ('awareness', 'exploration'), ('exploration', 'experience'),
  ('experience', 'awareness'), ('awareness', 'exploration'), (NULL, 'advocacy'), ('advocacy', NULL);
SELECT cvfw_policy_agg(from_stage, to_stage) FROM allowed_moves;
SELECT cvfw_policy_agg(from_stage, to_stage) IS NULL AS empty_is_null FROM allowed_moves WHERE false;
SELECT cvfw_policy_agg(from_stage, to_stage) IS NULL AS nulls_only_is_null
FROM allowed_moves WHERE from_stage IS NULL OR to_stage IS NULL;
-- every pair of a named policy, aggregated, gives the policy back
SELECT n, cvfw_policy_agg(f.stage, t.stage) FILTER (WHERE cvfw_transition_valid(f.stage, t.stage, n::cvfw_policy))
          = n::cvfw_policy AS rebuilt
FROM unnest(ARRAY['wheel', 'strict', 'adjacent', 'open']) n, cvfw_stages() f, cvfw_stages() t
GROUP BY n ORDER BY n;
-- in parallel, over many rows, the same as serially
CREATE TABLE many_moves AS
SELECT cvfw_stage(1 + i % 6) AS from_stage, cvfw_stage(1 + (i * 7 / 3) % 6) AS to_stage
FROM generate_series(1, 100000) i;
ANALYZE many_moves;
SELECT cvfw_policy_agg(from_stage, to_stage) AS serial FROM many_moves \gset
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT regress.plan_has('SELECT cvfw_policy_agg(from_stage, to_stage) FROM many_moves', 'Partial Aggregate') AS parallel_plan;
SELECT cvfw_policy_agg(from_stage, to_stage) = :'serial'::cvfw_policy AS parallel_equals_serial FROM many_moves;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- binary I/O: a format byte and the 36-bit matrix as a big-endian int8
SELECT p, cvfw_policy_send(p::cvfw_policy) FROM unnest(ARRAY['none', 'awareness>awareness', 'open']) p;
SELECT bytes, (regress.recv('cvfw_policy', bytes)).*
FROM unnest(ARRAY['\x010000000000000001', '\x01000000000000002A', '\x010000001000000000',
                  '\x01FFFFFFFFFFFFFFFF', '\x02000000000000000F', '\x0100', '\x',
                  '\x01000000000000000f']::bytea[]) bytes;

DROP VIEW computed_matrix;
DROP TABLE hand_matrix, team_policy, allowed_moves, many_moves;

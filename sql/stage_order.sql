--
-- stage_order: comparison operators, btree and hash operator classes,
-- sorting, grouping, indexes, joins, min/max, selectivity.  Every result is
-- checked against the same computation on the plain integer positions.
--

-- all 36 pairs: each operator agrees with comparing positions
SELECT count(*) AS pairs,
       count(*) FILTER (WHERE a.stage < b.stage) AS lt,
       count(*) FILTER (WHERE a.stage = b.stage) AS eq,
       count(*) FILTER (WHERE (a.stage = b.stage) <> (a.position = b.position)
                           OR (a.stage <> b.stage) <> (a.position <> b.position)
                           OR (a.stage < b.stage) <> (a.position < b.position)
                           OR (a.stage <= b.stage) <> (a.position <= b.position)
                           OR (a.stage > b.stage) <> (a.position > b.position)
                           OR (a.stage >= b.stage) <> (a.position >= b.position)
                           OR cvfw_stage_cmp(a.stage, b.stage) <> sign(a.position - b.position)
                      ) AS disagreements
FROM cvfw_stages() a, cvfw_stages() b;

-- a CRM-like table: the stage, and its position as a plain integer
CREATE TABLE contacts (id int PRIMARY KEY, stage cvfw_stage, pos int);
INSERT INTO contacts
SELECT i, cvfw_stage(p), p
FROM generate_series(1, 6000) i, LATERAL (SELECT (i * 7919 % 13) % 6 + 1 AS p) x;
INSERT INTO contacts VALUES (6001, NULL, NULL), (6002, NULL, NULL);
ANALYZE contacts;

SELECT stage, count(*) FROM contacts GROUP BY stage ORDER BY stage;

-- ORDER BY (ascending, descending, NULLS FIRST) equals ordering by position
SELECT (SELECT array_agg(id ORDER BY stage, id) FROM contacts)
     = (SELECT array_agg(id ORDER BY pos, id) FROM contacts) AS asc_ok,
       (SELECT array_agg(id ORDER BY stage DESC NULLS LAST, id) FROM contacts)
     = (SELECT array_agg(id ORDER BY pos DESC NULLS LAST, id) FROM contacts) AS desc_ok,
       (SELECT array_agg(id ORDER BY stage NULLS FIRST, id) FROM contacts)
     = (SELECT array_agg(id ORDER BY pos NULLS FIRST, id) FROM contacts) AS nulls_first_ok;

-- GROUP BY and DISTINCT, by hashing and by sorting
CREATE TABLE expected_groups AS
SELECT cvfw_stage(pos) AS stage, count(*) AS n FROM contacts GROUP BY pos;
CREATE VIEW wrong_groups AS
SELECT count(*) AS wrong_groups FROM (
  (SELECT stage, count(*) FROM contacts GROUP BY stage EXCEPT ALL SELECT * FROM expected_groups)
  UNION ALL
  (SELECT * FROM expected_groups EXCEPT ALL SELECT stage, count(*) FROM contacts GROUP BY stage)) x;

SET enable_sort = off;
SELECT regress.plan_has('SELECT stage, count(*) FROM contacts GROUP BY stage', 'HashAggregate') AS hashagg,
       regress.plan_has('SELECT DISTINCT stage FROM contacts', 'HashAggregate') AS hash_distinct;
SELECT * FROM wrong_groups;
SELECT count(*) AS distinct_stages FROM (SELECT DISTINCT stage FROM contacts) d;
RESET enable_sort;

SET enable_hashagg = off;
SELECT regress.plan_has('SELECT stage, count(*) FROM contacts GROUP BY stage', 'GroupAggregate') AS groupagg,
       regress.plan_has('SELECT DISTINCT stage FROM contacts', 'Unique') AS sort_distinct;
SELECT * FROM wrong_groups;
SELECT array_agg(stage ORDER BY stage) FROM (SELECT DISTINCT stage FROM contacts) d;
RESET enable_hashagg;

-- btree index: every operator, against the plain evaluation
CREATE INDEX contacts_stage_btree ON contacts (stage);
SET enable_seqscan = off;
SET enable_bitmapscan = off;
SELECT op, lit,
       regress.plan_has(q.by_index, 'contacts_stage_btree') AS uses_index,
       regress.scalar(q.by_index) AS n,
       regress.scalar(q.by_index) = regress.scalar(q.plain) AS same
FROM unnest(ARRAY['<', '<=', '=', '>=', '>']) op,
     unnest(ARRAY['awareness', 'value_realization', 'engagement']) lit,
     LATERAL (SELECT format('SELECT count(*) FROM contacts WHERE stage %s %L', op, lit) AS by_index,
                     format('SELECT count(*) FROM contacts WHERE pos %s cvfw_position(%L)', op, lit) AS plain) q
ORDER BY lit::cvfw_stage, op;

-- an ordered index scan returns wheel order
SELECT regress.plan_has('SELECT stage FROM contacts ORDER BY stage', 'Index Only Scan') AS index_order;
SELECT (SELECT array_agg(stage) FROM (SELECT stage FROM contacts WHERE stage IS NOT NULL ORDER BY stage) s)
     = (SELECT array_agg(cvfw_stage(pos) ORDER BY pos) FROM contacts WHERE pos IS NOT NULL) AS index_order_ok;

-- min() and max() come from the index (SORTOP), and agree with positions
SELECT regress.plan_has('SELECT min(stage) FROM contacts', 'Index Only Scan') AS min_uses_index;
SELECT min(stage), max(stage), cvfw_stage(min(pos)) AS min_plain, cvfw_stage(max(pos)) AS max_plain
FROM contacts;
RESET enable_seqscan;
RESET enable_bitmapscan;
-- min/max by aggregation too, per group, and of an empty set / all NULLs
SELECT pos % 2 AS odd, min(stage), max(stage) FROM contacts WHERE pos <> 1 GROUP BY 1 ORDER BY 1;
SELECT min(stage), max(stage) FROM contacts WHERE false;
SELECT min(stage), max(stage) FROM contacts WHERE stage IS NULL;

-- btree deduplication is on (FUNCTION 4 btequalimage)
SELECT amproc::regproc FROM pg_amproc
WHERE amprocfamily = (SELECT opcfamily FROM pg_opclass WHERE opcname = 'cvfw_stage_ops'
                       AND opcmethod = (SELECT oid FROM pg_am WHERE amname = 'btree'))
ORDER BY amprocnum;

-- hash index
DROP INDEX contacts_stage_btree;
CREATE INDEX contacts_stage_hash ON contacts USING hash (stage);
SET enable_seqscan = off;
SELECT regress.plan_has($$SELECT count(*) FROM contacts WHERE stage = 'advocacy'$$, 'contacts_stage_hash') AS uses_hash;
SELECT s.stage,
       regress.scalar(format('SELECT count(*) FROM contacts WHERE stage = %L', s.stage)) AS n_index,
       (SELECT count(*) FROM contacts WHERE pos = s.position) AS n_plain
FROM cvfw_stages() s ORDER BY s.position;
RESET enable_seqscan;
DROP INDEX contacts_stage_hash;

-- joins: hash join and merge join forced, against the join on positions
CREATE TABLE stage_owner (stage cvfw_stage, owner text);
INSERT INTO stage_owner VALUES ('awareness', 'marketing'), ('exploration', 'marketing'),
  ('experience', 'product'), ('value_realization', 'success'), ('advocacy', 'community'),
  ('advocacy', 'success'), ('engagement', 'success');
CREATE VIEW join_result AS
SELECT owner, count(*) AS n FROM contacts c JOIN stage_owner o ON c.stage = o.stage GROUP BY owner;
CREATE VIEW join_plain AS
SELECT owner, count(*) AS n FROM contacts c JOIN stage_owner o ON c.pos = cvfw_position(o.stage) GROUP BY owner;
SET enable_nestloop = off;
SET enable_mergejoin = off;
SELECT regress.plan_has('SELECT * FROM contacts c JOIN stage_owner o ON c.stage = o.stage', 'Hash Join') AS hash_join;
SELECT count(*) AS differences FROM ((SELECT * FROM join_result EXCEPT ALL SELECT * FROM join_plain)
  UNION ALL (SELECT * FROM join_plain EXCEPT ALL SELECT * FROM join_result)) d;
SELECT sum(n) AS joined FROM join_result;
RESET enable_mergejoin;
SET enable_hashjoin = off;
SELECT regress.plan_has('SELECT * FROM contacts c JOIN stage_owner o ON c.stage = o.stage', 'Merge Join') AS merge_join;
SELECT count(*) AS differences FROM ((SELECT * FROM join_result EXCEPT ALL SELECT * FROM join_plain)
  UNION ALL (SELECT * FROM join_plain EXCEPT ALL SELECT * FROM join_result)) d;
SELECT sum(n) AS joined FROM join_result;
RESET enable_hashjoin;
RESET enable_nestloop;

-- equal values hash equally, however they were produced; the six stages
-- hash apart; the extended hash with seed 0 agrees with the 32-bit one
SELECT count(DISTINCT h) AS hashes_per_stage_max
FROM (SELECT stage, cvfw_stage_hash(stage) AS h FROM contacts WHERE stage IS NOT NULL) x
GROUP BY stage ORDER BY 1 DESC LIMIT 1;
SELECT count(DISTINCT cvfw_stage_hash(stage)) AS distinct_hashes FROM cvfw_stages();
SELECT bool_and(cvfw_stage_hash(s.stage) = cvfw_stage_hash(cvfw_stage(s.position))
            AND cvfw_stage_hash(s.stage) = cvfw_stage_hash(upper(s.stage::text)::cvfw_stage)
            AND cvfw_stage_hash_extended(s.stage, 0) & 4294967295 = cvfw_stage_hash(s.stage)::bigint & 4294967295
            AND cvfw_stage_hash_extended(s.stage, 42) = cvfw_stage_hash_extended(replace(s.stage::text, '_', ' ')::cvfw_stage, 42)
            AND cvfw_stage_hash_extended(s.stage, 42) <> cvfw_stage_hash_extended(s.stage, 43)) AS hashing_ok
FROM cvfw_stages() s;

-- selectivity estimators: with the whole table sampled, estimates are exact
SELECT op, lit,
       regress.estimate(format('SELECT * FROM contacts WHERE stage %s %L', op, lit)) AS estimated,
       regress.scalar(format('SELECT count(*) FROM contacts WHERE stage %s %L', op, lit)) AS actual
FROM unnest(ARRAY['=', '<>', '<', '<=', '>', '>=']) op,
     unnest(ARRAY['exploration', 'advocacy']) lit
ORDER BY lit::cvfw_stage, op;

DROP VIEW join_result, join_plain, wrong_groups;
DROP TABLE contacts, expected_groups, stage_owner;

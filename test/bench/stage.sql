-- stage.sql — cvfw_stage storage and sorting against PostgreSQL's "char"
-- and a PostgreSQL enum, 10 million values each, measured side by side.
\pset footer off
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;   -- one process each: compare the types, not the scheduler
\echo '== cvfw_stage vs "char" vs enum: 10,000,000 values'

DROP TABLE IF EXISTS bench.s_stage, bench.s_char, bench.s_enum;
DROP TYPE IF EXISTS bench.stage_enum;
CREATE TYPE bench.stage_enum AS ENUM ('awareness', 'exploration', 'experience',
  'value_realization', 'advocacy', 'engagement');

-- the same pseudo-random stage sequence in all three tables
CREATE TABLE bench.s_stage AS
SELECT i AS id, cvfw_stage(1 + (hashint4(i) & 2147483647) % 6) AS s FROM generate_series(1, 10000000) i;
CREATE TABLE bench.s_char AS
SELECT id, cvfw_position(s)::text::"char" AS s FROM bench.s_stage;
CREATE TABLE bench.s_enum AS
SELECT id, s::text::bench.stage_enum AS s FROM bench.s_stage;
CREATE TABLE bench.o_stage AS SELECT s FROM bench.s_stage;
CREATE TABLE bench.o_char AS SELECT s FROM bench.s_char;
CREATE TABLE bench.o_enum AS SELECT s FROM bench.s_enum;
VACUUM ANALYZE bench.s_stage, bench.s_char, bench.s_enum, bench.o_stage, bench.o_char, bench.o_enum;

\echo
\echo '-- table size (heap), one stage column alone and beside an int id'
SELECT t AS type,
       pg_size_pretty(pg_relation_size(('bench.o_' || t)::regclass)) AS stage_only,
       pg_relation_size(('bench.o_' || t)::regclass) AS stage_only_bytes,
       pg_size_pretty(pg_relation_size(('bench.s_' || t)::regclass)) AS with_id,
       pg_relation_size(('bench.s_' || t)::regclass) AS with_id_bytes,
       round(pg_relation_size(('bench.s_' || t)::regclass)::numeric
             / pg_relation_size('bench.s_char'), 3) AS with_id_vs_char
FROM unnest(ARRAY['stage', 'char', 'enum']) t;

\echo
\echo '-- btree index size (deduplication applies to all three)'
CREATE INDEX ON bench.s_stage (s);
CREATE INDEX ON bench.s_char (s);
CREATE INDEX ON bench.s_enum (s);
SELECT t AS type, pg_size_pretty(pg_indexes_size(('bench.s_' || t)::regclass)) AS index_size,
       pg_indexes_size(('bench.s_' || t)::regclass) AS index_bytes
FROM unnest(ARRAY['stage', 'char', 'enum']) t;
DROP INDEX bench.s_stage_s_idx, bench.s_char_s_idx, bench.s_enum_s_idx;

\echo
\echo '-- sort the stage column alone (in memory, work_mem 1GB), median of 5'
SELECT * FROM bench.compare(
  ARRAY['cvfw_stage', 'enum', '"char"'],
  ARRAY['SELECT count(*) FROM (SELECT s FROM bench.s_stage ORDER BY s OFFSET 0) x',
        'SELECT count(*) FROM (SELECT s FROM bench.s_enum ORDER BY s OFFSET 0) x',
        'SELECT count(*) FROM (SELECT s FROM bench.s_char ORDER BY s OFFSET 0) x']);

\echo
\echo '-- sort rows (id, stage) by stage, median of 5'
SELECT * FROM bench.compare(
  ARRAY['cvfw_stage', 'enum', '"char"'],
  ARRAY['SELECT count(*) FROM (SELECT id, s FROM bench.s_stage ORDER BY s OFFSET 0) x',
        'SELECT count(*) FROM (SELECT id, s FROM bench.s_enum ORDER BY s OFFSET 0) x',
        'SELECT count(*) FROM (SELECT id, s FROM bench.s_char ORDER BY s OFFSET 0) x']);

\echo
\echo '-- GROUP BY stage (hash aggregate), median of 5'
SELECT * FROM bench.compare(
  ARRAY['cvfw_stage', 'enum', '"char"'],
  ARRAY['SELECT s, count(*) FROM bench.s_stage GROUP BY s',
        'SELECT s, count(*) FROM bench.s_enum GROUP BY s',
        'SELECT s, count(*) FROM bench.s_char GROUP BY s']);

\echo
\echo '-- CREATE INDEX (a sort), median of 3'
SELECT * FROM bench.compare(
  ARRAY['cvfw_stage', 'enum', '"char"'],
  ARRAY['CREATE INDEX bi ON bench.s_stage (s); DROP INDEX bench.bi',
        'CREATE INDEX bi ON bench.s_enum (s); DROP INDEX bench.bi',
        'CREATE INDEX bi ON bench.s_char (s); DROP INDEX bench.bi'], 3);

DROP TABLE bench.s_stage, bench.s_char, bench.s_enum, bench.o_stage, bench.o_char, bench.o_enum;
DROP TYPE bench.stage_enum;

-- lib.sql — timing helpers for the benchmarks (loaded once per bench run).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS cvfw;
CREATE SCHEMA IF NOT EXISTS bench;

-- Time several queries side by side: `rounds` rounds, each running every
-- query once in turn (so drift and caching hit all of them alike).  Returns
-- the median and minimum wall time of each, in ms, and its ratio to the
-- first query's median.
CREATE OR REPLACE FUNCTION bench.compare(labels text[], queries text[], rounds int DEFAULT 5)
RETURNS TABLE (label text, median_ms numeric, min_ms numeric, ratio_to_first numeric)
LANGUAGE plpgsql AS $$
DECLARE
  t0 timestamptz;
  r int;
  q int;
BEGIN
  CREATE TEMP TABLE IF NOT EXISTS bench_samples (q int, ms float8);
  TRUNCATE bench_samples;
  FOR r IN 1 .. rounds LOOP
    FOR q IN 1 .. array_length(queries, 1) LOOP
      t0 := clock_timestamp();
      EXECUTE queries[q];
      INSERT INTO bench_samples VALUES (q, 1000 * extract(epoch FROM clock_timestamp() - t0));
    END LOOP;
  END LOOP;
  RETURN QUERY
  WITH m AS (
    SELECT s.q, percentile_cont(0.5) WITHIN GROUP (ORDER BY s.ms) AS med, min(s.ms) AS mn
    FROM bench_samples s GROUP BY s.q)
  SELECT labels[m.q], round(m.med::numeric, 1), round(m.mn::numeric, 1),
         round((m.med / first_value(m.med) OVER (ORDER BY m.q))::numeric, 3)
  FROM m ORDER BY m.q;
END $$;

-- The largest "Peak Memory Usage" (kB) of any node when a query runs: the
-- hash tables of hash aggregates, in practice.
CREATE OR REPLACE FUNCTION bench.peak_memory_kb(query text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE plan json;
BEGIN
  EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON) ' || query INTO plan;
  RETURN (SELECT max((m[1])::bigint)
          FROM regexp_matches(plan::text, '"Peak Memory Usage": ([0-9]+)', 'g') m);
END $$;

-- As bench.compare, but the backend's CPU time (user + system, from
-- /proc/self/stat, in 10 ms ticks) instead of wall time: for queries run
-- in one process (max_parallel_workers_per_gather = 0) on a machine shared
-- with other work, where wall time mostly measures the others.
CREATE OR REPLACE FUNCTION bench.cpu_ms() RETURNS float8
LANGUAGE sql AS $$
SELECT 10 * (split_part(s, ' ', 14)::float8 + split_part(s, ' ', 15)::float8)
FROM pg_read_file('/proc/self/stat') s
$$;

CREATE OR REPLACE FUNCTION bench.compare_cpu(labels text[], queries text[], rounds int DEFAULT 5)
RETURNS TABLE (label text, median_cpu_ms numeric, min_cpu_ms numeric, ratio_to_first numeric)
LANGUAGE plpgsql AS $$
DECLARE
  c0 float8;
  r int;
  q int;
BEGIN
  CREATE TEMP TABLE IF NOT EXISTS bench_samples (q int, ms float8);
  TRUNCATE bench_samples;
  FOR r IN 1 .. rounds LOOP
    FOR q IN 1 .. array_length(queries, 1) LOOP
      c0 := bench.cpu_ms();
      EXECUTE queries[q];
      INSERT INTO bench_samples VALUES (q, bench.cpu_ms() - c0);
    END LOOP;
  END LOOP;
  RETURN QUERY
  WITH m AS (
    SELECT s.q, percentile_cont(0.5) WITHIN GROUP (ORDER BY s.ms) AS med, min(s.ms) AS mn
    FROM bench_samples s GROUP BY s.q)
  SELECT labels[m.q], round(m.med::numeric, 0), round(m.mn::numeric, 0),
         round((m.med / first_value(m.med) OVER (ORDER BY m.q))::numeric, 3)
  FROM m ORDER BY m.q;
END $$;

-- clv.sql — the cvfw_clv_agg aggregate over 1,000,000 customers against
-- PostgreSQL's avg() over the same revenue column (the target: at most
-- 1.5x), and against the same estimates in plain SQL, side by side.
\pset footer off
SET client_min_messages = warning;
DROP TABLE IF EXISTS bench.customers;
-- one row per existing customer: revenue, cost, tenure, churned (seeded hashes)
CREATE TABLE bench.customers AS
SELECT c AS id,
       round(((hashint8(c * 8 + 1) & 1048575) / 1048576.0 * 2000)::numeric, 2)::float8 AS revenue,
       round(((hashint8(c * 8 + 2) & 1048575) / 1048576.0 * 150)::numeric, 2)::float8 AS cost,
       make_interval(days => ((hashint8(c * 8 + 3) & 1048575) % 1500)::int,
                     secs => (hashint8(c * 8 + 4) & 65535)::float8) AS tenure,
       (hashint8(c * 8 + 5) & 7) < 3 AS churned
FROM generate_series(1::bigint, 1000000) c;
VACUUM ANALYZE bench.customers;

\echo '== CLV report over 1,000,000 customers'
SELECT (cvfw_clv_agg(revenue, cost, tenure, churned)).* FROM bench.customers;

\echo
\echo '-- median of 5 rounds, default planner settings'
SELECT * FROM bench.compare(
  ARRAY['avg(revenue)', 'cvfw_clv_agg(revenue, cost, tenure, churned)', 'plain SQL estimates'],
  ARRAY['SELECT avg(revenue) FROM bench.customers',
        'SELECT cvfw_clv_agg(revenue, cost, tenure, churned)::text FROM bench.customers',
        $q$SELECT count(*), count(*) FILTER (WHERE churned),
                  sum(extract(epoch FROM tenure)) / 2592000,
                  sum(revenue) / (sum(extract(epoch FROM tenure)) / 2592000),
                  sum(extract(epoch FROM tenure)) / 2592000 / count(*) FILTER (WHERE churned),
                  sum(cost) / count(*)
           FROM bench.customers$q$],
  5);

\echo
\echo '-- the same, one process'
SET max_parallel_workers_per_gather = 0;
SELECT * FROM bench.compare(
  ARRAY['avg(revenue)', 'cvfw_clv_agg(revenue, cost, tenure, churned)'],
  ARRAY['SELECT avg(revenue) FROM bench.customers',
        'SELECT cvfw_clv_agg(revenue, cost, tenure, churned)::text FROM bench.customers'],
  5);
RESET max_parallel_workers_per_gather;
DROP TABLE bench.customers;

SET timezone = 'UTC';
SET extra_float_digits = 3;
CREATE EXTENSION IF NOT EXISTS cvfw;
\set customers 200
\set seed 7
\ir ../gen_events.sql
-- fractional amounts: cents, thirds, negatives
CREATE TABLE ev AS
SELECT customer_id, stage, at,
       CASE WHEN value IS NULL THEN NULL ELSE value * 1.01 + (customer_id % 7) * 0.33 - CASE WHEN customer_id % 13 = 0 THEN 1.0/3 ELSE 0 END END AS value,
       CASE WHEN cost IS NULL THEN NULL ELSE cost / 3.0 + 0.05 END AS cost
FROM events;
SELECT count(*), count(DISTINCT customer_id) FROM ev;
\pset format unaligned
\pset tuples_only on
\o hex.txt
SELECT 'one|' || cvfw_flow(stage, at, value, cost)::text FROM ev WHERE customer_id = 13;
SELECT 'all|' || cvfw_flow_by_customer(customer_id, stage, at, value, cost)::text FROM ev;
\o report.txt
SELECT l.* FROM cvfw_leakage((SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) FROM ev), '2026-01-01', '30 days') l;
SELECT * FROM cvfw_transitions((SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) FROM ev));
SELECT r.* FROM cvfw_clv((SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) FROM ev), '2026-01-01', '30 days', '30 days') r;
SELECT l.* FROM cvfw_leakage((SELECT cvfw_flow(stage, at, value, cost) FROM ev WHERE customer_id = 13)) l;
SELECT cvfw_dwell_percentile((SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) FROM ev), s, q) FROM generate_series(1,6) s0, LATERAL (SELECT cvfw_stage(s0) s) x, unnest(ARRAY[0.1,0.5,0.99]) q;

-- setup.sql — the data of the Citus test (run.sh) and benchmark (bench.sh),
-- on the coordinator: every table twice, a plain one (name_local: the
-- one-node answer, computed by plain PostgreSQL on the coordinator) and a
-- distributed one by customer (name), with the same rows.
-- psql variables: customers, seed (test/data/gen_events.sql).
SET client_min_messages = warning;
SET timezone = 'UTC';
CREATE EXTENSION cvfw;

-- CRM events (customer_id, segment, stage, at, value, cost)
\ir ../data/gen_events.sql
ALTER TABLE events RENAME TO events_local;
CREATE TABLE events (LIKE events_local);
SELECT create_distributed_table('events', 'customer_id') \g /dev/null
INSERT INTO events SELECT * FROM events_local;

-- the CDNOW purchases (the README's worked example), for cvfw_rfm and the fits
CREATE TABLE cdnow_file (line text);
\copy cdnow_file FROM 'test/data/cdnow/CDNOW_sample.txt'
CREATE TABLE orders_local AS
SELECT f[2]::int AS customer_id, to_date(f[3], 'YYYYMMDD') AS ordered_on, f[5]::float8 AS amount
FROM (SELECT regexp_split_to_array(btrim(line, E' \r'), '\s+') AS f FROM cdnow_file) s;
CREATE TABLE orders (LIKE orders_local);
SELECT create_distributed_table('orders', 'customer_id', colocate_with => 'events') \g /dev/null
INSERT INTO orders SELECT * FROM orders_local;

ANALYZE;

--
-- trend: on a generated data set (10,000 customers, values in cents),
-- every cell of cvfw_trend_leakage — by day, ISO week and month, with and
-- without a horizon — equals an independent plain-SQL computation of the
-- definitions (test/data/plain_trend.sql, window functions), row for row
-- and column for column; the one-pass aggregate, the two levels, any
-- split, parallel plans and subtraction give the same bytes; the BI form;
-- NULLs and bad arguments.
--
SET timezone = 'UTC';
\set customers 10000
\set seed 11
\i test/data/gen_events.sql
-- values in cents, some negative (refunds): every sum must still be exact
UPDATE events SET value = value * 1.01 - 0.37 WHERE customer_id % 5 = 0 AND value > 0;
ANALYZE events;
SELECT count(*) AS events, count(DISTINCT customer_id) AS customers,
       count(*) FILTER (WHERE value <> round(value)) AS fractional_values
FROM events;

\set schema regress
\i test/data/plain_trend.sql

CREATE TABLE customer_trends AS
SELECT customer_id, min(segment) AS segment, cvfw_trend(stage, at, value) AS trend
FROM events GROUP BY customer_id;
CREATE TABLE all_trend AS SELECT cvfw_merge(trend) AS trend FROM customer_trends;

-- cell by cell: every (period, stage) on both sides, every column equal
-- (value exactly: both sum amounts rounded to millionths)
CREATE TABLE cases AS
SELECT p.period, h.as_of, h.horizon
FROM (VALUES ('day'), ('week'), ('month')) p(period),
     (VALUES (NULL::timestamptz, NULL::interval), ('2026-01-01', '30 days'),
             ('2025-12-31 23:00-05', '1 mon 3 days')) h(as_of, horizon);
CREATE TABLE plain AS
SELECT c.period, c.as_of, c.horizon, t.* FROM cases c, regress.plain_trend(c.period, c.as_of, c.horizon) t;
CREATE TABLE live AS
SELECT c.period, c.as_of, c.horizon, t.*
FROM cases c, cvfw_trend_leakage((SELECT trend FROM all_trend), c.period, c.as_of, c.horizon) t;
SELECT c.period, c.as_of, c.horizon,
       (SELECT count(*) FROM plain p WHERE (p.period, p.as_of, p.horizon) IS NOT DISTINCT FROM (c.period, c.as_of, c.horizon)) AS rows_plain,
       (SELECT count(*) FROM live l WHERE (l.period, l.as_of, l.horizon) IS NOT DISTINCT FROM (c.period, c.as_of, c.horizon)) AS rows_cvfw,
       (SELECT sum(visits) FROM plain p WHERE (p.period, p.as_of, p.horizon) IS NOT DISTINCT FROM (c.period, c.as_of, c.horizon)) AS visits,
       (SELECT sum(leaked) FROM plain p WHERE (p.period, p.as_of, p.horizon) IS NOT DISTINCT FROM (c.period, c.as_of, c.horizon)) AS leaked
FROM cases c ORDER BY 1, 2, 3;
-- rows on one side and not the other, every column compared (none)
(SELECT * FROM plain EXCEPT ALL SELECT * FROM live)
UNION ALL
(SELECT * FROM live EXCEPT ALL SELECT * FROM plain);

-- the month view of 2025 at a glance (a horizon of 30 days at the export
-- date): the last months' visits have not had time to leak
SELECT period_start, sum(visits) AS visits, sum(ended) AS ended, sum(leaked) AS leaked,
       round(sum(leaked)::numeric / sum(visits), 3) AS leak_rate
FROM cvfw_trend_leakage((SELECT trend FROM all_trend), 'month', '2026-01-01', '30 days')
GROUP BY 1 ORDER BY 1;

-- summed over every period, the trend is the flow summary's leakage report
-- (values to 1e-12: the sum over days is of float8s)
SELECT l.stage, l.visits = t.visits AS visits, l.advanced = t.advanced AS advanced,
       l.regressed = t.regressed AS regressed, l.skipped = t.skipped AS skipped,
       l.ended = t.ended AS ended, l.leaked = t.leaked AS leaked,
       abs(l.value - t.value) <= 1e-12 * greatest(1, abs(l.value)) AS value
FROM cvfw_leakage((SELECT cvfw_flow_by_customer(customer_id, stage, at, value) FROM events),
                  '2026-01-01', '30 days') l
JOIN (SELECT stage, sum(visits) AS visits, sum(advanced) AS advanced, sum(regressed) AS regressed,
             sum(skipped) AS skipped, sum(ended) AS ended, sum(leaked) AS leaked, sum(value) AS value
      FROM cvfw_trend_leakage((SELECT trend FROM all_trend), 'day', '2026-01-01', '30 days')
      GROUP BY stage) t USING (stage)
ORDER BY l.stage;

-- the same bytes: one pass, any split merged, subtraction
SELECT (SELECT cvfw_trend_by_customer(customer_id, stage, at, value) FROM events)::text
       = (SELECT trend::text FROM all_trend) AS one_pass,
       (SELECT cvfw_merge(t)::text FROM (SELECT cvfw_merge(trend) t FROM customer_trends GROUP BY segment) s)
       = (SELECT trend::text FROM all_trend) AS by_segment,
       (SELECT cvfw_merge(t)::text FROM (SELECT cvfw_merge(trend) t FROM customer_trends
                                         GROUP BY customer_id % 7 ORDER BY customer_id % 7 DESC) s)
       = (SELECT trend::text FROM all_trend) AS by_mod_7,
       ((SELECT trend FROM all_trend)
        - (SELECT cvfw_merge(trend) FROM customer_trends WHERE segment = 'smb'))::text
       = (SELECT cvfw_merge(trend)::text FROM customer_trends WHERE segment <> 'smb') AS subtracted,
       ((SELECT cvfw_merge(trend) FROM customer_trends WHERE segment = 'smb')
        + (SELECT cvfw_merge(trend) FROM customer_trends WHERE segment <> 'smb'))::text
       = (SELECT trend::text FROM all_trend) AS added;

-- parallel plans give the serial result
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT (SELECT cvfw_merge(trend) FROM customer_trends)::text = (SELECT trend::text FROM all_trend) AS parallel_merge,
       (SELECT cvfw_merge(t)::text FROM (SELECT cvfw_trend(stage, at, value) t FROM events GROUP BY customer_id) s)
       = (SELECT trend::text FROM all_trend) AS parallel_two_levels;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- the one pass spills beyond work_mem (the state of cvfw_flow_by_customer)
-- and takes text and uuid ids: the same bytes, in memory or spilled
SET work_mem = '64kB';
SELECT (SELECT cvfw_trend_by_customer(customer_id, stage, at, value) FROM events)::text
       = (SELECT trend::text FROM all_trend) AS spilled,
       (SELECT cvfw_trend_by_customer('c-' || customer_id, stage, at, value) FROM events)::text
       = (SELECT trend::text FROM all_trend) AS text_ids,
       (SELECT cvfw_trend_by_customer(md5(customer_id::text)::uuid, stage, at, value) FROM events)::text
       = (SELECT trend::text FROM all_trend) AS uuid_ids;
RESET work_mem;

-- partitionwise: by customer (as shards), each partition aggregating its
-- own customers, and by time, a customer's events in several partitions
-- whose partial states are combined
CREATE TABLE events_parts (customer_id int, stage cvfw_stage, at timestamptz, value float8)
  PARTITION BY HASH (customer_id);
CREATE TABLE events_parts_0 PARTITION OF events_parts FOR VALUES WITH (MODULUS 4, REMAINDER 0);
CREATE TABLE events_parts_1 PARTITION OF events_parts FOR VALUES WITH (MODULUS 4, REMAINDER 1);
CREATE TABLE events_parts_2 PARTITION OF events_parts FOR VALUES WITH (MODULUS 4, REMAINDER 2);
CREATE TABLE events_parts_3 PARTITION OF events_parts FOR VALUES WITH (MODULUS 4, REMAINDER 3);
INSERT INTO events_parts SELECT customer_id, stage, at, value FROM events;
CREATE TABLE events_by_time (customer_id int, stage cvfw_stage, at timestamptz, value float8)
  PARTITION BY RANGE (at);
CREATE TABLE events_2025h1 PARTITION OF events_by_time FOR VALUES FROM (MINVALUE) TO ('2025-07-01');
CREATE TABLE events_2025h2 PARTITION OF events_by_time FOR VALUES FROM ('2025-07-01') TO (MAXVALUE);
CREATE TABLE events_no_time PARTITION OF events_by_time DEFAULT;
INSERT INTO events_by_time SELECT customer_id, stage, at, value FROM events;
ANALYZE events_parts, events_by_time;
SET enable_partitionwise_aggregate = on;
SET enable_hashagg = off;
SELECT regress.plan_has('SELECT customer_id, cvfw_trend(stage, at, value) FROM events_parts GROUP BY customer_id',
                        'events_parts_3') AS per_partition,
       (SELECT cvfw_merge(t)::text FROM (SELECT cvfw_trend(stage, at, value) t FROM events_parts GROUP BY customer_id) s)
       = (SELECT trend::text FROM all_trend) AS by_customer_partitions,
       (SELECT cvfw_merge(t)::text FROM (SELECT cvfw_trend(stage, at, value) t FROM events_by_time GROUP BY customer_id) s)
       = (SELECT trend::text FROM all_trend) AS by_time_partitions;
RESET enable_hashagg;
RESET enable_partitionwise_aggregate;
DROP TABLE events_parts, events_by_time;
-- the BI form: standard types, the same numbers
SELECT count(*) AS rows,
       bool_and(b.stage = t.stage::text AND b.position = cvfw_position(t.stage)
                AND (b.visits, b.advanced, b.regressed, b.skipped, b.ended, b.leaked, b.active)
                    = (t.visits, t.advanced, t.regressed, t.skipped, t.ended, t.leaked, t.active)
                AND b.leak_rate = t.leak_rate AND b.value = t.value) AS same
FROM cvfw_bi_trend((SELECT trend FROM all_trend), 'week', '2026-01-01', '30 days') b
JOIN cvfw_trend_leakage((SELECT trend FROM all_trend), 'week', '2026-01-01', '30 days') t
  ON b.period_start = t.period_start AND b.stage = t.stage::text;
SELECT pg_typeof(period_start), pg_typeof(stage), pg_typeof(visits), pg_typeof(leak_rate)
FROM cvfw_bi_trend((SELECT trend FROM all_trend)) LIMIT 1;

-- one customer by hand: awareness 01-05 (visit value 10 = 4.5 + 5.5),
-- exploration 01-07, awareness again 01-09 (regressed), value_realization
-- 02-01 (skipped on from awareness), advocacy 02-01 later (advanced into,
-- ended); by month, as of 2026-03-15 with a 30-day horizon: the advocacy
-- visit leaked (last seen 02-01, before 02-13)
CREATE TABLE one (stage cvfw_stage, at timestamptz, value numeric);
INSERT INTO one VALUES ('awareness', '2026-01-05', 4.5), ('awareness', '2026-01-06', 5.5),
  ('exploration', '2026-01-07', 0), ('awareness', '2026-01-09', 0),
  ('value_realization', '2026-02-01', 100), ('advocacy', '2026-02-01 10:00', 1);
SELECT * FROM cvfw_trend_leakage((SELECT cvfw_trend(stage, at, value) FROM one), 'month',
                                 '2026-03-15', '30 days');
SELECT * FROM cvfw_trend_leakage((SELECT cvfw_trend(stage, at, value) FROM one), 'week');
-- without values: the two-argument form
SELECT period_start, stage, visits, value
FROM cvfw_trend_leakage((SELECT cvfw_trend(stage, at) FROM one), 'day');

-- NULLs and bad arguments
SELECT count(*) FROM cvfw_trend_leakage(NULL);
SELECT cvfw_trend(stage, at) FROM one WHERE false;
SELECT cvfw_trend_by_customer(1, stage, at) FROM one WHERE false;
SELECT cvfw_merge(t) FROM (VALUES (NULL::cvfw_trend)) v(t);
SELECT (NULL::cvfw_trend + NULL::cvfw_trend) IS NULL AS null_plus_null,
       ((SELECT cvfw_trend(stage, at) FROM one) - (SELECT cvfw_trend(stage, at) FROM one)) IS NULL AS self_minus_self,
       ((SELECT cvfw_trend(stage, at) FROM one) - NULL)::text = (SELECT cvfw_trend(stage, at) FROM one)::text AS minus_null;
SELECT NULL::cvfw_trend - (SELECT cvfw_trend(stage, at) FROM one);
SELECT (SELECT cvfw_trend(stage, at) FROM one) - (SELECT cvfw_trend(stage, at, value) FROM one);
SELECT * FROM cvfw_trend_leakage((SELECT cvfw_trend(stage, at) FROM one), 'quarter');
SELECT * FROM cvfw_trend_leakage((SELECT cvfw_trend(stage, at) FROM one), NULL);
SELECT * FROM cvfw_trend_leakage((SELECT cvfw_trend(stage, at) FROM one), 'day', NULL, '1 day');
SELECT * FROM cvfw_trend_leakage((SELECT cvfw_trend(stage, at) FROM one), 'day', '2026-01-01', '-1 day');
DROP FUNCTION regress.plain_trend;
DROP TABLE one, customer_trends, all_trend, events, cases, plain, live;

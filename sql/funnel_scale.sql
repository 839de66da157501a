--
-- funnel_scale: cvfw_conversion_by_customer and cvfw_retention_by_customer
-- have cvfw_flow_by_customer's guarantees (issue 14, for issue 19): the same
-- state (pg_bycustomer.c) keeps the events within work_mem and spills them
-- to a sort on disk beyond it, each customer is walked in constant memory,
-- a statement timeout cancels them promptly, ids are bigint, text or uuid
-- hashed under a secret key, and there is no partial form.  Every summary
-- here is compared byte for byte with the two-level pattern (the
-- per-customer aggregate, then the merge), which sql/funnel_check.sql
-- checks against plain SQL.
--
SET timezone = 'UTC';

\set customers 3000
\set seed 11
\i test/data/gen_events.sql
ANALYZE events;
-- two settings of each: re-entry, strict, weekly cohorts, as_of; and the
-- defaults (first touch, loose, one cohort)
CREATE TEMP TABLE two_level AS
SELECT cvfw_conversion_merge(c1) AS c1, cvfw_conversion_merge(c2) AS c2,
       cvfw_retention_merge(r1) AS r1, cvfw_retention_merge(r2) AS r2
FROM (SELECT cvfw_conversion(stage, at, '{awareness,exploration,value_realization}', '21 days',
                             'any, strict, by week', '2025-12-01') AS c1,
             cvfw_conversion(stage, at, '{awareness,value_realization}', '30 days') AS c2,
             cvfw_retention(stage, at, 'awareness', 'rolling week', '2025-12-01',
                            '{exploration,value_realization,engagement}') AS r1,
             cvfw_retention(stage, at, NULL, 'month', '2026-01-01') AS r2
      FROM events WHERE customer_id IS NOT NULL GROUP BY customer_id) s;
SELECT (SELECT sum(customers) FROM cvfw_conversion_report((SELECT c1 FROM two_level)) WHERE step = 1) AS c1_customers,
       (SELECT sum(customers) FROM cvfw_retention_matrix((SELECT r2 FROM two_level)) WHERE period_offset = 0) AS r2_customers;

-- the same summaries from one aggregate over all the events, for ids of
-- each type (the same customers), first in memory ...
CREATE FUNCTION pg_temp.same_as_two_level(id_type text) RETURNS TABLE (c1 boolean, c2 boolean, r1 boolean, r2 boolean)
LANGUAGE plpgsql AS $$
DECLARE id text := CASE id_type WHEN 'bigint' THEN 'customer_id'
                                WHEN 'text' THEN '''cust-'' || customer_id'
                                ELSE 'md5(customer_id::text)::uuid' END;
BEGIN
  RETURN QUERY EXECUTE format($q$
    SELECT cvfw_conversion_by_customer(%1$s, stage, at, '{awareness,exploration,value_realization}', '21 days',
                                       'any, strict, by week', '2025-12-01')::text = (SELECT c1::text FROM two_level),
           cvfw_conversion_by_customer(%1$s, stage, at, '{awareness,value_realization}', '30 days')::text
             = (SELECT c2::text FROM two_level),
           cvfw_retention_by_customer(%1$s, stage, at, 'awareness', 'rolling week', '2025-12-01',
                                      '{exploration,value_realization,engagement}')::text
             = (SELECT r1::text FROM two_level),
           cvfw_retention_by_customer(%1$s, stage, at, NULL, 'month', '2026-01-01')::text
             = (SELECT r2::text FROM two_level)
    FROM events$q$, id);
END $$;
SELECT t AS ids, s.* FROM unnest(ARRAY['bigint', 'text', 'uuid']) t, pg_temp.same_as_two_level(t) s;
-- ... then spilled: a budget of 64 kB holds ~1,000 of the ~10,000 events
-- (32 bytes each, plus the table of customers); the rest go to the sort
SET work_mem = '64kB';
SET hash_mem_multiplier = 1;
SELECT t AS ids_spilled, s.* FROM unnest(ARRAY['bigint', 'text', 'uuid']) t, pg_temp.same_as_two_level(t) s;
-- any row order
SELECT (SELECT cvfw_conversion_by_customer(customer_id, stage, at, '{awareness,exploration,value_realization}', '21 days',
                                           'any, strict, by week', '2025-12-01')::text
        FROM (SELECT * FROM events ORDER BY hashint8(customer_id), at DESC) e)
       = (SELECT c1::text FROM two_level) AS conversion_other_order,
       (SELECT cvfw_retention_by_customer(customer_id, stage, at, NULL, 'month', '2026-01-01')::text
        FROM (SELECT * FROM events ORDER BY hashint8(customer_id), at DESC) e)
       = (SELECT r2::text FROM two_level) AS retention_other_order;
-- per group, some spilling and some not, under a sorted and a hashed grouping
SELECT count(*) AS segments,
       count(*) FILTER (WHERE g.c::text = t.c::text) AS conversion_equal,
       count(*) FILTER (WHERE g.r::text = t.r::text) AS retention_equal
FROM (SELECT segment,
             cvfw_conversion_by_customer(customer_id, stage, at, '{awareness,exploration,value_realization}', '21 days',
                                         'any, strict, by week', '2025-12-01') AS c,
             cvfw_retention_by_customer(customer_id, stage, at, NULL, 'month', '2026-01-01') AS r
      FROM events GROUP BY segment) g
JOIN (SELECT segment, cvfw_conversion_merge(c) AS c, cvfw_retention_merge(r) AS r
      FROM (SELECT customer_id, min(segment) AS segment,
                   cvfw_conversion(stage, at, '{awareness,exploration,value_realization}', '21 days',
                                   'any, strict, by week', '2025-12-01') AS c,
                   cvfw_retention(stage, at, NULL, 'month', '2026-01-01') AS r
            FROM events WHERE customer_id IS NOT NULL GROUP BY customer_id) c GROUP BY segment) t USING (segment);

-- one customer larger than work_mem: 300,000 events (a placeholder id),
-- spilled and streamed through the walk, give that customer's summary as
-- the per-customer aggregate builds it in memory (stages going round in
-- irregular steps, a minute apart: attempts complete, break and expire).
-- The stages repeat every 18 minutes with two awareness visits among them,
-- each followed by exploration and value_realization within the hour: 33,333
-- attempts, all complete but the last (checked by a direct simulation of
-- the definition in Python over the same 300,000 stages).
CREATE TEMP TABLE big AS
SELECT 0::bigint AS id, cvfw_stage(1 + (g * 7 / 3) % 6) AS stage, '2024-01-01'::timestamptz + g * interval '1 minute' AS at
FROM generate_series(1, 300000) g;
SELECT (SELECT cvfw_conversion_by_customer(id, stage, at, '{awareness,exploration,value_realization}', '1 hour',
                                           'any, by week')::text FROM big)
       = (SELECT cvfw_conversion(stage, at, '{awareness,exploration,value_realization}', '1 hour',
                                 'any, by week')::text FROM big) AS big_conversion,
       (SELECT cvfw_conversion_by_customer(id, stage, at, '{awareness,experience,advocacy}', '10 minutes',
                                           'any, strict, by day', '2024-03-01')::text FROM big)
       = (SELECT cvfw_conversion(stage, at, '{awareness,experience,advocacy}', '10 minutes',
                                 'any, strict, by day', '2024-03-01')::text FROM big) AS big_conversion_strict,
       (SELECT cvfw_retention_by_customer(id::text, stage, at, 'exploration', 'rolling day', '2024-06-01')::text FROM big)
       = (SELECT cvfw_retention(stage, at, 'exploration', 'rolling day', '2024-06-01')::text FROM big) AS big_retention,
       (SELECT array[sum(attempts) FILTER (WHERE step = 1), sum(attempts) FILTER (WHERE step = 3)]
        FROM cvfw_conversion_report((SELECT cvfw_conversion_by_customer(id, stage, at,
                '{awareness,exploration,value_realization}', '1 hour', 'any, by week') FROM big))) AS big_attempts;

-- parallel plans: workers scan, one process aggregates (no partial form)
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT regress.plan_has($q$SELECT cvfw_retention_by_customer(customer_id, stage, at, NULL, 'month', '2026-01-01') FROM events$q$,
                        'Gather') AS scanned_in_parallel,
       NOT regress.plan_has($q$SELECT cvfw_retention_by_customer(customer_id, stage, at, NULL, 'month', '2026-01-01') FROM events$q$,
                            'Partial') AS not_partial;
SELECT cvfw_conversion_by_customer(customer_id, stage, at, '{awareness,exploration,value_realization}', '21 days',
                                   'any, strict, by week', '2025-12-01')::text = (SELECT c1::text FROM two_level)
       AS parallel_spilled_conversion,
       cvfw_retention_by_customer(customer_id, stage, at, NULL, 'month', '2026-01-01')::text
       = (SELECT r2::text FROM two_level) AS parallel_spilled_retention
FROM events;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- the result is read from the sort once: not a window function
SELECT cvfw_retention_by_customer(customer_id, stage, at, NULL, 'month', '2026-01-01') OVER () IS NULL
FROM events LIMIT 1;
RESET work_mem;
RESET hash_mem_multiplier;

-- the empty string and a NULL text id: '' is a customer, NULL is left out
SELECT cvfw_conversion_furthest(cvfw_conversion_by_customer(c, s, t, '{awareness,exploration}', '1 day')) AS furthest,
       (SELECT sum(customers) FROM cvfw_retention_matrix(cvfw_retention_by_customer(c, s, t, NULL, 'day', '2026-01-10'))
        WHERE period_offset = 0) AS customers
FROM (VALUES ('', 'awareness'::cvfw_stage, '2026-01-01'::timestamptz), ('', 'exploration', '2026-01-01 12:00'),
             ('a', 'awareness', '2026-01-02'), (NULL, 'awareness', '2026-01-03')) v(c, s, t);

-- a statement timeout cancels a customer of four million events (given in
-- reverse time order, spilled) within 2 s of the start, as for
-- cvfw_flow_by_customer in sql/flow_scale.sql
SET work_mem = '1MB';
SELECT clock_timestamp() AS t0 \gset
SET statement_timeout = '1s';
SELECT length(cvfw_conversion_by_customer(0, cvfw_stage(1 + g % 3), '2024-01-01'::timestamptz - g * interval '1 second',
                                          '{awareness,exploration,experience}', '1 hour', 'any')::text)
FROM generate_series(1, 4000000) g;
RESET statement_timeout;
SELECT clock_timestamp() - :'t0'::timestamptz < interval '2 s' AS conversion_cancelled_within_2s;
SELECT clock_timestamp() AS t0 \gset
SET statement_timeout = '1s';
SELECT length(cvfw_retention_by_customer(0, cvfw_stage(1 + g % 3), '2024-01-01'::timestamptz - g * interval '1 second',
                                         NULL, 'day', '2024-01-01')::text)
FROM generate_series(1, 4000000) g;
RESET statement_timeout;
SELECT clock_timestamp() - :'t0'::timestamptz < interval '2 s' AS retention_cancelled_within_2s;
RESET ALL;
DROP TABLE events;

--
-- retention: cvfw_retention on customers checked by hand (doc/funnels.md,
-- "Retention"): cohorts by the period of a start event, activity at any or
-- chosen stages, calendar and rolling offsets, N-period and on-or-after
-- retention, complete periods at as_of; the three ways to build a summary
-- agree; I/O and accessors.
--
SET timezone = 'UTC';

CREATE TABLE re (customer_id bigint, stage cvfw_stage, at timestamptz);
INSERT INTO re VALUES
  -- 1: aware 15 Jan, back in February twice and on 2 April
  (1, 'awareness', '2026-01-15'), (1, 'exploration', '2026-02-03'), (1, 'value_realization', '2026-02-20'),
  (1, 'engagement', '2026-04-02'),
  -- 2: aware 31 Jan, never back
  (2, 'awareness', '2026-01-31'),
  -- 3: explored in January, aware 10 February, value in March
  (3, 'exploration', '2026-01-05'), (3, 'awareness', '2026-02-10'), (3, 'value_realization', '2026-03-15'),
  -- 4: never aware: value 1 February, advocacy 5 February
  (4, 'value_realization', '2026-02-01'), (4, 'advocacy', '2026-02-05'),
  -- 5: aware in April, the month of as_of
  (5, 'awareness', '2026-04-05'),
  -- 6: aware only after as_of; and rows without a customer, stage or time
  (6, 'awareness', '2026-05-01'),
  (NULL, 'awareness', '2026-01-20'), (7, NULL, '2026-01-20'), (7, 'awareness', NULL);

CREATE FUNCTION regress.matrix(start cvfw_stage, period text, as_of timestamptz,
  active cvfw_stage[] DEFAULT NULL)
RETURNS SETOF record LANGUAGE sql AS $$
SELECT m.* FROM cvfw_retention_matrix((SELECT cvfw_retention_by_customer(customer_id, stage, at, start, period, as_of, active)
                                       FROM re)) m
$$;

-- 1. Monthly cohorts of first awareness, any activity, as of 10 April:
-- January, February and March are complete, April is not.
-- January: customers 1 and 2.  Offset 0 (January): both.  Offset 1
-- (February): customer 1.  Offset 2 (March): nobody, but customer 1 came
-- back later (April): retained on or after = 1.
-- February: customer 3 (aware 10 Feb; the January exploration came before
-- the start and counts for nothing), back in March (offset 1).
-- April: customer 5: no complete month yet, no rows.  4 and 6: no awareness
-- by as_of, in no cohort.
SELECT * FROM regress.matrix('awareness', 'month', '2026-04-10')
  AS m(cohort timestamptz, period_offset bigint, cohort_customers bigint, customers bigint, retained bigint,
       rate float8, retained_on_or_after bigint, rate_on_or_after float8);

-- 2. Start at the first event of any stage (start_stage NULL): customer 3
-- now starts on 5 January (exploring), so January has three customers, and
-- 4 starts in February.  January offset 2 (March): customer 3.
SELECT * FROM regress.matrix(NULL, 'month', '2026-04-10')
  AS m(cohort timestamptz, period_offset bigint, cohort_customers bigint, customers bigint, retained bigint,
       rate float8, retained_on_or_after bigint, rate_on_or_after float8);

-- 3. Cohorts of first value realisation, active = realising value again.
-- February: 1 (20 Feb) and 4 (1 Feb), neither realises value again.
-- March: 3 (15 Mar), only March complete.
SELECT * FROM regress.matrix('value_realization', 'month', '2026-04-10', '{value_realization}')
  AS m(cohort timestamptz, period_offset bigint, cohort_customers bigint, customers bigint, retained bigint,
       rate float8, retained_on_or_after bigint, rate_on_or_after float8);

-- 4. Rolling months (30 days from each customer's own start), cohorts by
-- calendar month still.  Customer 1 (15 Jan): offsets 0 (3 Feb, day 19),
-- 1 (20 Feb, day 36), 2 (2 Apr, day 77); 85 days to as_of: offsets 0-1
-- complete.  Customer 2 (31 Jan): 69 days, offsets 0-1 complete, active at 0.
-- Customer 3 (10 Feb): 59 days, only offset 0 complete; value on day 33 is
-- offset 1, after it: retained on or after at 0.  (Calendar months gave
-- customer 3 a complete March.)
SELECT * FROM regress.matrix('awareness', 'rolling month', '2026-04-10')
  AS m(cohort timestamptz, period_offset bigint, cohort_customers bigint, customers bigint, retained bigint,
       rate float8, retained_on_or_after bigint, rate_on_or_after float8);

-- 5. ISO weeks, as of Tuesday 10 February: complete weeks end Sunday 8 Feb.
-- Customer 1 (Thu 15 Jan, week of 12 Jan): weeks 12 Jan .. 2 Feb (offsets
-- 0-3), back on Tue 3 Feb (offset 3).  Customer 2 (Sat 31 Jan, week of
-- 26 Jan): offsets 0-1.  Customer 3 (Tue 10 Feb): no complete week.
SELECT * FROM regress.matrix('awareness', 'week', '2026-02-10')
  AS m(cohort timestamptz, period_offset bigint, cohort_customers bigint, customers bigint, retained bigint,
       rate float8, retained_on_or_after bigint, rate_on_or_after float8);

-- 6. Days, as of 17 January noon: customer 1's 15 and 16 January complete.
SELECT * FROM regress.matrix('awareness', 'day', '2026-01-17 12:00')
  AS m(cohort timestamptz, period_offset bigint, cohort_customers bigint, customers bigint, retained bigint,
       rate float8, retained_on_or_after bigint, rate_on_or_after float8);
-- a period is complete once its last microsecond is at or before as_of
SELECT count(*) FILTER (WHERE period_offset = 1) AS day_1_complete
FROM cvfw_retention_matrix((SELECT cvfw_retention_by_customer(customer_id, stage, at, 'awareness', 'day', '2026-01-16 23:59:59.999999')
                            FROM re));
SELECT count(*) FILTER (WHERE period_offset = 1) AS day_1_complete
FROM cvfw_retention_matrix((SELECT cvfw_retention_by_customer(customer_id, stage, at, 'awareness', 'day', '2026-01-16 23:59:59.999998')
                            FROM re));

-- 7. The rate over all cohorts at one offset: retained / customers for whom
-- it is complete (January 1 of 2 and February 1 of 1 at offset 1: 2/3)
SELECT cvfw_retention_rate(r, 1) AS month_1, cvfw_retention_rate(r, 2, true) AS month_2_or_after,
       cvfw_retention_rate(r, 3) AS month_3
FROM (SELECT cvfw_retention_by_customer(customer_id, stage, at, 'awareness', 'month', '2026-04-10') AS r FROM re) s;

-- 8. Per customer, then merged; in one aggregate; in any row order: the
-- same summary.  Events after as_of change nothing.
CREATE TABLE per_customer AS
SELECT customer_id, cvfw_retention(stage, at, 'awareness', 'rolling week', '2026-04-10', '{awareness,exploration,value_realization}') AS r
FROM re GROUP BY customer_id;
SELECT (SELECT cvfw_retention_merge(r ORDER BY customer_id DESC) FROM per_customer WHERE customer_id IS NOT NULL)::text
     = (SELECT cvfw_retention_by_customer(customer_id, stage, at, 'awareness', 'rolling week', '2026-04-10',
                                          '{awareness,exploration,value_realization}' ORDER BY at DESC) FROM re)::text
       AS merged_equals_one_aggregate,
       (SELECT cvfw_retention_by_customer(customer_id, stage, at, 'awareness', 'month', '2026-04-10') FROM re)::text
     = (SELECT cvfw_retention_by_customer(customer_id, stage, at, 'awareness', 'month', '2026-04-10')
        FROM re WHERE at <= '2026-04-10')::text AS later_events_change_nothing;
-- a customer in no cohort has an empty summary; no rows: NULL
SELECT customer_id, (SELECT count(*) FROM cvfw_retention_matrix(r)) AS rows FROM per_customer
WHERE customer_id IN (4, 6) ORDER BY customer_id;
SELECT cvfw_retention(stage, at, 'awareness', 'month', now()) IS NULL AS no_rows FROM re WHERE false;
-- text I/O reads back the same summary
SELECT r::text::cvfw_retention::text = r::text AS text_round_trip
FROM (SELECT cvfw_retention_merge(r) AS r FROM per_customer) s;

-- 9. Settings are constants; other settings do not merge
SELECT cvfw_retention(stage, at, stage, 'month', '2026-04-10') FROM re;
SELECT cvfw_retention_merge(r)
FROM (SELECT cvfw_retention(stage, at, 'awareness', 'month', '2026-04-10') AS r FROM re WHERE customer_id = 1
      UNION ALL
      SELECT cvfw_retention(stage, at, 'awareness', 'week', '2026-04-10') FROM re WHERE customer_id = 2) s;
-- spelt differently, the same: calendar is the default, active NULL = all stages
SELECT cvfw_retention_merge(r) IS NOT NULL AS same_settings
FROM (SELECT cvfw_retention(stage, at, 'awareness', 'Calendar  MONTH', '2026-04-10') AS r FROM re WHERE customer_id = 1
      UNION ALL
      SELECT cvfw_retention(stage, at, 'awareness', 'month', '2026-04-10',
                            '{engagement,advocacy,value_realization,experience,exploration,awareness}')
      FROM re WHERE customer_id = 2) s;

-- 10. The matrix is in standard SQL types already: a BI tool reads it as it is
SELECT format_type(t, NULL) AS column_type, count(*)
FROM pg_proc p, unnest(p.proallargtypes[2:]) t
WHERE p.proname = 'cvfw_retention_matrix' GROUP BY 1 ORDER BY 1;

DROP TABLE re, per_customer;
DROP FUNCTION regress.matrix;

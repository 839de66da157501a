--
-- conversion: cvfw_conversion on paths checked by hand, one semantic
-- choice at a time (doc/funnels.md, "Conversion"): first touch and
-- re-entry, loose and strict order, ties, the window's edge, as_of and
-- attempts in progress, cohorts; the three ways to build a summary agree;
-- I/O, accessors and the BI report.
--
SET timezone = 'UTC';
SET intervalstyle = postgres;

CREATE TABLE fe (customer_id bigint, stage cvfw_stage, at timestamptz);
-- the report of one customer's events as compact rows: step, attempts,
-- customers, in progress, and the time from the first step
CREATE FUNCTION regress.funnel(who bigint, path cvfw_stage[], win interval,
  options text DEFAULT NULL, as_of timestamptz DEFAULT NULL)
RETURNS TABLE (step int, stage cvfw_stage, customers bigint, attempts bigint,
  in_progress bigint, time_avg interval)
LANGUAGE sql AS $$
SELECT r.step, r.stage, r.customers, r.attempts, r.in_progress, r.time_avg
FROM cvfw_conversion_report((SELECT cvfw_conversion(stage, at, path, win, options, as_of)
                             FROM fe WHERE customer_id = who)) r
$$;

-- 1. First touch and re-entry.  Customer 1 becomes aware (day 0), explores
-- (1), is aware again (2), has the experience (3), realises value only on
-- day 40, then comes round again: aware on day 50, exploring on 51.
INSERT INTO fe VALUES
  (1, 'awareness', '2026-03-01'), (1, 'exploration', '2026-03-02'), (1, 'awareness', '2026-03-03'),
  (1, 'experience', '2026-03-04'), (1, 'value_realization', '2026-04-10'),
  (1, 'awareness', '2026-04-20'), (1, 'exploration', '2026-04-21');
-- first touch (the default): one attempt from day 0; value on day 40 is
-- past the 30-day window, so it ends at step 3, reached in 3 days
SELECT * FROM regress.funnel(1, '{awareness,exploration,experience,value_realization}', '30 days');
-- re-entry: the day-2 awareness falls inside the running attempt (loose
-- order passes over it); the attempt's window runs out on day 30, and the
-- day-50 awareness starts a second attempt, which reaches exploration in a
-- day: 2 attempts, 1 customer; step 2 by both (times 1 day each), step 3
-- by the first
SELECT * FROM regress.funnel(1, '{awareness,exploration,experience,value_realization}', '30 days', 'any');

-- 2. Loose and strict order.  Customer 2 becomes aware, explores, falls
-- back to awareness, then has the experience and realises value.
INSERT INTO fe VALUES
  (2, 'awareness', '2026-03-01'), (2, 'exploration', '2026-03-02'), (2, 'awareness', '2026-03-03'),
  (2, 'experience', '2026-03-05'), (2, 'value_realization', '2026-03-09');
-- loose: the step back is passed over: all four steps, in 8 days
SELECT * FROM regress.funnel(2, '{awareness,exploration,experience,value_realization}', '30 days', 'loose');
-- strict: exploration -> awareness falls back and ends the attempt at step 2
SELECT * FROM regress.funnel(2, '{awareness,exploration,experience,value_realization}', '30 days', 'strict');
-- strict re-entry: the fall back to awareness starts the next attempt, which
-- goes on to the experience without exploring: it stays at step 1
SELECT * FROM regress.funnel(2, '{awareness,exploration,experience,value_realization}', '30 days', 'any, strict');
-- the fall back breaks a path that does not name the stages it went
-- between, too: strict is about the customer's moves, not the path's steps
SELECT * FROM regress.funnel(2, '{awareness,value_realization}', '30 days', 'strict');
-- a skip forward is no fall back: customer 10 goes awareness -> experience
-- -> value_realization and converts, strict, in 3 days
INSERT INTO fe VALUES (10, 'awareness', '2026-03-01'), (10, 'experience', '2026-03-02'),
                      (10, 'value_realization', '2026-03-04');
SELECT * FROM regress.funnel(10, '{awareness,value_realization}', '30 days', 'strict');
-- overshooting and falling back onto the step is a fall back too: customer
-- 11 goes awareness -> exploration -> value_realization -> experience;
-- strict stops at exploration, loose reaches experience
INSERT INTO fe VALUES (11, 'awareness', '2026-03-01'), (11, 'exploration', '2026-03-02'),
                      (11, 'value_realization', '2026-03-03'), (11, 'experience', '2026-03-04');
SELECT * FROM regress.funnel(11, '{awareness,exploration,experience}', '30 days', 'strict');
SELECT * FROM regress.funnel(11, '{awareness,exploration,experience}', '30 days', 'loose');
-- ... but a path may itself go back: the move straight from one step to
-- the next is the path's own (customer 2: exploration -> awareness, a day)
SELECT * FROM regress.funnel(2, '{exploration,awareness}', '30 days', 'strict');
DELETE FROM fe WHERE customer_id IN (10, 11);
-- going round: advocacy -> engagement -> awareness -> exploration never
-- falls back (engagement -> awareness is the next round)
INSERT INTO fe VALUES
  (3, 'value_realization', '2026-03-01'), (3, 'advocacy', '2026-03-02'), (3, 'engagement', '2026-03-03'),
  (3, 'awareness', '2026-03-04'), (3, 'exploration', '2026-03-06');
SELECT * FROM regress.funnel(3, '{advocacy,exploration}', '30 days', 'strict');
SELECT * FROM regress.funnel(3, '{engagement,awareness,exploration}', '30 days', 'strict');

-- 3. Ties.  Events at one instant are ordered by wheel position, as the flow
-- summary orders them: a step forward converts in no time, a step back
-- needs a later event.
INSERT INTO fe VALUES (4, 'exploration', '2026-03-01 10:00'), (4, 'awareness', '2026-03-01 10:00');
SELECT * FROM regress.funnel(4, '{awareness,exploration}', '1 hour');
SELECT * FROM regress.funnel(4, '{exploration,awareness}', '1 hour');
-- repeated events at one stage are one visit, entered at the first
INSERT INTO fe VALUES (5, 'awareness', '2026-03-01'), (5, 'awareness', '2026-03-10'),
                      (5, 'exploration', '2026-03-31');
SELECT * FROM regress.funnel(5, '{awareness,exploration}', '30 days');

-- 4. The window counts from entering the first step and includes its end:
-- exploration exactly 30 days after awareness is in, a microsecond later out.
INSERT INTO fe VALUES (6, 'awareness', '2026-03-01'), (6, 'exploration', '2026-03-31');
SELECT * FROM regress.funnel(6, '{awareness,exploration}', '30 days');
SELECT * FROM regress.funnel(6, '{awareness,exploration}', '30 days' - interval '1 microsecond');
-- months count as 30 days: '1 mon' is the same window
SELECT * FROM regress.funnel(6, '{awareness,exploration}', '1 mon');
-- a zero window: only steps at the very same instant
SELECT * FROM regress.funnel(4, '{awareness,exploration}', '0');

-- 5. as_of: events after it are not known yet; an attempt whose window is
-- still open at as_of is in progress (it may yet go further).
-- Customer 2 as of 4 March: aware, explored, aware again: step 2, and in
-- progress (the window runs to 31 March)
SELECT * FROM regress.funnel(2, '{awareness,exploration,experience,value_realization}', '30 days', NULL, '2026-03-04');
-- as of 31 March, everything of customer 2 is known: all four steps
SELECT * FROM regress.funnel(2, '{awareness,exploration,experience,value_realization}', '30 days', NULL, '2026-03-31');
-- customer 6 (aware 1 March, exploring 31 March) on a three-step path: a
-- second before 31 March the window is open, in progress at step 1; at
-- 31 March 00:00, the window's last instant, it has reached step 2 and is
-- decided: the window is over, nothing more can count
SELECT * FROM regress.funnel(6, '{awareness,exploration,experience}', '30 days', NULL, '2026-03-30 23:59:59');
SELECT * FROM regress.funnel(6, '{awareness,exploration,experience}', '30 days', NULL, '2026-03-31');
-- strict, as of 4 March: the fall back has happened; broken attempts are
-- never in progress, the new one (re-entry) is
SELECT * FROM regress.funnel(2, '{awareness,exploration,experience,value_realization}', '30 days', 'any, strict', '2026-03-04');

-- 6. Over customers, with cohorts by the month (and week, day) the attempt
-- started in.  Customers 1-6 as above; 7 never becomes aware; 8 becomes
-- aware in April and realises value.
INSERT INTO fe VALUES (7, 'exploration', '2026-03-01'), (7, 'value_realization', '2026-03-02'),
                      (8, 'awareness', '2026-04-02'), (8, 'value_realization', '2026-04-12'),
                      (NULL, 'awareness', '2026-03-01'), (9, NULL, '2026-03-01'), (9, 'awareness', NULL);
-- awareness -> value_realization within 30 days, re-entry, by month.
-- March: attempts of 1 (day 0; value on day 40 too late), 2 (value day 8),
-- 3 (aware 4 March, never value), 4, 5, 6: 6 attempts, 1 reached value.
-- April: 1's second attempt (20 April) and 8 (value after 10 days): 2, 1.
SELECT cohort, step, stage, customers, attempts, step_rate, overall_rate, time_avg, time_p50, time_p90
FROM cvfw_conversion_report((SELECT cvfw_conversion_by_customer(customer_id, stage, at,
                               '{awareness,value_realization}', '30 days', 'any, by month') FROM fe));
-- by week: ISO weeks, Monday to Sunday (2 March 2026 is a Monday)
SELECT cohort, step, customers, attempts
FROM cvfw_conversion_report((SELECT cvfw_conversion_by_customer(customer_id, stage, at,
                               '{awareness,value_realization}', '30 days', 'any, by week') FROM fe));
-- step_time: from the previous step; time: from the first.  Customer 2,
-- loose, all four steps: 1, 3 (5 March - 2 March), 4 days apart
SELECT step, time_avg, step_time_avg, step_time_p50, step_time_p90
FROM cvfw_conversion_report((SELECT cvfw_conversion(stage, at, '{awareness,exploration,experience,value_realization}', '30 days')
                             FROM fe WHERE customer_id = 2));

-- 7. Per customer, then merged; and in one aggregate: the same summary,
-- however the rows come (ordered either way inside the aggregate)
CREATE TABLE per_customer AS
SELECT customer_id,
       cvfw_conversion(stage, at, '{awareness,exploration,value_realization}', '30 days', 'any, by week', '2026-04-15') AS c
FROM fe GROUP BY customer_id;
SELECT customer_id, cvfw_conversion_furthest(c) AS furthest FROM per_customer ORDER BY customer_id;
-- (GROUP BY puts the rows without a customer in a group of their own, which
-- cvfw_conversion_by_customer leaves out: compare the customers)
SELECT (SELECT cvfw_conversion_merge(c ORDER BY customer_id DESC) FROM per_customer
        WHERE customer_id IS NOT NULL)::text
     = (SELECT cvfw_conversion_by_customer(customer_id, stage, at, '{awareness,exploration,value_realization}',
                                           '30 days', 'any, by week', '2026-04-15' ORDER BY at DESC) FROM fe)::text
       AS merged_equals_one_aggregate,
       (SELECT cvfw_conversion_merge(c) FROM per_customer)::text
     = (SELECT cvfw_conversion_merge(c ORDER BY random()) FROM per_customer)::text AS any_order;

-- 8. Accessors: the overall rate (to the last step, or any step), a time
-- percentile; text I/O reads back the same summary
SELECT cvfw_conversion_rate(c) AS to_value, cvfw_conversion_rate(c, 2) AS to_exploration,
       cvfw_conversion_time_percentile(c, 3, 0.5) AS median_to_value,
       cvfw_conversion_time_percentile(c, 2, 1) AS max_to_exploration,
       c::text::cvfw_conversion::text = c::text AS text_round_trip
FROM (SELECT cvfw_conversion_merge(c) AS c FROM per_customer) s;
-- no rows: NULL; rows, but no one entered: a summary of nobody
SELECT cvfw_conversion(stage, at, '{awareness,exploration}', '1 day') IS NULL AS no_rows
FROM fe WHERE false;
SELECT * FROM cvfw_conversion_report((SELECT cvfw_conversion(stage, at, '{advocacy,engagement}', '1 day')
                                      FROM fe WHERE customer_id = 7));
SELECT count(*) AS rows_by_month
FROM cvfw_conversion_report((SELECT cvfw_conversion(stage, at, '{advocacy,engagement}', '1 day', 'by month')
                             FROM fe WHERE customer_id = 7));

-- 9. Settings are constants of the aggregate; summaries of other settings do
-- not merge
SELECT cvfw_conversion(stage, at, '{awareness,exploration}', (customer_id || ' days')::interval) FROM fe;
SELECT cvfw_conversion_merge(c)
FROM (SELECT cvfw_conversion(stage, at, '{awareness,exploration}', '1 day') AS c FROM fe WHERE customer_id = 1
      UNION ALL
      SELECT cvfw_conversion(stage, at, '{awareness,exploration}', '2 days') FROM fe WHERE customer_id = 2) s;
-- settings may differ between groups (here as_of, per customer and stage):
-- each group has its own, also past the eight a call site shares
SELECT count(*) AS groups, count(*) FILTER (WHERE a.c::text IS NOT DISTINCT FROM b.c::text) AS equal_to_alone
FROM (SELECT customer_id, stage,
             cvfw_conversion(stage, at, '{awareness,exploration}', '30 days', NULL,
                             '2026-03-01'::timestamptz + customer_id * interval '1 day'
                               + cvfw_position(stage) * interval '1 hour') AS c
      FROM fe WHERE customer_id IS NOT NULL AND stage IS NOT NULL GROUP BY customer_id, stage) a,
     LATERAL (SELECT cvfw_conversion(stage, at, '{awareness,exploration}', '30 days', NULL,
                                     '2026-03-01'::timestamptz + a.customer_id * interval '1 day'
                                       + cvfw_position(a.stage) * interval '1 hour') AS c
              FROM fe WHERE customer_id = a.customer_id AND stage = a.stage) b;
-- the same settings written differently are the same
SELECT cvfw_conversion_merge(c) IS NOT NULL AS same_settings
FROM (SELECT cvfw_conversion(stage, at, '{awareness,exploration}', '1 day', 'FIRST , Loose') AS c FROM fe WHERE customer_id = 1
      UNION ALL
      SELECT cvfw_conversion(stage, at, '{awareness,exploration}', '24 hours', NULL) FROM fe WHERE customer_id = 2) s;

-- 10. For BI tools: the same report in standard types (days as float8);
-- every column of cvfw_bi_conversion equals the report's
SELECT count(*) AS rows,
       count(*) FILTER (WHERE (b.cohort, b.step, b.stage, b.position, b.customers, b.attempts, b.in_progress,
                               b.step_rate, b.overall_rate)
                              IS NOT DISTINCT FROM
                              (r.cohort, r.step::bigint, r.stage::text, cvfw_position(r.stage)::bigint,
                               r.customers, r.attempts, r.in_progress, r.step_rate, r.overall_rate)
                          AND b.time_p90_days IS NOT DISTINCT FROM extract(epoch FROM r.time_p90)::float8 / 86400
                          AND b.step_time_avg_days IS NOT DISTINCT FROM extract(epoch FROM r.step_time_avg)::float8 / 86400)
         AS equal
FROM (SELECT cvfw_conversion_merge(c) AS c FROM per_customer) s,
     LATERAL cvfw_bi_conversion(s.c) WITH ORDINALITY b(cohort, step, stage, position, customers, attempts, in_progress,
                                                       step_rate, overall_rate, time_avg_days, time_p50_days,
                                                       time_p90_days, step_time_avg_days, step_time_p50_days,
                                                       step_time_p90_days, n)
     JOIN LATERAL cvfw_conversion_report(s.c) WITH ORDINALITY r ON r.ordinality = b.n;
SELECT p.proname, count(*) FILTER (WHERE t.typname NOT IN ('int8', 'float8', 'text', 'timestamptz')) AS non_standard
FROM pg_proc p, unnest(p.proallargtypes[2:]) a(t0) JOIN pg_type t ON t.oid = a.t0
WHERE p.proname = 'cvfw_bi_conversion' GROUP BY p.proname;

DROP TABLE fe, per_customer;
DROP FUNCTION regress.funnel;

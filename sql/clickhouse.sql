--
-- clickhouse: the examples of ClickHouse's documentation of windowFunnel
-- and retention (docs/en/sql-reference/aggregate-functions/
-- parametric-functions.md), same events, same window: cvfw gives their
-- documented answers where the semantics coincide.  doc/funnels.md says
-- where they differ and why.
--
SET timezone = 'UTC';
SET intervalstyle = postgres;

-- windowFunnel.  "Determine if a set period of time is enough for the user
-- to select a phone and purchase it twice in the online store": the chain
-- login (eventID 1003) -> search (1009) -> order (1007) -> order again
-- (1010), their input table as it is.  Their event IDs become the wheel's
-- stages in chain order.
CREATE TABLE trend (event_date date, user_id int, "timestamp" timestamp, eventID int, product text);
INSERT INTO trend VALUES
  ('2019-01-28', 1, '2019-01-29 10:00:00', 1003, 'phone'),
  ('2019-01-31', 1, '2019-01-31 09:00:00', 1007, 'phone'),
  ('2019-01-30', 1, '2019-01-30 08:00:00', 1009, 'phone'),
  ('2019-02-01', 1, '2019-02-01 08:00:00', 1010, 'phone');
CREATE VIEW trend_stages AS
SELECT *, CASE eventID WHEN 1003 THEN 'awareness' WHEN 1009 THEN 'exploration'
                       WHEN 1007 THEN 'experience' WHEN 1010 THEN 'value_realization' END::cvfw_stage AS stage
FROM trend;
-- their query, windowFunnel(6048000000000000)(timestamp, eventID = 1003,
-- eventID = 1009, eventID = 1007, eventID = 1010) per user, counted by
-- level; their documented result: level 4, c 1.  (Their window is in
-- seconds; any window of at least the 70 hours the chain takes gives the
-- same; cvfw windows reach 292,000 years.)
SELECT level, count(*) AS c
FROM (SELECT user_id,
             cvfw_conversion_furthest(cvfw_conversion(stage, "timestamp",
               '{awareness,exploration,experience,value_realization}', '100000 years')) AS level
      FROM trend_stages
      WHERE event_date >= '2019-01-01' AND event_date <= '2019-02-02'
      GROUP BY user_id) s
GROUP BY level ORDER BY level;
-- Their window rule, "timestamp of cond1 <= timestamp of cond2 <= ... <=
-- timestamp of condN <= timestamp of cond1 + window", is cvfw's: measured
-- from the first step, its end included.  The chain takes exactly 70 hours:
-- a window of 70 hours reaches level 4, a second less level 3.
SELECT w AS conversion_window,
       cvfw_conversion_furthest(cvfw_conversion(stage, "timestamp",
         '{awareness,exploration,experience,value_realization}', w)) AS level
FROM trend_stages, (VALUES (interval '70 hours'), (interval '69:59:59')) v(w)
GROUP BY w ORDER BY w DESC;

-- 'strict_order': "Don't allow interventions of other events. E.g. in the
-- case of A->B->D->C, it stops finding A->B->C at the D and the max event
-- level is 2."  With A, B, C consecutive stages of the wheel, any other
-- stage D between B and C is a fall back somewhere (B -> D, or D -> C), so
-- cvfw's strict order gives their 2 for every D; loose order, their default
-- mode, passes over D: 3.
CREATE TABLE abdc (d cvfw_stage, stage cvfw_stage, at timestamptz);
INSERT INTO abdc
SELECT d.stage, s.stage, '2026-01-01'::timestamptz + s.n * interval '1 hour'
FROM cvfw_stages() d,
     LATERAL (VALUES (1, 'awareness'::cvfw_stage), (2, 'exploration'), (3, d.stage), (4, 'experience')) s(n, stage)
WHERE d.stage NOT IN ('exploration', 'experience');
SELECT d AS intervening,
       cvfw_conversion_furthest(cvfw_conversion(stage, at, '{awareness,exploration,experience}', '1 day', 'strict')) AS strict_order,
       cvfw_conversion_furthest(cvfw_conversion(stage, at, '{awareness,exploration,experience}', '1 day')) AS default_mode
FROM abdc GROUP BY d ORDER BY d;

-- retention.  "Let's consider an example of calculating the retention
-- function to determine site traffic": users 0-4 visit on 2020-01-01, 0-9 on
-- 2020-01-02, 0-14 on 2020-01-03 (their INSERT ... FROM numbers(n)).  A visit
-- is an event, here at awareness (retention counts events at any stage).
CREATE TABLE retention_test (date date, uid int);
INSERT INTO retention_test SELECT '2020-01-01', n FROM generate_series(0, 4) n;
INSERT INTO retention_test SELECT '2020-01-02', n FROM generate_series(0, 9) n;
INSERT INTO retention_test SELECT '2020-01-03', n FROM generate_series(0, 14) n;
-- Per user, retention(date = '2020-01-01', date = '2020-01-02',
-- date = '2020-01-03'): their documented result is [1,1,1] for uids 0-4 and
-- [0,0,0] for 5-14.  With cvfw: each user's summary (cohort = the day of
-- their first visit), read at the 2020-01-01 cohort's offsets 0, 1, 2.
SELECT uid, ARRAY[coalesce(max(m.retained) FILTER (WHERE m.cohort = '2020-01-01' AND m.period_offset = 0), 0),
                  coalesce(max(m.retained) FILTER (WHERE m.cohort = '2020-01-01' AND m.period_offset = 1), 0),
                  coalesce(max(m.retained) FILTER (WHERE m.cohort = '2020-01-01' AND m.period_offset = 2), 0)] AS r
FROM (SELECT uid, cvfw_retention('awareness', date, NULL, 'day', '2020-01-04') AS s
      FROM retention_test WHERE date IN ('2020-01-01', '2020-01-02', '2020-01-03') GROUP BY uid) u
LEFT JOIN LATERAL cvfw_retention_matrix(u.s) m ON true
GROUP BY uid ORDER BY uid;
-- Their totals, sum(r[1]), sum(r[2]), sum(r[3]): documented 5, 5, 5 — the
-- 2020-01-01 cohort's row of the matrix
SELECT period_offset, retained
FROM cvfw_retention_matrix((SELECT cvfw_retention_by_customer(uid, 'awareness', date, NULL, 'day', '2020-01-04')
                            FROM retention_test))
WHERE cohort = '2020-01-01' ORDER BY period_offset;
-- cvfw's matrix has the later cohorts too (2020-01-02: uids 5-9, back on
-- the 3rd; 2020-01-03: uids 10-14), which their query does not count: its
-- first condition is "visited on 2020-01-01", not "first visited then"
SELECT * FROM cvfw_retention_matrix((SELECT cvfw_retention_by_customer(uid, 'awareness', date, NULL, 'day', '2020-01-04')
                                     FROM retention_test));

DROP VIEW trend_stages;
DROP TABLE trend, abdc, retention_test;

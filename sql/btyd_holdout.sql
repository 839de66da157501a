--
-- btyd_holdout: the calibration/holdout split (cvfw_rfm_holdout) and the
-- standard model checks (cvfw_bgnbd_holdout, cvfw_pnbd_holdout,
-- cvfw_bgnbd_frequencies, cvfw_pnbd_frequencies) on CDNOW, 39 weeks of
-- calibration and 39 of holdout, against test/data/cdnow/check_models.py
-- (its own split of the raw purchases, the textbook conditional
-- expectations and P(X(t) = n) at the same parameters).
--
CREATE SCHEMA btyd_holdout;
SET search_path = btyd_holdout, public;
SET extra_float_digits = 0;
SET datestyle = ISO;
SET timezone = 'America/New_York';
CREATE TABLE cdnow_lines (line text);
\copy cdnow_lines FROM 'test/data/cdnow/CDNOW_sample.txt'
CREATE TABLE purchases AS
SELECT f[2]::int AS customer_id, to_date(f[3], 'YYYYMMDD') AS day, f[5]::float8 AS dollars
FROM (SELECT regexp_split_to_array(btrim(line, E' \r'), '\s+') AS f FROM cdnow_lines) s;

-- the split: the calibration summary as cvfw_rfm's, and the purchase days
-- after 1997-09-30 up to 1998-06-30 (39 weeks)
CREATE TABLE split AS
SELECT customer_id, (cvfw_rfm_holdout(day, dollars, '1997-09-30', '1998-06-30', '7 days')).*
FROM purchases GROUP BY customer_id;
-- check_models.py: 2357 customers, 2457 calibration repeat purchases, 1882
-- holdout purchase days
SELECT count(*) AS customers, sum(frequency) AS calibration_repeat, sum(frequency_holdout) AS holdout_days,
       min(duration_holdout) AS duration_min, max(duration_holdout) AS duration_max
FROM split;
SELECT count(*) AS calibration_differs
FROM split s JOIN (SELECT customer_id, (cvfw_rfm(day, dollars, '1997-09-30', '7 days')).*
                   FROM purchases GROUP BY customer_id) r USING (customer_id)
WHERE (s.frequency, s.recency, s.t, s.monetary) IS DISTINCT FROM (r.frequency, r.recency, r.t, r.monetary);
-- customer 1 bought on 1997-01-01, 01-18, 08-02, then on 12-12 (26.48): one
-- holdout day of 26.48
SELECT frequency, round(recency::numeric, 4) AS recency, round(t::numeric, 4) AS t, monetary,
       frequency_holdout, monetary_holdout, duration_holdout
FROM split WHERE customer_id = 1;
-- the same from a parallel plan
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SELECT regress.plan_has('SELECT customer_id, cvfw_rfm_holdout(day, dollars, ''1997-09-30'', ''1998-06-30'', ''7 days'') FROM purchases GROUP BY customer_id', 'Partial HashAggregate') AS split_in_parallel;
SELECT count(*) AS parallel_differs
FROM (SELECT customer_id, cvfw_rfm_holdout(day, dollars, '1997-09-30', '1998-06-30', '7 days') AS h
      FROM purchases GROUP BY customer_id) p
JOIN split s USING (customer_id)
WHERE (p.h).frequency <> s.frequency OR (p.h).recency <> s.recency OR (p.h).t <> s.t
   OR (p.h).monetary <> s.monetary OR (p.h).frequency_holdout <> s.frequency_holdout
   OR (p.h).monetary_holdout <> s.monetary_holdout;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- the models of the calibration period, as check_models.py took them from
-- the fits (which agree with them to 1e-6): the checks are compared at
-- the same numbers
CREATE TABLE models AS
SELECT ROW(0.24259452242770707, 4.41360201897358, 0.7929220171855824, 2.4259067766435445, NULL, NULL)::cvfw_bgnbd AS bg,
       ROW(0.5532770467155965, 10.57768346099908, 0.606239989210827, 11.668735293013619, NULL, NULL)::cvfw_pnbd AS pn;
SELECT abs((f.bg).a / (m.bg).a - 1) < 1e-6 AND abs((f.bg).b / (m.bg).b - 1) < 1e-6
       AND abs((f.pn).s / (m.pn).s - 1) < 1e-6 AND abs((f.pn).beta / (m.pn).beta - 1) < 1e-6 AS fits_as_taken
FROM (SELECT cvfw_bgnbd_fit(frequency, recency, t) AS bg, cvfw_pnbd_fit(frequency, recency, t) AS pn FROM split) f, models m;

-- predicted against actual holdout purchases per calibration frequency.
-- Actual 1882 purchase days; BG/NBD expects 1653.4 (12% short), the
-- Pareto/NBD 1665.5.  check_models.py, expected per bin 0..6, 7+:
--   BG/NBD     317.598217144 229.654585104 223.444702039 152.027951298
--              134.159679560 100.846143628 101.617226664 394.060192510
--   Pareto/NBD 195.348571661 263.167625626 255.909057764 171.384336568
--              148.695108336 110.473893049 110.738220058 409.796294126
CREATE TABLE ref_holdout (model text, i int, expected float8);
INSERT INTO ref_holdout
SELECT 'BG/NBD', i, e FROM unnest(ARRAY[317.598217144, 229.654585104, 223.444702039, 152.027951298,
  134.159679560, 100.846143628, 101.617226664, 394.060192510, 1653.408697948]) WITH ORDINALITY u(e, i)
UNION ALL
SELECT 'Pareto/NBD', i, e FROM unnest(ARRAY[195.348571661, 263.167625626, 255.909057764, 171.384336568,
  148.695108336, 110.473893049, 110.738220058, 409.796294126, 1665.513107189]) WITH ORDINALITY u(e, i);
CREATE TABLE holdout AS
SELECT 'BG/NBD' AS model, b.*
FROM (SELECT cvfw_bgnbd_holdout((SELECT bg FROM models), frequency, recency, t, frequency_holdout, duration_holdout) AS bins
      FROM split) s, unnest(s.bins) WITH ORDINALITY b
UNION ALL
SELECT 'Pareto/NBD', b.*
FROM (SELECT cvfw_pnbd_holdout((SELECT pn FROM models), frequency, recency, t, frequency_holdout, duration_holdout) AS bins
      FROM split) s, unnest(s.bins) WITH ORDINALITY b;
SELECT h.model, h.frequency, h.customers, round(h.actual_mean::numeric, 3) AS actual_mean,
       round(h.expected_mean::numeric, 3) AS expected_mean, h.actual_total,
       round(h.expected_total::numeric, 1) AS expected_total,
       abs(h.expected_total / r.expected - 1) < 1e-9 AS as_reference
FROM holdout h JOIN ref_holdout r ON r.model = h.model AND r.i = h.ordinality
ORDER BY h.model, h.ordinality;

-- the calibration period's frequencies: customers with 0 .. 6, 7 or more
-- repeat purchases, and the number the model expects, sum_i P(X(T_i) = n)
-- (the published actual counts: 1411 439 214 100 62 38 29 64).
-- check_models.py (BG/NBD by FHL's equation (8), the Pareto/NBD by
-- adaptive Simpson over the lifetime):
--   BG/NBD     1407.684346595 460.323463043 192.461413960 101.164196225
--              59.847078797 38.119705468 25.549108014 71.850687897
--   Pareto/NBD 1434.049303935 396.877920219 193.492392183 111.811698753
--              69.989987464 45.855578859 30.932117921 73.991000667
CREATE TABLE ref_freq (model text, i int, expected float8);
INSERT INTO ref_freq
SELECT 'BG/NBD', i, e FROM unnest(ARRAY[1407.684346595, 460.323463043, 192.461413960, 101.164196225,
  59.847078797, 38.119705468, 25.549108014, 71.850687897, 2357]) WITH ORDINALITY u(e, i)
UNION ALL
SELECT 'Pareto/NBD', i, e FROM unnest(ARRAY[1434.049303935, 396.877920219, 193.492392183, 111.811698753,
  69.989987464, 45.855578859, 30.932117921, 73.991000667, 2357]) WITH ORDINALITY u(e, i);
SELECT f.model, f.frequency, f.actual, round(f.expected::numeric, 1) AS expected,
       abs(f.expected / r.expected - 1) < 1e-9 AS as_reference
FROM (SELECT 'BG/NBD' AS model, b.*
      FROM (SELECT cvfw_bgnbd_frequencies((SELECT bg FROM models), frequency, t) AS bins FROM split) s,
           unnest(s.bins) WITH ORDINALITY b
      UNION ALL
      SELECT 'Pareto/NBD', b.*
      FROM (SELECT cvfw_pnbd_frequencies((SELECT pn FROM models), frequency, t) AS bins FROM split) s,
           unnest(s.bins) WITH ORDINALITY b) f
JOIN ref_freq r ON r.model = f.model AND r.i = f.ordinality
ORDER BY f.model, f.ordinality;

-- fewer bins; customers with a NULL are left out; no rows is NULL
SELECT b.frequency, b.customers, round(b.actual_mean::numeric, 6) AS actual_mean,
       round(b.expected_mean::numeric, 6) AS expected_mean, b.actual_total,
       round(b.expected_total::numeric, 6) AS expected_total
FROM (SELECT cvfw_bgnbd_holdout((SELECT bg FROM models), frequency, recency, t, frequency_holdout, duration_holdout, 2) AS bins
                 FROM (SELECT * FROM split UNION ALL SELECT 0, NULL, 1, 2, 0, 0, 0, 39) s) q, unnest(q.bins) b;
SELECT cvfw_bgnbd_holdout((SELECT bg FROM models), frequency, recency, t, frequency_holdout, duration_holdout) IS NULL AS none,
       cvfw_pnbd_frequencies((SELECT pn FROM models), frequency, t) IS NULL AS none_freq
FROM split WHERE false;

-- the checks in parallel equal the serial ones
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SELECT regress.plan_has('SELECT cvfw_bgnbd_holdout(NULL::cvfw_bgnbd, frequency, recency, t, frequency_holdout, duration_holdout) FROM split', 'Partial Aggregate') AS check_in_parallel;
SELECT count(*) AS parallel_differs
FROM (SELECT b.* FROM (SELECT cvfw_bgnbd_holdout((SELECT bg FROM models), frequency, recency, t, frequency_holdout, duration_holdout) AS bins
                       FROM split) s, unnest(s.bins) WITH ORDINALITY b) p
JOIN holdout h ON h.model = 'BG/NBD' AND h.ordinality = p.ordinality
WHERE p.customers <> h.customers OR abs(p.expected_total - h.expected_total) > 1e-9 * h.expected_total
   OR p.actual_total <> h.actual_total;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- the split's edge cases: a customer whose first purchase is after the
-- calibration end is not a customer yet (NULL)
SELECT (cvfw_rfm_holdout(d::timestamptz, 1, '2024-01-31', '2024-03-01', '7 days')) IS NULL AS not_yet
FROM (VALUES ('2024-02-10'::date)) v(d);
-- purchases after the observation end are left out; a grain of a week.
-- By hand: grains count weeks from Saturday 2000-01-01, so 2023-12-30 ..
-- 2024-01-05 is one (10 + 5), 01-27 .. 02-02 another (20; the calibration
-- ends in it), 02-03 .. 02-09 (4 + 6) and 02-17 .. 02-23 (8) are the
-- holdout's two, and 03-01's week ends it: frequency 1, recency and T 28
-- days, monetary 20; two holdout grains of (4 + 6 + 8) / 2 = 9 on average;
-- a holdout of 4 grains, 28 days
SELECT (cvfw_rfm_holdout(d::timestamptz, a, '2024-01-31', '2024-03-01', '1 day', '7 days')).*
FROM (VALUES ('2024-01-01'::date, 10::float8), ('2024-01-02', 5), ('2024-01-29', 20), ('2024-02-05', 4),
             ('2024-02-06', 6), ('2024-02-20', 8), ('2024-04-01', 99)) v(d, a);
SELECT f, (regress.try(f)).*
FROM unnest(ARRAY[
  'SELECT cvfw_rfm_holdout(now(), 1, now(), now() - ''1 day''::interval, ''1 day'')',
  'SELECT cvfw_rfm_holdout(now(), 1, now(), NULL, ''1 day'')',
  'SELECT cvfw_rfm_holdout(now(), 1, now(), ''infinity'', ''1 day'')',
  'SELECT cvfw_rfm_holdout(now(), ''NaN'', now(), now(), ''1 day'')',
  'SELECT cvfw_rfm_holdout(now(), 1, now(), now(), ''0 days'')',
  'SELECT cvfw_rfm_holdout(at, 1, now(), at, ''1 day'') FROM (VALUES (now()), (now() + ''1 day'')) v(at)',
  'SELECT cvfw_bgnbd_holdout(NULL, 1, 1, 2, 0, 39)',
  'SELECT cvfw_bgnbd_holdout(ROW(0.2, 4, 0.8, 2, NULL, NULL), 1, 1, 2, -1, 39)',
  'SELECT cvfw_bgnbd_holdout(ROW(0.2, 4, 0.8, 2, NULL, NULL), 1, 1, 2, 0, ''Infinity'')',
  'SELECT cvfw_bgnbd_holdout(ROW(0.2, 4, 0.8, 2, NULL, NULL), 1, 3, 2, 0, 39)',
  'SELECT cvfw_bgnbd_holdout(ROW(0.2, 4, 0.8, 2, NULL, NULL), 1, 1, 2, 0, 39, 0)',
  'SELECT cvfw_bgnbd_holdout(ROW(0.2, 4, 0.8, 2, NULL, NULL), 1, 1, 2, 0, 39, NULL)',
  'SELECT cvfw_pnbd_frequencies(ROW(0.5, 10, 0.6, 11, NULL, NULL), 1.5, 2)',
  'SELECT cvfw_bgnbd_frequencies(m, 1, 2) FROM (VALUES (ROW(0.2, 4, 0.8, 2, NULL, NULL)::cvfw_bgnbd), (ROW(0.3, 4, 0.8, 2, NULL, NULL)::cvfw_bgnbd)) v(m)',
  'SELECT cvfw_bgnbd_holdout(ROW(0.2, 4, 0.8, 2, NULL, NULL), 1, 1, 2, 0, 39, b) FROM (VALUES (3), (4)) v(b)',
  -- the state is a plain array anyone can pass: a crafted one is refused
  'SELECT cvfw_btyd_holdout_final(ARRAY[1, 1, 1, 0.2, 4, 0.8, 2, 0, 0, 0]::float8[])',
  'SELECT cvfw_btyd_holdout_final(ARRAY[1, 1, 1, 0.2, 4, 0.8, 2, 0, 0, 0, 0, 0, -1]::float8[])',
  'SELECT cvfw_btyd_holdout_final(ARRAY[2, 1, 1, 0.2, 4, 0.8, 2, 0, 0, 0, 0, 0, 0]::float8[])',
  'SELECT cvfw_btyd_frequencies_final(ARRAY[2, 1, 1e9, 0.2, 4, 0.8, 2, 0, 0, 0, 0, 0, 0]::float8[])',
  'SELECT cvfw_btyd_bins_combine(ARRAY[1, 1, 1, 0.2, 4, 0.8, 2, 0, 0, 0, 0, 0, 0]::float8[], ARRAY[1, 1, 1, 0.2, 4, 0.8, 3, 0, 0, 0, 0, 0, 0]::float8[])',
  'SELECT cvfw_bgnbd_holdout_trans(ARRAY[1, 1, 1, 0.2, 4, 0.8, 2, 0, 0, ''NaN'', 0, 0, 0]::float8[], ROW(0.2, 4, 0.8, 2, NULL, NULL), 1, 1, 2, 0, 39)']) f;
-- a valid state passed directly: its rows (1 bin: 0, 1+, all)
SELECT b.* FROM unnest(cvfw_btyd_holdout_final(ARRAY[1, 1, 1, 0.2, 4, 0.8, 2, 3, 1, 0.5, 0, 0, 0]::float8[])) b;

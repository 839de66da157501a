--
-- btyd: RFM summaries, BG/NBD and Gamma-Gamma on the CDNOW sample against
-- the published results (Fader, Hardie & Lee 2005) and against
-- test/data/cdnow/check_btyd.py, an independent computation; parallel and
-- order independence; edge cases and bad input.
--
SET extra_float_digits = 0;
SET datestyle = ISO;
-- the purchases are dates; cast to timestamptz in a zone that is not UTC
-- (and has summer time), each date still counts as one purchase day
SET timezone = 'America/New_York';

-- the raw purchases (whitespace separated, CRLF) and the published summary
CREATE TABLE cdnow_lines (line text);
\copy cdnow_lines FROM 'test/data/cdnow/CDNOW_sample.txt'
CREATE TABLE cdnow_purchases AS
SELECT f[2]::int AS customer_id, to_date(f[3], 'YYYYMMDD') AS day, f[4]::int AS cds,
       f[5]::numeric AS dollars
FROM (SELECT regexp_split_to_array(btrim(line, E' \r'), '\s+') AS f FROM cdnow_lines) s;
CREATE TABLE cdnow_summary (id int PRIMARY KEY, x float8, t_x float8, t float8, zbar float8);
\copy cdnow_summary FROM 'test/data/cdnow/cdnow_customers_summary_with_transactions.csv' (FORMAT csv, HEADER true)
SELECT count(*) AS purchases, count(DISTINCT customer_id) AS customers, min(day), max(day)
FROM cdnow_purchases;

-- cvfw_rfm reproduces every row of the summary: days collapse, purchases
-- after 1997-09-30 are left out, recency and T in weeks (7 days)
CREATE TABLE cdnow_rfm AS
SELECT customer_id, (cvfw_rfm(day, dollars::float8, '1997-09-30', '7 days')).*
FROM cdnow_purchases GROUP BY customer_id;
SELECT count(*) AS customers,
       count(*) FILTER (WHERE r.frequency <> s.x) AS frequency_differs,
       count(*) FILTER (WHERE round(r.recency::numeric, 2) <> s.t_x::numeric) AS recency_differs,
       count(*) FILTER (WHERE round(r.t::numeric, 2) <> s.t::numeric) AS t_differs,
       count(*) FILTER (WHERE round(r.monetary::numeric, 2) <> s.zbar::numeric) AS monetary_differs
FROM cdnow_rfm r JOIN cdnow_summary s ON s.id = r.customer_id;
-- customer 1 by hand: purchases 1997-01-01 (29.33), 01-18 (29.73), 08-02
-- (14.96), 12-12 (26.48, after the calibration end): 2 repeat days, 213 days
-- from first to last = 30.43 weeks, 272 days to 09-30 = 38.86 weeks,
-- (29.73 + 14.96) / 2 = 22.345
SELECT day, dollars FROM cdnow_purchases WHERE customer_id = 1 ORDER BY day;
SELECT frequency, round(recency::numeric, 4) AS recency, round(t::numeric, 4) AS t, monetary
FROM cdnow_rfm WHERE customer_id = 1;

-- BG/NBD on the published summary: FHL 2005 print r = 0.243, alpha = 4.414,
-- a = 0.793, b = 2.426, LL = -9582.4 (check_btyd.py: 0.242593, 4.413533,
-- 0.792886, 2.425754, -9582.4256)
CREATE TABLE cdnow_models AS
SELECT (SELECT cvfw_bgnbd_fit(x, t_x, t) FROM cdnow_summary) AS bg,
       (SELECT cvfw_gg_fit(x, zbar) FROM cdnow_summary) AS gg_cents,
       (SELECT cvfw_gg_fit(frequency, monetary) FROM cdnow_rfm) AS gg;
SELECT round((bg).r::numeric, 3) AS r, round((bg).alpha::numeric, 3) AS alpha,
       round((bg).a::numeric, 3) AS a, round((bg).b::numeric, 3) AS b,
       round((bg).loglik::numeric, 1) AS loglik, (bg).customers
FROM cdnow_models;
-- to the independent fit's precision
SELECT round((bg).r::numeric, 5) AS r, round((bg).alpha::numeric, 4) AS alpha,
       round((bg).a::numeric, 5) AS a, round((bg).b::numeric, 4) AS b,
       round((bg).loglik::numeric, 3) AS loglik
FROM cdnow_models;
-- the same from the summaries cvfw_rfm computed (unrounded weeks)
SELECT round(r::numeric, 3) AS r, round(alpha::numeric, 3) AS alpha, round(a::numeric, 3) AS a,
       round(b::numeric, 3) AS b, round(loglik::numeric, 1) AS loglik, customers
FROM (SELECT (cvfw_bgnbd_fit(frequency, recency, t)).* FROM cdnow_rfm) f;

-- Gamma-Gamma on the 946 repeat customers: published p = 6.25, q = 3.74,
-- v = 15.44.  From the purchases' own mean amounts (check_btyd.py: 6.249571,
-- 3.744225, 15.443525) that is what comes out; from the summary file's
-- zbar, rounded to cents, v is 15.45 (check_btyd.py: 6.248807, 3.744587,
-- 15.447732; lifetimes prints 15.45 too)
SELECT round((gg).p::numeric, 2) AS p, round((gg).q::numeric, 2) AS q, round((gg).v::numeric, 2) AS v,
       round((gg).loglik::numeric, 2) AS loglik, (gg).customers,
       round((gg).p::numeric, 4) AS p4, round((gg).q::numeric, 4) AS q4, round((gg).v::numeric, 3) AS v3
FROM cdnow_models;
SELECT round((gg_cents).p::numeric, 4) AS p, round((gg_cents).q::numeric, 4) AS q,
       round((gg_cents).v::numeric, 3) AS v, round((gg_cents).loglik::numeric, 2) AS loglik,
       (gg_cents).customers
FROM cdnow_models;

-- predictions with the fitted model, against check_btyd.py's textbook
-- formulas at the same parameters (9 decimals there; compared here to 5,
-- as a fit is only as precise as ~1e-6 relative):
--   E[X(39)] 1.195016404, E[X(78)] 1.857971883
--   E[Y(39) | 2, 30.43, 38.86] 1.225910427 (FHL 2005 print 1.226)
--   E[Y(39) | 0, 0, 38.86] 0.194780865, E[Y(52) | 30, 38, 39] 24.987740806
--   P(alive | 2, 30.43, 38.86) 0.726609145, P(alive | 5, 10, 38.86) 0.024814984
SELECT round(cvfw_bgnbd_expected(bg, 39)::numeric, 5) AS e39,
       round(cvfw_bgnbd_expected(bg, 78)::numeric, 5) AS e78,
       round(cvfw_bgnbd_conditional(bg, 2, 30.43, 38.86, 39)::numeric, 5) AS cond_1,
       round(cvfw_bgnbd_conditional(bg, 0, 0, 38.86, 39)::numeric, 5) AS cond_3,
       round(cvfw_bgnbd_conditional(bg, 30, 38, 39, 52)::numeric, 5) AS cond_heavy,
       round(cvfw_bgnbd_p_alive(bg, 2, 30.43, 38.86)::numeric, 5) AS alive_1,
       round(cvfw_bgnbd_p_alive(bg, 5, 10, 38.86)::numeric, 5) AS alive_lapsed,
       cvfw_bgnbd_p_alive(bg, 0, 0, 38.86) AS alive_one_time
FROM cdnow_models;
-- Gamma-Gamma (summary-file fit): E[M | 2, 22.35] 24.658616248, new customer
-- p v / (q - 1) = 35.171001486; CLV over 52 weeks at 1% a week: 30.404451742;
-- a one-time buyer over 104 weeks at 0.2%, margin 0.3: 4.345969219
SELECT round(cvfw_gg_expected_spend(gg_cents, 2, 22.35)::numeric, 5) AS spend_1,
       round(cvfw_gg_expected_spend(gg_cents, 0, 0)::numeric, 5) AS spend_new,
       round(cvfw_clv_predict(bg, gg_cents, 2, 30.43, 38.86, 22.35, 52, 0.01)::numeric, 5) AS clv_1,
       round(cvfw_clv_predict(bg, gg_cents, 0, 0, 38.86, 0, 104, 0.002, 0.3)::numeric, 5) AS clv_3
FROM cdnow_models;
-- no discount: the sum telescopes to E[Y(39)] x spend; no periods: 0
SELECT round((cvfw_clv_predict(bg, gg_cents, 2, 30.43, 38.86, 22.35, 39, 0)
              / cvfw_gg_expected_spend(gg_cents, 2, 22.35))::numeric, 5) AS telescopes,
       cvfw_clv_predict(bg, gg_cents, 2, 30.43, 38.86, 22.35, 0, 0.01) AS no_periods
FROM cdnow_models;
-- the whole sample: the expected purchases of the next 39 weeks beside the
-- purchase days that followed (weeks 40-78, all repeat purchases)
SELECT round(sum(cvfw_bgnbd_conditional(bg, x, t_x, t, 39))) AS expected_weeks_40_78
FROM cdnow_summary, cdnow_models;
SELECT count(*) AS repeat_purchase_days_weeks_40_78
FROM (SELECT DISTINCT customer_id, day FROM cdnow_purchases WHERE day > '1997-09-30') d;

-- fits do not depend on row order or on the split between workers
SELECT (SELECT cvfw_bgnbd_fit(x, t_x, t) FROM (SELECT * FROM cdnow_summary ORDER BY id DESC) s)::text
       = (SELECT bg FROM cdnow_models)::text AS bg_reversed_same,
       (SELECT cvfw_gg_fit(x, zbar) FROM (SELECT * FROM cdnow_summary ORDER BY zbar, id DESC) s)::text
       = (SELECT gg_cents FROM cdnow_models)::text AS gg_reordered_same;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SELECT regress.plan_has('SELECT cvfw_bgnbd_fit(x, t_x, t) FROM cdnow_summary', 'Partial Aggregate') AS fit_in_parallel,
       regress.plan_has('SELECT customer_id, cvfw_rfm(day, dollars::float8, ''1997-09-30'', ''7 days'') FROM cdnow_purchases GROUP BY customer_id', 'Partial HashAggregate') AS rfm_in_parallel;
SELECT (SELECT cvfw_bgnbd_fit(x, t_x, t) FROM cdnow_summary)::text = (SELECT bg FROM cdnow_models)::text AS bg_parallel_same,
       (SELECT cvfw_gg_fit(x, zbar) FROM cdnow_summary)::text = (SELECT gg_cents FROM cdnow_models)::text AS gg_parallel_same;
SELECT count(*) AS rfm_parallel_differs
FROM (SELECT customer_id, cvfw_rfm(day, dollars::float8, '1997-09-30', '7 days') AS s
      FROM cdnow_purchases GROUP BY customer_id) p
JOIN cdnow_rfm r USING (customer_id)
WHERE (p.s).frequency <> r.frequency OR (p.s).recency <> r.recency OR (p.s).t <> r.t
   OR (p.s).monetary <> r.monetary;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- per segment: the fit is an aggregate like any other (here, per month of
-- the first purchase)
SELECT cohort, round(r::numeric, 3) AS r, round(alpha::numeric, 3) AS alpha,
       round(a::numeric, 3) AS a, round(b::numeric, 3) AS b, customers
FROM (SELECT date_trunc('month', f.first)::date AS cohort, (cvfw_bgnbd_fit(x, t_x, t)).*
      FROM cdnow_summary s
      JOIN (SELECT customer_id, min(day) AS first FROM cdnow_purchases GROUP BY 1) f
        ON f.customer_id = s.id
      GROUP BY 1) c ORDER BY cohort;

-- cvfw_rfm: the grain (weeks instead of days), no purchase in the period,
-- NULL amounts count as purchases of 0, NULL times are left out
SELECT (cvfw_rfm(at, amount, '2024-01-31', '1 day', '7 days')).*
FROM (VALUES ('2024-01-01'::timestamptz, 10::float8), ('2024-01-02', 5), ('2024-01-15', NULL),
             ('2024-01-29', 20), (NULL, 99)) v(at, amount);
SELECT cvfw_rfm(at, 1, '2024-01-01', '1 day') IS NULL AS after_calibration_only
FROM (VALUES ('2024-02-01'::timestamptz)) v(at);
SELECT cvfw_rfm(at, 1, '2024-01-01', '1 day') IS NULL AS no_rows
FROM (VALUES ('2024-02-01'::timestamptz)) v(at) WHERE false;
-- a purchase on the calibration end's day, after its time, is after the end
SELECT (cvfw_rfm(at, 1, '2024-01-10 12:00', '1 day')).frequency
FROM (VALUES ('2024-01-01'::timestamptz), ('2024-01-10 11:00'), ('2024-01-10 13:00')) v(at);

-- as a window function (the final function runs, then more rows come):
-- the running summary after each purchase day; 1 January to 1 February is
-- 31 days = 4.43 weeks; the two purchases of 3 January are one of 12;
-- then (12 + 20) / 2 = 16
SELECT d, (cvfw_rfm(d::timestamptz, a, '2024-02-01', '7 days') OVER (ORDER BY d)).*
FROM (VALUES ('2024-01-01'::date, 10::float8), ('2024-01-03', 5), ('2024-01-03', 7),
             ('2024-01-20', 20)) v(d, a);

-- fits: NULL rows are left out; no rows: NULL
SELECT (cvfw_bgnbd_fit(x, t_x, t)).customers FROM
  (SELECT x, t_x, t FROM cdnow_summary UNION ALL SELECT NULL, 1, 2 UNION ALL SELECT 1, NULL, 2) s;
SELECT cvfw_bgnbd_fit(x, t_x, t) IS NULL AS none, cvfw_gg_fit(x, zbar) IS NULL AS none_gg
FROM cdnow_summary WHERE false;

-- data that cannot identify a model: clear errors, never numbers
SELECT f, (regress.try(f)).*
FROM unnest(ARRAY[
  'SELECT cvfw_bgnbd_fit(x, t_x, t) FROM cdnow_summary WHERE x = 0',
  'SELECT cvfw_bgnbd_fit(x, t_x, t) FROM cdnow_summary WHERE id = 1',
  'SELECT cvfw_gg_fit(x, zbar) FROM cdnow_summary WHERE x = 0',
  'SELECT cvfw_gg_fit(x, zbar) FROM cdnow_summary WHERE id = 1',
  'SELECT cvfw_gg_fit(x, m) FROM (VALUES (2, 10), (3, 10), (1, 10)) v(x, m)']) f;

-- four customers (two repeat buyers, one purchase each): the likelihood
-- rises as a and b go to infinity together, so the answer is that limit,
-- homogeneous dropout (held as a + b = 1e15; a NOTICE says so; 0.1.0
-- refused it); btyd_fits tests this on simulated data
SELECT round(r::numeric, 4) AS r, round(alpha::numeric, 4) AS alpha, a + b = 1e15 AS limiting_model,
       round((a / (a + b))::numeric, 4) AS p, round(loglik::numeric, 4) AS loglik
FROM (SELECT (cvfw_bgnbd_fit(x, t_x, t)).* FROM cdnow_summary WHERE id < 5) f;

-- bad rows and arguments (22023), NULL settings (22004), infinite times (22008)
SELECT f, (regress.try('SELECT ' || f)).*
FROM unnest(ARRAY[
  'cvfw_bgnbd_fit(-1, 0, 5)', 'cvfw_bgnbd_fit(1.5, 1, 5)', 'cvfw_bgnbd_fit(1, 6, 5)',
  'cvfw_bgnbd_fit(0, 1, 5)', 'cvfw_bgnbd_fit(''NaN'', 1, 5)', 'cvfw_bgnbd_fit(1, 1, ''Infinity'')',
  'cvfw_gg_fit(2, 0)', 'cvfw_gg_fit(2, -5)', 'cvfw_gg_fit(2, ''NaN'')',
  'cvfw_bgnbd_expected(ROW(0.2, 4, 0.8, -2, NULL, NULL), 1)',
  'cvfw_bgnbd_expected(ROW(0.2, 4, 0.8, NULL, NULL, NULL), 1)',
  'cvfw_bgnbd_expected(ROW(0.2, 4, 0.8, 2, NULL, NULL), -1)',
  'cvfw_bgnbd_expected(ROW(0.2, 4, 0.8, 2, NULL, NULL), ''Infinity'')',
  'cvfw_bgnbd_conditional(ROW(0.2, 4, 0.8, 2, NULL, NULL), 2, 40, 39, 10)',
  'cvfw_bgnbd_p_alive(ROW(0.2, 4, 0.8, 2, NULL, NULL), 0, 3, 39)',
  'cvfw_gg_expected_spend(ROW(2, 0.5, 10, NULL, NULL), 0, 0)',
  'cvfw_gg_expected_spend(ROW(2, 3, 10, NULL, NULL), 2, 0)',
  'cvfw_gg_expected_spend(ROW(0, 3, 10, NULL, NULL), 2, 5)',
  'cvfw_clv_predict(ROW(0.2, 4, 0.8, 2, NULL, NULL), ROW(2, 3, 10, NULL, NULL), 1, 2, 3, 10, -1, 0.1)',
  'cvfw_clv_predict(ROW(0.2, 4, 0.8, 2, NULL, NULL), ROW(2, 3, 10, NULL, NULL), 1, 2, 3, 10, 5, -1)',
  'cvfw_clv_predict(ROW(0.2, 4, 0.8, 2, NULL, NULL), ROW(2, 3, 10, NULL, NULL), 1, 2, 3, 10, 5, 0.1, ''NaN'')',
  'cvfw_clv_predict(ROW(0.2, 4, 0.8, 2, NULL, NULL), ROW(2, 3, 10, NULL, NULL), 1, 4, 3, 10, 5, 0.1)',
  'cvfw_rfm(now(), 1, now(), ''0 days'')',
  'cvfw_rfm(now(), 1, now(), ''-1 day'')',
  'cvfw_rfm(now(), 1, now(), ''1 day'', ''200 years'')',
  'cvfw_rfm(now(), 1, now(), NULL)',
  'cvfw_rfm(now(), 1, NULL, ''1 day'')',
  'cvfw_rfm(''infinity'', 1, now(), ''1 day'')',
  'cvfw_rfm(now(), ''Infinity'', now(), ''1 day'')',
  'cvfw_rfm(at, 1, at, ''1 day'') FROM (VALUES (now()), (now() + ''1 day'')) v(at)']) f;

-- extreme but valid: a customer with 10,000 repeat purchases, a horizon of
-- 10,000 weeks, a model with a = 1 exactly, huge spend
SELECT round(cvfw_bgnbd_p_alive(bg, 10000, 38, 38.86)::numeric, 6) AS alive_heavy,
       round(cvfw_bgnbd_conditional(bg, 10000, 38.86, 38.86, 1)::numeric, 2) AS next_week_heavy,
       round(cvfw_bgnbd_conditional(bg, 2, 30.43, 38.86, 10000)::numeric, 4) AS long_horizon,
       round(cvfw_bgnbd_expected(ROW(0.243, 4.414, 1, 2.426, NULL, NULL), 39)::numeric, 6) AS a_is_1,
       round(((cvfw_bgnbd_expected(ROW(0.243, 4.414, 0.9999999, 2.426, NULL, NULL), 39)
             + cvfw_bgnbd_expected(ROW(0.243, 4.414, 1.0000001, 2.426, NULL, NULL), 39)) / 2)::numeric, 6) AS a_near_1,
       cvfw_gg_expected_spend(ROW(2, 3, 10, NULL, NULL), 1, 1e300) AS huge_spend
FROM cdnow_models;

-- huge and tiny units: times x 1e300 or x 1e-300, money x 1e300 or 1e-300;
-- alpha and v scale with the data, the other parameters stay the same
SELECT unit, round(r::numeric, 3) AS r, round((alpha / unit)::numeric, 3) AS alpha_per_unit,
       round(a::numeric, 3) AS a, round(b::numeric, 3) AS b
FROM (SELECT 1e300::float8 AS unit UNION ALL SELECT 1e-300) u,
     LATERAL (SELECT (cvfw_bgnbd_fit(x, t_x * unit, t * unit)).* FROM cdnow_summary) f;
SELECT unit, round(p::numeric, 2) AS p, round(q::numeric, 2) AS q, round((v / unit)::numeric, 2) AS v_per_unit
FROM (SELECT 1e300::float8 AS unit UNION ALL SELECT 1e-300) u,
     LATERAL (SELECT (cvfw_gg_fit(x, zbar * unit)).* FROM cdnow_summary) f;

-- long computations answer a cancel request: 2 billion periods would run
-- for hours, the statement timeout stops them
SET statement_timeout = '200ms';
SELECT cvfw_clv_predict(ROW(0.2, 4, 0.8, 2, NULL, NULL), ROW(2, 3, 10, NULL, NULL), 1, 2, 3, 10, 2000000000, 0);
RESET statement_timeout;

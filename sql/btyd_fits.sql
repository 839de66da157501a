--
-- btyd_fits: fit summaries with standard errors, penalised fits, and the
-- limiting model of data whose dropout barely varies.  Expected values from
-- test/data/cdnow/check_models.py, an independent computation (its own
-- likelihoods, Nelder-Mead search and numerical Hessian).
--
CREATE SCHEMA btyd_fits;
SET search_path = btyd_fits, public;
SET extra_float_digits = 0;
CREATE TABLE cdnow_summary (id int PRIMARY KEY, x float8, t_x float8, t float8, zbar float8);
\copy cdnow_summary FROM 'test/data/cdnow/cdnow_customers_summary_with_transactions.csv' (FORMAT csv, HEADER true)

-- standard errors from the observed information: minus the inverse Hessian
-- of the log-likelihood at the maximum (as CLVTools reports them), against
-- check_models.py's numerical Hessian at the same estimates, to 1e-4:
--   BG/NBD      r 0.01255731671, alpha 0.3782214674, a 0.1857184778, b 0.7053428399
--   Gamma-Gamma p 1.18968149, q 0.2901647376, v 4.159973875
CREATE TABLE summaries AS
SELECT (SELECT cvfw_bgnbd_fit_summary(x, t_x, t) FROM cdnow_summary) AS bg,
       (SELECT cvfw_gg_fit_summary(x, zbar) FROM cdnow_summary) AS gg;
SELECT (bg).method, (bg).penalizer, (bg).note,
       (bg).model = (SELECT cvfw_bgnbd_fit(x, t_x, t) FROM cdnow_summary) AS same_model_as_fit,
       (gg).model = (SELECT cvfw_gg_fit(x, zbar) FROM cdnow_summary) AS same_gg_model
FROM summaries;
SELECT 'BG/NBD' AS model, i, p.parameter, round(p.estimate::numeric, 4) AS estimate,
       round(p.std_error::numeric, 4) AS std_error, round(p.lower_95::numeric, 4) AS lower_95,
       round(p.upper_95::numeric, 4) AS upper_95, abs(p.std_error / r.se - 1) < 1e-4 AS as_reference
FROM summaries, cvfw_btyd_parameters(bg) WITH ORDINALITY p(parameter, estimate, std_error, lower_95, upper_95, i)
JOIN (VALUES (1, 0.01255731671), (2, 0.3782214674), (3, 0.1857184778), (4, 0.7053428399)) r(i, se) USING (i)
UNION ALL
SELECT 'Gamma-Gamma', i, p.parameter, round(p.estimate::numeric, 4), round(p.std_error::numeric, 4),
       round(p.lower_95::numeric, 4), round(p.upper_95::numeric, 4), abs(p.std_error / r.se - 1) < 1e-4
FROM summaries, cvfw_btyd_parameters(gg) WITH ORDINALITY p(parameter, estimate, std_error, lower_95, upper_95, i)
JOIN (VALUES (1, 1.18968149), (2, 0.2901647376), (3, 4.159973875)) r(i, se) USING (i)
ORDER BY model, i;
-- the interval is estimate -/+ 1.96 standard errors
SELECT bool_and(abs(upper_95 - estimate - 1.959963984540054 * std_error) < 1e-12 * (1 + upper_95)
                AND abs(estimate - lower_95 - 1.959963984540054 * std_error) < 1e-12 * (1 + estimate)) AS wald
FROM summaries, cvfw_btyd_parameters(bg);

-- penalised BG/NBD (lifetimes' penalizer_coef: the mean log-likelihood
-- less 0.01 (r^2 + alpha'^2 + a^2 + b^2), alpha' in units of the oldest
-- customer's age, 38.86 weeks): check_models.py's Nelder-Mead on the same
-- objective finds 0.242940 4.432405 0.285644 0.658456 (LL -9596.2850),
-- and the objective is the same there and at cvfw's maximum to 10 digits
-- (-4.0772698122).  The penalty pulls a and b down; the log-likelihood
-- (reported without the penalty) falls by 13.9.
SELECT round(r::numeric, 5) AS r, round(alpha::numeric, 4) AS alpha, round(a::numeric, 5) AS a,
       round(b::numeric, 5) AS b, round(loglik::numeric, 4) AS loglik, customers
FROM (SELECT (cvfw_bgnbd_fit(x, t_x, t, 0.01)).* FROM cdnow_summary) f;
-- the objective there, computed in SQL from the log-likelihood
SELECT round((loglik / customers - 0.01 * (r ^ 2 + (alpha / 38.86) ^ 2 + a ^ 2 + b ^ 2))::numeric, 10) AS objective
FROM (SELECT (cvfw_bgnbd_fit(x, t_x, t, 0.01)).* FROM cdnow_summary) f;
SELECT (s).method, (s).penalizer, (s).note, (s).parameters, (s).std_errors IS NOT NULL AS has_std_errors
FROM (SELECT cvfw_bgnbd_fit_summary(x, t_x, t, 0.01) AS s FROM cdnow_summary) q;
-- a penalizer of 0 is the plain fit; a bigger one pulls harder
SELECT (SELECT cvfw_bgnbd_fit(x, t_x, t, 0) FROM cdnow_summary)::text
       = (SELECT cvfw_bgnbd_fit(x, t_x, t) FROM cdnow_summary)::text AS zero_is_plain,
       (SELECT (cvfw_bgnbd_fit(x, t_x, t, 0.1)).a FROM cdnow_summary)
       < (SELECT (cvfw_bgnbd_fit(x, t_x, t, 0.01)).a FROM cdnow_summary) AS stronger_smaller;

-- boundary data (test/data/btyd/simulate_boundary.py: 10,000 customers of a
-- BG/NBD with a = 2000, b = 6000, r = 0.5, alpha = 8 weeks, days as the
-- grain): the likelihood keeps rising as a and b go to infinity together.
-- cvfw fits the limiting model (every customer's dropout probability p =
-- a/(a+b)), says so (NOTICE; the summary's method and note), and holds it
-- as a + b = 1e15.  check_models.py's Nelder-Mead of the limit: r 0.531292,
-- alpha 8.78165, p 0.2533628, LL -55908.729738; the full model's
-- log-likelihood rises towards it (-55908.866589 at a + b = 1e3,
-- -55908.731051 at 1e5, -55908.730108 at 1e7).  Standard errors
-- (check_models.py: 0.0128845799, 0.3160212597, 0.005379960424).
CREATE TABLE boundary_rows (x float8, recency_days float8, t_days float8, customers int);
\copy boundary_rows FROM 'test/data/btyd/boundary.csv' (FORMAT csv, HEADER true)
CREATE TABLE boundary AS
SELECT x, recency_days / 7 AS t_x, t_days / 7 AS t FROM boundary_rows, generate_series(1, customers);
SELECT round(r::numeric, 6) AS r, round(alpha::numeric, 5) AS alpha, a + b = 1e15 AS limiting_model,
       round((a / (a + b))::numeric, 7) AS p, round(loglik::numeric, 6) AS loglik, customers
FROM (SELECT (cvfw_bgnbd_fit(x, t_x, t)).* FROM boundary) f;
CREATE TABLE boundary_summary AS SELECT cvfw_bgnbd_fit_summary(x, t_x, t) AS s FROM boundary;
SELECT (s).method, (s).note FROM boundary_summary;
SELECT p.parameter, round(p.estimate::numeric, 6) AS estimate, round(p.std_error::numeric, 6) AS std_error,
       abs(p.std_error / r.se - 1) < 1e-4 AS as_reference
FROM boundary_summary, cvfw_btyd_parameters(s) WITH ORDINALITY p(parameter, estimate, std_error, lower_95, upper_95, i)
JOIN (VALUES (1, 0.0128845799), (2, 0.3160212597), (3, 0.005379960424)) r(i, se) USING (i) ORDER BY i;
-- its predictions are the limit's, by hand for a new customer: (1 - (1 +
-- p t/alpha)^-r)/p
SELECT round(cvfw_bgnbd_expected((s).model, 52)::numeric, 10) AS expected_52,
       round(((1 - (1 + (s).estimates[3] * 52 / (s).estimates[2]) ^ (-(s).estimates[1])) / (s).estimates[3])::numeric, 10) AS by_hand
FROM boundary_summary;
-- a penalised fit of the same data keeps a and b finite instead
SELECT (s).method, (s).model.a + (s).model.b < 1e6 AS finite_ab
FROM (SELECT cvfw_bgnbd_fit_summary(x, t_x, t, 0.001) AS s FROM boundary) q;

-- the penalised fit in parallel equals the serial one (its state carries
-- the penalizer through serialisation); order does not matter
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SELECT regress.plan_has('SELECT cvfw_bgnbd_fit(x, t_x, t, 0.01) FROM boundary', 'Partial Aggregate') AS in_parallel;
CREATE TABLE parallel_fits AS
SELECT (SELECT cvfw_bgnbd_fit(x, t_x, t, 0.01) FROM boundary)::text AS pen,
       (SELECT cvfw_bgnbd_fit_summary(x, t_x, t) FROM boundary)::text AS lim;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
SELECT pen = (SELECT cvfw_bgnbd_fit(x, t_x, t, 0.01) FROM (SELECT * FROM boundary ORDER BY t DESC, x) b)::text AS penalised_same,
       lim = (SELECT s::text FROM boundary_summary) AS limit_same
FROM parallel_fits;

-- errors: the penalizer must be given, finite, >= 0 and the same on every row
SELECT f, (regress.try(f)).*
FROM unnest(ARRAY[
  'SELECT cvfw_bgnbd_fit(x, t_x, t, NULL) FROM cdnow_summary',
  'SELECT cvfw_bgnbd_fit(x, t_x, t, -0.1) FROM cdnow_summary',
  'SELECT cvfw_bgnbd_fit(x, t_x, t, ''NaN'') FROM cdnow_summary',
  'SELECT cvfw_bgnbd_fit_summary(x, t_x, t, id / 1000) FROM cdnow_summary',
  'SELECT cvfw_bgnbd_fit_summary(x, t_x, t) FROM cdnow_summary WHERE x = 0',
  'SELECT cvfw_gg_fit_summary(x, zbar) FROM cdnow_summary WHERE id = 1']) f;
-- no rows: NULL
SELECT cvfw_bgnbd_fit_summary(x, t_x, t) IS NULL AS none, cvfw_gg_fit_summary(x, zbar) IS NULL AS none_gg,
       cvfw_bgnbd_fit(x, t_x, t, 0.5) IS NULL AS none_penalised
FROM cdnow_summary WHERE false;

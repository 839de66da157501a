--
-- btyd_accuracy: BG/NBD predictions over the whole valid parameter space
-- against an independent high-precision evaluation.
--
-- test/data/btyd/bgnbd_grid.csv is written by
-- test/data/btyd/bgnbd_reference.py: the textbook formulas of Fader,
-- Hardie & Lee (2005), the 2F1 summed as its plain series in 60-digit (or
-- more) decimal arithmetic, each value confirmed at two precisions.  The
-- grid: (r, alpha) = (0.243, 4.414) and (1.956, 19.89); a and b each in
-- 0.01, 0.1, 0.3, 2, 10, 100, 1e3, 1e4, 1e5, 1e6; horizons 1e-3, 0.1, 1,
-- 10, 100, 1e3, 1e4 periods; new customers and customers (x, t_x, T) =
-- (0, 0, 38.86), (1, 30, 38.86), (100, 38, 38.86), (10000, 38.86, 38.86),
-- the last for horizons up to 100 (6,600 values of each prediction).
--
CREATE SCHEMA btyd_accuracy;
SET search_path = btyd_accuracy, public;
SET extra_float_digits = 0;
CREATE TABLE grid (r float8, alpha float8, a float8, b float8, x float8, t_x float8, t float8,
                   horizon float8, expected float8, p_alive float8);
\copy grid FROM 'test/data/btyd/bgnbd_grid.csv' (FORMAT csv, HEADER true)
CREATE TABLE got AS
SELECT g.*,
       CASE WHEN x = 0 AND t = 0 THEN cvfw_bgnbd_expected(m, horizon)
            ELSE cvfw_bgnbd_conditional(m, x, t_x, t, horizon) END AS cvfw_expected,
       cvfw_bgnbd_p_alive(m, x, t_x, t) AS cvfw_p_alive
FROM grid g, LATERAL (SELECT ROW(r, alpha, a, b, NULL, NULL)::cvfw_bgnbd AS m) s;

-- every value within 1e-9 relative of the reference (in fact within 1e-11:
-- the quadrature's worst is about 9e-13, the series' 1.3e-13)
SELECT count(*) AS values, min(horizon) AS shortest, max(horizon) AS longest,
       min(least(a, b)) AS smallest_ab, max(greatest(a, b)) AS largest_ab, max(x) AS largest_x,
       count(*) FILTER (WHERE abs(cvfw_expected / expected - 1) > 1e-9) AS expected_off_1e9,
       count(*) FILTER (WHERE abs(cvfw_p_alive / p_alive - 1) > 1e-9) AS p_alive_off_1e9,
       max(abs(cvfw_expected / expected - 1)) < 1e-11 AS expected_within_1e11,
       max(abs(cvfw_p_alive / p_alive - 1)) < 1e-11 AS p_alive_within_1e11
FROM got;
-- the same per history, new customers first
SELECT x, t_x, t, count(*) AS values,
       count(*) FILTER (WHERE abs(cvfw_expected / expected - 1) > 1e-9) AS off_1e9
FROM got GROUP BY x, t_x, t ORDER BY x, t;

-- the issue's two models, which 0.1.0 refused ("the horizon is too long to
-- evaluate"): a fitted model with a and b in the hundreds.  The reference
-- (bgnbd_reference.py's method, 85 digits): 3.98689647654467444820...
-- and 1.18173442234780790248...
SELECT round(cvfw_bgnbd_expected(ROW(1.956, 19.89, 265.9, 812.7, 0, 1)::cvfw_bgnbd, 520)::numeric, 12) AS first,
       round(cvfw_bgnbd_expected(ROW(0.3575, 4.5142, 284.86, 456.27, 0, 1)::cvfw_bgnbd, 52)::numeric, 12) AS second;

-- beyond the grid: a horizon of 1e300 periods answers (E[X(t)] grows like
-- t^(1-a) for a < 1, tends to E[1/p] = (a+b-1)/(a-1) = 12 for a = 2, b = 11); so do
-- a = b = 1e12 (the limit's neighbour) and the limiting model itself
-- (a + b >= 1e14: every customer's dropout probability a/(a+b)), which
-- agree to the O(1/(a+b)) they differ by
SELECT cvfw_bgnbd_expected(ROW(0.2, 4, 0.8, 2, NULL, NULL), 1e300) > 1e50 AS a_below_1_grows,
       round(cvfw_bgnbd_expected(ROW(0.2, 4, 2, 11, NULL, NULL), 1e300)::numeric, 9) AS a_2_b_11_tends_to_12,
       abs(cvfw_bgnbd_expected(ROW(0.5, 8, 2.5e11, 7.5e11, NULL, NULL), 52)
           / cvfw_bgnbd_expected(ROW(0.5, 8, 2.5e14, 7.5e14, NULL, NULL), 52) - 1) < 1e-9 AS near_limit_continuous,
       abs(cvfw_bgnbd_conditional(ROW(0.5, 8, 2.5e11, 7.5e11, NULL, NULL), 3, 20, 30, 52)
           / cvfw_bgnbd_conditional(ROW(0.5, 8, 2.5e14, 7.5e14, NULL, NULL), 3, 20, 30, 52) - 1) < 1e-9 AS conditional_continuous;
-- the limiting model by hand: p = 0.25, lambda ~ Gamma(0.5, 8):
-- E[X(52)] = E[(1 - e^(-lambda p 52))/p] = (1 - (1 + 0.25 x 52/8)^-0.5)/0.25
SELECT round(cvfw_bgnbd_expected(ROW(0.5, 8, 2.5e14, 7.5e14, NULL, NULL), 52)::numeric, 12) AS limit_model,
       round(((1 - (1 + 0.25 * 52 / 8.0) ^ -0.5) / 0.25)::numeric, 12) AS by_hand;

-- extreme histories: 1e9 repeat purchases, recency at 0 and at T
SELECT cvfw_bgnbd_conditional(ROW(0.243, 4.414, 0.793, 2.426, NULL, NULL), 1e9, 38.86, 38.86, 1) > 0 AS huge_x,
       cvfw_bgnbd_p_alive(ROW(0.243, 4.414, 0.793, 2.426, NULL, NULL), 1e9, 0, 38.86) AS huge_x_long_gone,
       cvfw_bgnbd_conditional(ROW(0.243, 4.414, 1e6, 1e6, NULL, NULL), 1, 0, 38.86, 1e4) > 0 AS large_ab_long_horizon;

-- long horizons answer a cancel request (each prediction is bounded, but a
-- CLV over 2 billion periods is not)
SET statement_timeout = '300ms';
SELECT cvfw_clv_predict(ROW(0.2, 4, 800, 2000, NULL, NULL), ROW(2, 3, 10, NULL, NULL), 1, 2, 3, 10, 2000000000, 0);
RESET statement_timeout;

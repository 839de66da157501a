-- bgnbd.sql — fitting BG/NBD and Gamma-Gamma to 1,000,000 synthetic
-- customers simulated from known parameters (the CDNOW fit), side by side
-- with a floor that reads the same rows (count and averages), and how well
-- the fits recover the generating parameters; the penalised BG/NBD and the
-- Pareto/NBD fits of the same customers against the plain BG/NBD fit; the
-- predictions per customer (short horizons: the series; long ones: the
-- quadrature) against a floor.
\pset footer off
SET client_min_messages = warning;

-- Gamma(shape, 1) by Marsaglia & Tsang; shape < 1 by Gamma(shape + 1) U^(1/shape)
CREATE OR REPLACE FUNCTION bench.rgamma(shape float8) RETURNS float8
LANGUAGE plpgsql AS $$
DECLARE d float8; c float8; x float8; v float8; u float8; boost float8 := 1;
BEGIN
  IF shape < 1 THEN
    boost := random() ^ (1 / shape);
    shape := shape + 1;
  END IF;
  d := shape - 1.0 / 3;
  c := 1 / sqrt(9 * d);
  LOOP
    x := sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random());
    v := (1 + c * x) ^ 3;
    CONTINUE WHEN 1 + c * x <= 0;
    u := 1 - random();
    IF ln(u) < 0.5 * x * x + d - d * v + d * ln(v) THEN
      RETURN d * v * boost;
    END IF;
  END LOOP;
END $$;

-- One customer at a time, as the models describe them: first purchase in
-- the first 12 weeks, observed to day 273 + 84; purchase rate lambda ~
-- Gamma(r, alpha) a week, dropout after each repeat purchase with p ~
-- Beta(a, b); times in whole days, reported in weeks.  Spend per purchase
-- Gamma(p, nu), nu ~ Gamma(q, v): the mean of x purchases ~ Gamma(p x, nu) / x.
CREATE OR REPLACE FUNCTION bench.simulate(n int, r float8, alpha float8, a float8, b float8,
                                          p float8, q float8, v float8)
RETURNS TABLE (x int, t_x float8, t float8, monetary float8)
LANGUAGE plpgsql AS $$
DECLARE lam float8; pd float8; ga float8; days int; tt float8; last int; nu float8;
BEGIN
  FOR i IN 1 .. n LOOP
    days := 273 + floor(random() * 84)::int;
    lam := bench.rgamma(r) / alpha / 7;
    ga := bench.rgamma(a);
    pd := ga / (ga + bench.rgamma(b));
    x := 0; tt := 0; last := 0;
    LOOP
      tt := tt - ln(1 - random()) / lam;
      EXIT WHEN tt > days;
      x := x + 1;
      last := floor(tt)::int;
      EXIT WHEN random() < pd;
    END LOOP;
    t_x := last / 7.0;
    t := days / 7.0;
    monetary := 0;
    IF x > 0 THEN
      nu := bench.rgamma(q) / v;
      monetary := round((bench.rgamma(p * x) / nu / x)::numeric, 2)::float8;
    END IF;
    RETURN NEXT;
  END LOOP;
END $$;

DROP TABLE IF EXISTS bench.rfm;
SELECT setseed(0.42);
\timing on
CREATE TABLE bench.rfm AS SELECT * FROM bench.simulate(1000000, 0.243, 4.414, 0.793, 2.426, 6.25, 3.74, 15.44);
\timing off
VACUUM ANALYZE bench.rfm;

\echo '== 1,000,000 simulated customers'
SELECT count(*) AS customers, count(*) FILTER (WHERE x > 0) AS repeat_customers,
       round(avg(x), 3) AS mean_frequency,
       (SELECT count(*) FROM (SELECT DISTINCT x, t_x, t FROM bench.rfm) d) AS distinct_histories
FROM bench.rfm;

\echo '== the fits against the generating parameters'
SELECT model, r_p, alpha_q, a_v, b, customers FROM (
  SELECT 1 AS k, 'BG/NBD fit' AS model, round(r::numeric, 3) AS r_p, round(alpha::numeric, 3) AS alpha_q,
         round(a::numeric, 3) AS a_v, round(b::numeric, 3) AS b, customers
  FROM (SELECT (cvfw_bgnbd_fit(x, t_x, t)).* FROM bench.rfm) f
  UNION ALL SELECT 2, 'BG/NBD generated', 0.243, 4.414, 0.793, 2.426, NULL
  UNION ALL
  SELECT 3, 'Gamma-Gamma fit', round(p::numeric, 3), round(q::numeric, 3), round(v::numeric, 3), NULL, customers
  FROM (SELECT (cvfw_gg_fit(x, monetary)).* FROM bench.rfm) g
  UNION ALL SELECT 4, 'Gamma-Gamma generated', 6.25, 3.74, 15.44, NULL, NULL) s
ORDER BY k;

\echo
\echo '-- median of 3 rounds, default planner settings'
SELECT * FROM bench.compare(
  ARRAY['count(*), avg(x), avg(t_x), avg(t) (floor)', 'cvfw_bgnbd_fit(x, t_x, t)',
        'count(*), avg(x), avg(monetary) (floor)', 'cvfw_gg_fit(x, monetary)'],
  ARRAY['SELECT count(*), avg(x), avg(t_x), avg(t) FROM bench.rfm',
        'SELECT cvfw_bgnbd_fit(x, t_x, t)::text FROM bench.rfm',
        'SELECT count(*), avg(x), avg(monetary) FROM bench.rfm',
        'SELECT cvfw_gg_fit(x, monetary)::text FROM bench.rfm'],
  3);

\echo
\echo '-- the penalised BG/NBD and the Pareto/NBD against the BG/NBD fit, median of 3 rounds'
SELECT * FROM bench.compare(
  ARRAY['cvfw_bgnbd_fit(x, t_x, t)', 'cvfw_bgnbd_fit(x, t_x, t, 0.001)', 'cvfw_pnbd_fit(x, t_x, t)',
        'cvfw_pnbd_fit(x, t_x, t, 0.001)'],
  ARRAY['SELECT cvfw_bgnbd_fit(x, t_x, t)::text FROM bench.rfm',
        'SELECT cvfw_bgnbd_fit(x, t_x, t, 0.001)::text FROM bench.rfm',
        'SELECT cvfw_pnbd_fit(x, t_x, t)::text FROM bench.rfm',
        'SELECT cvfw_pnbd_fit(x, t_x, t, 0.001)::text FROM bench.rfm'],
  3);
\echo '== the fits'
SELECT 'BG/NBD' AS model, (cvfw_bgnbd_fit(x, t_x, t))::text AS fit FROM bench.rfm
UNION ALL SELECT 'BG/NBD, penalizer 0.001', (cvfw_bgnbd_fit(x, t_x, t, 0.001))::text FROM bench.rfm
UNION ALL SELECT 'Pareto/NBD', (cvfw_pnbd_fit(x, t_x, t))::text FROM bench.rfm;

\echo
\echo '-- predictions for every customer, median of 3 rounds, one process'
SET max_parallel_workers_per_gather = 0;
CREATE TABLE bench.m AS
SELECT cvfw_bgnbd_fit(x, t_x, t) AS bg, cvfw_pnbd_fit(x, t_x, t) AS pn FROM bench.rfm;
SELECT * FROM bench.compare(
  ARRAY['sum(x / (t + 1)) (floor)', 'sum(cvfw_bgnbd_p_alive(...))', 'sum(cvfw_bgnbd_conditional(..., 39))',
        'sum(cvfw_bgnbd_conditional(..., 520))', 'sum(cvfw_pnbd_p_alive(...))', 'sum(cvfw_pnbd_conditional(..., 39))'],
  ARRAY['SELECT sum(x / (t + 1)) FROM bench.rfm',
        'SELECT sum(cvfw_bgnbd_p_alive(bg, x, t_x, t)) FROM bench.rfm, bench.m',
        'SELECT sum(cvfw_bgnbd_conditional(bg, x, t_x, t, 39)) FROM bench.rfm, bench.m',
        'SELECT sum(cvfw_bgnbd_conditional(bg, x, t_x, t, 520)) FROM bench.rfm, bench.m',
        'SELECT sum(cvfw_pnbd_p_alive(pn, x, t_x, t)) FROM bench.rfm, bench.m',
        'SELECT sum(cvfw_pnbd_conditional(pn, x, t_x, t, 39)) FROM bench.rfm, bench.m'],
  3);
RESET max_parallel_workers_per_gather;
DROP TABLE bench.m;

\echo
\echo '-- the same, one process'
SET max_parallel_workers_per_gather = 0;
SELECT * FROM bench.compare(
  ARRAY['count(*), avg(x), avg(t_x), avg(t) (floor)', 'cvfw_bgnbd_fit(x, t_x, t)'],
  ARRAY['SELECT count(*), avg(x), avg(t_x), avg(t) FROM bench.rfm',
        'SELECT cvfw_bgnbd_fit(x, t_x, t)::text FROM bench.rfm'],
  3);
RESET max_parallel_workers_per_gather;
DROP TABLE bench.rfm;

\echo
\echo '== cvfw_rfm: 3,000,000 purchases of 1,000,000 customers into RFM rows'
SELECT setseed(0.42);
CREATE TABLE bench.orders AS
SELECT c AS customer_id,
       '1997-01-01'::timestamptz + make_interval(days => (hashint8(c) & 1023)::int % 84 + (k - 1) * ((hashint8(c * 7 + k) & 255)::int % 60)) AS at,
       ((hashint8(c * 13 + k) & 4095) / 100.0)::float8 AS amount
FROM generate_series(1::bigint, 1000000) c, generate_series(1, 3) k;
VACUUM ANALYZE bench.orders;
SELECT * FROM bench.compare(
  ARRAY['GROUP BY customer: count(*), min(at), max(at), sum(amount) (floor)',
        'GROUP BY customer: cvfw_rfm(at, amount, 1997-09-30, 7 days)'],
  ARRAY['SELECT count(*) FROM (SELECT customer_id, count(*), min(at), max(at), sum(amount) FROM bench.orders GROUP BY customer_id) s',
        $q$SELECT count(*) FROM (SELECT customer_id, cvfw_rfm(at, amount, '1997-09-30', '7 days') FROM bench.orders GROUP BY customer_id) s$q$],
  3);
DROP TABLE bench.orders;

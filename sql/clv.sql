--
-- clv: lifetime value formulas checked by hand, the cvfw_clv_agg aggregate
-- against plain SQL, the report from a flow summary, competitiveness
--
SET timezone = 'UTC';
SET extra_float_digits = 0;

-- revenue per period x periods - costs: 50 x 12 - 100 = 500
SELECT cvfw_clv(50, 12, 100) AS float8_clv, pg_typeof(cvfw_clv(50, 12, 100)) AS type;
-- numeric is exact: 19.99 x 36 - 120.05 = 719.64 - 120.05 = 599.59
SELECT cvfw_clv(19.99::numeric, 36, 120.05) AS numeric_clv;
-- and float8 is not, quite: 0.1 x 3 - 0.3; numeric has room where float8 overflows
SELECT cvfw_clv(1e308, 10, 0) = 1e309 AS numeric_range;
SELECT cvfw_clv(0.1::float8, 3, 0.3) AS float8_rounding, cvfw_clv(0.1::numeric, 3, 0.3) AS numeric_exact;
-- refunds (negative revenue), no periods, NULL in NULL out
SELECT cvfw_clv(-10, 3, 5) AS refunds, cvfw_clv(50, 0, 7) AS no_periods,
       cvfw_clv(NULL::float8, 1, 1) IS NULL AS null_in;

-- with a margin and a discount rate: margin 0.5 of 100 a period for 3
-- periods at 10% a period, costs 20:
--   0.5 x 100 x (1/1.1 + 1/1.21 + 1/1.331) - 20
--   = 50 x (0.909091 + 0.826446 + 0.751315) - 20 = 50 x 2.486852 - 20 = 104.3426
SELECT round(cvfw_clv(100, 3, 20, 0.5, 0.1)::numeric, 4) AS discounted;
-- a fractional last period counts its fraction one period on: 2.5 periods
--   = 100 x (0.9090909 + 0.8264463 + 0.5 x 0.7513148) = 100 x 2.1111946 = 211.1195
SELECT round(cvfw_clv(100, 2.5, 0, 1, 0.1)::numeric, 4) AS fractional;
-- no discount, margin 1: the plain formula; forever at 5%: 100 / 0.05 = 2000
SELECT cvfw_clv(50, 12, 100, 1, 0) AS undiscounted,
       cvfw_clv(100, 'Infinity', 0, 1, 0.05) AS perpetuity;

-- bad arguments
SELECT f, (regress.try('SELECT ' || f)).*
FROM unnest(ARRAY['cvfw_clv(50, -1, 0)', 'cvfw_clv(''NaN'', 1, 0)', 'cvfw_clv(1, ''Infinity'', 0)',
                  'cvfw_clv(1e308::float8, 10, 0)', 'cvfw_clv(1, 1, 0, 1, -1)', 'cvfw_clv(1, ''Infinity'', 0, 1, 0)',
                  'cvfw_clv(1, 1, 0, ''NaN'', 0.1)', 'cvfw_clv(1::numeric, -2, 0)',
                  'cvfw_clv(''NaN''::numeric, 2, 0)']) f;

-- cvfw_clv_agg over existing customers, one row each, periods of a month
-- (30 days).  By hand: 4 customers, 2 churned, tenures 6 + 12 + 2 + 4 = 24
-- months, revenue 300 + 600 + 100 + 200 = 1200, cost 20 each = 80:
--   revenue per customer-month 1200 / 24 = 50
--   expected relationship 24 / 2 = 12 months (churn rate 2 in 24 customer-months)
--   cost per customer 80 / 4 = 20
--   CLV 50 x 12 - 20 = 580, total 4 x 580 = 2320
CREATE TABLE customers (id int, segment text, revenue float8, cost float8, tenure interval,
                        churned boolean);
INSERT INTO customers VALUES
  (1, 'smb', 300, 20, '6 mons', true), (2, 'smb', 600, 20, '12 mons', false),
  (3, 'enterprise', 100, 20, '60 days', true), (4, 'enterprise', 200, 20, '120 days', false);
SELECT (cvfw_clv_agg(revenue, cost, tenure, churned)).* FROM customers;
-- per segment, in years (365 days: 6 months = 180 days = 0.493 years)
SELECT segment, (r).customers, (r).churned, round((r).exposure_periods::numeric, 4) AS exposure_years,
       round((r).revenue_per_period::numeric, 2) AS revenue_per_year,
       round((r).expected_periods::numeric, 4) AS expected_years, round((r).clv_per_customer::numeric, 2) AS clv
FROM (SELECT segment, cvfw_clv_agg(revenue, cost, tenure, churned, '365 days') AS r
      FROM customers GROUP BY segment) s ORDER BY segment;
-- with a margin and discounting, afterwards: margin 40%, 1% a month:
--   0.4 x 50 x (1 - 1.01^-12) / 0.01 - 20 = 20 x 11.255077 - 20 = 205.1015
SELECT round((cvfw_clv_with(r, margin => 0.4, discount => 0.01)).clv_per_customer::numeric, 4)
FROM (SELECT cvfw_clv_agg(revenue, cost, tenure, churned) AS r FROM customers) s;

-- a NULL margin or discount: no answer (a NULL acquisition cost keeps the report's)
SELECT cvfw_clv_with(r, NULL, 0) IS NULL AS null_margin, (cvfw_clv_with(r, 1, 0, NULL)).clv_per_customer AS kept
FROM (SELECT cvfw_clv_agg(revenue, cost, tenure, churned) AS r FROM customers) s;

-- edge cases: no customers (NULL), no churn (the expected length is
-- unknown: NULL, and so are the CLVs), zero tenure, NULLs
SELECT cvfw_clv_agg(revenue, cost, tenure, churned) IS NULL AS no_customers FROM customers WHERE false;
SELECT (r).customers, (r).churned, (r).revenue_per_period, (r).expected_periods IS NULL AS no_estimate,
       (r).clv_per_customer IS NULL AS no_clv
FROM (SELECT cvfw_clv_agg(revenue, cost, tenure, churned) AS r FROM customers WHERE NOT churned) s;
SELECT (cvfw_clv_agg(revenue, cost, tenure, churned)).*
FROM (VALUES (10::float8, 1::float8, '0'::interval, true), (NULL, NULL, '0', true)) v(revenue, cost, tenure, churned);
-- refunds: negative revenue is summed like any other (two customers, a
-- month each, one churned: (100 - 40) / 2 months = 30 a month, expected
-- 2 months, costs 5: 30 x 2 - 5 = 55)
SELECT (r).revenue_per_period, (r).expected_periods, (r).clv_per_customer
FROM (SELECT cvfw_clv_agg(revenue, cost, tenure, churned) AS r
      FROM (VALUES (100::float8, 5::float8, '1 mon'::interval, true), (-40, 5, '1 mon', false)) v(revenue, cost, tenure, churned)) s;
-- rows without a tenure or a churn flag are not customers we can count
SELECT (cvfw_clv_agg(revenue, cost, tenure, churned)).customers
FROM (SELECT revenue, cost, tenure, churned FROM customers
      UNION ALL SELECT 1000, 0, NULL, true UNION ALL SELECT 1000, 0, '1 mon', NULL) v;
SELECT f, (regress.try(f)).state, (regress.try(f)).message
FROM unnest(ARRAY[
  $$SELECT cvfw_clv_agg(1, 0, '-1 day', true)$$,
  $$SELECT cvfw_clv_agg(1, 0, '1 day', true, '0 days')$$,
  $$SELECT cvfw_clv_agg(1, 0, '1 day', true, NULL)$$,
  $$SELECT cvfw_clv_agg(r, 0, '1 day', true, p) FROM (VALUES (1::float8, '1 mon'::interval), (2, '1 year')) v(r, p)$$,
  $$SELECT cvfw_clv_agg('NaN', 0, '1 day', true)$$,
  $$SELECT cvfw_clv_agg(r, 0, '1 day', true) FROM (VALUES (1e308::float8), (1e308)) v(r)$$]) f;

-- on a generated data set: the aggregate against the same estimates in
-- plain SQL, per segment
\set customers 5000
\set seed 11
\i test/data/gen_events.sql
CREATE TABLE customer_value AS
SELECT customer_id, min(segment) AS segment, sum(coalesce(value, 0)) AS revenue,
       sum(coalesce(cost, 0)) AS cost, max(at) - min(at) AS tenure,
       (max(at) AT TIME ZONE 'UTC')::date < '2025-12-01' AS churned
FROM events WHERE stage IS NOT NULL AND at IS NOT NULL GROUP BY customer_id;
CREATE VIEW plain_clv AS
SELECT segment, count(*) AS customers, count(*) FILTER (WHERE churned) AS churned,
       sum(extract(epoch FROM tenure)) / (30 * 86400) AS exposure_periods,
       sum(revenue) / (sum(extract(epoch FROM tenure)) / (30 * 86400)) AS revenue_per_period,
       sum(extract(epoch FROM tenure)) / (30 * 86400) / count(*) FILTER (WHERE churned) AS expected_periods,
       sum(cost) / count(*) AS cost_per_customer
FROM customer_value GROUP BY segment;
SELECT p.segment, p.customers, (c.r).customers = p.customers AND (c.r).churned = p.churned AS counts_equal,
       abs((c.r).exposure_periods - p.exposure_periods) < 1e-9 * p.exposure_periods
         AND abs((c.r).revenue_per_period - p.revenue_per_period) < 1e-9 * p.revenue_per_period
         AND abs((c.r).expected_periods - p.expected_periods) < 1e-9 * p.expected_periods
         AND abs((c.r).cost_per_customer - p.cost_per_customer) < 1e-9 * p.cost_per_customer AS estimates_equal,
       abs((c.r).clv_per_customer - (p.revenue_per_period * p.expected_periods - p.cost_per_customer))
         < 1e-9 * abs((c.r).clv_per_customer) AS clv_equal
FROM plain_clv p
JOIN (SELECT segment, cvfw_clv_agg(revenue, cost, tenure, churned) AS r FROM customer_value GROUP BY segment) c
  USING (segment)
ORDER BY p.segment;

-- forced parallel: the same report
SELECT cvfw_clv_agg(revenue, cost, tenure, churned)::text AS serial FROM customer_value \gset
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT regress.plan_has('SELECT cvfw_clv_agg(revenue, cost, tenure, churned) FROM customer_value',
                        'Partial Aggregate') AS parallel_plan,
       cvfw_clv_agg(revenue, cost, tenure, churned)::text = :'serial' AS parallel_equals_serial
FROM customer_value;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- The report straight from a flow summary of the same events: churned =
-- leaked (last event before the UTC date of as_of - horizon: here
-- 2026-03-01 - 120 days = 2025-11-01), tenure of the churned = last - first
-- event, of the active = as_of - first event.  With as_of after every event
-- it equals the aggregate over customers whose churn flag and tenure
-- follow that rule.
CREATE TABLE flow_of_all AS
SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) AS flow FROM events;
SELECT max(at) < '2026-03-01' AS as_of_after_every_event FROM events;
CREATE TABLE same_rule AS
SELECT customer_id, revenue, cost,
       CASE WHEN churned THEN tenure ELSE '2026-03-01'::timestamptz - first_at END AS tenure, churned
FROM (SELECT customer_id, sum(coalesce(value, 0)) AS revenue, sum(coalesce(cost, 0)) AS cost,
             max(at) - min(at) AS tenure, min(at) AS first_at,
             (max(at) AT TIME ZONE 'UTC')::date < '2025-11-01' AS churned
      FROM events WHERE stage IS NOT NULL AND at IS NOT NULL GROUP BY customer_id) c;
SELECT (f).customers = (a).customers AND (f).churned = (a).churned AS counts_equal,
       (f).customers, (f).churned,
       abs((f).exposure_periods - (a).exposure_periods) < 1e-9 * (a).exposure_periods AS exposure_equal,
       abs((f).revenue_per_period - (a).revenue_per_period) < 1e-9 * (a).revenue_per_period AS revenue_equal,
       abs((f).clv_per_customer - (a).clv_per_customer) < 1e-9 * abs((a).clv_per_customer) AS clv_equal
FROM (SELECT cvfw_clv(flow, '2026-03-01', '120 days', '30 days') AS f FROM flow_of_all) x,
     (SELECT cvfw_clv_agg(revenue, cost, tenure, churned) AS a FROM same_rule) y;

-- the acquisition cost: the costs of each customer's visits before their
-- first value_realization (all their costs if they never got there), per
-- customer who got there; in plain SQL with the visits' order
WITH ev AS (
  SELECT customer_id, stage, coalesce(cost, 0) AS cost,
         row_number() OVER (PARTITION BY customer_id ORDER BY at, stage, coalesce(value, 0), coalesce(cost, 0)) AS n
  FROM events WHERE stage IS NOT NULL AND at IS NOT NULL),
first_vr AS (SELECT customer_id, min(n) AS n FROM ev WHERE stage = 'value_realization' GROUP BY customer_id)
SELECT (SELECT sum(ev.cost) FROM ev LEFT JOIN first_vr f USING (customer_id) WHERE f.n IS NULL OR ev.n < f.n)
       / (SELECT count(*) FROM first_vr) AS plain_acquisition_cost,
       (cvfw_clv(flow, '2026-03-01', '120 days', '30 days')).acquisition_cost
FROM flow_of_all;

-- new customers and customer competitiveness: existing customers' total
-- CLV + new customers x the expected CLV of a new one
--   (the small table above: total 2320; with an acquisition cost of 50,
--    a new customer is worth 50 x 12 - 50 = 550; 10 new: 2320 + 5500 = 7820)
SELECT (r).new_customer_clv, cvfw_competitiveness(r, 10) AS competitiveness
FROM (SELECT cvfw_clv_with(cvfw_clv_agg(revenue, cost, tenure, churned), acquisition_cost => 50) AS r
      FROM customers) s;
SELECT cvfw_competitiveness(cvfw_clv_agg(revenue, cost, tenure, churned), 0) AS no_new_customers,
       cvfw_competitiveness(cvfw_clv_agg(revenue, cost, tenure, churned), 5) IS NULL AS unknown_new_clv
FROM customers;
SELECT (regress.try($$SELECT cvfw_competitiveness(cvfw_clv_agg(revenue, cost, tenure, churned), -1) FROM customers$$)).message;
-- from the flow: acquisition cost, new-customer CLV and competitiveness in one data set
SELECT (r).customers, (r).churned, round((r).acquisition_cost::numeric, 2) AS acquisition_cost,
       round((r).new_customer_clv::numeric, 2) AS new_customer_clv,
       round(cvfw_competitiveness(r, 1000)::numeric) = round(((r).total_clv + 1000 * (r).new_customer_clv)::numeric)
         AS competitiveness_is_the_sum
FROM (SELECT cvfw_clv(flow, '2026-03-01', '120 days', '30 days', 0.6, 0.01) AS r FROM flow_of_all) s;

DROP VIEW plain_clv;
DROP TABLE customers, events, customer_value, flow_of_all, same_rule;

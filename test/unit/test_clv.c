/*
 * test_clv.c — lifetime value formulas and the CLV report, by hand.
 */
#include <math.h>

#include "unit.h"
#include "clv.h"

static void
simple_formula(void)
{
	double		v = 0;

	/* 50 a month for 12 months, 100 of costs: 600 - 100 */
	CHECK_INT(cv_clv(50, 12, 100, &v), CV_CLV_OK);
	CHECK_DBL(v, 500, 0);
	/* refunds: negative revenue; zero periods */
	CHECK_INT(cv_clv(-10, 3, 5, &v), CV_CLV_OK);
	CHECK_DBL(v, -35, 0);
	CHECK_INT(cv_clv(50, 0, 7, &v), CV_CLV_OK);
	CHECK_DBL(v, -7, 0);
	CHECK_INT(cv_clv(50, -1, 0, &v), CV_CLV_NEGATIVE_PERIODS);
	CHECK_INT(cv_clv(NAN, 1, 0, &v), CV_CLV_NOT_A_NUMBER);
	CHECK_INT(cv_clv(1, INFINITY, 0, &v), CV_CLV_INFINITE);
	CHECK_INT(cv_clv(1e308, 10, 0, &v), CV_CLV_INFINITE);	/* overflow */
}

static void
discounted_formula(void)
{
	double		v = 0;

	/* d = 0, margin 1: the simple formula */
	CHECK_INT(cv_clv_discounted(50, 12, 100, 1, 0, &v), CV_CLV_OK);
	CHECK_DBL(v, 500, 1e-9);
	/*
	 * margin 0.5, d = 10%, 3 periods of 100, costs 20:
	 * 50 x (1/1.1 + 1/1.21 + 1/1.331) - 20 = 50 x 2.4868519909842224 - 20
	 */
	CHECK_INT(cv_clv_discounted(100, 3, 20, 0.5, 0.1, &v), CV_CLV_OK);
	CHECK_DBL(v, 50 * (1 / 1.1 + 1 / 1.21 + 1 / 1.331) - 20, 1e-9);
	CHECK_DBL(v, 104.34259954921112, 1e-9);
	/* a fractional last period: 2.5 periods = 1/1.1 + 1/1.21 + 0.5/1.331 */
	CHECK_DBL(cv_clv_annuity(2.5, 0.1), 1 / 1.1 + 1 / 1.21 + 0.5 / 1.331, 1e-12);
	CHECK_DBL(cv_clv_annuity(0.25, 0.1), 0.25 / 1.1, 1e-12);
	CHECK_DBL(cv_clv_annuity(7.5, 0), 7.5, 0);
	/* a perpetuity: margin x revenue / d */
	CHECK_INT(cv_clv_discounted(100, INFINITY, 0, 1, 0.05, &v), CV_CLV_OK);
	CHECK_DBL(v, 2000, 1e-9);
	/* a negative rate (growth): v = 1/(1 - 0.5) = 2, two periods: 2 + 4 */
	CHECK_DBL(cv_clv_annuity(2, -0.5), 6, 1e-12);
	/* many periods: converges to 1/d */
	CHECK_DBL(cv_clv_annuity(1e6, 0.01), 100, 1e-9);
	CHECK_INT(cv_clv_discounted(1, 1, 0, 1, -1, &v), CV_CLV_BAD_DISCOUNT);
	CHECK_INT(cv_clv_discounted(1, 1, 0, 1, INFINITY, &v), CV_CLV_BAD_DISCOUNT);
	CHECK_INT(cv_clv_discounted(1, INFINITY, 0, 1, 0, &v), CV_CLV_INFINITE);
	CHECK_INT(cv_clv_discounted(1, -2, 0, 1, 0.1, &v), CV_CLV_NEGATIVE_PERIODS);
	CHECK_INT(cv_clv_discounted(1, 2, 0, NAN, 0.1, &v), CV_CLV_NOT_A_NUMBER);
	CHECK_INT(cv_clv_discounted(1, 1e6, 0, 1, -0.5, &v), CV_CLV_INFINITE);
}

static cv_clv_inputs
inputs(uint64_t customers, uint64_t churned, double exposure_months, double revenue,
	   double cost)
{
	cv_clv_inputs in;
	int64_t		month = INT64_C(30) * 86400 * 1000000;

	in.customers = customers;
	in.churned = churned;
	in.exposure_us = cv_i128_mul((int64_t) exposure_months, (uint64_t) month);
	in.period_us = month;
	in.revenue = revenue;
	in.cost = cost;
	in.acquisition_spend = NAN;
	in.acquired = 0;
	in.margin = 1;
	in.discount = 0;
	return in;
}

static void
report(void)
{
	/*
	 * 4 customers, 2 churned, 24 customer-months observed, revenue 1,200,
	 * cost 80: 50 per customer-month, expected 24 / 2 = 12 months (churn
	 * rate 1 in 12 a month), cost 20 each; CLV 50 x 12 - 20 = 580, total
	 * 2,320.
	 */
	cv_clv_inputs in = inputs(4, 2, 24, 1200, 80);
	cv_clv_report r;

	CHECK_INT(cv_clv_report_of(&in, &r), CV_CLV_OK);
	CHECK_DBL(r.exposure_periods, 24, 1e-12);
	CHECK_DBL(r.revenue_per_period, 50, 1e-12);
	CHECK_DBL(r.expected_periods, 12, 1e-12);
	CHECK_DBL(r.cost_per_customer, 20, 0);
	CHECK_DBL(r.clv_per_customer, 580, 1e-9);
	CHECK_DBL(r.total_clv, 2320, 1e-9);
	CHECK(isnan(r.acquisition_cost));
	CHECK(isnan(r.new_customer_clv));
	/* with an acquisition spend of 150 over 3 acquired: 50 each; new 600 - 50 */
	in.acquisition_spend = 150;
	in.acquired = 3;
	CHECK_INT(cv_clv_report_of(&in, &r), CV_CLV_OK);
	CHECK_DBL(r.acquisition_cost, 50, 0);
	CHECK_DBL(r.new_customer_clv, 550, 1e-9);
	/* no churn: the expected length is unknown, so are the CLVs */
	in = inputs(4, 0, 24, 1200, 80);
	CHECK_INT(cv_clv_report_of(&in, &r), CV_CLV_OK);
	CHECK(isnan(r.expected_periods) && isnan(r.clv_per_customer) && isnan(r.total_clv));
	CHECK_DBL(r.revenue_per_period, 50, 1e-12);
	/* zero tenure: no revenue rate */
	in = inputs(2, 2, 0, 10, 0);
	CHECK_INT(cv_clv_report_of(&in, &r), CV_CLV_OK);
	CHECK(isnan(r.revenue_per_period) && isnan(r.clv_per_customer));
	CHECK_DBL(r.expected_periods, 0, 0);
}

static void
merge_periods(void)
{
	cv_clv_acc a = {0},
				b = {0};
	cv_clv_acc c = {0};

	b.customers = 2;
	b.churned = 1;
	b.period_us = 100;
	b.revenue = 5;
	CHECK(cv_clv_acc_merge(&a, &b));
	CHECK_INT(a.customers, 2);
	CHECK_INT(a.period_us, 100);
	CHECK(cv_clv_acc_merge(&a, &c));	/* empty: nothing to check */
	c.customers = 1;
	c.period_us = 200;
	CHECK(!cv_clv_acc_merge(&a, &c));
}

const unit_test clv_tests[] = {
	{"clv: revenue x periods - costs", simple_formula},
	{"clv: margin and discounting, fractional periods, perpetuity", discounted_formula},
	{"clv: the report's estimates, by hand", report},
	{"clv: merging states checks the period", merge_periods},
	{NULL, NULL}
};

/*
 * clv.c — lifetime value formulas and the CLV report.
 */
#include <math.h>

#include "clv.h"

cv_clv_status
cv_clv(double revenue_per_period, double periods, double costs, double *out)
{
	if (isnan(revenue_per_period) || isnan(periods) || isnan(costs))
		return CV_CLV_NOT_A_NUMBER;
	if (periods < 0)
		return CV_CLV_NEGATIVE_PERIODS;
	if (!isfinite(revenue_per_period) || !isfinite(periods) || !isfinite(costs))
		return CV_CLV_INFINITE;
	*out = revenue_per_period * periods - costs;
	return isfinite(*out) ? CV_CLV_OK : CV_CLV_INFINITE;
}

double
cv_clv_annuity(double periods, double d)
{
	double		n,
				f,
				lv;

	if (isinf(periods))
		return 1 / d;			/* only called with d > 0 */
	n = floor(periods);
	f = periods - n;
	if (d == 0)
		return periods;
	/* sum_{t=1..n} v^t = (1 - v^n) / d with v = 1 / (1 + d), accurately */
	lv = -log1p(d);
	return -expm1(n * lv) / d + f * exp((n + 1) * lv);
}

cv_clv_status
cv_clv_discounted(double revenue_per_period, double periods, double costs,
				  double margin, double discount, double *out)
{
	if (isnan(revenue_per_period) || isnan(periods) || isnan(costs) ||
		isnan(margin) || isnan(discount))
		return CV_CLV_NOT_A_NUMBER;
	if (periods < 0)
		return CV_CLV_NEGATIVE_PERIODS;
	if (!isfinite(discount) || discount <= -1)
		return CV_CLV_BAD_DISCOUNT;
	if (!isfinite(revenue_per_period) || !isfinite(costs) || !isfinite(margin) ||
		(isinf(periods) && discount <= 0))
		return CV_CLV_INFINITE;
	*out = margin * revenue_per_period * cv_clv_annuity(periods, discount) - costs;
	return isfinite(*out) ? CV_CLV_OK : CV_CLV_INFINITE;
}

/* a / b, NaN when b is 0 */
static double
ratio(double a, double b)
{
	return b != 0 ? a / b : NAN;
}

/* a CLV where any undefined input makes it undefined */
static cv_clv_status
clv_or_nan(double r, double p, double c, double margin, double discount, double *out)
{
	if (isnan(r) || isnan(p) || isnan(c))
	{
		*out = NAN;
		return CV_CLV_OK;
	}
	return cv_clv_discounted(r, p, c, margin, discount, out);
}

cv_clv_status
cv_clv_report_of(const cv_clv_inputs *in, cv_clv_report *out)
{
	cv_clv_status st;

	out->customers = in->customers;
	out->churned = in->churned;
	out->exposure_periods = cv_i128_to_double(in->exposure_us) / (double) in->period_us;
	out->revenue_per_period = ratio(in->revenue, out->exposure_periods);
	out->expected_periods = ratio(out->exposure_periods, (double) in->churned);
	out->cost_per_customer = ratio(in->cost, (double) in->customers);
	out->acquisition_cost = isnan(in->acquisition_spend) ? NAN
		: ratio(in->acquisition_spend, (double) in->acquired);
	st = clv_or_nan(out->revenue_per_period, out->expected_periods, out->cost_per_customer,
					in->margin, in->discount, &out->clv_per_customer);
	if (st != CV_CLV_OK)
		return st;
	out->total_clv = out->clv_per_customer * (double) in->customers;
	if (isinf(out->total_clv))
		return CV_CLV_INFINITE;
	return clv_or_nan(out->revenue_per_period, out->expected_periods, out->acquisition_cost,
					  in->margin, in->discount, &out->new_customer_clv);
}

int
cv_clv_acc_merge(cv_clv_acc *a, const cv_clv_acc *b)
{
	if (b->customers == 0)
		return 1;
	if (a->customers == 0 && a->period_us == 0)
		a->period_us = b->period_us;
	else if (a->period_us != b->period_us)
		return 0;
	a->customers += b->customers;
	a->churned += b->churned;
	a->exposure_us = cv_i128_add(a->exposure_us, b->exposure_us);
	a->revenue += b->revenue;
	a->cost += b->cost;
	return isfinite(a->revenue) && isfinite(a->cost);
}

/*
 * clv.h — customer lifetime value: the model's formulas and the estimators
 * behind the CLV report (pure C core).
 *
 * The model (doc/model.md): the value customers create for the
 * company is, for existing customers, average revenue per customer x length
 * of the relationship - investments and costs; for new customers, expected
 * average revenue per new customer x expected length of the relationship -
 * acquisition costs; summed over both, customer competitiveness.
 */
#ifndef CVFW_CORE_CLV_H
#define CVFW_CORE_CLV_H

#include <stdint.h>

#include "i128.h"

typedef enum cv_clv_status
{
	CV_CLV_OK = 0,
	CV_CLV_NOT_A_NUMBER,		/* an input is NaN */
	CV_CLV_NEGATIVE_PERIODS,	/* periods < 0 */
	CV_CLV_BAD_DISCOUNT,		/* discount <= -1, or not finite */
	CV_CLV_INFINITE,			/* an infinite input, or a result out of range */
} cv_clv_status;

/*
 * revenue_per_period x periods - costs.  periods >= 0 and finite; revenue
 * and costs finite.
 */
extern cv_clv_status cv_clv(double revenue_per_period, double periods, double costs,
							double *out);

/*
 * With a gross margin and a per-period discount rate d (> -1): each whole
 * period's margin x revenue arrives at the period's end and counts
 * 1 / (1 + d)^t; a fractional last period f counts f / (1 + d)^(n + 1),
 * n the whole periods; costs are spent up front and not discounted:
 *   margin x revenue x (sum_{t=1..n} (1+d)^-t + f (1+d)^-(n+1)) - costs.
 * With d = 0 and margin 1 this is cv_clv().  periods may be +Infinity when
 * d > 0: a perpetuity, margin x revenue / d - costs.
 */
extern cv_clv_status cv_clv_discounted(double revenue_per_period, double periods, double costs,
									   double margin, double discount, double *out);

/* the sum of discount factors above, for periods P and rate d */
extern double cv_clv_annuity(double periods, double discount);

/*
 * The CLV report of a group of existing customers, from sums over them.
 * Undefined figures (a division by zero) are NaN; the SQL layer shows NULL.
 *   exposure_periods   = sum of relationship lengths so far / period
 *   revenue_per_period = revenue / exposure_periods     (per customer per period)
 *   expected_periods   = exposure_periods / churned     (constant hazard: 1 / (churned / exposure))
 *   cost_per_customer  = cost / customers
 *   clv_per_customer   = clv(revenue_per_period, expected_periods, cost_per_customer)
 *   total_clv          = clv_per_customer x customers
 *   acquisition_cost   = acquisition spend / customers acquired (NaN unless known)
 *   new_customer_clv   = clv(revenue_per_period, expected_periods, acquisition_cost)
 * margin and discount apply to both CLVs (margin 1, discount 0: none).
 */
typedef struct cv_clv_report
{
	uint64_t	customers;
	uint64_t	churned;
	double		exposure_periods;
	double		revenue_per_period;
	double		expected_periods;
	double		cost_per_customer;
	double		clv_per_customer;
	double		total_clv;
	double		acquisition_cost;
	double		new_customer_clv;
} cv_clv_report;

typedef struct cv_clv_inputs
{
	uint64_t	customers;
	uint64_t	churned;
	cv_i128		exposure_us;	/* microseconds */
	int64_t		period_us;		/* > 0 */
	double		revenue;
	double		cost;
	double		acquisition_spend;	/* NaN when unknown */
	uint64_t	acquired;
	double		margin;
	double		discount;
} cv_clv_inputs;

extern cv_clv_status cv_clv_report_of(const cv_clv_inputs *in, cv_clv_report *out);

/*
 * The aggregate's state: one row per existing customer.  period_us is 0
 * until the first row sets it.
 */
typedef struct cv_clv_acc
{
	uint64_t	customers;
	uint64_t	churned;
	cv_i128		exposure_us;
	int64_t		period_us;
	double		revenue;
	double		cost;
} cv_clv_acc;

/* merge b into a; 0 when their periods differ or a sum overflows */
extern int	cv_clv_acc_merge(cv_clv_acc *a, const cv_clv_acc *b);

#endif							/* CVFW_CORE_CLV_H */

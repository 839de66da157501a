/*
 * gamma_gamma.h — the Gamma-Gamma model of spend per transaction (Fader,
 * Hardie & Lee 2005, "RFM and CLV"; Fader & Hardie 2013, "The Gamma-Gamma
 * model of monetary value"), pure C core.
 *
 * A customer's transaction values are Gamma(p, nu), their mean p/nu; nu ~
 * Gamma(q, v) across customers.  A repeat customer's data is (x, m): x
 * repeat transactions of mean value m.  Customers with x = 0 carry no
 * information about spend and are left out of the fit.
 */
#ifndef CVFW_CORE_GAMMA_GAMMA_H
#define CVFW_CORE_GAMMA_GAMMA_H

#include <stdint.h>

#include "bgnbd.h"				/* cv_btyd_status */
#include "fitinfo.h"
#include "points.h"

typedef struct cv_gg
{
	double		p,
				q,
				v;
	double		loglik;
	uint64_t	customers;		/* the repeat customers fitted */
} cv_gg;

/* why (x, m) cannot be a customer's: NULL if it can (x as in BG/NBD; m > 0 when x > 0) */
extern const char *cv_gg_row_error(double x, double m);

/* the log-likelihood over a bag of (x, m, 0) points, all with x > 0 */
extern double cv_gg_loglik(const cv_gg *g, const cv_points *data);

/* the same, and its gradient with respect to (ln p, ln q, ln v) */
extern double cv_gg_loglik_grad(const cv_gg *g, const cv_points *data, double grad[3]);

/* fit (p, q, v); sorts data; *runaway names a parameter on CV_BTYD_UNBOUNDED */
extern cv_btyd_status cv_gg_fit(cv_points *data, cv_gg *out, const char **runaway);
/* the same, with the fit's details (standard errors) into info */
extern cv_btyd_status cv_gg_fit_ex(cv_points *data, cv_gg *out, cv_fit_info *info,
								   const char **runaway);

extern cv_btyd_status cv_gg_check(const cv_gg *g);

/*
 * E[M | x, m] = p (v + x m) / (p x + q - 1): the expected mean spend per
 * transaction of a customer with x repeat transactions of mean m (for
 * x = 0, the population mean p v / (q - 1)).  CV_BTYD_UNDEFINED when
 * p x + q <= 1: the expectation is infinite.
 */
extern cv_btyd_status cv_gg_expected_spend(const cv_gg *g, double x, double m, double *out);

#endif							/* CVFW_CORE_GAMMA_GAMMA_H */

/*
 * pnbd.h — the Pareto/NBD model of repeat buying (Schmittlein, Morrison &
 * Colombo 1987; Fader & Hardie 2005, "A note on deriving the Pareto/NBD
 * model and related expressions"), pure C core.
 *
 * While alive a customer buys at a Poisson rate lambda, lambda ~
 * Gamma(r, alpha); their lifetime is exponential with rate mu, mu ~
 * Gamma(s, beta).  Histories (x, t_x, T) as in BG/NBD.
 */
#ifndef CVFW_CORE_PNBD_H
#define CVFW_CORE_PNBD_H

#include <stdint.h>

#include "bgnbd.h"				/* cv_btyd_status, cv_bgnbd_row_error */
#include "fitinfo.h"
#include "points.h"

typedef struct cv_pnbd
{
	double		r,
				alpha,
				s,
				beta;
	double		loglik;
	uint64_t	customers;
} cv_pnbd;

extern cv_btyd_status cv_pnbd_check(const cv_pnbd *m);

/* the log-likelihood over a bag of (x, t_x, T) points */
extern double cv_pnbd_loglik(const cv_pnbd *m, const cv_points *data);

/* the same, and its gradient with respect to (ln r, ln alpha, ln s, ln beta) */
extern double cv_pnbd_loglik_grad(const cv_pnbd *m, const cv_points *data, double grad[4]);

/*
 * Fit (r, alpha, s, beta) by maximum likelihood, penalised as
 * cv_bgnbd_fit_ex (alpha and beta in units of the oldest customer's age);
 * info may be NULL.  Sorts data.
 */
extern cv_btyd_status cv_pnbd_fit(cv_points *data, double penalizer, cv_pnbd *out,
								  cv_fit_info *info, const char **runaway);

/* E[X(t)]: purchases of a new customer in t periods */
extern cv_btyd_status cv_pnbd_expected(const cv_pnbd *m, double t, double *out);

/* E[Y(t) | x, t_x, T] */
extern cv_btyd_status cv_pnbd_conditional(const cv_pnbd *m, double x, double t_x, double T,
										  double t, double *out);

/* P(alive | x, t_x, T) */
extern cv_btyd_status cv_pnbd_p_alive(const cv_pnbd *m, double x, double t_x, double T,
									  double *out);

/* P(X(t) = n): the probability that a new customer makes n repeat purchases in t */
extern cv_btyd_status cv_pnbd_pmf(const cv_pnbd *m, double t, double n, double *out);

/* the discounted expected purchases of the next whole periods, as cv_bgnbd_discounted */
extern cv_btyd_status cv_pnbd_discounted(const cv_pnbd *m, double x, double t_x, double T,
										 int periods, double discount, double *out);

#endif							/* CVFW_CORE_PNBD_H */

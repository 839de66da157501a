/*
 * bgnbd.h — the BG/NBD model of repeat buying (Fader, Hardie & Lee 2005,
 * "Counting your customers the easy way"), pure C core.
 *
 * A customer buys at a Poisson rate lambda while alive, lambda ~
 * Gamma(r, alpha) across customers; after each purchase they drop out with
 * probability p, p ~ Beta(a, b).  A customer's history is (x, t_x, T):
 * x repeat purchases, the last at t_x, observed for T since their first
 * purchase, all in one time unit (the model's period).
 */
#ifndef CVFW_CORE_BGNBD_H
#define CVFW_CORE_BGNBD_H

#include <stdint.h>

#include "fitinfo.h"
#include "optim.h"

#include "points.h"

typedef struct cv_bgnbd
{
	double		r,
				alpha,
				a,
				b;
	double		loglik;
	uint64_t	customers;
} cv_bgnbd;

typedef enum cv_btyd_status
{
	CV_BTYD_OK = 0,
	CV_BTYD_EMPTY,				/* no customers */
	CV_BTYD_NO_REPEAT,			/* nobody bought twice: nothing to learn rates or spend from */
	CV_BTYD_UNBOUNDED,			/* the likelihood is highest with a parameter at 0 or infinity */
	CV_BTYD_NO_CONVERGENCE,		/* the optimiser's evaluation cap was reached */
	CV_BTYD_BAD_MODEL,			/* a model parameter is not a positive finite number */
	CV_BTYD_BAD_ARGUMENT,		/* a history or horizon is invalid (see cv_bgnbd_row_error) */
	CV_BTYD_SERIES,				/* no method reached its accuracy, or the value overflows */
	CV_BTYD_UNDEFINED,			/* Gamma-Gamma: the expected spend is infinite (q <= 1) */
} cv_btyd_status;

/*
 * A fit's status from the optimiser's: the parameter that ran off (named
 * from names, in the optimiser's order) goes to *runaway.
 */
extern cv_btyd_status cv_btyd_fit_status(cv_optim_status st, const cv_optim_result *res,
										 const char *const *names, const char **runaway);

/*
 * Why a history (x, t_x, T) cannot be a customer's: NULL if it can.  x is a
 * whole number >= 0, 0 <= t_x <= T, all finite, and t_x = 0 when x = 0.
 */
extern const char *cv_bgnbd_row_error(double x, double t_x, double T);

/* the log-likelihood of the model over a bag of (x, t_x, T) points */
extern double cv_bgnbd_loglik(const cv_bgnbd *m, const cv_points *data);

/* the same, and its gradient with respect to (ln r, ln alpha, ln a, ln b); sorts data */
extern double cv_bgnbd_loglik_grad(const cv_bgnbd *m, cv_points *data, double grad[4]);

/*
 * Fit (r, alpha, a, b) by maximum likelihood.  Sorts data.  On
 * CV_BTYD_UNBOUNDED, *runaway names the parameter ("r", "alpha", "a", "b").
 */
extern cv_btyd_status cv_bgnbd_fit(cv_points *data, cv_bgnbd *out, const char **runaway);

/*
 * The same with a penalty (penalizer >= 0, lifetimes' penalizer_coef: the
 * maximised objective is the mean log-likelihood less penalizer x (r^2 +
 * alpha'^2 + a^2 + b^2), alpha' in units of the oldest customer's age), and
 * the fit's details into info (may be NULL).  Without a penalty, data whose
 * likelihood rises as a and b go to infinity together (dropout barely
 * varies between customers) are fitted with the limiting model instead
 * (info->method CV_FIT_LIMIT; reported with a + b = CV_BGNBD_LIMIT_AB):
 * when the search runs off with a or b, does not converge, or ends with
 * a + b above 1e4 and the limit is as likely (within 1e-6 relative).
 */
extern cv_btyd_status cv_bgnbd_fit_ex(cv_points *data, double penalizer, cv_bgnbd *out,
									  cv_fit_info *info, const char **runaway);

/*
 * a + b at or above this: the limiting model of a and b going to infinity
 * with a/(a+b) fixed, every customer's dropout probability a/(a+b) (what a
 * fit reports when the data have no heterogeneity in dropout to measure;
 * it encodes it as a + b = 1e15).  The predictions then use that model
 * exactly; the finite model differs from it by O(1/(a+b)).
 */
#define CV_BGNBD_LIMIT 1e14
#define CV_BGNBD_LIMIT_AB 1e15

/* how cv_bgnbd_mix computed its value (for tests) */
typedef enum cv_bgnbd_method
{
	CV_BGNBD_EXACT,				/* t = 0, or the limiting model */
	CV_BGNBD_SERIES,			/* the mixture series */
	CV_BGNBD_QUADRATURE,		/* double-exponential quadrature */
} cv_bgnbd_method;

/*
 * E[(1 - (1 + p t/A)^-R)/p], p ~ Beta(a, b): the purchases expected in the
 * next t periods from a customer alive now whose purchase rate is
 * Gamma(R, A) and dropout probability Beta(a, b) (bgnbd_mix.c).  how (may
 * be NULL) says which method was used.
 */
extern cv_btyd_status cv_bgnbd_mix(double R, double A, double a, double b, double t,
								   double *out, cv_bgnbd_method *how);

/* CV_BTYD_BAD_MODEL unless every parameter is positive and finite */
extern cv_btyd_status cv_bgnbd_check(const cv_bgnbd *m);

/* E[X(t)]: purchases of a new customer in a horizon of t periods */
extern cv_btyd_status cv_bgnbd_expected(const cv_bgnbd *m, double t, double *out);

/* E[Y(t) | x, t_x, T]: purchases in the next t periods of a customer with that history */
extern cv_btyd_status cv_bgnbd_conditional(const cv_bgnbd *m, double x, double t_x, double T,
										   double t, double *out);

/* P(alive | x, t_x, T) */
extern cv_btyd_status cv_bgnbd_p_alive(const cv_bgnbd *m, double x, double t_x, double T,
									   double *out);

/* P(X(t) = n): the probability that a new customer makes n repeat purchases in t */
extern cv_btyd_status cv_bgnbd_pmf(const cv_bgnbd *m, double t, double n, double *out);

/*
 * The discounted expected purchases of the next `periods` whole periods:
 *   sum_{i=1..periods} (E[Y(i) | h] - E[Y(i-1) | h]) / (1 + d)^i.
 */
extern cv_btyd_status cv_bgnbd_discounted(const cv_bgnbd *m, double x, double t_x, double T,
										  int periods, double discount, double *out);

#endif							/* CVFW_CORE_BGNBD_H */

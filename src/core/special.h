/*
 * special.h — special functions the models need beyond libm's lgamma
 * (pure C core).
 */
#ifndef CVFW_CORE_SPECIAL_H
#define CVFW_CORE_SPECIAL_H

#include <math.h>

/*
 * digamma, psi(x) = d/dx ln Gamma(x), for x > 0: the recurrence
 * psi(x) = psi(x + 1) - 1/x up to 10, then the asymptotic series to x^-10
 * (error below 1e-14 from 10 on).  It steers the fits' search (the
 * gradient) and, differenced, gives the standard errors' information
 * matrix; the likelihood itself is lgamma's.
 */
static inline double
cv_digamma(double x)
{
	double		r = 0,
				f;

	for (; x < 10; x++)
		r -= 1 / x;
	f = 1 / (x * x);
	return r + log(x) - 0.5 / x -
		f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132)))));
}

/* log(1 + e^l) without overflow */
static inline double
cv_softplus(double l)
{
	return l > 35 ? l : log1p(exp(l));
}

/* log(e^u + e^v) without overflow */
static inline double
cv_log_add_exp(double u, double v)
{
	double		hi = fmax(u, v);

	if (hi == -INFINITY)
		return -INFINITY;
	return hi + log1p(exp(fmin(u, v) - hi));
}

/*
 * The Stirling remainder ln Gamma(x) - [(x - 1/2) ln x - x + ln sqrt(2 pi)]
 * for x >= 10, by its asymptotic series to x^-11 (absolute error below
 * 1e-16 there).
 */
extern double cv_lgamma_corr(double x);

/*
 * ln B(a, b) - a ln(a/(a+b)) - b ln(b/(a+b)) for a, b > 0: what is left of
 * ln B after its two large terms, computed without the cancellation that
 * lgamma(a) + lgamma(b) - lgamma(a+b) suffers for large arguments (an
 * absolute error of 1e-16 x lgamma(1e6) = 1e-9 there).  The remainder is
 * small (ln sqrt(2 pi (a+b)/(a b)) for large a and b).  Absolute error
 * about 1e-15.
 */
extern double cv_lbeta_excess(double a, double b);

/* ln B(a, b), accurate to about 1e-15 relative to a + b times the shares' logs */
extern double cv_lbeta(double a, double b);

#endif							/* CVFW_CORE_SPECIAL_H */

/*
 * special.h — special functions the model fits need beyond libm's lgamma
 * (pure C core).
 */
#ifndef CVFW_CORE_SPECIAL_H
#define CVFW_CORE_SPECIAL_H

#include <math.h>

/*
 * digamma, psi(x) = d/dx ln Gamma(x), for x > 0: the recurrence
 * psi(x) = psi(x + 1) - 1/x up to 6, then the asymptotic series to x^-10
 * (error about 1e-11 at 6, less beyond).  It only steers the fits' search
 * (the gradient); the likelihood itself is lgamma's.
 */
static inline double
cv_digamma(double x)
{
	double		r = 0,
				f;

	for (; x < 6; x++)
		r -= 1 / x;
	f = 1 / (x * x);
	return r + log(x) - 0.5 / x -
		f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132)))));
}

#endif							/* CVFW_CORE_SPECIAL_H */

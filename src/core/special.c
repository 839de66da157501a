/*
 * special.c — ln B(a, b) for arguments up to the models' bounds and beyond.
 */
#include <math.h>

#include "special.h"

#define LN_2PI 1.8378770664093454836

double
cv_lgamma_corr(double x)
{
	double		f = 1 / (x * x);

	return (1.0 / 12 - f * (1.0 / 360 - f * (1.0 / 1260 - f * (1.0 / 1680 - f * (1.0 / 1188 -
																			   f * (691.0 / 360360)))))) / x;
}

/*
 * With lnG(x) = (x - 1/2) ln x - x + ln sqrt(2 pi) + corr(x):
 *   both >= 10: ln sqrt(2 pi (a+b)/(a b)) + corr(a) + corr(b) - corr(a+b)
 *   p < 10 <= q: lnG(p) + p - p ln p + ln(1 + p/q)/2 + corr(q) - corr(p+q)
 *   both < 10: directly (every term small)
 */
double
cv_lbeta_excess(double a, double b)
{
	double		p = fmin(a, b),
				q = fmax(a, b),
				s = a + b;

	if (p >= 10)
		return 0.5 * (LN_2PI + log((s / a) / b)) + cv_lgamma_corr(p) + cv_lgamma_corr(q) -
			cv_lgamma_corr(s);
	if (q >= 10)
		return lgamma(p) + p - p * log(p) + 0.5 * log1p(p / q) + cv_lgamma_corr(q) -
			cv_lgamma_corr(s);
	return lgamma(a) + lgamma(b) - lgamma(s) - a * log(a / s) - b * log(b / s);
}

double
cv_lbeta(double a, double b)
{
	double		s = a + b;

	/* the log of the smaller share directly, of the larger as log1p of the smaller */
	return cv_lbeta_excess(a, b) + a * (a < b ? log(a / s) : log1p(-b / s)) +
		b * (a < b ? log1p(-a / s) : log(b / s));
}

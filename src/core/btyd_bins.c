/*
 * btyd_bins.c — the model checks' binned sums.
 */
#include <math.h>

#include "btyd_bins.h"

int
cv_bins_check(const double *v, size_t n)
{
	size_t		i;
	int			k;

	if (n < CV_BINS_HEADER)
		return -1;
	if ((v[0] != CV_BINS_HOLDOUT && v[0] != CV_BINS_FREQUENCIES) ||
		(v[1] != CV_BINS_BGNBD && v[1] != CV_BINS_PNBD) ||
		!(v[2] >= 1 && v[2] <= CV_BINS_MAX) || v[2] != floor(v[2]))
		return -1;
	k = (int) v[2];
	if (n != cv_bins_len(k))
		return -1;
	for (i = 3; i < CV_BINS_HEADER; i++)
		if (!(v[i] > 0) || !isfinite(v[i]))
			return -1;
	for (i = CV_BINS_HEADER; i < n; i++)
		if (!(v[i] >= 0) || !isfinite(v[i]))
			return -1;
	return 0;
}

void
cv_bins_init(double *v, int kind, int model, int k, const double params[4])
{
	size_t		i,
				n = cv_bins_len(k);

	v[0] = kind;
	v[1] = model;
	v[2] = k;
	for (i = 0; i < 4; i++)
		v[3 + i] = params[i];
	for (i = CV_BINS_HEADER; i < n; i++)
		v[i] = 0;
}

int
cv_bins_same(const double *a, const double *b)
{
	int			i;

	for (i = 0; i < CV_BINS_HEADER; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

int
cv_bins_bin(const double *v, double x)
{
	return x >= v[2] ? (int) v[2] : (int) x;
}

void
cv_bins_count(double *v, int b, double actual)
{
	v[CV_BINS_HEADER + 3 * b] += 1;
	v[CV_BINS_HEADER + 3 * b + 1] += actual;
}

void
cv_bins_expect(double *v, int b, double expected)
{
	v[CV_BINS_HEADER + 3 * b + 2] += expected;
}

void
cv_bins_merge(double *dst, const double *src)
{
	size_t		i,
				n = cv_bins_len((int) dst[2]);

	for (i = CV_BINS_HEADER; i < n; i++)
		dst[i] += src[i];
}

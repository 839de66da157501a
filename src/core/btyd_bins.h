/*
 * btyd_bins.h — the state of the model checks (pure C core): customers
 * binned by their calibration-period frequency, with the actual and the
 * model's expected value summed per bin.
 *
 * The state is a plain array of doubles (SQL float8[], so partial states
 * need no codec of their own): a header, then per bin (customers, actual,
 * expected), bins 0 .. K-1 for those frequencies and bin K for K or more.
 *   [0] kind (CV_BINS_HOLDOUT, CV_BINS_FREQUENCIES)
 *   [1] model (CV_BINS_BGNBD, CV_BINS_PNBD)
 *   [2] K, a whole number from 1 to CV_BINS_MAX
 *   [3..6] the model's four parameters (every row must bring the same)
 * Anyone can hand such an array to the SQL functions, so every array is
 * checked (cv_bins_check) before it is used.
 */
#ifndef CVFW_CORE_BTYD_BINS_H
#define CVFW_CORE_BTYD_BINS_H

#include <stddef.h>

#define CV_BINS_HOLDOUT 1
#define CV_BINS_FREQUENCIES 2
#define CV_BINS_BGNBD 1
#define CV_BINS_PNBD 2
#define CV_BINS_MAX 1000
#define CV_BINS_HEADER 7

static inline size_t
cv_bins_len(int k)
{
	return CV_BINS_HEADER + 3 * ((size_t) k + 1);
}

/* 0 when v[0..n) is a valid state, else -1 */
extern int	cv_bins_check(const double *v, size_t n);

extern void cv_bins_init(double *v, int kind, int model, int k, const double params[4]);

/* 1 when two states are of the same kind, model, bins and parameters */
extern int	cv_bins_same(const double *a, const double *b);

/* the bin of a calibration frequency x (a whole number >= 0) */
extern int	cv_bins_bin(const double *v, double x);

/* add one customer's actual and expected to bin b (expected may go to another bin than the customer) */
extern void cv_bins_count(double *v, int b, double actual);
extern void cv_bins_expect(double *v, int b, double expected);

/* add src's sums to dst (cv_bins_same) */
extern void cv_bins_merge(double *dst, const double *src);

#endif							/* CVFW_CORE_BTYD_BINS_H */

/*
 * rfm.h — the RFM summary of one customer's purchases (pure C core):
 * frequency, recency, T (age) and monetary value, the inputs of the BG/NBD
 * and Gamma-Gamma models.
 *
 * Time is cut into grains (a day, by default, in the SQL layer): purchases
 * in one grain are one purchase, their amounts summed, as the CDNOW
 * summaries count purchase days.  With the grains numbered, for the
 * purchases up to the calibration end:
 *   frequency = distinct grains with a purchase - 1 (the repeat purchases)
 *   recency   = (last grain - first grain) x grain / period
 *   T         = (calibration end's grain - first grain) x grain / period
 *   monetary  = mean amount of the repeat grains (all but the first); 0 when
 *               frequency = 0
 */
#ifndef CVFW_CORE_RFM_H
#define CVFW_CORE_RFM_H

#include <stddef.h>
#include <stdint.h>

typedef struct cv_rfm_entry
{
	int64_t		grain;
	double		amount;
} cv_rfm_entry;

typedef struct cv_rfm_acc
{
	cv_rfm_entry *e;
	size_t		len,
				cap;
	int64_t		end_grain;		/* the calibration end's grain */
	int64_t		grain_us,		/* grain and period lengths, microseconds */
				period_us;
} cv_rfm_acc;

typedef struct cv_rfm
{
	double		frequency,
				recency,
				T,
				monetary;
} cv_rfm;

/* at most this many purchases per customer (16 bytes each) */
#define CV_RFM_MAX ((size_t) 1 << 26)

extern void cv_rfm_init(cv_rfm_acc *acc, int64_t end_grain, int64_t grain_us, int64_t period_us);
extern void cv_rfm_free(cv_rfm_acc *acc);
/* 0, or -1 when the customer has too many purchases */
extern int	cv_rfm_add(cv_rfm_acc *acc, int64_t grain, double amount);
extern int	cv_rfm_merge(cv_rfm_acc *dst, const cv_rfm_acc *src);

/*
 * The summary (sorts the entries first, so it does not depend on their
 * order).  0, or -1 when there are no purchases or the amounts' sum is out
 * of range.
 */
extern int	cv_rfm_summary(cv_rfm_acc *acc, cv_rfm *out);

/*
 * The distinct grains among the entries and their total amount (sorts the
 * entries).  0, or -1 when the total is out of range.  The holdout part of
 * cvfw_rfm_holdout counts its purchases this way.
 */
extern int	cv_rfm_grains(cv_rfm_acc *acc, double *grains, double *amount);

#endif							/* CVFW_CORE_RFM_H */

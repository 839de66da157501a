/*
 * sketch.h — a mergeable log-bucketed histogram of durations (the DDSketch
 * idea) for dwell-time percentiles.
 *
 * A duration of x >= 1 microsecond falls in bucket k = ceil(log_g(x)) with
 * g = (1 + a) / (1 - a); every x in bucket k, (g^(k-1), g^k], is within a
 * relative error a of the bucket's representative g^k (1 - a).  So a
 * percentile read from the sketch is within a of the exact one.  Zero
 * durations are counted apart.  Bucket counts add, so merging is exact,
 * associative and commutative, and the size is bounded by the number of
 * keys, 0 .. CV_SKETCH_KEY_MAX (in practice a few hundred are used).
 */
#ifndef CVFW_CORE_SKETCH_H
#define CVFW_CORE_SKETCH_H

#include <stddef.h>
#include <stdint.h>

#define CV_SKETCH_ALPHA		0.005	/* relative accuracy */
#define CV_SKETCH_KEY_MAX	4400	/* key of the largest int64 microsecond count */

typedef struct cv_sketch
{
	uint64_t	zero;			/* durations of 0 */
	uint64_t	total;			/* zero + all bucket counts */
	int32_t		base;			/* counts[i] is the count of key base + i, */
	uint32_t	cap;			/* for i < cap (zeros where nothing fell) */
	uint64_t   *counts;			/* NULL while no bucket is held */
} cv_sketch;

/* the bucket of a positive duration in microseconds */
extern int	cv_sketch_key(uint64_t us);

/* the representative duration of a bucket */
extern double cv_sketch_value(int key);

extern void cv_sketch_add(cv_sketch *s, uint64_t us);
extern void cv_sketch_add_key(cv_sketch *s, int key, uint64_t count);
extern void cv_sketch_merge(cv_sketch *into, const cv_sketch *from);
extern void cv_sketch_free(cv_sketch *s);

/*
 * The q-quantile (0 < q <= 1) with percentile_disc's rank: the value of
 * rank ceil(q * total).  Returns 0 when the sketch is empty.
 */
extern int	cv_sketch_quantile(const cv_sketch *s, double q, double *out);

/* iterate the non-empty buckets in key order: returns the next index >= i
 * holding a count, or -1; the key is s->base + index */
static inline long
cv_sketch_next(const cv_sketch *s, long i)
{
	for (; i >= 0 && (uint64_t) i < s->cap; i++)
		if (s->counts[i] != 0)
			return i;
	return -1;
}

#endif							/* CVFW_CORE_SKETCH_H */

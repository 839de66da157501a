/*
 * sketch.h — a mergeable log-bucketed histogram of durations (the DDSketch
 * idea) for dwell-time percentiles.
 *
 * A duration of x >= 1 microsecond falls in bucket k = ceil(log_g(x)) with
 * g = (1 + a) / (1 - a), so a bucket spans (g^(k-1), g^k], a relative width
 * of g - 1 (0.8% for a = 0.004).  Each bucket keeps the count and the exact
 * sum of its durations, and a percentile is read as the mean of the bucket
 * holding its rank: exact when that bucket holds one distinct duration (as
 * with whole-day dwell times), and otherwise within g - 1 of the exact
 * percentile, since both lie in the same bucket.  Zero durations are
 * counted apart.  Counts and sums add, so merging is exact, associative and
 * commutative, and a sketch held inside another comes out again exactly
 * (cv_sketch_subtract); the size is bounded by the keys, 0 ..
 * CV_SKETCH_KEY_MAX (in practice a few hundred are used).  The allocator
 * is the owner's (a cv_flow's), passed to every call that allocates.
 */
#ifndef CVFW_CORE_SKETCH_H
#define CVFW_CORE_SKETCH_H

#include <stddef.h>
#include <stdint.h>

#include "i128.h"
#include "mem.h"

#define CV_SKETCH_ALPHA		0.004
#define CV_SKETCH_KEY_MAX	5500	/* above the key of the largest int64 */

typedef struct cv_sketch
{
	uint64_t	zero;			/* durations of 0 */
	uint64_t	total;			/* zero + all bucket counts */
	int32_t		base;			/* slot i holds key base + i, for i < cap */
	uint32_t	cap;
	uint64_t   *counts;			/* NULL while no bucket is held */
	cv_i128    *sums;			/* microseconds */
} cv_sketch;

/* the bucket of a positive duration in microseconds */
extern int	cv_sketch_key(uint64_t us);

/* the lower and upper end of a bucket, g^(k-1) and g^k */
extern double cv_sketch_lower(int key);
extern double cv_sketch_upper(int key);

extern void cv_sketch_add(cv_sketch *s, const cv_allocator *mem, uint64_t us);
extern void cv_sketch_add_key(cv_sketch *s, const cv_allocator *mem, int key, uint64_t count,
							  cv_i128 sum);
extern void cv_sketch_merge(cv_sketch *into, const cv_allocator *mem, const cv_sketch *from);
extern void cv_sketch_free(cv_sketch *s, const cv_allocator *mem);

/*
 * Take out a sketch that into holds: every bucket of from must be in into
 * with at least its count, and a bucket left with no count must be left
 * with no sum.  Returns 0, with into unchanged, when from is not held.
 */
extern int	cv_sketch_subtract(cv_sketch *into, const cv_sketch *from);

/* the count and sum of key (0 and 0 when it holds none) */
static inline uint64_t
cv_sketch_count(const cv_sketch *s, int key, cv_i128 *sum)
{
	if (s->counts == NULL || key < s->base || key >= s->base + (int32_t) s->cap ||
		s->counts[key - s->base] == 0)
	{
		sum->lo = sum->hi = 0;
		return 0;
	}
	*sum = s->sums[key - s->base];
	return s->counts[key - s->base];
}

/* the sum of all durations */
extern cv_i128 cv_sketch_sum(const cv_sketch *s);

/*
 * The q-quantile (0 <= q <= 1) with percentile_disc's rank, ceil(q * total)
 * (at least 1): the mean of the bucket holding that rank.  Returns 0 when
 * the sketch is empty.
 */
extern int	cv_sketch_quantile(const cv_sketch *s, double q, double *out);

/* iterate the non-empty buckets in key order: returns the next slot >= i
 * holding a count, or -1; its key is s->base + slot */
static inline long
cv_sketch_next(const cv_sketch *s, long i)
{
	for (; i >= 0 && (uint64_t) i < s->cap; i++)
		if (s->counts[i] != 0)
			return i;
	return -1;
}

#endif							/* CVFW_CORE_SKETCH_H */

/*
 * sketch.c — the log-bucketed duration histogram.
 */
#include <math.h>
#include <string.h>

#include "mem.h"
#include "sketch.h"

/* 1 / ln(g) and ln(g), g = (1 + a) / (1 - a) */
static double
log_gamma(void)
{
	static double lg = 0;

	if (lg == 0)
		lg = log((1 + CV_SKETCH_ALPHA) / (1 - CV_SKETCH_ALPHA));
	return lg;
}

int
cv_sketch_key(uint64_t us)
{
	double		k = ceil(log((double) us) / log_gamma());

	/* us >= 1 gives k >= 0; the clamp only guards rounding at the top */
	if (k < 0)
		return 0;
	if (k > CV_SKETCH_KEY_MAX)
		return CV_SKETCH_KEY_MAX;
	return (int) k;
}

double
cv_sketch_value(int key)
{
	return exp(key * log_gamma()) * (1 - CV_SKETCH_ALPHA);
}

/*
 * Make counts cover key.  Growing doubles the capacity and leaves the slack
 * on the side the range grew to, so walking keys up or down reallocates
 * only log(range) times.
 */
static void
reserve(cv_sketch *s, int key)
{
	int32_t		lo,
				hi,
				new_base;
	uint32_t	new_cap;
	uint64_t   *counts;

	if (s->counts == NULL)
	{
		s->cap = 8;
		s->counts = cv_mem.alloc(s->cap * sizeof(uint64_t));
		memset(s->counts, 0, s->cap * sizeof(uint64_t));
		s->base = key;
		return;
	}
	if (key >= s->base && key < s->base + (int32_t) s->cap)
		return;
	lo = key < s->base ? key : s->base;
	hi = key > s->base + (int32_t) s->cap - 1 ? key : s->base + (int32_t) s->cap - 1;
	new_cap = s->cap;
	while (new_cap < (uint32_t) (hi - lo + 1))
		new_cap *= 2;
	if (key < s->base)
	{
		new_base = hi - (int32_t) new_cap + 1;
		if (new_base < 0)
			new_base = 0;		/* keys are never negative */
	}
	else
		new_base = lo;
	counts = cv_mem.alloc(new_cap * sizeof(uint64_t));
	memset(counts, 0, new_cap * sizeof(uint64_t));
	memcpy(counts + (s->base - new_base), s->counts, s->cap * sizeof(uint64_t));
	cv_mem.free(s->counts);
	s->counts = counts;
	s->base = new_base;
	s->cap = new_cap;
}

void
cv_sketch_add_key(cv_sketch *s, int key, uint64_t count)
{
	reserve(s, key);
	s->counts[key - s->base] += count;
	s->total += count;
}

void
cv_sketch_add(cv_sketch *s, uint64_t us)
{
	if (us == 0)
	{
		s->zero++;
		s->total++;
	}
	else
		cv_sketch_add_key(s, cv_sketch_key(us), 1);
}

void
cv_sketch_merge(cv_sketch *into, const cv_sketch *from)
{
	long		i;

	into->zero += from->zero;
	into->total += from->zero;
	if (from->counts == NULL)
		return;
	/* reserve the used range once (both ends), then add */
	i = (long) from->cap - 1;
	while (i >= 0 && from->counts[i] == 0)
		i--;
	if (i < 0)
		return;
	reserve(into, from->base + (int) i);
	reserve(into, from->base + (int) cv_sketch_next(from, 0));
	for (i = cv_sketch_next(from, 0); i >= 0; i = cv_sketch_next(from, i + 1))
		cv_sketch_add_key(into, from->base + (int) i, from->counts[i]);
}

void
cv_sketch_free(cv_sketch *s)
{
	if (s->counts != NULL)
		cv_mem.free(s->counts);
	memset(s, 0, sizeof(*s));
}

int
cv_sketch_quantile(const cv_sketch *s, double q, double *out)
{
	double		r;
	uint64_t	rank,
				seen;
	long		i;

	if (s->total == 0)
		return 0;
	r = ceil(q * (double) s->total);
	rank = r < 1 ? 1 : r > (double) s->total ? s->total : (uint64_t) r;
	seen = s->zero;
	if (seen >= rank)
	{
		*out = 0;
		return 1;
	}
	for (i = cv_sketch_next(s, 0); i >= 0; i = cv_sketch_next(s, i + 1))
	{
		seen += s->counts[i];
		if (seen >= rank)
		{
			*out = cv_sketch_value(s->base + (int) i);
			return 1;
		}
	}
	return 0;					/* counts do not add up to total: not reached */
}

/*
 * sketch.c — the log-bucketed duration histogram.
 */
#include <math.h>
#include <string.h>

#include "mem.h"
#include "sketch.h"

/* ln(g), g = (1 + a) / (1 - a) */
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

/* g^k for k = -2 .. CV_SKETCH_KEY_MAX + 1, at index k + 2 */
static double powers[CV_SKETCH_KEY_MAX + 4];

static double
power(int k)
{
	if (powers[0] == 0)
	{
		int			i;

		for (i = 0; i < CV_SKETCH_KEY_MAX + 4; i++)
			powers[i] = exp((i - 2) * log_gamma());
	}
	if (k < -2)
		k = -2;
	if (k > CV_SKETCH_KEY_MAX + 1)
		k = CV_SKETCH_KEY_MAX + 1;
	return powers[k + 2];
}

double
cv_sketch_upper(int key)
{
	return power(key);
}

double
cv_sketch_lower(int key)
{
	return power(key - 1);
}

/*
 * Make the slots cover key.  Growing doubles the capacity and leaves the
 * slack on the side the range grew to, so walking keys up or down
 * reallocates only log(range) times.
 */
static void
reserve(cv_sketch *s, const cv_allocator *mem, int key)
{
	int32_t		lo,
				hi,
				new_base;
	uint32_t	new_cap;
	uint64_t   *counts;
	cv_i128    *sums;

	if (s->counts != NULL && key >= s->base && key < s->base + (int32_t) s->cap)
		return;
	if (s->counts == NULL)
	{
		new_cap = 4;
		new_base = key;
	}
	else
	{
		lo = key < s->base ? key : s->base;
		hi = key > s->base + (int32_t) s->cap - 1 ? key : s->base + (int32_t) s->cap - 1;
		new_cap = s->cap;
		while (new_cap < (uint32_t) (hi - lo + 1))
			new_cap *= 2;
		if (key < s->base)
		{
			new_base = hi - (int32_t) new_cap + 1;
			if (new_base < 0)
				new_base = 0;	/* keys are never negative */
		}
		else
			new_base = lo;
	}
	CV_ASSERT(key >= 0 && key <= CV_SKETCH_KEY_MAX);
	counts = cv_alloc(mem, new_cap * sizeof(uint64_t));
	sums = cv_alloc(mem, new_cap * sizeof(cv_i128));
	memset(counts, 0, new_cap * sizeof(uint64_t));
	memset(sums, 0, new_cap * sizeof(cv_i128));
	if (s->counts != NULL)
	{
		memcpy(counts + (s->base - new_base), s->counts, s->cap * sizeof(uint64_t));
		memcpy(sums + (s->base - new_base), s->sums, s->cap * sizeof(cv_i128));
		cv_free(mem, s->counts);
		cv_free(mem, s->sums);
	}
	s->counts = counts;
	s->sums = sums;
	s->base = new_base;
	s->cap = new_cap;
}

void
cv_sketch_add_key(cv_sketch *s, const cv_allocator *mem, int key, uint64_t count, cv_i128 sum)
{
	reserve(s, mem, key);
	s->counts[key - s->base] += count;
	s->sums[key - s->base] = cv_i128_add(s->sums[key - s->base], sum);
	s->total += count;
}

void
cv_sketch_add(cv_sketch *s, const cv_allocator *mem, uint64_t us)
{
	if (us == 0)
	{
		s->zero++;
		s->total++;
	}
	else
	{
		cv_i128		v = {us, 0};

		cv_sketch_add_key(s, mem, cv_sketch_key(us), 1, v);
	}
}

void
cv_sketch_merge(cv_sketch *into, const cv_allocator *mem, const cv_sketch *from)
{
	long		first,
				last,
				i;

	into->zero += from->zero;
	into->total += from->zero;
	first = from->counts != NULL ? cv_sketch_next(from, 0) : -1;
	if (first < 0)
		return;
	last = (long) from->cap - 1;
	while (from->counts[last] == 0)
		last--;
	/* reserve the used range once, both ends, then add */
	reserve(into, mem, from->base + (int) last);
	reserve(into, mem, from->base + (int) first);
	for (i = first; i >= 0; i = cv_sketch_next(from, i + 1))
		cv_sketch_add_key(into, mem, from->base + (int) i, from->counts[i], from->sums[i]);
}

int
cv_sketch_subtract(cv_sketch *into, const cv_sketch *from)
{
	long		i;

	if (from->zero > into->zero || from->total > into->total)
		return 0;
	/* check every bucket before changing any */
	for (i = from->counts != NULL ? cv_sketch_next(from, 0) : -1; i >= 0; i = cv_sketch_next(from, i + 1))
	{
		cv_i128		sum;
		uint64_t	have = cv_sketch_count(into, from->base + (int) i, &sum);

		if (have < from->counts[i] ||
			(have == from->counts[i] && !cv_i128_eq(sum, from->sums[i])))
			return 0;
	}
	into->zero -= from->zero;
	into->total -= from->total;
	for (i = from->counts != NULL ? cv_sketch_next(from, 0) : -1; i >= 0; i = cv_sketch_next(from, i + 1))
	{
		long		k = from->base + i - into->base;

		into->counts[k] -= from->counts[i];
		into->sums[k] = cv_i128_sub(into->sums[k], from->sums[i]);
		CV_ASSERT(into->counts[k] != 0 || cv_i128_is_zero(into->sums[k]));
	}
	return 1;
}

void
cv_sketch_free(cv_sketch *s, const cv_allocator *mem)
{
	if (s->counts != NULL)
	{
		cv_free(mem, s->counts);
		cv_free(mem, s->sums);
	}
	memset(s, 0, sizeof(*s));
}

cv_i128
cv_sketch_sum(const cv_sketch *s)
{
	cv_i128		sum = {0, 0};
	long		i;

	for (i = s->counts != NULL ? cv_sketch_next(s, 0) : -1; i >= 0; i = cv_sketch_next(s, i + 1))
		sum = cv_i128_add(sum, s->sums[i]);
	return sum;
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
	for (i = s->counts != NULL ? cv_sketch_next(s, 0) : -1; i >= 0; i = cv_sketch_next(s, i + 1))
	{
		seen += s->counts[i];
		if (seen >= rank)
		{
			*out = cv_i128_to_double(s->sums[i]) / (double) s->counts[i];
			return 1;
		}
	}
	return 0;					/* counts do not add up to total: not reached */
}

/*
 * sketch_codec.c — a duration sketch written and read back, every bucket
 * checked.
 */
#include "sketch_codec.h"

void
cv_sketch_put(buf *b, const cv_sketch *s)
{
	long		k;
	uint64_t	nkeys = 0;
	int32_t		prev = 0;

	put_u(b, s->zero);
	for (k = s->counts != NULL ? cv_sketch_next(s, 0) : -1; k >= 0; k = cv_sketch_next(s, k + 1))
		nkeys++;
	put_u(b, nkeys);
	for (k = s->counts != NULL ? cv_sketch_next(s, 0) : -1; k >= 0; k = cv_sketch_next(s, k + 1))
	{
		int32_t		key = s->base + (int32_t) k;

		put_u(b, (uint64_t) (key - prev));
		put_u(b, s->counts[k]);
		put_u128(b, s->sums[k]);
		prev = key;
	}
}

int
cv_sketch_get(reader *r, cv_sketch *s, uint64_t *total, uint64_t max_us, uint64_t limit)
{
	uint64_t	zero = get_u(r),
				nkeys = get_u(r),
				i;
	int64_t		key = 0;
	/* the largest key a duration of at most max_us can have, plus rounding */
	int64_t		max_key = max_us == 0 ? -1 : (int64_t) cv_sketch_key(max_us) + 1;

	*total = 0;
	if (r->why != NULL)
		return 0;
	if (zero > limit)
		return fail(r, "A count is out of range.");
	if (nkeys > CV_SKETCH_KEY_MAX + 1)
		return fail(r, "Too many duration buckets.");
	*total = zero;
	if (zero > 0)
	{
		s->zero += zero;
		s->total += zero;
	}
	for (i = 0; i < nkeys; i++)
	{
		uint64_t	delta = get_u(r);
		uint64_t	count = get_u(r);
		cv_i128		sum = get_u128(r);
		double		dsum = cv_i128_to_double(sum);

		if (r->why != NULL)
			return 0;
		if ((i > 0 && delta == 0) || delta > CV_SKETCH_KEY_MAX || key + (int64_t) delta > max_key)
			return fail(r, "Duration buckets are out of order or range.");
		key += (int64_t) delta;
		if (count == 0 || count > limit - *total)
			return fail(r, "A duration bucket is empty or its count out of range.");
		/*
		 * Bucket k holds whole microseconds in (g^(k-1), g^k]; allow a bucket
		 * either side for rounding in the key's logarithm.  No duration
		 * exceeds max_us: the sum is at most count * max_us.
		 */
		if (cv_i128_is_neg(sum) || cv_i128_cmp(sum, cv_i128_mul((int64_t) count, 1)) < 0 ||
			cv_i128_cmp(sum, cv_i128_mul((int64_t) max_us, count)) > 0 ||
			dsum < (double) count * cv_sketch_lower((int) key - 1) * (1 - 1e-9) ||
			dsum > (double) count * cv_sketch_upper((int) key + 1) * (1 + 1e-9))
			return fail(r, "A duration bucket's sum does not fit its bucket.");
		*total += count;
		cv_sketch_add_key(s, &cv_ambient, (int) key, count, sum);
	}
	return 1;
}

/*
 * fuzz_value_model.c — libFuzzer target for the value model over any
 * summary the decoder accepts (the input is sealed with its checksum as in
 * fuzz_flow_decode): the chain, its expectations, removal effects, what-if,
 * the fix-first gains and the product-limit dwell, with and without a
 * leakage cut-off.  Besides no crash, no UB, no leak: the estimates are
 * probabilities (or NaN where there is none), the what-if at today's leak
 * probability is today bit for bit, removal effects are shares (when no
 * stage's mean value is negative), and the
 * product-limit shares add up to 1 with percentiles rising with q.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crc32c.h"
#include "flow.h"
#include "km.h"
#include "markov.h"

static int
share(double p)
{
	return isnan(p) || (p >= -1e-9 && p <= 1 + 1e-9);
}

static void
check(const cv_flow *f, int has_cutoff, int32_t cutoff_day, int64_t as_of)
{
	cv_chain	c;
	cv_value	v;
	cv_fix		fix[CV_S];
	cv_status	st;
	int			s,
				refunds = 0;

	cv_chain_of_flow(f, has_cutoff, cutoff_day, as_of, &c);
	for (s = 1; s <= CV_STAGE_COUNT; s++)
		refunds |= c.value[s] < 0;
	st = cv_value_of_chain(&c, &v);
	if (st == CV_ERR_OVERFLOW)
		return;
	if (st != CV_OK)
		abort();
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		cv_chain	w;
		cv_value	same;
		cv_km		km;
		double		prev = -1;
		int			i;

		if (c.known[s] && (!share(c.leak[s]) || !share(c.keep[s]) || fabs(c.leak[s] + c.keep[s] - 1) > 1e-9))
			abort();
		if (!share(v.st[s].p_value_realization) || !share(v.st[s].p_engagement) || v.st[s].visits < 0)
			abort();
		/* removal effects are shares when no stage's visits bring less than nothing */
		if (!refunds && (!share(v.removal_effect[s]) || v.removal_value[s] < 0))
			abort();
		if (c.known[s])
		{
			cv_chain_with_leak(&c, (cv_stage) s, c.leak[s], &w);
			if (cv_value_of_chain(&w, &same) != CV_OK || memcmp(&same, &v, sizeof(v)) != 0)
				abort();
		}
		cv_km_stage(f, (cv_stage) s, has_cutoff, cutoff_day, as_of, &km);
		if (km.n > 0 && fabs(km.go + km.stay - 1) > 1e-9)
			abort();
		for (i = 0; i <= 10; i++)
		{
			double		q;

			if (cv_km_quantile(&km, i / 10.0, &q))
			{
				if (q < prev)
					abort();
				prev = q;
			}
		}
		cv_km_free(&km);
	}
	st = cv_fix_first(&c, fix);
	if (st != CV_OK && st != CV_ERR_OVERFLOW)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *body, size_t body_size)
{
	cv_flow		f;
	const char *why = NULL;
	size_t		size = body_size + 4;
	uint8_t    *data = malloc(size);
	uint32_t	crc = cv_crc32c(body, body_size);

	memcpy(data, body, body_size);
	data[body_size] = (uint8_t) crc;
	data[body_size + 1] = (uint8_t) (crc >> 8);
	data[body_size + 2] = (uint8_t) (crc >> 16);
	data[body_size + 3] = (uint8_t) (crc >> 24);
	cv_flow_init(&f, &cv_malloc_allocator);
	if (cv_flow_decode(&f, data, size, &why) == CV_OK)
	{
		int32_t		lo = INT32_MAX,
					hi = INT32_MIN;
		uint32_t	i;

		for (i = 0; i < f.bucket_cap; i++)
			if (f.buckets[i].stage != 0)
			{
				lo = f.buckets[i].day < lo ? f.buckets[i].day : lo;
				hi = f.buckets[i].day > hi ? f.buckets[i].day : hi;
			}
		check(&f, 0, 0, 0);
		/* a cut-off among the days of last activity, as_of a little after it */
		if (lo <= hi)
		{
			int32_t		cut = lo + (int32_t) (crc % ((uint32_t) (hi - lo) + 1));
			int64_t		day = (int64_t) cut + (int64_t) (crc >> 28);

			check(&f, 1, cut, (day > CV_MAX_DAY ? CV_MAX_DAY : day) * CV_USECS_PER_DAY);
		}
	}
	cv_flow_free(&f);
	free(data);
	return 0;
}

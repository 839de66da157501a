/*
 * fuzz_flow_build.c — libFuzzer target for building flow summaries.
 *
 * The input is read as customers' events (11 bytes each: stage, day,
 * minute, value, cost, and whether a new customer starts).  Properties: the
 * summary's counts add up (each customer ends once, outcomes add to
 * visits), it passes every check the decoder makes, encodes to bytes the
 * decoder accepts and re-encodes identically, and splitting the customers
 * in two and merging gives the same bytes (amounts have fractions: every
 * sum is exact); taking either half out of the whole leaves the other
 * half's bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"

#define MAX_EVENTS 64

static const cv_allocator *mem = &cv_malloc_allocator;

static void
check_round_trip(const cv_flow *f, uint8_t **out, size_t *out_len)
{
	cv_flow		g;
	const char *why;
	size_t		len,
				len2;
	uint8_t    *bytes;
	uint8_t    *again;

	if (cv_flow_check(f, &why) != CV_OK)
		abort();
	bytes = cv_flow_encode(f, mem, 0, &len);
	cv_flow_init(&g, mem);
	if (cv_flow_decode(&g, bytes, len, &why) != CV_OK)
		abort();
	again = cv_flow_encode(&g, mem, 0, &len2);
	if (len2 != len || memcmp(again, bytes, len) != 0)
		abort();
	free(again);
	cv_flow_free(&g);
	*out = bytes;
	*out_len = len;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cv_flow		all,
				half[2],
				merged;
	cv_event	ev[MAX_EVENTS];
	size_t		n = 0,
				i,
				customer = 0;
	uint8_t    *a,
			   *b;
	size_t		alen,
				blen;
	cv_leakage_row rows[CV_STAGE_COUNT + 1];
	uint64_t	ended = 0;
	int			s;

	const char *why;

	cv_flow_init(&all, mem);
	cv_flow_init(&half[0], mem);
	cv_flow_init(&half[1], mem);
	for (i = 0; i + 11 <= size; i += 11)
	{
		const uint8_t *p = data + i;

		ev[n].stage = (cv_stage) (1 + p[0] % 6);
		ev[n].at = ((int64_t) (int8_t) p[1] * 1440 + (p[2] | (p[3] << 8)) % 1440) * 60000000;
		ev[n].value = (double) (int16_t) (p[4] | (p[5] << 8)) / 100;
		ev[n].cost = (double) (p[6] | (p[7] << 8)) / 3;
		n++;
		if ((p[8] & 3) == 0 || n == MAX_EVENTS || i + 22 > size)
		{
			cv_event	copy[MAX_EVENTS];

			memcpy(copy, ev, n * sizeof(cv_event));
			if (cv_flow_add_customer(&all, ev, n) != CV_OK ||
				cv_flow_add_customer(&half[customer++ % 2], copy, n) != CV_OK)
				abort();
			n = 0;
		}
	}
	if (all.customers == 0)
		goto done;
	cv_flow_leakage(&all, 0, 0, rows);
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		if (rows[s].advanced + rows[s].regressed + rows[s].skipped + rows[s].ended != rows[s].visits ||
			rows[s].leaked != rows[s].ended || rows[s].customers > rows[s].visits)
			abort();
		ended += rows[s].ended;
	}
	if (ended != all.customers)
		abort();
	check_round_trip(&all, &a, &alen);
	cv_flow_init(&merged, mem);
	if (cv_flow_merge(&merged, &half[1], &why) != CV_OK || cv_flow_merge(&merged, &half[0], &why) != CV_OK)
		abort();
	check_round_trip(&merged, &b, &blen);
	if (alen != blen || memcmp(a, b, alen) != 0)
		abort();
	/* the whole less one half is the other half */
	if (half[0].customers > 0 && half[1].customers > 0)
	{
		uint8_t    *c,
				   *d;
		size_t		clen,
					dlen;

		if (cv_flow_subtract(&merged, &half[0], &why) != CV_OK)
			abort();
		c = cv_flow_encode(&merged, mem, 0, &clen);
		d = cv_flow_encode(&half[1], mem, 0, &dlen);
		if (clen != dlen || memcmp(c, d, clen) != 0)
			abort();
		free(c);
		free(d);
	}
	free(a);
	free(b);
	cv_flow_free(&merged);
done:
	cv_flow_free(&all);
	cv_flow_free(&half[0]);
	cv_flow_free(&half[1]);
	return 0;
}

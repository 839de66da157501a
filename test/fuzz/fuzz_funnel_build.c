/*
 * fuzz_funnel_build.c — libFuzzer target for building conversion and
 * retention summaries.
 *
 * The first bytes choose the settings (path, window, options, period,
 * as_of; start and active stages); the rest are customers' events (4 bytes
 * each: stage, hour offset (two bytes), and whether a new customer starts).
 * Properties: every summary built is accepted by its decoder and
 * re-encodes identically, counts fall along the path, and splitting the
 * customers in two and merging gives the same bytes as one pass.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conversion.h"
#include "mem.h"
#include "retention.h"

#define MAX_EVENTS 64
#define HOUR INT64_C(3600000000)

static uint8_t *
conv_bytes(const cv_conv *c, size_t *len)
{
	uint8_t    *b = cv_conv_encode(c, 0, len);
	cv_conv		d;
	const char *why = NULL;
	size_t		len2;
	uint8_t    *again;

	if (cv_conv_decode(&d, b, *len, &why) != CV_OK)
		abort();
	again = cv_conv_encode(&d, 0, &len2);
	if (len2 != *len || memcmp(again, b, len2) != 0)
		abort();
	free(again);
	cv_conv_free(&d);
	return b;
}

static uint8_t *
ret_bytes(const cv_ret *r, size_t *len)
{
	uint8_t    *b = cv_ret_encode(r, 0, len);
	cv_ret		d;
	const char *why = NULL;
	size_t		len2;
	uint8_t    *again;

	if (cv_ret_decode(&d, b, *len, &why) != CV_OK)
		abort();
	again = cv_ret_encode(&d, 0, &len2);
	if (len2 != *len || memcmp(again, b, len2) != 0)
		abort();
	free(again);
	cv_ret_free(&d);
	return b;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cv_conv_params cp;
	cv_ret_params rp;
	cv_conv		c_all,
				c_half[2],
				c_merged;
	cv_ret		r_all,
				r_half[2],
				r_merged;
	cv_event	ev[MAX_EVENTS];
	size_t		n = 0,
				i,
				k,
				customer = 0,
				l1,
				l2;
	uint8_t    *x,
			   *y;
	const char *why = NULL;

	if (size < 8)
		return 0;
	memset(&cp, 0, sizeof(cp));
	cp.steps = (uint8_t) (2 + data[0] % 5);
	for (k = 0; k < cp.steps; k++)
	{
		cp.path[k] = (cv_stage) (1 + (data[1 + k % 3] >> (k % 3)) % 6);
		if (k > 0 && cp.path[k] == cp.path[k - 1])
			cp.path[k] = cv_stage_next(cp.path[k]);
	}
	if (!cv_conv_check_path(cp.path, cp.steps, &why))
		abort();
	cp.window = (int64_t) (data[4] % 100) * 6 * HOUR;
	cp.any = data[5] & 1;
	cp.strict = (data[5] >> 1) & 1;
	cp.period = (data[5] >> 2) % 4;
	cp.has_as_of = (data[5] >> 4) & 1;
	cp.as_of = (int64_t) data[6] * 12 * HOUR;
	memset(&rp, 0, sizeof(rp));
	rp.start = (cv_stage) (data[7] % 7);
	rp.active = (uint8_t) (1 + data[6] % 63);
	rp.period = 1 + (data[7] >> 3) % 3;
	rp.rolling = (data[7] >> 5) & 1;
	rp.as_of = (int64_t) data[6] * 12 * HOUR + 1;
	cv_conv_init(&c_all, &cp);
	cv_conv_init(&c_merged, &cp);
	cv_ret_init(&r_all, &rp);
	cv_ret_init(&r_merged, &rp);
	for (k = 0; k < 2; k++)
	{
		cv_conv_init(&c_half[k], &cp);
		cv_ret_init(&r_half[k], &rp);
	}
	for (i = 8; i + 4 <= size; i += 4)
	{
		const uint8_t *p = data + i;

		ev[n].stage = (cv_stage) (1 + p[0] % 6);
		ev[n].at = (int64_t) (int16_t) (p[1] | (p[2] << 8)) * HOUR;
		ev[n].value = ev[n].cost = 0;
		n++;
		if ((p[3] & 3) == 0 || n == MAX_EVENTS || i + 8 > size)
		{
			cv_event	copy[3][MAX_EVENTS];

			for (k = 0; k < 3; k++)
				memcpy(copy[k], ev, n * sizeof(cv_event));
			if (cv_conv_add_customer(&c_all, ev, n) != CV_OK ||
				cv_conv_add_customer(&c_half[customer % 2], copy[0], n) != CV_OK ||
				cv_ret_add_customer(&r_all, copy[1], n) != CV_OK ||
				cv_ret_add_customer(&r_half[customer % 2], copy[2], n) != CV_OK)
				abort();
			customer++;
			n = 0;
		}
	}
	for (k = 0; k < c_all.n; k++)
	{
		size_t		s;

		for (s = 1; s < cp.steps; s++)
			if (c_all.cohorts[k].attempts[s] > c_all.cohorts[k].attempts[s - 1] ||
				c_all.cohorts[k].customers[s] > c_all.cohorts[k].attempts[s])
				abort();
	}
	for (k = 0; k < 2; k++)
		if (cv_conv_merge(&c_merged, &c_half[k]) != CV_OK || cv_ret_merge(&r_merged, &r_half[k]) != CV_OK)
			abort();
	x = conv_bytes(&c_all, &l1);
	y = conv_bytes(&c_merged, &l2);
	if (l1 != l2 || memcmp(x, y, l1) != 0)
		abort();
	free(x);
	free(y);
	x = ret_bytes(&r_all, &l1);
	y = ret_bytes(&r_merged, &l2);
	if (l1 != l2 || memcmp(x, y, l1) != 0)
		abort();
	free(x);
	free(y);
	cv_conv_free(&c_all);
	cv_conv_free(&c_merged);
	cv_ret_free(&r_all);
	cv_ret_free(&r_merged);
	for (k = 0; k < 2; k++)
	{
		cv_conv_free(&c_half[k]);
		cv_ret_free(&r_half[k]);
	}
	return 0;
}

/*
 * fuzz_trend_build.c — libFuzzer target for building trends from events.
 *
 * The input is read as customers' events (a byte of event count, then per
 * event a stage byte, a time step and a value); each customer goes into
 * one trend, and alternately into two halves.  Checked: the trend passes
 * its own checks, the halves merged give the same bytes as the whole,
 * the whole minus one half gives the other half's bytes, and the report
 * summed over months equals the flow summary (flow.c, independent code)
 * of the same customers stage by stage.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "trend.h"

static uint8_t *
enc(cv_trend *t, size_t *len)
{
	return cv_trend_encode(t, &cv_malloc_allocator, 0, len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cv_trend	all,
				half[2];
	cv_flow		f;
	size_t		pos = 0;
	int			k = 0,
				any = 0;
	const char *why = NULL;

	cv_trend_init(&all, &cv_malloc_allocator);
	cv_trend_init(&half[0], &cv_malloc_allocator);
	cv_trend_init(&half[1], &cv_malloc_allocator);
	cv_flow_init(&f, &cv_malloc_allocator);
	while (pos < size)
	{
		cv_event	ev[32],
					copy[32];
		size_t		n = (size_t) (data[pos++] % 31) + 1,
					i;
		int64_t		at = 0;

		for (i = 0; i < n && pos + 3 <= size; i++, pos += 3)
		{
			ev[i].stage = (cv_stage) (1 + data[pos] % 6);
			/* steps of hours, some negative (late events), some zero (ties) */
			at += ((int64_t) (int8_t) data[pos + 1]) * INT64_C(3600000000) * 7;
			ev[i].at = at;
			ev[i].value = (double) (int8_t) data[pos + 2] / 8;
			ev[i].cost = 0;
		}
		n = i;
		if (n == 0)
			break;
		memcpy(copy, ev, n * sizeof(cv_event));
		if (cv_trend_add_customer(&all, copy, n) != CV_OK)
			abort();
		memcpy(copy, ev, n * sizeof(cv_event));
		if (cv_trend_add_customer(&half[k], copy, n) != CV_OK)
			abort();
		memcpy(copy, ev, n * sizeof(cv_event));
		if (cv_flow_add_customer(&f, copy, n) != CV_OK)
			abort();
		k ^= 1;
		any = 1;
	}
	if (any)
	{
		size_t		la,
					lb,
					n,
					i;
		uint8_t    *a,
				   *b;
		cv_trend	merged;
		cv_trend_row *rows;
		cv_leakage_row lr[CV_STAGE_COUNT + 1];
		uint64_t	visits[CV_STAGE_COUNT + 1] = {0},
					leaked[CV_STAGE_COUNT + 1] = {0};
		int			s;

		if (cv_trend_check(&all, &why) != CV_OK)
			abort();
		a = enc(&all, &la);
		cv_trend_init(&merged, &cv_malloc_allocator);
		if (cv_trend_merge(&merged, &half[1], &why) != CV_OK ||
			cv_trend_merge(&merged, &half[0], &why) != CV_OK)
			abort();
		b = enc(&merged, &lb);
		if (la != lb || memcmp(a, b, la) != 0)
			abort();
		free(b);
		cv_trend_free(&merged);
		if (cv_trend_report(&all, CV_TREND_MONTH, 1, 3, &rows, &n, &why) != CV_OK)
			abort();
		for (i = 0; i < n; i++)
		{
			visits[rows[i].stage] += rows[i].visits;
			leaked[rows[i].stage] += rows[i].leaked;
		}
		free(rows);
		cv_flow_leakage(&f, 1, 3, lr);
		for (s = 1; s <= CV_STAGE_COUNT; s++)
			if (visits[s] != lr[s].visits || leaked[s] != lr[s].leaked)
				abort();
		if (half[1].customers > 0)
		{
			if (cv_trend_subtract(&all, &half[1], &why) != CV_OK)
				abort();
			b = enc(&all, &lb);
			free(a);
			a = enc(&half[0], &la);
			if (la != lb || memcmp(a, b, la) != 0)
				abort();
			free(b);
		}
		free(a);
	}
	cv_trend_free(&all);
	cv_trend_free(&half[0]);
	cv_trend_free(&half[1]);
	cv_flow_free(&f);
	return 0;
}

/*
 * rfm.c — one customer's purchases into frequency, recency, T and
 * monetary value.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "pace.h"
#include "sort.h"
#include "rfm.h"

void
cv_rfm_init(cv_rfm_acc *acc, int64_t end_grain, int64_t grain_us, int64_t period_us)
{
	memset(acc, 0, sizeof(*acc));
	acc->end_grain = end_grain;
	acc->grain_us = grain_us;
	acc->period_us = period_us;
}

void
cv_rfm_free(cv_rfm_acc *acc)
{
	if (acc->e != NULL)
		cv_mem.free(acc->e);
	acc->e = NULL;
	acc->len = acc->cap = 0;
}

int
cv_rfm_add(cv_rfm_acc *acc, int64_t grain, double amount)
{
	if (acc->len == acc->cap)
	{
		if (acc->cap >= CV_RFM_MAX)
			return -1;
		acc->cap = acc->cap == 0 ? 8 : 2 * acc->cap;
		acc->e = cv_mem.realloc(acc->e, acc->cap * sizeof(cv_rfm_entry));
	}
	acc->e[acc->len].grain = grain;
	acc->e[acc->len].amount = amount;
	acc->len++;
	return 0;
}

int
cv_rfm_merge(cv_rfm_acc *dst, const cv_rfm_acc *src)
{
	size_t		i;

	for (i = 0; i < src->len; i++)
		if (cv_rfm_add(dst, src->e[i].grain, src->e[i].amount) != 0)
			return -1;
	return 0;
}

static int
cmp_entry(const void *pa, const void *pb)
{
	const cv_rfm_entry *a = pa,
			   *b = pb;

	if (a->grain != b->grain)
		return a->grain < b->grain ? -1 : 1;
	if (a->amount != b->amount)
		return a->amount < b->amount ? -1 : 1;
	return 0;
}

int
cv_rfm_summary(cv_rfm_acc *acc, cv_rfm *out)
{
	double		first_amount = 0,
				repeat_amount = 0,
				grains = 0;
	size_t		i;
	int64_t		first,
				last;

	if (acc->len == 0)
		return -1;
	/* sorted, the sums are the same whatever order the rows came in */
	cv_sort(acc->e, acc->len, sizeof(cv_rfm_entry), cmp_entry);
	first = acc->e[0].grain;
	last = acc->e[acc->len - 1].grain;
	for (i = 0; i < acc->len; i++)
	{
		if (i == 0 || acc->e[i].grain != acc->e[i - 1].grain)
			grains++;
		if (acc->e[i].grain == first)
			first_amount += acc->e[i].amount;
		else
			repeat_amount += acc->e[i].amount;
		if ((i & 4095) == 4095)
			cv_pace(4096);
	}
	if (!isfinite(first_amount) || !isfinite(repeat_amount))
		return -1;
	out->frequency = grains - 1;
	/* whole grains times the grain length, in periods: exact for days in weeks */
	out->recency = (double) (last - first) * (double) acc->grain_us / (double) acc->period_us;
	out->T = (double) (acc->end_grain - first) * (double) acc->grain_us / (double) acc->period_us;
	out->monetary = grains > 1 ? repeat_amount / (grains - 1) : 0;
	return 0;
}

int
cv_rfm_grains(cv_rfm_acc *acc, double *grains, double *amount)
{
	size_t		i;

	*grains = 0;
	*amount = 0;
	if (acc->len > 1)
		qsort(acc->e, acc->len, sizeof(cv_rfm_entry), cmp_entry);
	for (i = 0; i < acc->len; i++)
	{
		if (i == 0 || acc->e[i].grain != acc->e[i - 1].grain)
			(*grains)++;
		*amount += acc->e[i].amount;
	}
	return isfinite(*amount) ? 0 : -1;
}

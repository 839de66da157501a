/*
 * customer.c — events -> visits -> the parts of a flow summary.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "customer.h"
#include "mem.h"

static int
event_cmp(const cv_event *a, const cv_event *b)
{
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	if (a->stage != b->stage)
		return a->stage < b->stage ? -1 : 1;
	if (a->value != b->value)
		return a->value < b->value ? -1 : 1;
	if (a->cost != b->cost)
		return a->cost < b->cost ? -1 : 1;
	return 0;
}

static int
event_qsort_cmp(const void *a, const void *b)
{
	return event_cmp(a, b);
}

/*
 * time, then wheel position, then the amounts: a total order (the amounts
 * no longer matter to the exact sums, but keep the order fully defined)
 */
static void
sort_events(cv_event *ev, size_t n)
{
	size_t		i,
				j;

	if (n > 16)
	{
		qsort(ev, n, sizeof(cv_event), event_qsort_cmp);
		return;
	}
	/* most customers have a handful of events */
	for (i = 1; i < n; i++)
	{
		cv_event	e = ev[i];

		for (j = i; j > 0 && event_cmp(&ev[j - 1], &e) > 0; j--)
			ev[j] = ev[j - 1];
		ev[j] = e;
	}
}

static void
sort_dwell(cv_dwell *d, size_t n)
{
	size_t		i,
				j;

	for (i = 1; i < n; i++)
	{
		cv_dwell	e = d[i];

		for (j = i; j > 0 && (d[j - 1].stage > e.stage ||
							  (d[j - 1].stage == e.stage && d[j - 1].key > e.key)); j--)
			d[j] = d[j - 1];
		d[j] = e;
	}
}

cv_status
cv_customer_build(cv_customer *c, const cv_allocator *mem, cv_event *ev, size_t n)
{
	size_t		nv = 0,
				i;
	cv_money	later = {0, 0};	/* value of the visits after the current one */

	memset(c, 0, offsetof(cv_customer, local_visits));
	c->visits = c->local_visits;
	c->dwell = c->local_dwell;
	c->heap = NULL;
	c->mem = mem;
	if (n == 0)
		return CV_ERR_CORRUPT;
	for (i = 0; i < n; i++)
		if (!cv_stage_is_valid(ev[i].stage) || !isfinite(ev[i].value) || !isfinite(ev[i].cost) ||
			ev[i].at < CV_MIN_TIMESTAMP || ev[i].at >= CV_END_TIMESTAMP)
			return CV_ERR_CORRUPT;
	sort_events(ev, n);
	if (n > CV_CUSTOMER_INLINE)
	{
		c->heap = cv_alloc(mem, n * (sizeof(cv_visit) + sizeof(cv_dwell)));
		c->visits = c->heap;
		c->dwell = (cv_dwell *) (c->visits + n);
	}

	/* events -> visits; each amount rounded once, here */
	for (i = 0; i < n; i++)
	{
		cv_money	value,
					cost;

		if (nv == 0 || c->visits[nv - 1].stage != ev[i].stage)
		{
			c->visits[nv].stage = ev[i].stage;
			c->visits[nv].entry = ev[i].at;
			c->visits[nv].value = cv_i128_from_i64(0);
			c->visits[nv].cost = cv_i128_from_i64(0);
			nv++;
		}
		if (!cv_money_from_double(ev[i].value, &value) || !cv_money_from_double(ev[i].cost, &cost) ||
			!cv_money_add(&c->visits[nv - 1].value, value) ||
			!cv_money_add(&c->visits[nv - 1].cost, cost))
			return CV_ERR_OVERFLOW;
	}
	if ((uint64_t) nv > CV_CUSTOMER_VISITS_MAX)
		return CV_ERR_OVERFLOW;

	/* acquisition: what was spent on the customer before value was first realised */
	for (i = 0; i < nv && c->visits[i].stage != CV_VALUE_REALIZATION; i++)
		if (!cv_money_add(&c->acquisition_cost, c->visits[i].cost))
			return CV_ERR_OVERFLOW;

	/* visits -> per-stage parts, last visit first so the downstream sums build up */
	for (i = nv; i-- > 0;)
	{
		const cv_visit *v = &c->visits[i];
		cv_stage	s = v->stage;

		c->visited |= 1u << s;
		if (!cv_money_add(&c->value[s], v->value) || !cv_money_add(&c->cost[s], v->cost))
			return CV_ERR_OVERFLOW;
		if (i + 1 < nv)
		{
			/* times lie in PostgreSQL's range, so the difference fits a uint64 */
			uint64_t	us = (uint64_t) c->visits[i + 1].entry - (uint64_t) v->entry;
			cv_dwell   *d = &c->dwell[c->ndwell++];

			c->trans[s][c->visits[i + 1].stage]++;
			d->stage = s;
			d->us = us;
			d->key = us == 0 ? -1 : cv_sketch_key(us);
			if (!cv_money_add(&c->downstream[s], later))
				return CV_ERR_OVERFLOW;
		}
		/* the first visit's value is downstream of nothing: no sum to hold */
		if (i > 0 && !cv_money_add(&later, v->value))
			return CV_ERR_OVERFLOW;
	}
	sort_dwell(c->dwell, c->ndwell);
	c->last_stage = c->visits[nv - 1].stage;
	c->first_at = ev[0].at;
	c->last_at = ev[n - 1].at;
	CV_ASSERT(c->ndwell + 1 == nv);
	return CV_OK;
}

void
cv_customer_release(cv_customer *c)
{
	if (c->heap != NULL)
		cv_free(c->mem, c->heap);
	c->heap = NULL;
}

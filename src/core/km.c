/*
 * km.c — the product-limit estimate of dwell with open visits censored.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "km.h"
#include "mem.h"

typedef struct censored
{
	double		at;				/* how long the visits have been open, us */
	uint64_t	n;
} censored;

static int
censored_cmp(const void *a, const void *b)
{
	double		x = ((const censored *) a)->at,
				y = ((const censored *) b)->at;

	return (x > y) - (x < y);
}

/* the open visits of stage s at as_of, ascending by how long they have been open */
static censored *
open_visits(const cv_flow *f, cv_stage s, int32_t cutoff_day, int64_t as_of, size_t *n, uint64_t *total)
{
	censored   *c = NULL;
	uint32_t	i;
	size_t		k = 0;

	*total = 0;
	for (i = 0; i < cv_flow_bucket_slots(f); i++)
		if (f->buckets[i].stage == s && f->buckets[i].day >= cutoff_day)
			k++;
	if (k > 0)
		c = cv_mem.alloc(k * sizeof(censored));
	*n = k;
	for (i = 0, k = 0; i < cv_flow_bucket_slots(f); i++)
	{
		const cv_day_bucket *b = &f->buckets[i];
		cv_i128		until;

		if (b->stage != s || b->day < cutoff_day)
			continue;
		/* open until as_of, or the last event if that is later */
		until = cv_i128_mul(as_of, b->customers);
		if (cv_i128_cmp(b->sum_last, until) > 0)
			until = b->sum_last;
		c[k].at = cv_i128_to_double(cv_i128_sub(until, b->sum_entry)) / (double) b->customers;
		c[k].n = b->customers;
		*total += b->customers;
		k++;
	}
	if (k > 1)
		qsort(c, k, sizeof(censored), censored_cmp);
	return c;
}

/* the running estimate while the events are walked in time order */
typedef struct walk
{
	cv_km	   *km;
	const censored *cens;
	size_t		ncens,
				ci;
	uint64_t	open_at_risk,
				left;			/* events not yet walked */
	double		surv;
} walk;

static void
add_event(walk *w, double t, uint64_t d)
{
	cv_km	   *km = w->km;
	uint64_t	r,
				seen = (km->n > 0 ? km->cum[km->n - 1] : 0) + d;
	double		done = km->n > 0 ? km->done[km->n - 1] : 0;

	while (w->ci < w->ncens && w->cens[w->ci].at < t)
		w->open_at_risk -= w->cens[w->ci++].n;
	r = w->left + km->leaked + w->open_at_risk;
	if (km->open == 0)
	{
		/* nothing censored: plain shares of the visits */
		done = (double) seen / (double) (km->moved + km->leaked);
		w->surv = (double) (km->moved - seen + km->leaked) / (double) (km->moved + km->leaked);
	}
	else
	{
		done += w->surv * ((double) d / (double) r);
		w->surv *= (double) (r - d) / (double) r;
	}
	km->t[km->n] = t;
	km->done[km->n] = done;
	km->cum[km->n] = seen;
	km->n++;
	w->left -= d;
}

void
cv_km_stage(const cv_flow *f, cv_stage s, int has_cutoff, int32_t cutoff_day, int64_t as_of, cv_km *km)
{
	const cv_sketch *sk = &f->st[s].dwell;
	censored   *cens = NULL;
	size_t		cap = 1 + (size_t) sk->cap;
	walk		w;
	long		i;

	memset(km, 0, sizeof(*km));
	memset(&w, 0, sizeof(w));
	km->moved = sk->total;
	km->leaked = cv_flow_leaked(f, s, has_cutoff, cutoff_day);
	if (has_cutoff)
		cens = open_visits(f, s, cutoff_day, as_of, &w.ncens, &km->open);
	km->t = cv_mem.alloc(cap * sizeof(double));
	km->done = cv_mem.alloc(cap * sizeof(double));
	km->cum = cv_mem.alloc(cap * sizeof(uint64_t));
	w.km = km;
	w.cens = cens;
	w.open_at_risk = km->open;
	w.left = km->moved;
	w.surv = 1;
	/* the events in time order: zero dwell first, then the sketch's buckets */
	if (sk->zero > 0)
		add_event(&w, 0, sk->zero);
	for (i = sk->counts != NULL ? cv_sketch_next(sk, 0) : -1; i >= 0; i = cv_sketch_next(sk, i + 1))
		add_event(&w, cv_i128_to_double(sk->sums[i]) / (double) sk->counts[i], sk->counts[i]);
	if (cens != NULL)
		cv_mem.free(cens);
	km->go = km->n > 0 ? km->done[km->n - 1] : 0;
	km->stay = w.surv;
}

void
cv_km_free(cv_km *km)
{
	if (km->t != NULL)
		cv_mem.free(km->t);
	if (km->done != NULL)
		cv_mem.free(km->done);
	if (km->cum != NULL)
		cv_mem.free(km->cum);
	memset(km, 0, sizeof(*km));
}

int
cv_km_quantile(const cv_km *km, double q, double *out)
{
	size_t		j;

	if (km->n == 0)
		return 0;
	if (km->open == 0)
	{
		/* percentile_disc's rank among the moves, as cv_sketch_quantile */
		double		r = ceil(q * (double) km->moved);
		uint64_t	rank = r < 1 ? 1 : r > (double) km->moved ? km->moved : (uint64_t) r;

		for (j = 0; j < km->n; j++)
			if (km->cum[j] >= rank)
				break;
	}
	else
		for (j = 0; j < km->n; j++)
			if (km->done[j] / km->go >= q - 1e-12)
				break;
	if (j == km->n)
		j = km->n - 1;
	*out = km->t[j];
	return 1;
}

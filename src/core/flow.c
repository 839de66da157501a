/*
 * flow.c — building, merging and reading flow summaries.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "customer.h"
#include "flow.h"
#include "mem.h"

void
cv_flow_init(cv_flow *f)
{
	memset(f, 0, sizeof(*f));
}

void
cv_flow_free(cv_flow *f)
{
	int			s;

	for (s = 1; s <= CV_STAGE_COUNT; s++)
		cv_sketch_free(&f->st[s].dwell);
	if (f->buckets != NULL)
		cv_mem.free(f->buckets);
	memset(f, 0, sizeof(*f));
}

/* --- day buckets: open addressing, linear probing -------------------------- */

static uint32_t
bucket_hash(int32_t day, cv_stage stage)
{
	uint64_t	h = ((uint64_t) (uint32_t) day << 3 | stage) * UINT64_C(0x9E3779B97F4A7C15);

	return (uint32_t) (h >> 32);
}

static cv_day_bucket *
bucket_slot(cv_day_bucket *table, uint32_t cap, int32_t day, cv_stage stage)
{
	uint32_t	i = bucket_hash(day, stage) & (cap - 1);

	while (table[i].stage != 0 && (table[i].day != day || table[i].stage != stage))
		i = (i + 1) & (cap - 1);
	return &table[i];
}

static void
bucket_grow(cv_flow *f)
{
	uint32_t	new_cap = f->bucket_cap == 0 ? 8 : f->bucket_cap * 2;
	cv_day_bucket *table = cv_mem.alloc(new_cap * sizeof(cv_day_bucket));
	uint32_t	i;

	memset(table, 0, new_cap * sizeof(cv_day_bucket));
	for (i = 0; i < f->bucket_cap; i++)
		if (f->buckets[i].stage != 0)
			*bucket_slot(table, new_cap, f->buckets[i].day, f->buckets[i].stage) = f->buckets[i];
	if (f->buckets != NULL)
		cv_mem.free(f->buckets);
	f->buckets = table;
	f->bucket_cap = new_cap;
}

void
cv_flow_add_bucket(cv_flow *f, int32_t day, cv_stage stage, uint64_t customers,
				   cv_i128 sum_first, cv_i128 sum_entry, cv_i128 sum_last)
{
	cv_day_bucket *b;

	/* keep the load under 3/4 */
	if ((f->nbuckets + 1) * 4 > f->bucket_cap * 3)
		bucket_grow(f);
	b = bucket_slot(f->buckets, f->bucket_cap, day, stage);
	if (b->stage == 0)
	{
		b->day = day;
		b->stage = stage;
		f->nbuckets++;
	}
	b->customers += customers;
	b->sum_first = cv_i128_add(b->sum_first, sum_first);
	b->sum_entry = cv_i128_add(b->sum_entry, sum_entry);
	b->sum_last = cv_i128_add(b->sum_last, sum_last);
	f->st[stage].ended += customers;
}

/* --- one customer ------------------------------------------------------------ */

static int
add_finite(double *sum, double x)
{
	*sum += x;
	return isfinite(*sum);
}

cv_status
cv_flow_add_customer(cv_flow *f, cv_event *ev, size_t n)
{
	cv_customer c;
	cv_status	status = cv_customer_build(&c, ev, n);
	cv_stage	s;
	size_t		i;

	for (s = 1; s <= CV_STAGE_COUNT && status == CV_OK; s++)
	{
		cv_stage_flow *st = &f->st[s];
		cv_stage	t;

		if (!(c.visited & (1u << s)))
			continue;
		st->customers++;
		if (!add_finite(&st->value, c.value[s]) || !add_finite(&st->cost, c.cost[s]) ||
			!add_finite(&st->downstream, c.downstream[s]))
			status = CV_ERR_OVERFLOW;
		for (t = 1; t <= CV_STAGE_COUNT; t++)
			f->trans[s][t] += c.trans[s][t];
	}
	if (status == CV_OK)
	{
		for (i = 0; i < c.ndwell; i++)
		{
			const cv_dwell *d = &c.dwell[i];
			cv_sketch  *sk = &f->st[d->stage].dwell;

			/* the key was worked out with the customer: no second logarithm */
			if (d->key < 0)
				cv_sketch_add(sk, 0);
			else
			{
				cv_i128		us = {d->us, 0};

				cv_sketch_add_key(sk, d->key, 1, us);
			}
		}
		cv_flow_add_bucket(f, cv_day_of(c.last_at), c.last_stage, 1, cv_i128_from_i64(c.first_at),
						   cv_i128_from_i64(c.last_entry), cv_i128_from_i64(c.last_at));
		f->customers++;
		if (!add_finite(&f->acquisition_cost, c.acquisition_cost))
			status = CV_ERR_OVERFLOW;
	}
	cv_customer_release(&c);
	return status;
}

/* --- merging and reading ----------------------------------------------------- */

cv_status
cv_flow_merge(cv_flow *into, const cv_flow *from)
{
	int			s,
				t;
	uint32_t	i;

	/* check every count first, so no count can wrap round */
	if (from->customers > UINT64_MAX - into->customers)
		return CV_ERR_OVERFLOW;
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		if (from->st[s].customers > UINT64_MAX - into->st[s].customers ||
			from->st[s].ended > UINT64_MAX - into->st[s].ended ||
			from->st[s].dwell.total > UINT64_MAX - into->st[s].dwell.total)
			return CV_ERR_OVERFLOW;
		for (t = 1; t <= CV_STAGE_COUNT; t++)
			if (from->trans[s][t] > UINT64_MAX - into->trans[s][t])
				return CV_ERR_OVERFLOW;
	}
	into->customers += from->customers;
	if (!add_finite(&into->acquisition_cost, from->acquisition_cost))
		return CV_ERR_OVERFLOW;
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		cv_stage_flow *a = &into->st[s];
		const cv_stage_flow *b = &from->st[s];

		a->customers += b->customers;
		cv_sketch_merge(&a->dwell, &b->dwell);
		if (!add_finite(&a->value, b->value) || !add_finite(&a->cost, b->cost) ||
			!add_finite(&a->downstream, b->downstream))
			return CV_ERR_OVERFLOW;
		for (t = 1; t <= CV_STAGE_COUNT; t++)
			into->trans[s][t] += from->trans[s][t];
	}
	/* ended counts come with the buckets */
	for (i = 0; i < from->bucket_cap; i++)
		if (from->buckets[i].stage != 0)
			cv_flow_add_bucket(into, from->buckets[i].day, from->buckets[i].stage,
							   from->buckets[i].customers,
							   from->buckets[i].sum_first, from->buckets[i].sum_entry,
							   from->buckets[i].sum_last);
	return CV_OK;
}

uint64_t
cv_flow_visits(const cv_flow *f, cv_stage s)
{
	uint64_t	n = f->st[s].ended;
	int			t;

	for (t = 1; t <= CV_STAGE_COUNT; t++)
		n += f->trans[s][t];
	return n;
}

uint64_t
cv_flow_leaked(const cv_flow *f, cv_stage s, int has_cutoff, int32_t cutoff_day)
{
	uint64_t	n = 0;
	uint32_t	i;

	if (!has_cutoff)
		return f->st[s].ended;
	for (i = 0; i < f->bucket_cap; i++)
		if (f->buckets[i].stage == s && f->buckets[i].day < cutoff_day)
			n += f->buckets[i].customers;
	return n;
}

cv_i128
cv_flow_exposure(const cv_flow *f, int has_cutoff, int32_t cutoff_day, int64_t as_of)
{
	cv_i128		sum = {0, 0};
	uint32_t	i;

	for (i = 0; i < f->bucket_cap; i++)
	{
		const cv_day_bucket *b = &f->buckets[i];
		cv_i128		end = b->sum_last;

		if (b->stage == 0)
			continue;
		if (has_cutoff && b->day >= cutoff_day)
		{
			cv_i128		until_as_of = cv_i128_mul(as_of, b->customers);

			if (cv_i128_cmp(until_as_of, end) > 0)
				end = until_as_of;
		}
		sum = cv_i128_add(sum, cv_i128_sub(end, b->sum_first));
	}
	return sum;
}

void
cv_flow_leakage(const cv_flow *f, int has_cutoff, int32_t cutoff_day,
				cv_leakage_row rows[CV_STAGE_COUNT + 1])
{
	int			s,
				t;

	memset(rows, 0, sizeof(cv_leakage_row) * (CV_STAGE_COUNT + 1));
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		cv_leakage_row *r = &rows[s];
		const cv_stage_flow *st = &f->st[s];
		cv_stage	next = cv_stage_next((cv_stage) s);

		for (t = 1; t <= CV_STAGE_COUNT; t++)
		{
			uint64_t	n = f->trans[s][t];

			if (t == next)
				r->advanced += n;
			else if (t < s)
				r->regressed += n;
			else
				r->skipped += n;
		}
		r->customers = st->customers;
		r->ended = st->ended;
		r->dwell_n = r->advanced + r->regressed + r->skipped;
		r->visits = r->dwell_n + r->ended;
		r->leaked = cv_flow_leaked(f, (cv_stage) s, has_cutoff, cutoff_day);
		r->active = r->ended - r->leaked;
		r->value = st->value;
		r->cost = st->cost;
		/* leaked x the mean downstream value of the visits that did not end */
		r->value_at_risk = r->dwell_n > 0 ? (double) r->leaked * (st->downstream / (double) r->dwell_n) : 0;
		if (r->dwell_n > 0)
		{
			r->dwell_avg = cv_i128_to_double(cv_sketch_sum(&st->dwell)) / (double) r->dwell_n;
			cv_sketch_quantile(&st->dwell, 0.5, &r->dwell_p50);
			cv_sketch_quantile(&st->dwell, 0.9, &r->dwell_p90);
		}
	}
}
